package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// TestBusyTakesTheOnlyInsideSlot: Ana (Berlin, 16:00-18:00) and Ben (New
// York, 09:00-17:00) share only 16:00-18:00 Berlin time. Ana's daily
// recurring meeting takes that window every day, so Find proposes the
// next-best time, outside someone's hours, and says whose busy time took
// the better ones.
func TestBusyTakesTheOnlyInsideSlot(t *testing.T) {
	tm, err := team.ParseRoster("team.yaml", []byte(`team: T
members:
  - {name: Ana, email: ana@example.com, zone: Europe/Berlin, hours: "16:00-18:00"}
  - {name: Ben, email: ben@example.com, zone: America/New_York, hours: "09:00-17:00"}
`))
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	from := time.Date(2026, 1, 12, 0, 0, 0, 0, berlin) // Monday
	to := time.Date(2026, 1, 17, 0, 0, 0, 0, berlin)
	req := Request{Team: &tm, Duration: time.Hour, From: from, To: to, Top: 5}

	free, err := Find(req)
	if err != nil {
		t.Fatal(err)
	}
	if !free.Slots[0].AllInside {
		t.Fatalf("without busy time the best slot should suit both: %+v", free.Slots[0])
	}

	var busy []team.Interval
	for d := 12; d < 17; d++ {
		s := time.Date(2026, 1, d, 16, 0, 0, 0, berlin)
		busy = append(busy, team.Interval{Start: s, End: s.Add(2 * time.Hour)})
	}
	req.Busy = map[string][]team.Interval{"ana@example.com": busy}
	r, err := Find(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Slots {
		if s.AllInside {
			t.Fatalf("slot %s proposed as inside everyone's hours although Ana is busy", s.Start.In(berlin))
		}
		for _, iv := range busy {
			if s.Start.Before(iv.End) && iv.Start.Before(s.End) {
				t.Fatalf("slot %s overlaps Ana's busy time", s.Start.In(berlin))
			}
		}
	}
	var why string
	for _, w := range r.Warnings {
		if strings.Contains(w, "taken by the busy time") {
			why = w
		}
	}
	if !strings.Contains(why, "ana@example.com") || strings.Contains(why, "ben@example.com") {
		t.Fatalf("warnings %q: want one saying Ana's busy time took the inside slots", r.Warnings)
	}
}
