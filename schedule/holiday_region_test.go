package schedule

import (
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// TestHolidayRegionNeverProposed: over the Easter days of 2026, Berlin's
// public holidays (Good Friday, Easter Monday) are never proposed for a
// meeting with a member whose roster says holidays: DE-BE, while a team
// without that member meets on them.
func TestHolidayRegionNeverProposed(t *testing.T) {
	tm, err := team.ParseRoster("team.yaml", []byte(`team: T
members:
  - {name: Ana, email: ana@example.com, zone: Europe/Berlin, hours: "09:00-17:00", holidays: DE-BE}
  - {name: Ben, email: ben@example.com, zone: Europe/London, hours: "09:00-17:00"}
  - {name: Cai, email: cai@example.com, zone: Europe/London, hours: "09:00-17:00"}
`))
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	from := time.Date(2026, 4, 2, 0, 0, 0, 0, berlin)
	to := time.Date(2026, 4, 8, 0, 0, 0, 0, berlin)
	off := map[string]bool{"2026-04-03": true, "2026-04-06": true}

	r, err := Find(Request{Team: &tm, Duration: time.Hour, From: from, To: to, Top: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Slots) == 0 {
		t.Fatal("no slots")
	}
	for _, s := range r.Slots {
		if day := s.Start.In(berlin).Format("2006-01-02"); off[day] {
			t.Errorf("slot %s on a Berlin public holiday is proposed", s.Start.In(berlin))
		}
	}
	// Without Ana, the Londoners' same days are ordinary working days here.
	r, err = Find(Request{Team: &tm, With: []string{"ben@example.com", "cai@example.com"}, Duration: time.Hour, From: from, To: to, Top: 200})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, s := range r.Slots {
		if off[s.Start.In(berlin).Format("2006-01-02")] && s.AllInside {
			seen = true
		}
	}
	if !seen {
		t.Error("without the Berlin member, no slot on 3 or 6 April was inside hours")
	}
}
