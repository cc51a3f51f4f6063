package ical

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestAppendRow checks rows against encoding/json, for awkward strings.
func TestAppendRow(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"<html> & friends", "Grüße – 東京", "bad \xff\xfe utf8 \xc3", "line\u2028sep\u2029para", "emoji 🎉",
	} {
		for _, allDay := range []bool{false, true} {
			in := Instance{UID: s + "@uid", Summary: s, AllDay: allDay, RecurrenceIDAllDay: allDay,
				Start: time.Date(2026, 3, 29, 2, 30, 0, 0, ny), End: time.Date(2026, 3, 29, 4, 0, 0, 0, ny),
				RecurrenceID: time.Date(2026, 3, 28, 2, 30, 0, 0, ny)}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(rowOfReference(&in)); err != nil {
				t.Fatal(err)
			}
			if got := string(AppendRow(nil, &in)); got != want.String() {
				t.Errorf("AppendRow(%q, all-day %v)\n got %s\nwant %s", s, allDay, got, want.String())
			}
		}
	}
}

// rowOfReference builds a Row with the formats the contract states.
func rowOfReference(in *Instance) Row {
	f := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	if in.AllDay {
		f = func(t time.Time) string { return t.Format("2006-01-02") }
	}
	rid := f(in.RecurrenceID)
	if in.RecurrenceIDAllDay != in.AllDay {
		rid = in.RecurrenceID.Format("2006-01-02")
		if !in.RecurrenceIDAllDay {
			rid = in.RecurrenceID.UTC().Format(time.RFC3339)
		}
	}
	return Row{UID: in.UID, RecurrenceID: rid, Start: f(in.Start), End: f(in.End), Summary: in.Summary}
}

func TestRunQuery(t *testing.T) {
	src := cal(`X-WR-TIMEZONE:Asia/Tokyo
BEGIN:VEVENT
UID:q
DTSTART;TZID=Asia/Tokyo:20260301T000000
DURATION:PT1H
RRULE:FREQ=DAILY;COUNT=3
END:VEVENT`)
	tests := []struct {
		name, zone, from, to string
		wantZone, wantSource string
		wantRows             int
		wantErr              string
	}{
		{"calendar zone", "", "2026-03-01", "2026-03-03", "Asia/Tokyo", ZoneCalendar, 2, ""},
		{"requested zone", "UTC", "2026-03-01", "2026-03-03", "UTC", ZoneRequested, 2, ""},
		{"requested zone shifts the window", "America/Los_Angeles", "2026-03-01", "2026-03-02", "America/Los_Angeles", ZoneRequested, 1, ""},
		{"bad from", "", "01.03.2026", "2026-03-03", "", "", 0, `from: "01.03.2026" is not a date (want YYYY-MM-DD)`},
		{"missing to", "", "2026-03-01", "", "", "", 0, "to: a date is required (YYYY-MM-DD)"},
		{"reversed", "", "2026-03-03", "2026-03-01", "", "", 0, "to: the window is empty: 2026-03-01 is not after 2026-03-03"},
		{"unknown zone", "Local", "2026-03-01", "2026-03-02", "", "", 0, `zone: unknown time zone "Local"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := RunQuery(strings.NewReader(crlf(src)), Query{Name: "q.ics", From: tc.from, To: tc.to, Zone: tc.zone})
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Zone.String() != tc.wantZone || res.ZoneSource != tc.wantSource || len(res.Instances) != tc.wantRows {
				t.Errorf("got zone %s (%s), %d rows; want %s (%s), %d", res.Zone, res.ZoneSource, len(res.Instances), tc.wantZone, tc.wantSource, tc.wantRows)
			}
		})
	}
	if _, err := RunQuery(strings.NewReader("nope"), Query{Name: "n.ics", From: "2026-01-01", To: "2026-01-02"}); err == nil || err.Error() != "n.ics:1: not an iCalendar file: expected BEGIN:VCALENDAR" {
		t.Errorf("err = %v", err)
	}
}
