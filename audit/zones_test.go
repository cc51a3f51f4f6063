package audit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestZoneGroups(t *testing.T) {
	tests := []struct {
		name   string
		zones  map[string]int
		groups []string // name: zones (people)
		small  []string // zone (people) → pooled into
	}{
		{"one zone too small", map[string]int{"America/New_York": 5, "Europe/Lisbon": 5, "Asia/Tokyo": 4},
			[]string{"America/New_York: America/New_York (5)", "Other zones: Asia/Tokyo Europe/Lisbon (9)"},
			[]string{"Asia/Tokyo (4) → Other zones", "Europe/Lisbon (5) → Other zones"}},
		{"small zones of a region pool", map[string]int{"Europe/Lisbon": 6, "Asia/Tokyo": 3, "Australia/Sydney": 3, "Asia/Kolkata": 2},
			[]string{"Asia & Pacific: Asia/Kolkata Asia/Tokyo Australia/Sydney (8)", "Europe/Lisbon: Europe/Lisbon (6)"},
			[]string{"Asia/Kolkata (2) → Asia & Pacific", "Asia/Tokyo (3) → Asia & Pacific", "Australia/Sydney (3) → Asia & Pacific"}},
		{"everything small", map[string]int{"Asia/Tokyo": 4, "America/New_York": 4},
			[]string{"All zones: America/New_York Asia/Tokyo (8)"},
			[]string{"America/New_York (4) → All zones", "Asia/Tokyo (4) → All zones"}},
		{"leftover joins the smallest group", map[string]int{"America/Denver": 2, "America/Chicago": 2, "America/Bogota": 2, "Europe/Lisbon": 5, "Asia/Tokyo": 2},
			[]string{"Americas: America/Bogota America/Chicago America/Denver (6)", "Other zones: Asia/Tokyo Europe/Lisbon (7)"},
			[]string{"America/Bogota (2) → Americas", "America/Chicago (2) → Americas", "America/Denver (2) → Americas", "Asia/Tokyo (2) → Other zones", "Europe/Lisbon (5) → Other zones"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("team: Z\nmembers:\n")
			n := 0
			for z, k := range tt.zones {
				for range k {
					fmt.Fprintf(&b, "  - {name: P%d, email: p%d@example.com, zone: %s}\n", n, n, z)
					n++
				}
			}
			a, err := New(mustTeam(t, b.String()), fixtureConfig())
			if err != nil {
				t.Fatal(err)
			}
			var members []int32
			for i := range n {
				members = append(members, int32(i))
			}
			groups, small := a.zoneGroups(members, 5, utc("2026-03-30 00:00"))
			var gotGroups, gotSmall []string
			for _, g := range groups {
				gotGroups = append(gotGroups, fmt.Sprintf("%s: %s (%d)", g.name, strings.Join(g.zones, " "), len(g.ids)))
			}
			for _, s := range small {
				gotSmall = append(gotSmall, fmt.Sprintf("%s (%d) → %s", s.Zone, s.People, s.PooledInto))
			}
			if d := cmp.Diff(tt.groups, gotGroups); d != "" {
				t.Errorf("groups (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.small, gotSmall); d != "" {
				t.Errorf("suppressed zones (-want +got):\n%s", d)
			}
		})
	}
}
