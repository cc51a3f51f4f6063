package ical

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// row is an instance reduced to what the fixtures check.
type row struct {
	UID, RID, Start, End, Summary string
}

func rowsOf(ins []Instance) []row {
	out := make([]row, len(ins))
	for i, in := range ins {
		f := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
		if in.AllDay {
			f = func(t time.Time) string { return t.Format("2006-01-02") }
		}
		out[i] = row{UID: in.UID, RID: f(in.RecurrenceID), Start: f(in.Start), End: f(in.End), Summary: in.Summary}
	}
	return out
}

func parseFile(t *testing.T, name string, opts Options) (*Calendar, []Warning) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Name = name
	cal, warns, err := Parse(f, opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return cal, warns
}

// TestFixtures expands exports imitating Google, Outlook/Exchange and
// Apple, with their quirks, and a sloppy hand-made file.
func TestFixtures(t *testing.T) {
	const (
		gSync = "7kukuqrfedlm2f9t0vr42q0b3a@google.com"
		oRev  = "040000008200E00074C5B7101A82E00800000000B0A1C2D3E4F5D901000000000000000010000000ABCDEF0123456789ABCDEF0123456789"
		aRev  = "5A1B2C3D-1111-2222-3333-444455556666"
	)
	tests := []struct {
		file      string
		from, to  time.Time
		want      []row
		wantWarns []string
	}{
		{
			file: "google.ics", from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []row{
				{gSync, "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z", "Platform sync"},
				{"ny3dst@google.com", "2026-03-02T14:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T14:30:00Z", "Planungsrunde für Überblick über Übergänge – Q2 mit Köln München"},
				{"ny3dst@google.com", "2026-03-05T14:00:00Z", "2026-03-05T14:00:00Z", "2026-03-05T14:30:00Z", "Planungsrunde für Überblick über Übergänge – Q2 mit Köln München"},
				{"2q4ri9tq0abc1@google.com", "2026-03-05T15:00:00Z", "2026-03-05T15:00:00Z", "2026-03-05T15:30:00Z", "Lunch, maybe"},
				{"ny3dst@google.com", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T13:30:00Z", "Planungsrunde für Überblick über Übergänge – Q2 mit Köln München"},
				{"0ooo1abc@google.com", "2026-03-10", "2026-03-10", "2026-03-11", "Ana OOO"},
				{"ny3dst@google.com", "2026-03-12T13:00:00Z", "2026-03-12T13:00:00Z", "2026-03-12T13:30:00Z", "Planungsrunde für Überblick über Übergänge – Q2 mit Köln München"},
				{gSync, "2026-03-16T09:00:00Z", "2026-03-16T10:00:00Z", "2026-03-16T10:30:00Z", "Platform sync (moved)"},
			},
		},
		{
			file: "outlook.ics", from: day(2026, 3, 1), to: day(2026, 5, 1),
			want: []row{
				{oRev, "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z", "Weekly review"},
				{"owa-label-zone-1", "2026-03-04T15:00:00Z", "2026-03-04T15:00:00Z", "2026-03-04T15:30:00Z", "1:1 Jane / Ana"},
				{oRev, "2026-03-09T09:00:00Z", "2026-03-09T09:00:00Z", "2026-03-09T09:30:00Z", "Weekly review"},
				{"custom-zone-1", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T14:00:00Z", "Vendor call"},
				{"custom-zone-1", "2026-03-10T13:00:00Z", "2026-03-10T13:00:00Z", "2026-03-10T14:00:00Z", "Vendor call"},
				{"allday-outlook-1", "2026-03-18", "2026-03-18", "2026-03-20", "Conference"},
				{oRev, "2026-03-30T08:00:00Z", "2026-03-31T12:00:00Z", "2026-03-31T13:00:00Z", "Weekly review (Tuesday this time)"},
				{oRev, "2026-04-06T08:00:00Z", "2026-04-06T08:00:00Z", "2026-04-06T08:30:00Z", "Weekly review"},
				{oRev, "2026-04-13T08:00:00Z", "2026-04-13T08:00:00Z", "2026-04-13T08:30:00Z", "Weekly review"},
			},
		},
		{
			file: "apple.ics", from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []row{
				{aRev, "2026-03-02T16:30:00Z", "2026-03-02T16:30:00Z", "2026-03-02T17:00:00Z", "Design review"},
				{aRev, "2026-03-09T15:30:00Z", "2026-03-10T16:30:00Z", "2026-03-10T17:00:00Z", "Design review"},
				{aRev, "2026-03-16T15:30:00Z", "2026-03-16T15:30:00Z", "2026-03-16T16:00:00Z", "Design review"},
				{"B2C3D4E5-AAAA-BBBB-CCCC-DDDDEEEEFFFF", "2026-03-20", "2026-03-20", "2026-03-21", "Kenji birthday"},
				{aRev, "2026-03-23T15:30:00Z", "2026-03-23T15:30:00Z", "2026-03-23T16:00:00Z", "Design review"},
				{aRev, "2026-03-30T15:30:00Z", "2026-03-30T15:30:00Z", "2026-03-30T16:00:00Z", "Design review"},
			},
		},
		{
			file: "sloppy.ics", from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []row{
				{"sloppy-1", "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "Lower-case names"},
				{"sloppy-1", "2026-03-03T08:00:00Z", "2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z", "Lower-case names"},
				{"sloppy-2", "2026-03-04T11:00:00Z", "2026-03-04T11:00:00Z", "2026-03-04T11:30:00Z", "Floating time"},
				{"sloppy-3", "2026-03-05T09:00:00Z", "2026-03-05T09:00:00Z", "2026-03-05T10:00:00Z", "Folded with a \tTAB and a spacecontinued"},
			},
			wantWarns: []string{`sloppy.ics:14: event "sloppy-bad": DTSTART: invalid date-time "2026030X"; event skipped (lines 12-16)`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			cal, warns := parseFile(t, tc.file, Options{})
			var gotWarns []string
			for _, w := range warns {
				gotWarns = append(gotWarns, w.String())
			}
			if diff := cmp.Diff(tc.wantWarns, gotWarns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			got := rowsOf(mustExpand(t, cal, tc.from, tc.to))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFixturePeople checks attendees, organizers, status and
// transparency as the exports write them.
func TestFixturePeople(t *testing.T) {
	type person struct {
		Email, Name string
		PartStat    PartStat
		Role        Role
		CUType      CUType
		IsPerson    bool
	}
	people := func(in Instance) []person {
		var out []person
		for _, a := range in.Attendees {
			out = append(out, person{a.Email, a.Name, a.PartStat, a.Role, a.CUType, a.IsPerson()})
		}
		return out
	}
	find := func(t *testing.T, file, uid string, start time.Time) Instance {
		t.Helper()
		cal, _ := parseFile(t, file, Options{})
		for _, in := range mustExpand(t, cal, start.Add(-time.Hour), start.Add(time.Hour)) {
			if in.UID == uid && in.Start.Equal(start) {
				return in
			}
		}
		t.Fatalf("%s: no instance of %s at %s", file, uid, start)
		return Instance{}
	}
	t.Run("google room resource and moved instance", func(t *testing.T) {
		in := find(t, "google.ics", "7kukuqrfedlm2f9t0vr42q0b3a@google.com", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		want := []person{
			{"ana@example.com", "Ana Silva", PartAccepted, RoleRequired, CUIndividual, true},
			{"kenji@example.com", "kenji@example.com", PartNeedsAction, RoleRequired, CUIndividual, true},
			{"c_1888abc@resource.calendar.google.com", "Berlin-3-Spree (8)", PartAccepted, RoleRequired, CUResource, false},
		}
		if diff := cmp.Diff(want, people(in)); diff != "" {
			t.Errorf("attendees (-want +got):\n%s", diff)
		}
		if in.Organizer.Email != "ana@example.com" || in.Status != StatusConfirmed || in.Transparent || !in.Recurring {
			t.Errorf("got organizer %q status %q transparent %v recurring %v", in.Organizer.Email, in.Status, in.Transparent, in.Recurring)
		}
		moved := find(t, "google.ics", "7kukuqrfedlm2f9t0vr42q0b3a@google.com", time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC))
		if got := moved.Attendees[1].PartStat; got != PartDeclined {
			t.Errorf("moved instance: kenji PARTSTAT = %q, want DECLINED", got)
		}
	})
	t.Run("outlook quoted names, upper-case address, non-participant room", func(t *testing.T) {
		in := find(t, "outlook.ics", "040000008200E00074C5B7101A82E00800000000B0A1C2D3E4F5D901000000000000000010000000ABCDEF0123456789ABCDEF0123456789", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		want := []person{
			{"ana@example.com", "Silva, Ana", PartNeedsAction, RoleRequired, CUIndividual, true},
			{"kenji@example.com", "Kenji Sato", PartNeedsAction, RoleOptional, CUIndividual, true},
			{"room.amstel@example.com", "Room Amstel", PartNeedsAction, RoleNonParticipant, CUResource, false},
		}
		if diff := cmp.Diff(want, people(in)); diff != "" {
			t.Errorf("attendees (-want +got):\n%s", diff)
		}
		if in.Organizer.Name != "Doe, Jane" || in.Organizer.Email != "jane@example.com" {
			t.Errorf("organizer = %+v", in.Organizer)
		}
		conf := find(t, "outlook.ics", "allday-outlook-1", time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC))
		if !conf.Transparent || !conf.AllDay {
			t.Errorf("conference: transparent %v all-day %v, want both (busy status FREE)", conf.Transparent, conf.AllDay)
		}
	})
	t.Run("apple addresses from EMAIL and rooms", func(t *testing.T) {
		in := find(t, "apple.ics", "5A1B2C3D-1111-2222-3333-444455556666", time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC))
		want := []person{
			{"ana@example.com", "Ana Silva", PartAccepted, RoleChair, CUIndividual, true},
			{"kenji@example.com", "Kenji Sato", PartTentative, RoleRequired, CUIndividual, true},
			{"urn:uuid:00000000-0000-0000-0000-0000000000aa", "Room 2", PartAccepted, RoleRequired, CURoom, false},
		}
		if diff := cmp.Diff(want, people(in)); diff != "" {
			t.Errorf("attendees (-want +got):\n%s", diff)
		}
		if in.Organizer.Email != "ana@example.com" {
			t.Errorf("organizer email = %q, want ana@example.com", in.Organizer.Email)
		}
	})
}

func TestCalendarProperties(t *testing.T) {
	cal, _ := parseFile(t, "apple.ics", Options{})
	if cal.Name != "Work" || cal.Zone.String() != "America/Los_Angeles" || !cal.ZoneFromCalendar || cal.Method != "PUBLISH" {
		t.Errorf("got name %q zone %v (from calendar %v) method %q", cal.Name, cal.Zone, cal.ZoneFromCalendar, cal.Method)
	}
	cal, _ = parseFile(t, "outlook.ics", Options{DefaultZone: mustLoad(t, "Asia/Tokyo")})
	if cal.Zone.String() != "Asia/Tokyo" || cal.ZoneFromCalendar {
		t.Errorf("got zone %v (from calendar %v), want the default Asia/Tokyo", cal.Zone, cal.ZoneFromCalendar)
	}
}
