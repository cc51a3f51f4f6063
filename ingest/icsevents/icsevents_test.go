package icsevents_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestImport(t *testing.T) {
	r := fixture.Resolver(t)
	member := func(e string, st ingest.Status) ingest.Participant {
		return ingest.Participant{ID: e, Member: true, Status: st}
	}
	people := []ingest.Participant{
		member("ana@example.com", ingest.Accepted), member("kenji@example.com", ingest.Accepted),
		member("priya@example.com", ingest.Declined), {ID: r.Pseudonym("sam.stranger@else.example"), Status: ingest.NeedsAction},
	}
	standup := func(start string) ingest.Interaction {
		s := utc(start)
		return ingest.Interaction{Source: ingest.SourceICS, ID: r.Hash("e-", "standup-1@example.com") + "/" + start,
			Mode: ingest.Sync, Kind: ingest.Meeting, Start: s, End: s.Add(15 * time.Minute), Organizer: "ana@example.com",
			Participants: people, Resources: 1, Recurring: true}
	}
	want := []ingest.Interaction{
		standup("2026-03-19T09:30:00Z"),
		{Source: ingest.SourceICS, ID: r.Hash("e-", "offsite-1@example.com") + "/2026-03-25T00:00:00Z", Mode: ingest.Sync, Kind: ingest.Meeting,
			Start: utc("2026-03-25T00:00:00Z"), End: utc("2026-03-26T00:00:00Z"), AllDay: true, Organizer: "liam@example.com",
			Participants: []ingest.Participant{member("ana@example.com", ingest.Tentative), member("liam@example.com", ingest.Accepted)}},
		standup("2026-03-26T09:30:00Z"),
		standup("2026-04-09T08:30:00Z"), // summer time in Lisbon: same wall clock, an hour earlier in UTC
	}
	for _, window := range []string{"given", "from the file"} {
		t.Run(window, func(t *testing.T) {
			f, err := icsevents.OpenAs(filepath.Join("testdata", "team.ics"), "team.ics", fixture.Resolver(t))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if window == "given" {
				f.From, f.To = utc("2026-03-01T00:00:00Z"), utc("2026-05-01T00:00:00Z")
			}
			got, st, err := fixture.Collect(t, f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("interactions (-want +got):\n%s", diff)
			}
			if st.Skipped["marked free"] != 1 || st.Read != 5 || st.Emitted != 4 {
				t.Errorf("stats %v, want 5 read, 4 imported, 1 marked free", st)
			}
			if got[0].Attendees() != 3 {
				t.Errorf("Attendees() = %d, want 3: the declined one is not counted", got[0].Attendees())
			}
			fixture.NoContent(t, got, "sam.stranger", "standup-1@", "room-lisbon")
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not a calendar", "hello\n", "cal.ics"},
		{"empty", "", "cal.ics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := fixture.Collect(t, icsevents.New(strings.NewReader(tt.data), "cal.ics", fixture.Resolver(t)))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Logf("error: %v", err)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error = %v, want one naming %s", err, tt.want)
				}
			}
		})
	}
}

