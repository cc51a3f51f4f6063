package schedule_test

import (
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

func utcTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOverlapBerlinLondon(t *testing.T) {
	tm := roster(t, "berlin-london.yaml") // no meetings on Wednesday
	h, err := schedule.Overlap(tm, nil, time.UTC, team.Date{Year: 2026, Month: 3, Day: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Start, utcTime(t, "2026-03-02T00:00:00Z"); !got.Equal(want) || len(h.Slots) != 672 {
		t.Fatalf("week starts %s with %d slots, want %s with 672", got, len(h.Slots), want)
	}
	// Berlin 09:00-17:00 CET is 08:00-16:00 UTC; London 09:30-18:00 GMT.
	var want []schedule.Window
	for _, d := range []int{2, 3, 5, 6} {
		want = append(want, schedule.Window{
			Start: time.Date(2026, 3, d, 9, 30, 0, 0, time.UTC),
			End:   time.Date(2026, 3, d, 16, 0, 0, 0, time.UTC)})
	}
	if diff := gocmp.Diff(want, utcWindows(h.Golden)); diff != "" {
		t.Errorf("golden hours (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]schedule.Pair{{A: "bea@example.com", B: "leo@example.com", Hours: 26}}, h.Pairs); diff != "" {
		t.Errorf("pairs (-want +got):\n%s", diff)
	}
	if h.Members[0].Hours != 32 || h.Members[1].Hours != 34 {
		t.Errorf("available hours %v and %v, want 32 and 34 (no Wednesday)", h.Members[0].Hours, h.Members[1].Hours)
	}
	// On Wednesday both are inside working hours but not available.
	wed := (2*24 + 12) * 4 // Wednesday 12:00 UTC
	if m := h.Members[0]; !m.Inside[wed] || m.Available[wed] || h.Counts[wed] != 0 {
		t.Errorf("Wednesday noon: inside %v, available %v, count %d; want inside, unavailable, 0", m.Inside[wed], m.Available[wed], h.Counts[wed])
	}
}

func utcWindows(ws []schedule.Window) []schedule.Window {
	out := make([]schedule.Window, len(ws))
	for i, w := range ws {
		out[i] = schedule.Window{Start: w.Start.UTC(), End: w.End.UTC()}
	}
	return out
}

func TestOverlapRespectsHolidays(t *testing.T) {
	tm := roster(t, "berlin-london.yaml")
	tm.Members[0].Holidays = []team.Date{{Year: 2026, Month: 3, Day: 5}}
	h, err := schedule.Overlap(tm, nil, zone(t, "Europe/Berlin"), team.Date{Year: 2026, Month: 3, Day: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range h.Golden {
		if g.Start.Day() == 5 {
			t.Errorf("golden window %s on Bea's holiday", g.Start)
		}
	}
	if len(h.Golden) != 3 || h.Pairs[0].Hours != 19.5 {
		t.Errorf("%d golden windows, pair overlap %v h; want 3 and 19.5", len(h.Golden), h.Pairs[0].Hours)
	}
}

func TestOverlapGrid(t *testing.T) {
	tm := roster(t, "mixed.yaml")
	tests := []struct {
		name  string
		zone  string
		week  team.Date
		start string // UTC
		slots int
	}{
		{"kathmandu quarter-hour zone", "Asia/Kathmandu", team.Date{Year: 2026, Month: 3, Day: 4}, "2026-03-01T18:15:00Z", 672},
		{"kolkata half-hour zone", "Asia/Kolkata", team.Date{Year: 2026, Month: 3, Day: 2}, "2026-03-01T18:30:00Z", 672},
		{"london spring week is an hour short", "Europe/London", team.Date{Year: 2026, Month: 3, Day: 29}, "2026-03-23T00:00:00Z", 668},
		{"new york autumn week is an hour long", "America/New_York", team.Date{Year: 2026, Month: 11, Day: 1}, "2026-10-26T04:00:00Z", 676},
		{"lord howe gains half an hour", "Australia/Lord_Howe", team.Date{Year: 2026, Month: 4, Day: 1}, "2026-03-29T13:00:00Z", 674},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := schedule.Overlap(tm, nil, zone(t, tt.zone), tt.week)
			if err != nil {
				t.Fatal(err)
			}
			if got := h.Start.UTC().Format(time.RFC3339); got != tt.start || len(h.Slots) != tt.slots {
				t.Errorf("week starts %s with %d slots, want %s with %d", got, len(h.Slots), tt.start, tt.slots)
			}
			if l := h.Slots[0]; l.Location().String() != tt.zone || l.Hour() != 0 || l.Weekday() != time.Monday {
				t.Errorf("first slot %s, want Monday 00:00 in %s", l, tt.zone)
			}
			// Every slot agrees with the team package.
			for i, m := range h.Members {
				mb := member(t, tm, m.Email)
				for s, at := range h.Slots {
					if want := insideMinutes(mb, at, schedule.Step) == 15; m.Inside[s] != want {
						t.Fatalf("%s at %s: inside %v, want %v", m.Email, at, m.Inside[s], want)
					}
				}
				_ = i
			}
		})
	}
}

func TestOverlapSubsetAndErrors(t *testing.T) {
	tm := roster(t, "mixed.yaml")
	h, err := schedule.Overlap(tm, []string{"kenji@example.com", "Zoe Park"}, nil, team.Date{Year: 2026, Month: 3, Day: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Members) != 2 || len(h.Pairs) != 1 || h.Zone != "UTC" {
		t.Fatalf("%d members, %d pairs, zone %s; want 2, 1, UTC", len(h.Members), len(h.Pairs), h.Zone)
	}
	// Tokyo 10:00-18:00 (01-09 UTC), Lord Howe 08:30-16:30 at +11
	// (21:30-05:30 UTC): four days (no Wednesday) of 01:00-05:30 UTC.
	if h.Pairs[0].Hours != 18 {
		t.Errorf("kenji and zoe overlap %v hours, want 18", h.Pairs[0].Hours)
	}
	if _, err := schedule.Overlap(tm, []string{"nobody"}, nil, team.Date{Year: 2026, Month: 3, Day: 2}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("unknown member: %v, want invalid", err)
	}
	if _, err := schedule.Overlap(&team.Team{}, nil, nil, team.Date{Year: 2026, Month: 3, Day: 2}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("empty team: %v, want invalid", err)
	}
	if _, err := schedule.Overlap(tm, nil, nil, team.Date{}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("no week: %v, want invalid", err)
	}
}
