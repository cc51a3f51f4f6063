package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

func TestBusyFromInstances(t *testing.T) {
	const cal = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//rhythm test//EN
BEGIN:VEVENT
UID:weekly@test
DTSTART;TZID=America/New_York:20260302T090000
DURATION:PT1H
RRULE:FREQ=WEEKLY;COUNT=3
ORGANIZER:mailto:ana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:kenji@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:liam@example.com
ATTENDEE;CUTYPE=ROOM:mailto:room-1@example.com
ATTENDEE:mailto:guest@other.example
END:VEVENT
BEGIN:VEVENT
UID:free@test
DTSTART:20260303T150000Z
DURATION:PT1H
TRANSP:TRANSPARENT
ATTENDEE:mailto:kenji@example.com
END:VEVENT
BEGIN:VEVENT
UID:cancelled@test
DTSTART:20260304T150000Z
DURATION:PT1H
STATUS:CANCELLED
ATTENDEE:mailto:kenji@example.com
END:VEVENT
BEGIN:VEVENT
UID:ooo@test
DTSTART;VALUE=DATE:20260305
DTEND;VALUE=DATE:20260307
X-MICROSOFT-CDO-BUSYSTATUS:OOF
END:VEVENT
END:VCALENDAR
`
	c, _, err := ical.Parse(strings.NewReader(strings.ReplaceAll(cal, "\n", "\r\n")), ical.Options{Name: "x.ics"})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := c.Expand(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	roster := map[string]bool{"ana@example.com": true, "kenji@example.com": true, "liam@example.com": true}
	member := func(a string) (string, bool) { return a, roster[a] }
	got := FromInstances(ins, "liam@example.com", member)

	ny, _ := time.LoadLocation("America/New_York")
	weekly := func(day int) team.Interval {
		s := time.Date(2026, 3, day, 9, 0, 0, 0, ny)
		return team.Interval{Start: s, End: s.Add(time.Hour)}
	}
	want := Busy{
		"ana@example.com":   {weekly(2), weekly(9), weekly(16)},
		"kenji@example.com": {weekly(2), weekly(9), weekly(16)},
		// Liam owns the calendar: the out-of-office days block him; the
		// meeting he declined does not.
		"liam@example.com": {{Start: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)}},
	}
	opt := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, got, opt); diff != "" {
		t.Errorf("busy (-want +got):\n%s", diff)
	}
}

func TestBusyFromInteractions(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ins := []ingest.Interaction{
		{Mode: ingest.Sync, Start: t0, End: t0.Add(time.Hour)},
		{Mode: ingest.Sync, Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour), Participants: []ingest.Participant{{ID: "ana@example.com", Status: ingest.Declined}}},
		{Mode: ingest.Async, Start: t0, End: t0},
	}
	got := FromInteractions("ana@example.com", ins)
	if len(got) != 1 || !got[0].Start.Equal(t0) {
		t.Fatalf("busy = %v, want the one meeting not declined", got)
	}
}
