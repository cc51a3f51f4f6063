package ical

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestExpandZones checks expansion in wall clock time across DST changes,
// gaps and overlaps; want lists "start/end" in UTC.
func TestExpandZones(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		from, to time.Time
		want     []string
	}{
		{
			name: "US spring forward inside a weekly series",
			lines: []string{"UID:us", "DTSTART;TZID=America/New_York:20260302T090000",
				"DTEND;TZID=America/New_York:20260302T093000", "RRULE:FREQ=WEEKLY;COUNT=3"},
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T14:00:00Z/2026-03-02T14:30:00Z",
				"2026-03-09T13:00:00Z/2026-03-09T13:30:00Z",
				"2026-03-16T13:00:00Z/2026-03-16T13:30:00Z",
			},
		},
		{
			name: "US fall back inside a weekly series",
			lines: []string{"UID:us2", "DTSTART;TZID=America/New_York:20261026T090000",
				"DURATION:PT1H", "RRULE:FREQ=WEEKLY;UNTIL=20261110T000000Z"},
			from: day(2026, 10, 1), to: day(2026, 12, 1),
			want: []string{
				"2026-10-26T13:00:00Z/2026-10-26T14:00:00Z",
				"2026-11-02T14:00:00Z/2026-11-02T15:00:00Z",
				"2026-11-09T14:00:00Z/2026-11-09T15:00:00Z",
			},
		},
		{
			name: "EU spring forward and fall back inside a weekly series",
			lines: []string{"UID:eu", "DTSTART;TZID=Europe/Berlin:20260322T100000",
				"DTEND;TZID=Europe/Berlin:20260322T110000", "RRULE:FREQ=WEEKLY;BYDAY=SU"},
			from: day(2026, 3, 20), to: day(2026, 4, 6),
			want: []string{
				"2026-03-22T09:00:00Z/2026-03-22T10:00:00Z",
				"2026-03-29T08:00:00Z/2026-03-29T09:00:00Z",
				"2026-04-05T08:00:00Z/2026-04-05T09:00:00Z",
			},
		},
		{
			name: "EU fall back far from DTSTART (skip ahead)",
			lines: []string{"UID:eu2", "DTSTART;TZID=Europe/Berlin:20010107T100000",
				"DTEND;TZID=Europe/Berlin:20010107T110000", "RRULE:FREQ=WEEKLY;BYDAY=SU"},
			from: day(2026, 10, 17), to: day(2026, 11, 1),
			want: []string{
				"2026-10-18T08:00:00Z/2026-10-18T09:00:00Z",
				"2026-10-25T09:00:00Z/2026-10-25T10:00:00Z",
			},
		},
		{
			name: "southern hemisphere: Sydney DST ends in April",
			lines: []string{"UID:syd", "DTSTART;TZID=Australia/Sydney:20250106T090000",
				"DTEND;TZID=Australia/Sydney:20250106T100000", "RRULE:FREQ=WEEKLY;BYDAY=MO"},
			from: day(2026, 3, 29), to: day(2026, 4, 8),
			want: []string{
				"2026-03-29T22:00:00Z/2026-03-29T23:00:00Z",
				"2026-04-05T23:00:00Z/2026-04-06T00:00:00Z",
			},
		},
		{
			name: "southern hemisphere: Sydney DST starts in October",
			lines: []string{"UID:syd2", "DTSTART;TZID=Australia/Sydney:20250106T090000",
				"DTEND;TZID=Australia/Sydney:20250106T100000", "RRULE:FREQ=WEEKLY;BYDAY=MO"},
			from: day(2026, 9, 27), to: day(2026, 10, 7),
			want: []string{
				"2026-09-27T23:00:00Z/2026-09-28T00:00:00Z",
				"2026-10-04T22:00:00Z/2026-10-04T23:00:00Z",
			},
		},
		{
			name: "Lord Howe 30-minute DST change inside a weekly series",
			lines: []string{"UID:lh", "DTSTART;TZID=Australia/Lord_Howe:20260322T090000",
				"DTEND;TZID=Australia/Lord_Howe:20260322T100000", "RRULE:FREQ=WEEKLY;COUNT=3"},
			from: day(2026, 3, 1), to: day(2026, 5, 1),
			want: []string{
				"2026-03-21T22:00:00Z/2026-03-21T23:00:00Z",
				"2026-03-28T22:00:00Z/2026-03-28T23:00:00Z",
				"2026-04-04T22:30:00Z/2026-04-04T23:30:00Z",
			},
		},
		{
			name: "Lord Howe gap of 30 minutes moves 02:15 to 02:45",
			lines: []string{"UID:lhgap", "DTSTART;TZID=Australia/Lord_Howe:20261003T021500",
				"DTEND;TZID=Australia/Lord_Howe:20261003T024500", "RRULE:FREQ=DAILY;COUNT=3"},
			from: day(2026, 9, 1), to: day(2026, 11, 1),
			want: []string{
				"2026-10-02T15:45:00Z/2026-10-02T16:15:00Z",
				"2026-10-03T15:45:00Z/2026-10-03T16:15:00Z", // 02:45 LHDT (+11)
				"2026-10-04T15:15:00Z/2026-10-04T15:45:00Z",
			},
		},
		{
			name: "gap time 02:30 on a spring-forward day moves forward by the gap",
			lines: []string{"UID:gap", "DTSTART;TZID=America/New_York:20260307T023000",
				"DTEND;TZID=America/New_York:20260307T033000", "RRULE:FREQ=DAILY;COUNT=3"},
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-07T07:30:00Z/2026-03-07T08:30:00Z",
				"2026-03-08T07:30:00Z/2026-03-08T08:30:00Z", // 03:30 EDT
				"2026-03-09T06:30:00Z/2026-03-09T07:30:00Z",
			},
		},
		{
			name:  "gap time as DTSTART of a single event",
			lines: []string{"UID:gap1", "DTSTART;TZID=Europe/Berlin:20260329T023000", "DURATION:PT30M"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-29T01:30:00Z/2026-03-29T02:00:00Z"},
		},
		{
			name: "overlap time takes the first occurrence (New York)",
			lines: []string{"UID:ovl", "DTSTART;TZID=America/New_York:20261031T013000",
				"DTEND;TZID=America/New_York:20261031T020000", "RRULE:FREQ=DAILY;COUNT=3"},
			from: day(2026, 10, 1), to: day(2026, 12, 1),
			want: []string{
				"2026-10-31T05:30:00Z/2026-10-31T06:00:00Z",
				"2026-11-01T05:30:00Z/2026-11-01T06:00:00Z", // 01:30 EDT, the first
				"2026-11-02T06:30:00Z/2026-11-02T07:00:00Z",
			},
		},
		{
			name:  "overlap time takes the first occurrence (Berlin)",
			lines: []string{"UID:ovl2", "DTSTART;TZID=Europe/Berlin:20261025T023000", "DURATION:PT15M"},
			from:  day(2026, 10, 1), to: day(2026, 12, 1),
			want: []string{"2026-10-25T00:30:00Z/2026-10-25T00:45:00Z"},
		},
		{
			name:  "DURATION with days is nominal across DST",
			lines: []string{"UID:dur", "DTSTART;TZID=Europe/Berlin:20260328T120000", "DURATION:P1DT1H"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-28T11:00:00Z/2026-03-29T11:00:00Z"},
		},
		{
			name: "DTEND gives the same exact duration to every instance",
			lines: []string{"UID:exact", "DTSTART;TZID=Europe/Berlin:20260328T120000",
				"DTEND;TZID=Europe/Berlin:20260329T130000", "RRULE:FREQ=DAILY;COUNT=2"},
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-28T11:00:00Z/2026-03-29T11:00:00Z",
				"2026-03-29T10:00:00Z/2026-03-30T10:00:00Z",
			},
		},
		{
			name: "DTEND in another zone than DTSTART",
			lines: []string{"UID:endzone", "DTSTART;TZID=Europe/Berlin:20260310T090000",
				"DTEND;TZID=America/New_York:20260310T050000"},
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-10T08:00:00Z/2026-03-10T09:00:00Z"},
		},
		{
			name:  "UTC times",
			lines: []string{"UID:utc", "DTSTART:20260310T090000Z", "DTEND:20260310T100000Z", "RRULE:FREQ=DAILY;COUNT=2"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-10T09:00:00Z/2026-03-10T10:00:00Z",
				"2026-03-11T09:00:00Z/2026-03-11T10:00:00Z",
			},
		},
		{
			name:  "DATE-valued UNTIL includes that whole day",
			lines: []string{"UID:du", "DTSTART;TZID=Asia/Tokyo:20260310T230000", "DURATION:PT30M", "RRULE:FREQ=DAILY;UNTIL=20260312"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-10T14:00:00Z/2026-03-10T14:30:00Z",
				"2026-03-11T14:00:00Z/2026-03-11T14:30:00Z",
				"2026-03-12T14:00:00Z/2026-03-12T14:30:00Z",
			},
		},
		{
			name:  "instance overlapping the window start is included",
			lines: []string{"UID:span", "DTSTART:20260228T230000Z", "DTEND:20260301T010000Z"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-02-28T23:00:00Z/2026-03-01T01:00:00Z"},
		},
		{
			name:  "instance ending at the window start is excluded",
			lines: []string{"UID:edge", "DTSTART:20260228T230000Z", "DTEND:20260301T000000Z"},
			from:  day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal, warns := mustParse(t, crlf(wrapEvent(tc.lines...)), Options{})
			if len(warns) > 0 {
				t.Fatalf("warnings: %v", warns)
			}
			got := spans(mustExpand(t, cal, tc.from, tc.to))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpandSeries covers overrides, cancellations, exclusions, RDATE and
// all-day and floating values; want lists "start/end" and the original
// start.
func TestExpandSeries(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		opts   Options
		from   time.Time
		to     time.Time
		want   []string
		warned string
	}{
		{
			name: "override moves one instance",
			src: cal(`BEGIN:VEVENT
UID:s1
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T103000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:s1
RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000
DTSTART;TZID=Europe/Berlin:20260310T140000
DTEND;TZID=Europe/Berlin:20260310T150000
SUMMARY:Standup (moved)
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T09:00:00Z/2026-03-02T09:30:00Z rid=2026-03-02T09:00:00Z Standup",
				"2026-03-10T13:00:00Z/2026-03-10T14:00:00Z rid=2026-03-09T09:00:00Z Standup (moved)",
				"2026-03-16T09:00:00Z/2026-03-16T09:30:00Z rid=2026-03-16T09:00:00Z Standup",
			},
		},
		{
			name: "override moves an instance into the window from outside",
			src: cal(`BEGIN:VEVENT
UID:s2
DTSTART:20260302T090000Z
DURATION:PT1H
RRULE:FREQ=WEEKLY
END:VEVENT
BEGIN:VEVENT
UID:s2
RECURRENCE-ID:20260406T090000Z
DTSTART:20260320T090000Z
DURATION:PT1H
END:VEVENT`),
			from: day(2026, 3, 17), to: day(2026, 3, 24),
			want: []string{
				"2026-03-20T09:00:00Z/2026-03-20T10:00:00Z rid=2026-04-06T09:00:00Z ",
				"2026-03-23T09:00:00Z/2026-03-23T10:00:00Z rid=2026-03-23T09:00:00Z ",
			},
		},
		{
			name: "THISANDFUTURE changes the rest of the series",
			src: cal(`BEGIN:VEVENT
UID:s3
DTSTART;TZID=America/New_York:20260302T090000
DTEND;TZID=America/New_York:20260302T100000
RRULE:FREQ=WEEKLY;COUNT=5
SUMMARY:Sync
END:VEVENT
BEGIN:VEVENT
UID:s3
RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=America/New_York:20260316T090000
DTSTART;TZID=America/New_York:20260316T110000
DTEND;TZID=America/New_York:20260316T113000
SUMMARY:Sync (later, shorter)
END:VEVENT
BEGIN:VEVENT
UID:s3
RECURRENCE-ID;TZID=America/New_York:20260323T090000
DTSTART;TZID=America/New_York:20260324T080000
DTEND;TZID=America/New_York:20260324T083000
SUMMARY:Sync (one-off)
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 5, 1),
			want: []string{
				"2026-03-02T14:00:00Z/2026-03-02T15:00:00Z rid=2026-03-02T14:00:00Z Sync",
				"2026-03-09T13:00:00Z/2026-03-09T14:00:00Z rid=2026-03-09T13:00:00Z Sync",
				"2026-03-16T15:00:00Z/2026-03-16T15:30:00Z rid=2026-03-16T13:00:00Z Sync (later, shorter)",
				"2026-03-24T12:00:00Z/2026-03-24T12:30:00Z rid=2026-03-23T13:00:00Z Sync (one-off)",
				"2026-03-30T15:00:00Z/2026-03-30T15:30:00Z rid=2026-03-30T13:00:00Z Sync (later, shorter)",
			},
		},
		{
			name: "cancelled instance and EXDATE in another zone than DTSTART",
			src: cal(`BEGIN:VEVENT
UID:s4
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T103000
RRULE:FREQ=DAILY;COUNT=5
EXDATE;TZID=America/New_York:20260303T040000
EXDATE:20260305T090000Z
END:VEVENT
BEGIN:VEVENT
UID:s4
RECURRENCE-ID;TZID=Europe/Berlin:20260304T100000
DTSTART;TZID=Europe/Berlin:20260304T100000
DTEND;TZID=Europe/Berlin:20260304T103000
STATUS:CANCELLED
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T09:00:00Z/2026-03-02T09:30:00Z rid=2026-03-02T09:00:00Z ",
				"2026-03-06T09:00:00Z/2026-03-06T09:30:00Z rid=2026-03-06T09:00:00Z ",
			},
		},
		{
			name: "cancelled series",
			src: cal(`BEGIN:VEVENT
UID:s5
DTSTART:20260302T090000Z
RRULE:FREQ=DAILY;COUNT=5
STATUS:CANCELLED
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{},
		},
		{
			name: "THISANDFUTURE cancellation ends the series",
			src: cal(`BEGIN:VEVENT
UID:s6
DTSTART:20260302T090000Z
DTEND:20260302T091500Z
RRULE:FREQ=DAILY;COUNT=5
END:VEVENT
BEGIN:VEVENT
UID:s6
RECURRENCE-ID;RANGE=THISANDFUTURE:20260304T090000Z
DTSTART:20260304T090000Z
DTEND:20260304T091500Z
STATUS:CANCELLED
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T09:00:00Z/2026-03-02T09:15:00Z rid=2026-03-02T09:00:00Z ",
				"2026-03-03T09:00:00Z/2026-03-03T09:15:00Z rid=2026-03-03T09:00:00Z ",
			},
		},
		{
			name: "RDATE with PERIOD and with its own zone",
			src: cal(`BEGIN:VEVENT
UID:s7
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T110000
RDATE;VALUE=PERIOD:20260310T120000Z/PT2H,20260311T120000Z/20260311T123000Z
RDATE;TZID=Asia/Tokyo:20260312T180000
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T09:00:00Z/2026-03-02T10:00:00Z rid=2026-03-02T09:00:00Z ",
				"2026-03-10T12:00:00Z/2026-03-10T14:00:00Z rid=2026-03-10T12:00:00Z ",
				"2026-03-11T12:00:00Z/2026-03-11T12:30:00Z rid=2026-03-11T12:00:00Z ",
				"2026-03-12T09:00:00Z/2026-03-12T10:00:00Z rid=2026-03-12T09:00:00Z ",
			},
		},
		{
			name: "all-day multi-day event and all-day series with DATE UNTIL",
			src: cal(`BEGIN:VEVENT
UID:a1
DTSTART;VALUE=DATE:20260330
DTEND;VALUE=DATE:20260402
SUMMARY:Offsite
END:VEVENT
BEGIN:VEVENT
UID:a2
DTSTART;VALUE=DATE:20260302
RRULE:FREQ=WEEKLY;UNTIL=20260316
EXDATE;VALUE=DATE:20260309
END:VEVENT`),
			opts: Options{DefaultZone: mustLoad(t, "America/Los_Angeles")},
			from: day(2026, 3, 1), to: day(2026, 4, 30),
			want: []string{
				"2026-03-02/2026-03-03 rid=2026-03-02 ",
				"2026-03-16/2026-03-17 rid=2026-03-16 ",
				"2026-03-30/2026-04-02 rid=2026-03-30 Offsite",
			},
		},
		{
			name: "floating times are read in the calendar zone",
			src: cal(`X-WR-TIMEZONE:Asia/Kolkata
BEGIN:VEVENT
UID:f1
DTSTART:20260310T090000
DTEND:20260310T100000
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-10T03:30:00Z/2026-03-10T04:30:00Z rid=2026-03-10T03:30:00Z "},
		},
		{
			name: "floating times use the caller's zone without X-WR-TIMEZONE",
			src: cal(`BEGIN:VEVENT
UID:f2
DTSTART:20260310T090000
DURATION:PT45M
END:VEVENT`),
			opts: Options{DefaultZone: mustLoad(t, "America/Chicago")},
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-10T14:00:00Z/2026-03-10T14:45:00Z rid=2026-03-10T14:00:00Z "},
		},
		{
			name: "Windows zone name",
			src: cal(`BEGIN:VEVENT
UID:w1
DTSTART;TZID=W. Europe Standard Time:20260330T090000
DTEND;TZID=W. Europe Standard Time:20260330T100000
END:VEVENT
BEGIN:VEVENT
UID:w2
DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":20260331T090000
DTEND;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":20260331T100000
END:VEVENT
BEGIN:VEVENT
UID:w3
DTSTART;TZID=Eastern Standard Time:20260401T090000
DTEND;TZID=Eastern Standard Time:20260401T100000
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 5, 1),
			want: []string{
				"2026-03-30T07:00:00Z/2026-03-30T08:00:00Z rid=2026-03-30T07:00:00Z ",
				"2026-03-31T07:00:00Z/2026-03-31T08:00:00Z rid=2026-03-31T07:00:00Z ",
				"2026-04-01T13:00:00Z/2026-04-01T14:00:00Z rid=2026-04-01T13:00:00Z ",
			},
		},
		{
			name: "zone defined only by a VTIMEZONE",
			src: cal(`BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:v1
DTSTART;TZID=Customized Time Zone:20260322T100000
DTEND;TZID=Customized Time Zone:20260322T110000
RRULE:FREQ=WEEKLY;COUNT=2
END:VEVENT
BEGIN:VEVENT
UID:v2
DTSTART;TZID=Customized Time Zone:20261025T023000
DURATION:PT1H
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 12, 1),
			want: []string{
				"2026-03-22T09:00:00Z/2026-03-22T10:00:00Z rid=2026-03-22T09:00:00Z ",
				"2026-03-29T08:00:00Z/2026-03-29T09:00:00Z rid=2026-03-29T08:00:00Z ",
				"2026-10-25T00:30:00Z/2026-10-25T01:30:00Z rid=2026-10-25T00:30:00Z ",
			},
		},
		{
			name: "unknown zone is read in the calendar zone, with a warning",
			src: cal(`X-WR-TIMEZONE:Europe/Lisbon
BEGIN:VEVENT
UID:u1
DTSTART;TZID=Mars/Olympus_Mons:20260710T090000
DTEND;TZID=Mars/Olympus_Mons:20260710T100000
END:VEVENT`),
			from: day(2026, 7, 1), to: day(2026, 8, 1),
			want:   []string{"2026-07-10T08:00:00Z/2026-07-10T09:00:00Z rid=2026-07-10T08:00:00Z "},
			warned: `7: event "u1": unknown time zone "Mars/Olympus_Mons"; reading its times in Europe/Lisbon`,
		},
		{
			name: "quoted and slash-prefixed TZIDs",
			src: cal(`BEGIN:VEVENT
UID:q1
DTSTART;TZID="/mozilla.org/20050126_1/Europe/Paris":20260710T090000
DTEND;TZID=/Europe/Paris:20260710T100000
END:VEVENT`),
			from: day(2026, 7, 1), to: day(2026, 8, 1),
			want: []string{"2026-07-10T07:00:00Z/2026-07-10T08:00:00Z rid=2026-07-10T07:00:00Z "},
		},
		{
			name: "DTSTART that does not match the rule is the first instance and counts",
			src: cal(`BEGIN:VEVENT
UID:d1
DTSTART:20260303T090000Z
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-03T09:00:00Z/2026-03-03T09:00:00Z rid=2026-03-03T09:00:00Z ",
				"2026-03-09T09:00:00Z/2026-03-09T09:00:00Z rid=2026-03-09T09:00:00Z ",
				"2026-03-16T09:00:00Z/2026-03-16T09:00:00Z rid=2026-03-16T09:00:00Z ",
			},
		},
		{
			name: "DATE-valued EXDATE and RECURRENCE-ID on a timed series",
			src: cal(`BEGIN:VEVENT
UID:dx
DTSTART;TZID=Asia/Tokyo:20260302T090000
DURATION:PT30M
RRULE:FREQ=DAILY;COUNT=4
EXDATE;VALUE=DATE:20260303
END:VEVENT
BEGIN:VEVENT
UID:dx
RECURRENCE-ID;VALUE=DATE:20260304
DTSTART;TZID=Asia/Tokyo:20260304T150000
DURATION:PT30M
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T00:00:00Z/2026-03-02T00:30:00Z rid=2026-03-02T00:00:00Z ",
				"2026-03-04T06:00:00Z/2026-03-04T06:30:00Z rid=2026-03-04T00:00:00Z ",
				"2026-03-05T00:00:00Z/2026-03-05T00:30:00Z rid=2026-03-05T00:00:00Z ",
			},
		},
		{
			name: "all-day series with an override, EXDATE as midnight in a zone and a UTC UNTIL",
			src: cal(`X-WR-TIMEZONE:Europe/Berlin
BEGIN:VEVENT
UID:ad
DTSTART;VALUE=DATE:20260302
DTEND;VALUE=DATE:20260303
RRULE:FREQ=DAILY;UNTIL=20260305T230000Z
EXDATE;TZID=W. Europe Standard Time:20260303T000000
END:VEVENT
BEGIN:VEVENT
UID:ad
RECURRENCE-ID;VALUE=DATE:20260304
DTSTART;VALUE=DATE:20260310
DTEND;VALUE=DATE:20260312
SUMMARY:moved and longer
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02/2026-03-03 rid=2026-03-02 ",
				"2026-03-05/2026-03-06 rid=2026-03-05 ",
				"2026-03-06/2026-03-07 rid=2026-03-06 ",
				"2026-03-10/2026-03-12 rid=2026-03-04 moved and longer",
			},
		},
		{
			name: "floating UNTIL on a zoned series is read in its zone",
			src: cal(`BEGIN:VEVENT
UID:fu
DTSTART;TZID=America/Los_Angeles:20260302T170000
RRULE:FREQ=DAILY;UNTIL=20260304T170000
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-03T01:00:00Z/2026-03-03T01:00:00Z rid=2026-03-03T01:00:00Z ",
				"2026-03-04T01:00:00Z/2026-03-04T01:00:00Z rid=2026-03-04T01:00:00Z ",
				"2026-03-05T01:00:00Z/2026-03-05T01:00:00Z rid=2026-03-05T01:00:00Z ",
			},
		},
		{
			name: "VTIMEZONE with RDATE observances and a 30-minute offset",
			src: cal(`BEGIN:VTIMEZONE
TZID:Old Style
BEGIN:STANDARD
DTSTART:20260405T020000
TZOFFSETFROM:+1100
TZOFFSETTO:+1030
RDATE:20270404T020000
TZNAME:LHST
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20251005T020000
TZOFFSETFROM:+1030
TZOFFSETTO:+1100
RDATE:20261004T020000
TZNAME:LHDT
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:rd
DTSTART;TZID=Old Style:20260329T090000
RRULE:FREQ=WEEKLY;COUNT=2
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 5, 1),
			want: []string{
				"2026-03-28T22:00:00Z/2026-03-28T22:00:00Z rid=2026-03-28T22:00:00Z ",
				"2026-04-04T22:30:00Z/2026-04-04T22:30:00Z rid=2026-04-04T22:30:00Z ",
			},
		},
		{
			name: "override without master is a lone instance",
			src: cal(`BEGIN:VEVENT
UID:o1
RECURRENCE-ID:20260309T090000Z
DTSTART:20260309T100000Z
DTEND:20260309T110000Z
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-09T10:00:00Z/2026-03-09T11:00:00Z rid=2026-03-09T09:00:00Z "},
		},
		{
			name: "higher SEQUENCE of a duplicated event wins",
			src: cal(`BEGIN:VEVENT
UID:dup
SEQUENCE:2
DTSTART:20260309T100000Z
END:VEVENT
BEGIN:VEVENT
UID:dup
SEQUENCE:1
DTSTART:20260309T080000Z
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{"2026-03-09T10:00:00Z/2026-03-09T10:00:00Z rid=2026-03-09T10:00:00Z "},
		},
		{
			name: "EXRULE removes instances",
			src: cal(`BEGIN:VEVENT
UID:x1
DTSTART:20260302T090000Z
RRULE:FREQ=DAILY;COUNT=7
EXRULE:FREQ=WEEKLY;BYDAY=WE,FR
END:VEVENT`),
			from: day(2026, 3, 1), to: day(2026, 4, 1),
			want: []string{
				"2026-03-02T09:00:00Z/2026-03-02T09:00:00Z rid=2026-03-02T09:00:00Z ",
				"2026-03-03T09:00:00Z/2026-03-03T09:00:00Z rid=2026-03-03T09:00:00Z ",
				"2026-03-05T09:00:00Z/2026-03-05T09:00:00Z rid=2026-03-05T09:00:00Z ",
				"2026-03-07T09:00:00Z/2026-03-07T09:00:00Z rid=2026-03-07T09:00:00Z ",
				"2026-03-08T09:00:00Z/2026-03-08T09:00:00Z rid=2026-03-08T09:00:00Z ",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, warns := mustParse(t, crlf(tc.src), tc.opts)
			var ws []string
			for _, w := range warns {
				ws = append(ws, w.String())
			}
			if tc.warned == "" && len(ws) > 0 {
				t.Fatalf("warnings: %q", ws)
			}
			if tc.warned != "" && (len(ws) != 1 || !strings.Contains(ws[0], tc.warned)) {
				t.Fatalf("warnings = %q, want one containing %q", ws, tc.warned)
			}
			ins := mustExpand(t, c, tc.from, tc.to)
			got := make([]string, len(ins))
			for i, in := range ins {
				if in.AllDay {
					got[i] = in.Start.Format("2006-01-02") + "/" + in.End.Format("2006-01-02") + " rid=" + in.RecurrenceID.Format("2006-01-02") + " " + in.Summary
				} else {
					got[i] = in.Start.UTC().Format(time.RFC3339) + "/" + in.End.UTC().Format(time.RFC3339) + " rid=" + in.RecurrenceID.UTC().Format(time.RFC3339) + " " + in.Summary
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

// cal wraps components (and calendar properties) in a VCALENDAR.
func cal(body string) string {
	return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//rhythm//test//EN\n" + body + "\nEND:VCALENDAR\n"
}

func TestExpandLimits(t *testing.T) {
	t.Run("SECONDLY without COUNT is too dense", func(t *testing.T) {
		c, _ := mustParse(t, crlf(wrapEvent("UID:sec", "DTSTART:20260101T000000Z", "RRULE:FREQ=SECONDLY")), Options{Name: "x.ics"})
		_, err := c.Expand(day(2026, 1, 1), day(2027, 1, 1))
		var e *Error
		if !errors.As(err, &e) || e.UID != "sec" || e.Line != 4 {
			t.Fatalf("err = %v, want an *Error naming event sec at line 4", err)
		}
	})
	t.Run("a cap set by the caller", func(t *testing.T) {
		c, _ := mustParse(t, crlf(wrapEvent("UID:d", "DTSTART:20260101T000000Z", "RRULE:FREQ=DAILY")), Options{})
		if _, err := c.ExpandWith(day(2026, 1, 1), day(2027, 1, 1), ExpandOptions{MaxInstances: 100}); err == nil {
			t.Fatal("err = nil, want too many instances")
		}
		ins, err := c.ExpandWith(day(2026, 1, 1), day(2026, 4, 11), ExpandOptions{MaxInstances: 100})
		if err != nil || len(ins) != 100 {
			t.Fatalf("got %d instances, err %v; want 100, nil", len(ins), err)
		}
	})
	t.Run("a cap on all instances together", func(t *testing.T) {
		c, _ := mustParse(t, crlf(cal("BEGIN:VEVENT\nUID:a\nDTSTART:20260101T000000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:20260101T000000Z\nRRULE:FREQ=DAILY\nEND:VEVENT")), Options{Name: "t.ics"})
		_, err := c.ExpandWith(day(2026, 1, 1), day(2027, 1, 1), ExpandOptions{MaxTotal: 500})
		if err == nil || err.Error() != "t.ics: more than 500 instances in the window; ask for a shorter one" {
			t.Fatalf("err = %v, want the total cap", err)
		}
	})
	t.Run("a rule that never matches ends at the window", func(t *testing.T) {
		c, _ := mustParse(t, crlf(wrapEvent("UID:n", "DTSTART:20260101T000000Z", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=5")), Options{})
		ins := mustExpand(t, c, day(2026, 1, 1), day(2100, 1, 1))
		if len(ins) != 1 {
			t.Fatalf("got %d instances, want only DTSTART", len(ins))
		}
	})
	t.Run("a daily rule from 1900 is not walked from its start", func(t *testing.T) {
		c, _ := mustParse(t, crlf(wrapEvent("UID:old", "DTSTART;TZID=Europe/Paris:19000101T090000", "RRULE:FREQ=MINUTELY;INTERVAL=7")), Options{})
		ins := mustExpand(t, c, day(2026, 6, 1), day(2026, 6, 2))
		if len(ins) != 206 {
			t.Fatalf("got %d instances, want 206", len(ins))
		}
	})
	t.Run("empty window", func(t *testing.T) {
		c, _ := mustParse(t, crlf(wrapEvent("UID:e", "DTSTART:20260101T000000Z")), Options{})
		if ins := mustExpand(t, c, day(2026, 1, 2), day(2026, 1, 1)); len(ins) != 0 {
			t.Fatalf("got %d instances, want 0", len(ins))
		}
	})
}