func TestOpenSeriesRunsToNow(t *testing.T) {
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20260302T090000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	f := icsevents.New(strings.NewReader(cal), "daily.ics", fixture.Resolver(t))
	f.Now = func() time.Time { return utc("2026-03-11T12:00:00Z") }
	got, _, err := fixture.Collect(t, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || !got[9].Start.Equal(utc("2026-03-11T09:00:00Z")) {
		t.Errorf("%d instances, the last %v; want 10, the last on 2026-03-11", len(got), got[len(got)-1].Start)
	}
}

// TestDenseEventIsLeftOut: an event whose rule is too dense to expand is
// left out with a note naming it; the other events are read.
func TestDenseEventIsLeftOut(t *testing.T) {
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
		"BEGIN:VEVENT\r\nUID:meeting\r\nDTSTART:20260302T090000Z\r\nDURATION:PT30M\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:bad2\r\nDTSTART:20260302T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:weekly\r\nDTSTART:20260303T100000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	for _, window := range []string{"given", "from the file"} {
		t.Run(window, func(t *testing.T) {
			f := icsevents.New(strings.NewReader(cal), "p.ics", fixture.Resolver(t))
			f.Now = func() time.Time { return utc("2026-04-01T00:00:00Z") }
			if window == "given" {
				f.From, f.To = utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z")
			}
			got, st, err := fixture.Collect(t, f)
			if err != nil {
				t.Fatal(err)
			}
			var starts []string
			for _, in := range got {
				starts = append(starts, in.Start.Format(time.RFC3339))
			}
			want := []string{"2026-03-02T09:00:00Z", "2026-03-03T10:00:00Z", "2026-03-10T10:00:00Z", "2026-03-17T10:00:00Z"}
			if diff := cmp.Diff(want, starts); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
			wantNotes := []ingest.Note{{Reason: "calendar warning",
				Where: `p.ics:10: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`}}
			if diff := cmp.Diff(wantNotes, st.Notes); diff != "" || st.Emitted != 4 || st.Skipped["calendar warning"] != 1 {
				t.Errorf("stats %+v, want 4 imported, 1 calendar warning; notes (-want +got):\n%s", st, diff)
			}
		})
	}
}

// TestWarningsThatLeaveNothingOut: an unknown zone and a broken line in an
// event that is still read are warnings, not skipped events; an event that
// cannot be read is both.
func TestWarningsThatLeaveNothingOut(t *testing.T) {
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
		"BEGIN:VEVENT\r\nUID:zoned\r\nDTSTART;TZID=Mars/Olympus:20260302T090000\r\nDURATION:PT30M\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:brokenline\r\nDTSTART:20260303T100000Z\r\nDURATION:PT15M\r\nX-BROKEN\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:nostart\r\nDURATION:PT15M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	tests := []struct {
		name        string
		cal         string
		wantEmitted int
		wantSkipped map[string]int
		wantWarned  map[string]int
	}{
		{"unknown zone and broken line", cal[:strings.Index(cal, "BEGIN:VEVENT\r\nUID:nostart")] + "END:VCALENDAR\r\n", 2, nil, map[string]int{icsevents.Warning: 2}},
		{"and an event without start", cal, 2, map[string]int{icsevents.Warning: 1}, map[string]int{icsevents.Warning: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, st, err := fixture.Collect(t, icsevents.New(strings.NewReader(tt.cal), "w.ics", fixture.Resolver(t)))
			if err != nil {
				t.Fatal(err)
			}
			if st.Emitted != tt.wantEmitted {
				t.Errorf("%d imported, want %d", st.Emitted, tt.wantEmitted)
			}
			if diff := cmp.Diff(tt.wantSkipped, st.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarned, st.Warned); diff != "" {
				t.Errorf("warned (-want +got):\n%s", diff)
			}
			if n := len(st.Notes); n != st.SkippedTotal()+2 {
				t.Errorf("%d notes %+v, want one for each warning", n, st.Notes)
			}
		})
	}
}

// TestWarningsKeepNoEventText: an import's notes are stored, so a warning
// about a broken content line names its place, not the line's text (which
// may be an event's title).
func TestWarningsKeepNoEventText(t *testing.T) {
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
		"BEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20260303T100000Z\r\nDURATION:PT15M\r\n" +
		"SUMMARY;X=\"unclosed:Secret layoffs\r\nDESCRIPTION Pay cuts for Ana\r\n" +
		"ORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	_, st, err := fixture.Collect(t, icsevents.New(strings.NewReader(cal), "w.ics", fixture.Resolver(t)))
	if err != nil {
		t.Fatal(err)
	}
	if st.Emitted != 1 || len(st.Notes) != 2 {
		t.Fatalf("%d imported with notes %q, want 1 with 2 notes", st.Emitted, st.Notes)
	}
	for _, n := range st.Notes {
		if strings.Contains(n.Where, "Secret") || strings.Contains(n.Where, "Pay cuts") || !strings.Contains(n.Where, "line skipped") {
			t.Errorf("note %q keeps the line's text or does not say the line was skipped", n.Where)
		}
	}
}
