package ical

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The conformance gaps of issue 18, one test each, named after the
// behaviour. Cases are written from RFC 5545 §3.3.10 and §3.8.5.3.

// starts18 expands c over [from, to) and returns instance starts as
// YYYY-MM-DD (all-day) or RFC 3339 UTC (timed).
func starts18(t *testing.T, c *Calendar, from, to time.Time) []string {
	t.Helper()
	ins := mustExpand(t, c, from, to)
	out := make([]string, len(ins))
	for i, in := range ins {
		if in.AllDay {
			out[i] = in.Start.Format(time.DateOnly)
		} else {
			out[i] = in.Start.UTC().Format(time.RFC3339)
		}
	}
	return out
}

func TestReaderAcceptsVEVENTWithoutVCALENDAR(t *testing.T) {
	src := "BEGIN:VEVENT\nUID:a\nDTSTART:20260302T090000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART;VALUE=DATE:20260303\nEND:VEVENT\n"
	c, warns := mustParse(t, crlf(src), Options{Name: "one.ics"})
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	got := starts18(t, c, day(2026, 3, 1), day(2026, 4, 1))
	if diff := cmp.Diff([]string{"2026-03-02T09:00:00Z", "2026-03-03"}, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestReaderAcceptsConcatenatedVCALENDARs(t *testing.T) {
	src := cal("X-WR-TIMEZONE:Europe/Berlin\nBEGIN:VEVENT\nUID:a\nDTSTART:20260302T090000\nEND:VEVENT") +
		"\n" + cal("BEGIN:VEVENT\nUID:b\nDTSTART:20260303T090000Z\nEND:VEVENT") +
		"BEGIN:VEVENT\nUID:c\nDTSTART:20260304T090000Z\nEND:VEVENT\n"
	c, warns := mustParse(t, crlf(src), Options{Name: "many.ics"})
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	got := starts18(t, c, day(2026, 3, 1), day(2026, 4, 1))
	if diff := cmp.Diff([]string{"2026-03-02T08:00:00Z", "2026-03-03T09:00:00Z", "2026-03-04T09:00:00Z"}, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestReaderSkipsOnlyABadContentLine(t *testing.T) {
	// A parameter value broken across lines without folding (seen in a
	// real export): the broken line is skipped, the event is kept.
	src := wrapEvent("UID:kept", "DTSTART:20260302T090000Z", "ATTENDEE;CN=Ada", "Lovelace;ROLE=CHAIR:mailto:ada@example.com",
		"ATTENDEE:mailto:bob@example.com", "SUMMARY:Review")
	c, warns := mustParse(t, crlf(src), Options{Name: "apple.ics"})
	want := []string{`apple.ics:7: invalid content line: no ':' after the property name; line skipped ("ATTENDEE;CN=Ada")`}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if len(c.Events) != 1 || c.Events[0].Summary != "Review" || len(c.Events[0].Attendees) != 1 {
		t.Fatalf("events = %+v, want the event with its summary and one attendee", c.Events)
	}
}

func TestReaderSkipsTheEventWhenDTSTARTOrRRULELineIsBad(t *testing.T) {
	for _, bad := range []string{"DTSTART;TZID=\"Europe/Berlin", "RRULE;X=\"FREQ=DAILY"} {
		src := wrapEvent("UID:b", "DTSTART:20260302T090000Z", bad) // a second DTSTART line still names the event's start
		_, warns := mustParse(t, crlf(src), Options{Name: "c.ics"})
		if len(warns) != 1 || !strings.Contains(warns[0].String(), "event skipped") {
			t.Errorf("%s: warnings = %v, want the event skipped", bad, warns)
		}
	}
}

func TestBYWEEKNOWithoutBYDAYTakesDTSTARTWeekday(t *testing.T) {
	// 2026-01-07 is a Wednesday; ISO week 1 of 2026 is Dec 29 2025 - Jan 4.
	c, _ := mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:20260107", "RRULE:FREQ=YEARLY;BYWEEKNO=1,2;COUNT=5")), Options{})
	got := starts18(t, c, day(2026, 1, 1), day(2030, 1, 1))
	want := []string{"2026-01-07", "2027-01-06", "2027-01-13", "2028-01-05", "2028-01-12"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestNegativeBYWEEKNO(t *testing.T) {
	// -1 is the last ISO week of the week-numbering year: week 53 of 2026
	// runs Dec 28 2026 - Jan 3 2027, so its Sunday lies in 2027.
	c, _ := mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:20251228", "RRULE:FREQ=YEARLY;BYWEEKNO=-1;COUNT=4")), Options{})
	got := starts18(t, c, day(2025, 1, 1), day(2030, 1, 1))
	want := []string{"2025-12-28", "2027-01-03", "2028-01-02", "2028-12-31"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestBYWEEKNO53WithINTERVAL(t *testing.T) {
	// Every other week-numbering year from 2020; of 2020, 2022, 2024,
	// 2026, 2028, 2030, 2032 only 2020, 2026 and 2032 have a week 53.
	// The Sunday of week 53 of 2020 is Jan 3 2021.
	c, _ := mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:20210103", "RRULE:FREQ=YEARLY;INTERVAL=2;BYWEEKNO=53")), Options{})
	got := starts18(t, c, day(2020, 1, 1), day(2034, 1, 1))
	want := []string{"2021-01-03", "2027-01-03", "2033-01-02"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	c, _ = mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:20201228", "RRULE:FREQ=YEARLY;INTERVAL=3;BYWEEKNO=53;COUNT=3")), Options{})
	got = starts18(t, c, day(2020, 1, 1), day(2050, 1, 1))
	want = []string{"2020-12-28", "2026-12-28", "2032-12-27"} // 2023 and 2029 have none; the interval counts years
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("INTERVAL=3 instances (-want +got):\n%s", diff)
	}
}

// isoWeek1 returns the first day of week 1 of week-numbering year y for
// weeks starting on wkst: the week that holds January 4th.
func isoWeek1(y int, wkst time.Weekday) time.Time {
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -int((jan4.Weekday()-wkst+7)%7))
}

// TestISOWeekBoundaries2013To2032 checks BYWEEKNO=1, 52, 53 and -1 with
// every WKST against a table of week boundaries, itself checked against
// the standard library's ISO weeks for WKST=MO.
func TestISOWeekBoundaries2013To2032(t *testing.T) {
	type bounds struct {
		week1 time.Time // first day of week 1
		weeks int       // 52 or 53
	}
	table := map[time.Weekday]map[int]bounds{}
	for wkst := time.Sunday; wkst <= time.Saturday; wkst++ {
		table[wkst] = map[int]bounds{}
		for y := 2012; y <= 2033; y++ {
			w1 := isoWeek1(y, wkst)
			table[wkst][y] = bounds{w1, int(isoWeek1(y+1, wkst).Sub(w1).Hours()/24) / 7}
		}
	}
	for y := 2013; y <= 2032; y++ { // the table agrees with time.ISOWeek
		b := table[time.Monday][y]
		if wy, wn := b.week1.ISOWeek(); wy != y || wn != 1 {
			t.Fatalf("table: week 1 of %d starts %s, ISO week %d-%d", y, b.week1.Format(time.DateOnly), wy, wn)
		}
		if _, wn := b.week1.AddDate(0, 0, 7*b.weeks-1).ISOWeek(); wn != b.weeks {
			t.Fatalf("table: %d has %d weeks, ISO says its last week is %d", y, b.weeks, wn)
		}
	}
	for wkst := time.Sunday; wkst <= time.Saturday; wkst++ {
		wk := WeekdayOf(wkst).String()
		for _, n := range []int{1, 52, 53, -1} {
			var want []string
			for y := 2013; y <= 2032; y++ {
				b := table[wkst][y]
				k := n
				if n < 0 {
					k = b.weeks + 1 + n
				}
				if k > b.weeks {
					continue
				}
				for d := range 7 {
					want = append(want, b.week1.AddDate(0, 0, 7*(k-1)+d).Format(time.DateOnly))
				}
			}
			start := table[wkst][2013].week1
			end := table[wkst][2033].week1
			rule := "RRULE:FREQ=YEARLY;BYWEEKNO=" + itoa(n) + ";BYDAY=MO,TU,WE,TH,FR,SA,SU;WKST=" + wk + ";UNTIL=" + end.AddDate(0, 0, -1).Format("20060102")
			c, _ := mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:"+start.AddDate(0, 0, -7).Format("20060102"), rule)), Options{})
			got := starts18(t, c, start, end)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("WKST=%s BYWEEKNO=%d (-want +got):\n%s", wk, n, diff)
			}
		}
	}
}

func TestYearlyBYMONTHDAYWithoutBYMONTHTakesDTSTARTMonth(t *testing.T) {
	c, _ := mustParse(t, crlf(wrapEvent("UID:leap", "DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;BYMONTHDAY=29")), Options{})
	got := starts18(t, c, day(2024, 1, 1), day(2033, 1, 1))
	if diff := cmp.Diff([]string{"2024-02-29", "2028-02-29", "2032-02-29"}, got); diff != "" {
		t.Errorf("29 February (-want +got):\n%s", diff)
	}
	c, _ = mustParse(t, crlf(wrapEvent("UID:feb", "DTSTART;VALUE=DATE:20260201", "RRULE:FREQ=YEARLY;BYMONTHDAY=-29,-1;COUNT=5")), Options{})
	got = starts18(t, c, day(2026, 1, 1), day(2030, 1, 1))
	// 2026-02-01 itself is DTSTART; -29 exists in February of leap years only.
	if diff := cmp.Diff([]string{"2026-02-01", "2026-02-28", "2027-02-28", "2028-02-01", "2028-02-29"}, got); diff != "" {
		t.Errorf("-29,-1 in February (-want +got):\n%s", diff)
	}
}

func TestDailyOnADateIgnoresTimeParts(t *testing.T) {
	c, _ := mustParse(t, crlf(wrapEvent("UID:d", "DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;COUNT=3;BYHOUR=9;BYMINUTE=0,30;BYSECOND=15")), Options{})
	got := starts18(t, c, day(2026, 1, 1), day(2026, 2, 1))
	if diff := cmp.Diff([]string{"2026-01-05", "2026-01-06", "2026-01-07"}, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	c, _ = mustParse(t, crlf(wrapEvent("UID:w", "DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYMINUTE=10;UNTIL=20260131")), Options{})
	got = starts18(t, c, day(2026, 1, 1), day(2026, 2, 1))
	if diff := cmp.Diff([]string{"2026-01-05", "2026-01-19"}, got); diff != "" {
		t.Errorf("weekly instances (-want +got):\n%s", diff)
	}
}

func TestAllDayInstanceEndingAtWindowStartIsNotListed(t *testing.T) {
	// An instance is in the window when its start is: the all-day event
	// of 2019-12-31 is not in a window from 2020-01-01, whichever zones
	// the calendar and the window are in.
	for _, calZone := range []string{"", "Europe/London", "America/New_York"} {
		for _, zone := range []string{"UTC", "Asia/Tokyo", "America/New_York"} {
			var head string
			if calZone != "" {
				head = "X-WR-TIMEZONE:" + calZone + "\n"
			}
			src := crlf(cal(head + "BEGIN:VEVENT\nUID:nye\nDTSTART;VALUE=DATE:20191231\nDTEND;VALUE=DATE:20200101\nEND:VEVENT\n" +
				"BEGIN:VEVENT\nUID:nyd\nDTSTART;VALUE=DATE:20200101\nEND:VEVENT"))
			res, err := RunQuery(strings.NewReader(src), Query{From: "2020-01-01", To: "2020-01-02", Zone: zone})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range res.Instances {
				got = append(got, in.UID)
			}
			if diff := cmp.Diff([]string{"nyd"}, got); diff != "" {
				t.Errorf("calendar zone %q, --tz %s (-want +got):\n%s", calZone, zone, diff)
			}
		}
	}
}

func TestDateTimeRecurrenceIDOfAllDayMasterIsADate(t *testing.T) {
	src := cal("BEGIN:VEVENT\nUID:s\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=DAILY;COUNT=3\nSUMMARY:Offsite\nEND:VEVENT\n" +
		"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20260106T000000Z\nDTSTART:20260106T140000Z\nDTEND:20260106T150000Z\nSUMMARY:Moved\nEND:VEVENT")
	c, _ := mustParse(t, crlf(src), Options{})
	ins := mustExpand(t, c, day(2026, 1, 1), day(2026, 2, 1))
	var got []string
	for i := range ins {
		got = append(got, strings.TrimSpace(string(AppendRow(nil, &ins[i]))))
	}
	want := []string{
		`{"uid":"s","recurrence_id":"2026-01-05","start":"2026-01-05","end":"2026-01-06","summary":"Offsite"}`,
		`{"uid":"s","recurrence_id":"2026-01-06","start":"2026-01-06T14:00:00Z","end":"2026-01-06T15:00:00Z","summary":"Moved"}`,
		`{"uid":"s","recurrence_id":"2026-01-07","start":"2026-01-07","end":"2026-01-08","summary":"Offsite"}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if row := RowOf(&ins[1]); row.RecurrenceID != "2026-01-06" {
		t.Errorf("RowOf: recurrence_id = %q, want 2026-01-06", row.RecurrenceID)
	}
}
