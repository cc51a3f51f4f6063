package ical

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds arbitrary input to Parse, and what parses to Expand and
// the writer: nothing may panic, and written calendars must read back.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ics"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART;TZID=\"a:b\";X=\"\":20260101T000000\nRRULE:FREQ=DAILY;BYSETPOS=-1,1\nEND:VEVENT\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Z\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+1400\r\nTZOFFSETTO:-1200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Z:20260101T000000\r\nEND:VEVENT\r\n"))
	from, to := day(2025, 12, 1), day(2026, 3, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, warns, err := Parse(bytes.NewReader(data), Options{Name: "f.ics"})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, w := range warns {
			if w.Line < 0 || w.Msg == "" {
				t.Fatalf("bad warning %+v", w)
			}
		}
		ins, err := cal.ExpandWith(from, to, ExpandOptions{MaxInstances: 500})
		if err == nil {
			checkInstances(t, ins, from, to)
		}
		var out bytes.Buffer
		if _, err := cal.WriteTo(&out); err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		cal2, _, err := Parse(bytes.NewReader(out.Bytes()), Options{})
		if err != nil {
			t.Fatalf("reading the written calendar: %v\n%s", err, out.Bytes())
		}
		if len(cal2.Events) != len(cal.Events) {
			t.Fatalf("written calendar has %d events, want %d\n%s", len(cal2.Events), len(cal.Events), out.Bytes())
		}
	})
}

// checkInstances checks the invariants of an expansion result.
func checkInstances(t *testing.T, ins []Instance, from, to time.Time) {
	t.Helper()
	for i, in := range ins {
		if in.End.Before(in.Start) {
			t.Fatalf("instance %d ends before it starts: %+v", i, in)
		}
		if !in.Start.Before(to) || in.End.Before(from) || in.End.Equal(from) && !in.Start.Equal(in.End) {
			t.Fatalf("instance %d outside [%s, %s): %s..%s", i, from, to, in.Start, in.End)
		}
		if i > 0 && ins[i-1].Start.After(in.Start) {
			t.Fatalf("instances %d and %d out of order", i-1, i)
		}
	}
}

// FuzzExpand expands one event with a fuzzed rule, start and zone, and
// checks that a window expansion (which skips ahead) finds exactly the
// instances a longer expansion from the event's start finds there.
func FuzzExpand(f *testing.F) {
	zones := []string{"", "Z", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Asia/Kolkata"}
	for _, r := range []string{
		"FREQ=DAILY;COUNT=10", "FREQ=DAILY;INTERVAL=2", "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
		"FREQ=WEEKLY;INTERVAL=2;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
		"FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "FREQ=MONTHLY;BYMONTHDAY=-3", "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
		"FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "FREQ=YEARLY;BYDAY=20MO", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
		"FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
		"FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
		"FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "FREQ=MINUTELY;INTERVAL=90;COUNT=4", "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
		"FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,SU;WKST=SU",
		"FREQ=SECONDLY;INTERVAL=7200;BYMINUTE=30", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30",
	} {
		f.Add(r, "19970902T090000", uint8(2), int32(0), uint16(400))
	}
	f.Add("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "20260301T023000", uint8(2), int32(10000), uint16(30))
	f.Add("FREQ=WEEKLY", "20260301", uint8(3), int32(9000), uint16(60))
	f.Fuzz(func(t *testing.T, rule, dtstart string, zone uint8, fromDay int32, spanDays uint16) {
		if len(rule) > 300 || len(dtstart) > 40 || strings.ContainsAny(rule+dtstart, "\r\n") {
			return
		}
		prop := "DTSTART"
		switch z := zones[int(zone)%len(zones)]; {
		case strings.Contains(dtstart, "Z") || len(dtstart) == 8:
		case z == "":
		case z == "Z":
			dtstart += "Z"
		default:
			prop += ";TZID=" + z
		}
		src := wrapEvent("UID:f", prop+":"+dtstart, "DURATION:PT1H", "RRULE:"+rule)
		cal, warns, err := Parse(strings.NewReader(src), Options{})
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if len(warns) > 0 || len(cal.Events) != 1 {
			return // the fuzzed text was not a valid rule or start
		}
		start := cal.Events[0].Start.Time(time.UTC)
		from := start.AddDate(0, 0, int(fromDay%20000))
		to := from.AddDate(0, 0, int(spanDays%1000)+1)
		opt := ExpandOptions{MaxInstances: 3000}
		ins, err := cal.ExpandWith(from, to, opt)
		// Under SkipBroken the one event is listed as by default, or left
		// out whole with a warning; it is never an error.
		var skipped []Warning
		opt.SkipBroken = func(w Warning) { skipped = append(skipped, w) }
		lenient, lerr := cal.ExpandWith(from, to, opt)
		switch {
		case lerr != nil:
			t.Fatalf("SkipBroken: %v (default: %v)\n%s", lerr, err, src)
		case len(skipped) > 0 && (len(skipped) != 1 || len(lenient) != 0 || skipped[0].UID != "f"):
			t.Fatalf("SkipBroken: %d instances, warnings %q; want event f left out whole\n%s", len(lenient), skipped, src)
		case err != nil && len(skipped) == 0:
			t.Fatalf("SkipBroken: no warning, where the default fails with %v\n%s", err, src)
		case err == nil && len(skipped) == 0 && !cmp.Equal(lenient, ins):
			t.Fatalf("SkipBroken differs from the default (-default +SkipBroken):\n%s\n%s", cmp.Diff(ins, lenient), src)
		}
		if err != nil {
			return // too dense: the error is the result
		}
		checkInstances(t, ins, from, to)
		long, err := cal.ExpandWith(start.Add(-48*time.Hour), to, ExpandOptions{MaxInstances: 200000})
		if err != nil {
			return
		}
		var want []Instance
		for _, in := range long {
			if in.Start.Before(to) && (in.End.After(from) || in.Start.Equal(in.End) && !in.Start.Before(from)) {
				want = append(want, in)
			}
		}
		if len(want) != len(ins) {
			t.Fatalf("window expansion found %d instances, the expansion from DTSTART %d\n%s", len(ins), len(want), src)
		}
		for i := range want {
			if !want[i].Start.Equal(ins[i].Start) || !want[i].End.Equal(ins[i].End) {
				t.Fatalf("instance %d: window expansion %s, from DTSTART %s\n%s", i, ins[i].Start, want[i].Start, src)
			}
		}
	})
}
