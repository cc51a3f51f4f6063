package ical

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// dates expands a compact list of dates at hh:mm local time, e.g.
// "1997-09: 2 4 9; 1997-10: 2" into "1997-09-02 09:00", ...
func dates(t *testing.T, hhmm, spec string) []string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ym, days, ok := strings.Cut(part, ":")
		if !ok {
			t.Fatalf("bad spec %q", part)
		}
		for _, d := range strings.Fields(days) {
			n, err := strconv.Atoi(d)
			if err != nil {
				t.Fatalf("bad day %q", d)
			}
			out = append(out, fmt.Sprintf("%s-%02d %s", strings.TrimSpace(ym), n, hhmm))
		}
	}
	return out
}

// dayRange lists "ym-dd hh:mm" for days lo..hi.
func dayRange(ym string, lo, hi int) string {
	var b strings.Builder
	b.WriteString(ym + ":")
	for d := lo; d <= hi; d++ {
		fmt.Fprintf(&b, " %d", d)
	}
	return b.String() + ";"
}

// TestRFC5545Examples checks every RRULE example of RFC 5545 §3.8.5.3
// against the instances the RFC publishes. Rules that recur "forever" are
// compared over a window ending just after the last published instance.
func TestRFC5545Examples(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		name    string
		dtstart string
		rule    string
		exdate  string
		want    []string
		forever bool
	}{
		{name: "daily for 10 occurrences", dtstart: "19970902T090000", rule: "FREQ=DAILY;COUNT=10",
			want: dates(t, "09:00", dayRange("1997-09", 2, 11))},
		{name: "daily until December 24, 1997", dtstart: "19970902T090000", rule: "FREQ=DAILY;UNTIL=19971224T000000Z",
			want: dates(t, "09:00", dayRange("1997-09", 2, 30)+dayRange("1997-10", 1, 31)+dayRange("1997-11", 1, 30)+dayRange("1997-12", 1, 23))},
		{name: "every other day forever", dtstart: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=2", forever: true,
			want: dates(t, "09:00", "1997-09: 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30; 1997-10: 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30; 1997-11: 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29; 1997-12: 1 3")},
		{name: "every 10 days, 5 occurrences", dtstart: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=10;COUNT=5",
			want: dates(t, "09:00", "1997-09: 2 12 22; 1997-10: 2 12")},
		{name: "every day in January for 3 years (yearly)", dtstart: "19980101T090000", rule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
			want: dates(t, "09:00", dayRange("1998-01", 1, 31)+dayRange("1999-01", 1, 31)+dayRange("2000-01", 1, 31))},
		{name: "every day in January for 3 years (daily)", dtstart: "19980101T090000", rule: "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
			want: dates(t, "09:00", dayRange("1998-01", 1, 31)+dayRange("1999-01", 1, 31)+dayRange("2000-01", 1, 31))},
		{name: "weekly for 10 occurrences", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10",
			want: dates(t, "09:00", "1997-09: 2 9 16 23 30; 1997-10: 7 14 21 28; 1997-11: 4")},
		{name: "weekly until December 24, 1997", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971224T000000Z",
			want: dates(t, "09:00", "1997-09: 2 9 16 23 30; 1997-10: 7 14 21 28; 1997-11: 4 11 18 25; 1997-12: 2 9 16 23")},
		{name: "every other week forever", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;INTERVAL=2;WKST=SU", forever: true,
			want: dates(t, "09:00", "1997-09: 2 16 30; 1997-10: 14 28; 1997-11: 11 25; 1997-12: 9 23; 1998-01: 6 20; 1998-02: 3 17")},
		{name: "weekly on Tuesday and Thursday for five weeks (until)", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
			want: dates(t, "09:00", "1997-09: 2 4 9 11 16 18 23 25 30; 1997-10: 2")},
		{name: "weekly on Tuesday and Thursday for five weeks (count)", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
			want: dates(t, "09:00", "1997-09: 2 4 9 11 16 18 23 25 30; 1997-10: 2")},
		{name: "every other week on Monday, Wednesday and Friday until December 24, 1997", dtstart: "19970901T090000", rule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
			want: dates(t, "09:00", "1997-09: 1 3 5 15 17 19 29; 1997-10: 1 3 13 15 17 27 29 31; 1997-11: 10 12 14 24 26 28; 1997-12: 8 10 12 22")},
		{name: "every other week on Tuesday and Thursday, for 8 occurrences", dtstart: "19970902T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
			want: dates(t, "09:00", "1997-09: 2 4 16 18 30; 1997-10: 2 14 16")},
		{name: "monthly on the first Friday for 10 occurrences", dtstart: "19970905T090000", rule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
			want: dates(t, "09:00", "1997-09: 5; 1997-10: 3; 1997-11: 7; 1997-12: 5; 1998-01: 2; 1998-02: 6; 1998-03: 6; 1998-04: 3; 1998-05: 1; 1998-06: 5")},
		{name: "monthly on the first Friday until December 24, 1997", dtstart: "19970905T090000", rule: "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
			want: dates(t, "09:00", "1997-09: 5; 1997-10: 3; 1997-11: 7; 1997-12: 5")},
		{name: "every other month on the first and last Sunday for 10 occurrences", dtstart: "19970907T090000", rule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
			want: dates(t, "09:00", "1997-09: 7 28; 1997-11: 2 30; 1998-01: 4 25; 1998-03: 1 29; 1998-05: 3 31")},
		{name: "monthly on the second-to-last Monday for 6 months", dtstart: "19970922T090000", rule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
			want: dates(t, "09:00", "1997-09: 22; 1997-10: 20; 1997-11: 17; 1997-12: 22; 1998-01: 19; 1998-02: 16")},
		{name: "monthly on the third-to-the-last day forever", dtstart: "19970928T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=-3", forever: true,
			want: dates(t, "09:00", "1997-09: 28; 1997-10: 29; 1997-11: 28; 1997-12: 29; 1998-01: 29; 1998-02: 26")},
		{name: "monthly on the 2nd and 15th for 10 occurrences", dtstart: "19970902T090000", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
			want: dates(t, "09:00", "1997-09: 2 15; 1997-10: 2 15; 1997-11: 2 15; 1997-12: 2 15; 1998-01: 2 15")},
		{name: "monthly on the first and last day for 10 occurrences", dtstart: "19970930T090000", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
			want: dates(t, "09:00", "1997-09: 30; 1997-10: 1 31; 1997-11: 1 30; 1997-12: 1 31; 1998-01: 1 31; 1998-02: 1")},
		{name: "every 18 months on the 10th thru 15th for 10 occurrences", dtstart: "19970910T090000", rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
			want: dates(t, "09:00", "1997-09: 10 11 12 13 14 15; 1999-03: 10 11 12 13")},
		{name: "every Tuesday, every other month", dtstart: "19970902T090000", rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", forever: true,
			want: dates(t, "09:00", "1997-09: 2 9 16 23 30; 1997-11: 4 11 18 25; 1998-01: 6 13 20 27; 1998-03: 3 10 17 24 31")},
		{name: "yearly in June and July for 10 occurrences", dtstart: "19970610T090000", rule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
			want: dates(t, "09:00", "1997-06: 10; 1997-07: 10; 1998-06: 10; 1998-07: 10; 1999-06: 10; 1999-07: 10; 2000-06: 10; 2000-07: 10; 2001-06: 10; 2001-07: 10")},
		{name: "every other year on January, February and March for 10 occurrences", dtstart: "19970310T090000", rule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
			want: dates(t, "09:00", "1997-03: 10; 1999-01: 10; 1999-02: 10; 1999-03: 10; 2001-01: 10; 2001-02: 10; 2001-03: 10; 2003-01: 10; 2003-02: 10; 2003-03: 10")},
		{name: "every third year on the 1st, 100th and 200th day for 10 occurrences", dtstart: "19970101T090000", rule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
			want: dates(t, "09:00", "1997-01: 1; 1997-04: 10; 1997-07: 19; 2000-01: 1; 2000-04: 9; 2000-07: 18; 2003-01: 1; 2003-04: 10; 2003-07: 19; 2006-01: 1")},
		{name: "every 20th Monday of the year forever", dtstart: "19970519T090000", rule: "FREQ=YEARLY;BYDAY=20MO", forever: true,
			want: dates(t, "09:00", "1997-05: 19; 1998-05: 18; 1999-05: 17")},
		{name: "Monday of week number 20 forever", dtstart: "19970512T090000", rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", forever: true,
			want: dates(t, "09:00", "1997-05: 12; 1998-05: 11; 1999-05: 17")},
		{name: "every Thursday in March forever", dtstart: "19970313T090000", rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", forever: true,
			want: dates(t, "09:00", "1997-03: 13 20 27; 1998-03: 5 12 19 26; 1999-03: 4 11 18 25")},
		{name: "every Thursday in June, July and August forever", dtstart: "19970605T090000", rule: "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", forever: true,
			want: dates(t, "09:00", "1997-06: 5 12 19 26; 1997-07: 3 10 17 24 31; 1997-08: 7 14 21 28; 1998-06: 4 11 18 25; 1998-07: 2 9 16 23 30; 1998-08: 6 13 20 27; 1999-06: 3 10 17 24; 1999-07: 1 8 15 22 29; 1999-08: 5 12 19 26")},
		{name: "every Friday the 13th forever", dtstart: "19970902T090000", rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", exdate: "19970902T090000", forever: true,
			want: dates(t, "09:00", "1998-02: 13; 1998-03: 13; 1998-11: 13; 1999-08: 13; 2000-10: 13")},
		{name: "first Saturday that follows the first Sunday of the month forever", dtstart: "19970913T090000", rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", forever: true,
			want: dates(t, "09:00", "1997-09: 13; 1997-10: 11; 1997-11: 8; 1997-12: 13; 1998-01: 10; 1998-02: 7; 1998-03: 7; 1998-04: 11; 1998-05: 9; 1998-06: 13")},
		{name: "US presidential election day every 4 years forever", dtstart: "19961105T090000", rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", forever: true,
			want: dates(t, "09:00", "1996-11: 5; 2000-11: 7; 2004-11: 2")},
		{name: "third instance of Tuesday, Wednesday or Thursday for 3 months", dtstart: "19970904T090000", rule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
			want: dates(t, "09:00", "1997-09: 4; 1997-10: 7; 1997-11: 6")},
		{name: "second-to-last weekday of the month", dtstart: "19970929T090000", rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", forever: true,
			want: dates(t, "09:00", "1997-09: 29; 1997-10: 30; 1997-11: 27; 1997-12: 30; 1998-01: 29; 1998-02: 26; 1998-03: 30")},
		// The RFC publishes 09:00, 12:00 and 15:00 for this rule, but its
		// UNTIL (17:00 UTC) is 13:00 EDT, so by the normative UNTIL
		// semantics 15:00 is not an instance. The rule with the UNTIL the
		// example means (21:00 UTC) follows.
		{name: "every 3 hours from 9:00 to 17:00 (UNTIL as written)", dtstart: "19970902T090000", rule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
			want: []string{"1997-09-02 09:00", "1997-09-02 12:00"}},
		{name: "every 3 hours from 9:00 to 17:00 (UNTIL 17:00 local)", dtstart: "19970902T090000", rule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z",
			want: []string{"1997-09-02 09:00", "1997-09-02 12:00", "1997-09-02 15:00"}},
		{name: "every 15 minutes for 6 occurrences", dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
			want: []string{"1997-09-02 09:00", "1997-09-02 09:15", "1997-09-02 09:30", "1997-09-02 09:45", "1997-09-02 10:00", "1997-09-02 10:15"}},
		{name: "every hour and a half for 4 occurrences", dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
			want: []string{"1997-09-02 09:00", "1997-09-02 10:30", "1997-09-02 12:00", "1997-09-02 13:30"}},
		{name: "every 20 minutes from 9:00 to 16:40 every day (daily)", dtstart: "19970902T090000", rule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", forever: true,
			want: every20(t)},
		{name: "every 20 minutes from 9:00 to 16:40 every day (minutely)", dtstart: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", forever: true,
			want: every20(t)},
		{name: "week start Monday changes the days generated", dtstart: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
			want: dates(t, "09:00", "1997-08: 5 10 19 24")},
		{name: "week start Sunday changes the days generated", dtstart: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
			want: dates(t, "09:00", "1997-08: 5 17 19 31")},
		{name: "invalid date February 30 is ignored", dtstart: "20070115T090000", rule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
			want: dates(t, "09:00", "2007-01: 15 30; 2007-02: 15; 2007-03: 15 30")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := []string{"UID:rfc", "DTSTART;TZID=America/New_York:" + tc.dtstart, "RRULE:" + tc.rule}
			if tc.exdate != "" {
				lines = append(lines, "EXDATE;TZID=America/New_York:"+tc.exdate)
			}
			cal, warns := mustParse(t, crlf(wrapEvent(lines...)), Options{})
			if len(warns) > 0 {
				t.Fatalf("warnings: %v", warns)
			}
			from := day(1990, 1, 1)
			to := day(2030, 1, 1)
			if tc.forever {
				last, err := time.ParseInLocation("2006-01-02 15:04", tc.want[len(tc.want)-1], ny)
				if err != nil {
					t.Fatal(err)
				}
				to = last.Add(time.Minute)
			}
			ins := mustExpand(t, cal, from, to)
			got := make([]string, len(ins))
			for i, in := range ins {
				got[i] = in.Start.In(ny).Format("2006-01-02 15:04")
				if !in.Recurring {
					t.Errorf("instance %s: Recurring = false, want true", got[i])
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

func every20(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, d := range []string{"1997-09-02", "1997-09-03"} {
		for h := 9; h <= 16; h++ {
			for _, m := range []int{0, 20, 40} {
				out = append(out, fmt.Sprintf("%s %02d:%02d", d, h, m))
			}
		}
	}
	return out
}
