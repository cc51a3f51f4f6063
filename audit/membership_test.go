package audit

import (
	"testing"

	"github.com/rhythm-team/rhythm/team"
)

func TestDifferencing(t *testing.T) {
	six := Membership{TeamGroup: {"a", "b", "c", "d", "e", "f"}}
	for _, tt := range []struct {
		name      string
		prev, cur Membership
		group     string
		changed   int
		ok        bool
	}{
		{"same people", six, six, "", 0, true},
		{"one removed", six, Membership{TeamGroup: {"a", "b", "c", "d", "e"}}, TeamGroup, 1, false},
		{"one swapped", six, Membership{TeamGroup: {"a", "b", "c", "d", "e", "g"}}, TeamGroup, 2, false},
		{"five changed", six, Membership{TeamGroup: {"a", "g", "h", "i", "j", "k"}}, "", 0, true},
		{"one moved between zone groups", Membership{TeamGroup: {"a", "b"}, "zone group Europe": {"a", "b"}},
			Membership{TeamGroup: {"a", "b"}, "zone group Europe": {"a"}, "zone group Asia": {"b"}}, "zone group Asia", 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, n, ok := Differencing(tt.prev, tt.cur, 5)
			if g != tt.group || n != tt.changed || ok != tt.ok {
				t.Errorf("Differencing = %q, %d, %v; want %q, %d, %v", g, n, ok, tt.group, tt.changed, tt.ok)
			}
		})
	}
}

func TestWindowOverlaps(t *testing.T) {
	w := func(a, b int) Window {
		return Window{From: team.Date{Year: 2026, Month: 3, Day: a}, To: team.Date{Year: 2026, Month: 3, Day: b}}
	}
	if !w(1, 7).Overlaps(w(7, 14)) || w(1, 7).Overlaps(w(8, 14)) || w(1, 7).Overlaps(Window{}) {
		t.Error("Overlaps is wrong at the edges")
	}
}
