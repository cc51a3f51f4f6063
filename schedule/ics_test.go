package schedule_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/schedule"
)

// TestICSRoundTrip exports series and reads them back through ical: the
// expanded instances must be the planned instants, across clock changes.
func TestICSRoundTrip(t *testing.T) {
	tests := []struct {
		name, roster, zone string
		from, to           time.Time
		weeks              int
		wantVTimezone      string
	}{
		{"rotation in Lisbon time", "lisbon-ny-tokyo.yaml", "Europe/Lisbon",
			time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), 12, "TZID:Europe/Lisbon"},
		{"across US, EU and Australian changes", "clock-changes.yaml", "Australia/Lord_Howe",
			time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC), 10, "TZID:Australia/Lord_Howe"},
		{"a slot that falls in the New York gap", "clock-changes.yaml", "America/New_York",
			time.Date(2026, 3, 1, 7, 30, 0, 0, time.UTC), time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), 3, "TZID:America/New_York"},
		{"UTC anchor", "berlin-london.yaml", "UTC",
			time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), 6, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := roster(t, tt.roster)
			s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: tt.from, To: tt.to, Weeks: tt.weeks, Zone: zone(t, tt.zone)})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := s.WriteICS(&buf, schedule.ICSOptions{Summary: "Team sync", Stamp: tt.from}); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			if tt.wantVTimezone != "" && (!strings.Contains(text, "BEGIN:VTIMEZONE") || !strings.Contains(text, tt.wantVTimezone)) {
				t.Errorf("calendar lacks a VTIMEZONE for %s:\n%s", tt.zone, text)
			}
			cal, warns, err := ical.Parse(&buf, ical.Options{Name: "series.ics"})
			if err != nil || len(warns) > 0 {
				t.Fatalf("re-import: %v %v", err, warns)
			}
			got, err := cal.Expand(tt.from.AddDate(0, 0, -1), tt.from.AddDate(0, 0, 7*tt.weeks+8))
			if err != nil {
				t.Fatal(err)
			}
			var want, have [][2]time.Time
			for _, in := range s.Instances {
				want = append(want, [2]time.Time{in.Start.UTC(), in.End.UTC()})
			}
			for _, in := range got {
				have = append(have, [2]time.Time{in.Start.UTC(), in.End.UTC()})
				if len(in.Attendees) != len(s.Members) {
					t.Errorf("instance %s has %d attendees, want %d", in.Start, len(in.Attendees), len(s.Members))
				}
			}
			if diff := gocmp.Diff(want, have); diff != "" {
				t.Errorf("re-imported instants (-planned +imported):\n%s", diff)
			}
		})
	}
}

func TestICSGapMovesForward(t *testing.T) {
	// Sunday 02:30 in New York does not exist on 2026-03-08: the instance
	// moves forward by the gap, to 03:30 EDT, as calendar programs do.
	tm := roster(t, "clock-changes.yaml")
	ny := zone(t, "America/New_York")
	from := time.Date(2026, 3, 1, 2, 30, 0, 0, ny)
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.Add(30 * time.Minute), Weeks: 3, Zone: ny})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range s.Instances {
		got = append(got, in.Start.In(ny).Format("Jan 2 15:04 MST"))
	}
	want := []string{"Mar 1 02:30 EST", "Mar 8 03:30 EDT", "Mar 15 02:30 EDT"}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("instances in New York (-want +got):\n%s", diff)
	}
}

func TestICSOneOff(t *testing.T) {
	tm := roster(t, "berlin-london.yaml")
	from := day(t, "2026-03-30", zone(t, "Europe/Berlin"))
	r, err := schedule.Find(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteICS(&buf, schedule.ICSOptions{Summary: "Kick-off"}); err != nil {
		t.Fatal(err)
	}
	cal, warns, err := ical.Parse(&buf, ical.Options{})
	if err != nil || len(warns) > 0 {
		t.Fatalf("re-import: %v %v", err, warns)
	}
	got, err := cal.Expand(from, from.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Start.Equal(r.Slots[0].Start) || !got[0].End.Equal(r.Slots[0].End) || got[0].Summary != "Kick-off" {
		t.Errorf("re-imported %+v, want the best slot %s-%s", got, r.Slots[0].Start, r.Slots[0].End)
	}
}
