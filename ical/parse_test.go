package ical

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

func TestParseTolerance(t *testing.T) {
	const body = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:u1\nDTSTART:20260302T090000Z\nDTEND:20260302T100000Z\nSUMMARY:Grüße aus Köln\nEND:VEVENT\nEND:VCALENDAR\n"
	utf16le := func(s string) string {
		var b bytes.Buffer
		b.Write([]byte{0xFF, 0xFE})
		for _, u := range utf16.Encode([]rune(s)) {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
		return b.String()
	}
	tests := []struct {
		name string
		src  string
	}{
		{"CRLF", crlf(body)},
		{"LF", body},
		{"BOM", "\xEF\xBB\xBF" + crlf(body)},
		{"UTF-16 with BOM", utf16le(crlf(body))},
		{"lower-case names", strings.ToLower(body[:strings.Index(body, "SUMMARY")]) + body[strings.Index(body, "SUMMARY"):]},
		{"missing VERSION", strings.Replace(body, "VERSION:2.0\n", "", 1)},
		{"blank lines and trailing spaces", strings.ReplaceAll(body, "\n", "\n\n")},
		{"folded with space", strings.Replace(body, "SUMMARY:Grüße aus Köln", "SUMMARY:Grü\n ße aus\n  Köln", 1)},
		{"folded with tab", strings.Replace(body, "SUMMARY:Grüße aus Köln", "SUMMARY:Grüße\n\t aus Köln", 1)},
		{"folded inside a UTF-8 sequence", strings.Replace(body, "SUMMARY:Grüße aus Köln", "SUMMARY:Gr\xC3\n \xBC\xC3\r\n \x9Fe aus K\xC3\xB6ln", 1)},
		{"folded property name", strings.Replace(body, "SUMMARY:", "SUMM\n ARY:", 1)},
		{"X- properties and unknown components", strings.Replace(body, "UID:u1\n", "UID:u1\nX-FOO;X-BAR=1:baz\nBEGIN:X-THING\nDTSTART:garbage\nEND:X-THING\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\n", 1)},
		{"quoted parameters with : ; ,", strings.Replace(body, "UID:u1\n", "UID:u1\nX-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=\"a:b;c,d\";X-ADDRESS=\"x\",\"y:z\":geo:1,2\nATTENDEE;CN=\"Doe; Jane: Boss, Inc\";DELEGATED-FROM=\"mailto:a@b.c\",\"mailto:d@e.f\":mailto:jane@example.com\n", 1)},
		{"other components before and after", "BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:t\nEND:VTODO\n" + strings.TrimPrefix(body, "BEGIN:VCALENDAR\n")},
		{"trailing garbage after END:VCALENDAR", body + "\x00\x00garbage"},
		{"missing END:VCALENDAR", strings.TrimSuffix(body, "END:VCALENDAR\n")},
		{"huge inline attachment", strings.Replace(body, "UID:u1\n", "UID:u1\nATTACH;ENCODING=BASE64;VALUE=BINARY:"+strings.Repeat("QUJD", 1300000)+"\n", 1)},
		{"broken line inside VALARM", strings.Replace(body, "UID:u1\n", "UID:u1\nBEGIN:VALARM\nTRIGGER without colon\nEND:VALARM\n", 1)},
	}
	want := []row{{"u1", "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "Grüße aus Köln"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal, _, err := Parse(strings.NewReader(tc.src), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := rowsOf(mustExpand(t, cal, day(2026, 3, 1), day(2026, 4, 1)))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNotCalendar(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "in.txt:1: not an iCalendar file: empty input"},
		{"blank", "\n\n  \n", "in.txt:3: not an iCalendar file: empty input"},
		{"text", "hello world\n", "in.txt:1: not an iCalendar file: expected BEGIN:VCALENDAR"},
		{"json", `{"events": []}`, "in.txt:1: not an iCalendar file: expected BEGIN:VCALENDAR"},
		{"vcard", "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n", "in.txt:1: not an iCalendar file: expected BEGIN:VCALENDAR"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", "in.txt:1: not an iCalendar file: expected BEGIN:VCALENDAR"},
		{"leading text", "\nsome text\nBEGIN:VCALENDAR\nEND:VCALENDAR\n", "in.txt:2: not an iCalendar file: expected BEGIN:VCALENDAR"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse(strings.NewReader(tc.src), Options{Name: "in.txt"})
			if !errors.Is(err, ErrNotCalendar) {
				t.Fatalf("err = %v, want ErrNotCalendar", err)
			}
			if err.Error() != tc.want {
				t.Errorf("err = %q, want %q", err, tc.want)
			}
		})
	}
}

// TestParseBadEvents checks that a bad event is skipped with a warning
// naming its line while the others are read.
func TestParseBadEvents(t *testing.T) {
	good := "BEGIN:VEVENT\nUID:good\nDTSTART:20260302T090000Z\nEND:VEVENT\n"
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"bad DTSTART", "BEGIN:VEVENT\nUID:b\nDTSTART:20261302T090000Z\nEND:VEVENT\n",
			`c.ics:9: event "b": DTSTART: invalid date-time "20261302T090000Z"; event skipped (lines 7-10)`},
		{"no DTSTART", "BEGIN:VEVENT\nUID:b\nSUMMARY:x\nEND:VEVENT\n",
			`c.ics:7: event "b": event has no DTSTART; event skipped`},
		{"bad RRULE", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\n",
			`c.ics:10: event "b": RRULE: unknown FREQ "FORTNIGHTLY"; event skipped (lines 7-11)`},
		{"bad BYDAY", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\nRRULE:FREQ=MONTHLY;BYDAY=9MO,XX\nEND:VEVENT\n",
			`c.ics:10: event "b": RRULE: invalid BYDAY value "XX"; event skipped (lines 7-11)`},
		{"out of range BYMONTHDAY", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0\nEND:VEVENT\n",
			`c.ics:10: event "b": RRULE: invalid value "0" in "0"; event skipped (lines 7-11)`},
		{"bad DURATION", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\nDURATION:1H\nEND:VEVENT\n",
			`c.ics:10: event "b": DURATION: invalid duration "1H"; event skipped (lines 7-11)`},
		{"DTSTART line without colon", "BEGIN:VEVENT\nUID:b\nDTSTART 20260302T090000Z\nEND:VEVENT\n",
			`c.ics:9: event "b": invalid content line: no ':' after the property name; event skipped (lines 7-10)`},
		{"unterminated quote", "BEGIN:VEVENT\nUID:b\nDTSTART;TZID=\"Europe/Berlin:20260302T090000\nEND:VEVENT\n",
			`c.ics:9: event "b": invalid content line: unterminated quoted parameter value; event skipped (lines 7-10)`},
		{"bad EXDATE in a list", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\nRRULE:FREQ=DAILY\nEXDATE:20260303T090000Z,2026\nEND:VEVENT\n",
			`c.ics:11: event "b": EXDATE: invalid date-time "2026"; event skipped (lines 7-12)`},
		{"truncated inside an event", "BEGIN:VEVENT\nUID:b\nDTSTART:20260302T090000Z\n",
			`c.ics:7: event "b": unexpected end of input inside VEVENT; event skipped`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "BEGIN:VCALENDAR\nVERSION:2.0\n" + good + tc.bad
			if !strings.HasPrefix(tc.name, "truncated") {
				src += good + "END:VCALENDAR\n"
			}
			cal, warns, err := Parse(strings.NewReader(src), Options{Name: "c.ics"})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(warns) != 1 || warns[0].String() != tc.want {
				var ws []string
				for _, w := range warns {
					ws = append(ws, w.String())
				}
				t.Fatalf("warnings = %q, want [%q]", ws, tc.want)
			}
			for _, e := range cal.Events {
				if e.UID != "good" {
					t.Errorf("event %q was kept", e.UID)
				}
			}
			if len(cal.Events) == 0 {
				t.Error("the good events were not kept")
			}
		})
	}
}

