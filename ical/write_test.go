package ical

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRoundTrip writes parsed calendars and checks that parsing and
// expanding the result gives the same instances.
func TestRoundTrip(t *testing.T) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, f := range []string{"google.ics", "outlook.ics", "apple.ics", "sloppy.ics"} {
		inputs = append(inputs, input{f, readTestdata(t, f)})
	}
	inputs = append(inputs, input{"generated", benchCalendar(t)})
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			opts := Options{DefaultZone: mustLoad(t, "America/Denver")}
			c1, _, err := Parse(bytes.NewReader(in.data), opts)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if _, err := c1.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			c2, warns, err := Parse(bytes.NewReader(out.Bytes()), opts)
			if err != nil {
				t.Fatalf("parse written calendar: %v", err)
			}
			if len(warns) > 0 {
				t.Fatalf("warnings reading the written calendar: %v", warns[:min(3, len(warns))])
			}
			for _, w := range [][2]time.Time{{day(2026, 1, 1), day(2027, 1, 1)}, {day(2024, 1, 1), day(2030, 1, 1)}} {
				want := rowsOf(mustExpand(t, c1, w[0], w[1]))
				got := rowsOf(mustExpand(t, c2, w[0], w[1]))
				if slices.Equal(want, got) {
					continue
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("instances %s..%s after a round trip (-want +got):\n%s", w[0].Format("2006"), w[1].Format("2006"), diff)
				}
			}
		})
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	cal, _ := parseFile(t, name, Options{}) // checks it parses
	_ = cal
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWriteVTimezone checks that the VTIMEZONE written for a zone gives
// the offsets of Go's zone data over the years used, by reading it back
// under a name that is not an IANA zone.
func TestWriteVTimezone(t *testing.T) {
	tests := []struct {
		zone      string
		startYear int
		checkTo   int // last year checked
	}{
		{"Europe/Berlin", 2015, 2045},
		{"America/New_York", 2015, 2045},
		{"Australia/Sydney", 2015, 2045},
		{"Australia/Lord_Howe", 2015, 2045},
		{"Pacific/Chatham", 2015, 2045},
		{"America/St_Johns", 2015, 2045},
		{"America/Sao_Paulo", 2015, 2045}, // DST abolished in 2019
		{"Asia/Tokyo", 2015, 2045},
		{"Europe/Moscow", 2008, 2020}, // permanent summer time in 2011, back in 2014
		{"Africa/Casablanca", 2018, 2027},
		{"Asia/Jerusalem", 2015, 2027},
	}
	for _, tc := range tests {
		t.Run(tc.zone, func(t *testing.T) {
			loc := mustLoad(t, tc.zone)
			ev := &Event{
				UID:   "z",
				Start: InZone(tc.startYear, 3, 2, 9, 0, 0, loc),
				End:   InZone(tc.startYear, 3, 2, 10, 0, 0, loc),
				Rules: []*Recur{{Freq: Weekly}},
			}
			var out bytes.Buffer
			if err := Write(&out, []*Event{ev}, WriteOptions{Stamp: day(2026, 1, 1)}); err != nil {
				t.Fatal(err)
			}
			renamed := strings.ReplaceAll(out.String(), tc.zone, "Custom Zone")
			cal, warns := mustParse(t, renamed, Options{})
			if len(warns) > 0 {
				t.Fatalf("warnings: %v\n%s", warns, renamed)
			}
			got := cal.Events[0].Start.Location()
			if got == nil || got.String() != "Custom Zone" {
				t.Fatalf("zone read back = %v", got)
			}
			from := time.Date(tc.startYear, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(tc.checkTo, 12, 31, 0, 0, 0, 0, time.UTC)
			if diff := cmp.Diff(offsetChanges(loc, from, to), offsetChanges(got, from, to)); diff != "" {
				t.Errorf("offset changes (-want +got):\n%s\n%s", diff, renamed)
			}
		})
	}
}

// offsetChanges lists the offsets of loc from from to to, with the
// instants they start at.
func offsetChanges(loc *time.Location, from, to time.Time) []string {
	t := from.In(loc)
	_, off := t.Zone()
	out := []string{fmt.Sprintf("%s %+d", t.UTC().Format(time.RFC3339), off)}
	for len(out) < 1000 {
		end := nextBound(t)
		if end.IsZero() || !end.Before(to) {
			break
		}
		t = end
		_, o := t.Zone()
		if o != off {
			out = append(out, fmt.Sprintf("%s %+d", t.UTC().Format(time.RFC3339), o))
			off = o
		}
	}
	return out
}

func TestWriteEvents(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	events := []*Event{
		{
			UID: "w1", Summary: "Fair slot; rotates, weekly\nsecond line",
			Start: InZone(2026, 3, 2, 17, 0, 0, berlin), End: InZone(2026, 3, 2, 17, 30, 0, berlin),
			Rules:     []*Recur{{Freq: Weekly, ByDay: []WeekdayNum{{Day: MO}}, Until: InZone(2026, 4, 27, 17, 0, 0, berlin)}},
			ExDates:   []DateTime{InZone(2026, 3, 16, 17, 0, 0, berlin)},
			Organizer: &Attendee{Email: "ana@example.com", Name: "Silva, Ana"},
			Attendees: []Attendee{
				{Email: "kenji@example.com", Name: `Kenji "KS" Sato`, PartStat: PartAccepted, Role: RoleRequired, CUType: CUIndividual},
				{Email: "room@example.com", Name: "Room", CUType: CURoom, Role: RoleNonParticipant, PartStat: PartAccepted},
			},
		},
		{UID: "w2", Start: Date(2026, 3, 10), End: Date(2026, 3, 12), Transparent: true, Summary: "Offsite"},
		{UID: "w3", Start: At(time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)), Duration: &Duration{Time: 45 * time.Minute}, Status: StatusTentative},
		{UID: "w4", Start: Floating(2026, 3, 21, 9, 0, 0), End: Floating(2026, 3, 21, 10, 0, 0)},
	}
	var out bytes.Buffer
	w := NewWriter(&out, WriteOptions{Name: "Team", Stamp: day(2026, 1, 1)})
	w.Add(events...)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	unfolded := strings.ReplaceAll(text, "\r\n ", "")
	for _, want := range []string{
		"DTSTART;TZID=Europe/Berlin:20260302T170000\r\n",
		"RRULE:FREQ=WEEKLY;UNTIL=20260427T150000Z;BYDAY=MO\r\n",
		"EXDATE;TZID=Europe/Berlin:20260316T170000\r\n",
		"SUMMARY:Fair slot\\; rotates\\, weekly\\nsecond line\r\n",
		"ORGANIZER;CN=\"Silva, Ana\":mailto:ana@example.com\r\n",
		"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Kenji ^'KS^' Sato:mailto:kenji@example.com\r\n",
		"ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Room:mailto:room@example.com\r\n",
		"DTSTART;VALUE=DATE:20260310\r\n",
		"DURATION:PT45M\r\n",
		"DTSTART:20260321T090000\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n",
		"X-WR-CALNAME:Team\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for i, line := range strings.Split(text, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
	}
	cal, warns := mustParse(t, text, Options{})
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	got := rowsOf(mustExpand(t, cal, day(2026, 3, 1), day(2026, 5, 1)))
	want := []row{
		{"w1", "2026-03-02T16:00:00Z", "2026-03-02T16:00:00Z", "2026-03-02T16:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-03-09T16:00:00Z", "2026-03-09T16:00:00Z", "2026-03-09T16:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w2", "2026-03-10", "2026-03-10", "2026-03-12", "Offsite"},
		{"w3", "2026-03-20T15:00:00Z", "2026-03-20T15:00:00Z", "2026-03-20T15:45:00Z", ""},
		{"w4", "2026-03-21T09:00:00Z", "2026-03-21T09:00:00Z", "2026-03-21T10:00:00Z", ""},
		{"w1", "2026-03-23T16:00:00Z", "2026-03-23T16:00:00Z", "2026-03-23T16:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-03-30T15:00:00Z", "2026-03-30T15:00:00Z", "2026-03-30T15:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-04-06T15:00:00Z", "2026-04-06T15:00:00Z", "2026-04-06T15:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-04-13T15:00:00Z", "2026-04-13T15:00:00Z", "2026-04-13T15:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-04-20T15:00:00Z", "2026-04-20T15:00:00Z", "2026-04-20T15:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
		{"w1", "2026-04-27T15:00:00Z", "2026-04-27T15:00:00Z", "2026-04-27T15:30:00Z", "Fair slot; rotates, weekly\nsecond line"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	a := cal.Events[0].Attendees[0]
	if a.Name != `Kenji "KS" Sato` {
		t.Errorf("attendee name read back = %q", a.Name)
	}
}