func TestParseCalendarLevelProblems(t *testing.T) {
	src := "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Nowhere/Special\nthis is not a content line\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20260302T090000Z\nEND:VEVENT\nEND:VCALENDAR\n"
	_, warns, err := Parse(strings.NewReader(src), Options{Name: "c.ics"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	want := []string{
		`c.ics:3: unknown time zone "Nowhere/Special" in X-WR-TIMEZONE; ignored`,
		`c.ics:4: invalid content line: no ':' after the property name; line ignored`,
		`c.ics:5: END:VEVENT without BEGIN; line ignored`,
		`c.ics:6: event has no UID; calling it "rhythm-line-6"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestParseValues(t *testing.T) {
	t.Run("durations", func(t *testing.T) {
		for in, want := range map[string]string{
			"P1W": "P1W", "PT1H0M0S": "PT1H", "-PT15M": "-PT15M", "P1DT2H3M4S": "P1DT2H3M4S", "P0D": "PT0S", "+P2D": "P2D",
		} {
			d, err := parseDuration([]byte(in))
			if err != nil || d.String() != want {
				t.Errorf("parseDuration(%q) = %v, %v; want %s", in, d, err, want)
			}
		}
		for _, in := range []string{"", "P", "1H", "PT1D", "P1H", "PT", "P1Y", "PT99999999999H"} {
			if _, err := parseDuration([]byte(in)); err == nil {
				t.Errorf("parseDuration(%q): no error", in)
			}
		}
	})
	t.Run("date-times", func(t *testing.T) {
		for in, want := range map[string]string{
			"20260329T020000Z": "20260329T020000Z", "20260329": "20260329", "20260329t0200": "20260329T020000",
			"2026-03-29T02:00:00Z": "20260329T020000Z", "20241231T235960": "20241231T235959",
		} {
			w, date, utc, err := parseDateTime([]byte(in))
			if err != nil {
				t.Errorf("parseDateTime(%q): %v", in, err)
				continue
			}
			k := KindFloating
			if date {
				k = KindDate
			} else if utc {
				k = KindUTC
			}
			if got := (DateTime{wall: w, kind: k}).String(); got != want {
				t.Errorf("parseDateTime(%q) = %s, want %s", in, got, want)
			}
		}
		for _, in := range []string{"", "2026", "20260230", "20261301", "20260101T250000", "20260101T", "20260101Z", "2026010aT000000", "00000101"} {
			if _, _, _, err := parseDateTime([]byte(in)); err == nil {
				t.Errorf("parseDateTime(%q): no error", in)
			}
		}
	})
	t.Run("recurrence rules round trip", func(t *testing.T) {
		for _, in := range []string{
			"FREQ=YEARLY;UNTIL=20261231T235959Z;INTERVAL=2;BYDAY=-1SU;BYMONTH=3",
			"FREQ=MONTHLY;COUNT=10;BYDAY=1SU,-1SU;BYSETPOS=1",
			"FREQ=WEEKLY;BYDAY=TU,TH;WKST=SU",
			"FREQ=YEARLY;BYYEARDAY=1,-366;BYWEEKNO=20,-1",
			"FREQ=MINUTELY;INTERVAL=20;BYSECOND=0;BYMINUTE=0,20;BYHOUR=9,16",
			"FREQ=DAILY;UNTIL=20260101",
		} {
			r, err := ParseRecur(in)
			if err != nil {
				t.Fatalf("ParseRecur(%q): %v", in, err)
			}
			if got := r.String(); got != in {
				t.Errorf("ParseRecur(%q).String() = %q", in, got)
			}
			if err := r.Validate(); err != nil {
				t.Errorf("Validate(%q): %v", in, err)
			}
		}
	})
}
