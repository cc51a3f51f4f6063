package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/ical/icaltest"
)

func TestICalExpand(t *testing.T) {
	golden, err := os.ReadFile("testdata/cal-expand.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := os.ReadFile("testdata/cal.ics")
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		stdout   string   // exact, when set
		outHas   []string // substrings of stdout
		errHas   []string // substrings of stderr
		errLines int      // stderr line count, when > 0
	}{
		{
			name: "json rows", args: []string{"testdata/cal.ics", "--from", "2026-03-23", "--to", "2026-04-01", "--json"},
			stdout: string(golden),
			errHas: []string{
				`rhythm: warning: cal.ics:35: event "mystery@example.com": unknown time zone "Atlantis/Capital"; reading its times in Europe/London`,
				"reading --from and --to in Europe/London (the calendar's X-WR-TIMEZONE)",
			},
		},
		{
			name: "gap time on the DST day", args: []string{"testdata/cal.ics", "--from", "2026-03-29", "--to", "2026-03-30", "--json", "--tz", "Europe/London"},
			outHas:   []string{`{"uid":"night-run@example.com","recurrence_id":"2026-03-29T01:00:00Z","start":"2026-03-29T01:00:00Z","end":"2026-03-29T01:30:00Z","summary":"Nightly batch review"}`},
			errLines: 1, // only the unknown-zone warning: --tz was given
		},
		{
			name: "stdin", stdin: string(cal), args: []string{"-", "--from", "2026-03-23", "--to", "2026-04-01", "--json"},
			stdout: string(golden),
			errHas: []string{"rhythm: warning: stdin:35:"},
		},
		{
			name: "table in the zone asked for", args: []string{"testdata/cal.ics", "--from", "2026-03-23", "--to", "2026-03-24", "--tz", "Asia/Tokyo"},
			outHas: []string{"START (Asia/Tokyo)", "2026-03-23 Mon 22:30", "Standup <async first>", "standup@example.com"},
		},
		{
			name: "all-day in the table", args: []string{"testdata/cal.ics", "--from", "2026-03-30", "--to", "2026-03-31"},
			outHas: []string{"2026-03-30 Mon", "to 2026-03-31 Tue", "Offsite"},
		},
		{name: "missing file", args: []string{"testdata/nope.ics", "--from", "2026-01-01", "--to", "2026-02-01"}, code: 2,
			errHas: []string{"rhythm: open testdata/nope.ics: no such file or directory"}, errLines: 1},
		{name: "not a calendar", args: []string{"testdata/odd-zones.yaml", "--from", "2026-01-01", "--to", "2026-02-01"}, code: 2,
			errHas: []string{"rhythm: odd-zones.yaml:1: not an iCalendar file: expected BEGIN:VCALENDAR"}, errLines: 1},
		{name: "bad date", args: []string{"testdata/cal.ics", "--from", "2026-02-30", "--to", "2026-03-01"}, code: 2,
			errHas: []string{`rhythm: --from: "2026-02-30" is not a date (want YYYY-MM-DD)`}, errLines: 1},
		{name: "empty window", args: []string{"testdata/cal.ics", "--from", "2026-03-01", "--to", "2026-03-01"}, code: 2,
			errHas: []string{"rhythm: --to: the window is empty: 2026-03-01 is not after 2026-03-01"}},
		{name: "unknown --tz", args: []string{"testdata/cal.ics", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "Europe/Pariss"}, code: 2,
			errHas: []string{`rhythm: --tz: unknown time zone "Europe/Pariss"`}},
		{name: "missing --to", args: []string{"testdata/cal.ics", "--from", "2026-03-01"}, code: 2,
			errHas: []string{"rhythm: --from and --to are required (YYYY-MM-DD)"}},
		{name: "two files", args: []string{"a.ics", "b.ics", "--from", "2026-03-01", "--to", "2026-03-02"}, code: 2,
			errHas: []string{"rhythm: accepts 1 arg(s), received 2"}},
		{name: "too dense a rule", stdin: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s\nDTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n",
			args: []string{"-", "--from", "2026-01-01", "--to", "2026-02-01"}, code: 2,
			errHas: []string{`rhythm: stdin:2: event "s": more than 50000 instances in the window; recurrence rule too dense to expand`}},
		{name: "bare VEVENT without VCALENDAR", stdin: "BEGIN:VEVENT\r\nUID:bare\r\nDTSTART:20260302T090000Z\r\nEND:VEVENT\r\n",
			args:   []string{"-", "--from", "2026-03-01", "--to", "2026-04-01", "--json"},
			stdout: `{"uid":"bare","recurrence_id":"2026-03-02T09:00:00Z","start":"2026-03-02T09:00:00Z","end":"2026-03-02T09:00:00Z","summary":""}` + "\n"},
		{name: "pathological BYSETPOS rule", stdin: bombCalendar(true),
			args:   []string{"-", "--from", "2026-01-01", "--to", "2027-01-01", "--json"},
			outHas: []string{`"start":"2026-12-31T23:59:59Z"`}},
		{name: "too expensive a rule", stdin: bombCalendar(false),
			args: []string{"-", "--from", "2026-01-01", "--to", "2027-01-01"}, code: 2,
			errHas: []string{`rhythm: stdin:2: event "bomb": rule FREQ=YEARLY;BYSECOND=0,1,2,`, "recurrence rule too expensive to expand"}, errLines: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.stdin, append([]string{"ical", "expand"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if tc.stdout != "" {
				if diff := cmp.Diff(tc.stdout, stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			}
			for _, s := range tc.outHas {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tc.errHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if n := strings.Count(stderr, "\n"); tc.errLines > 0 && n != tc.errLines {
				t.Errorf("stderr has %d lines, want %d:\n%s", n, tc.errLines, stderr)
			}
		})
	}
}

// TestICalExpandAPI checks that POST /api/v1/ical/expand returns the rows
// `rhythm ical expand --json` prints, for a small calendar and for the
// generated 5,000-event one.
func TestICalExpandAPI(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.ics")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := icaltest.Generate(f, icaltest.Default); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dsn := filepath.Join(dir, "api.db")
	base := startServer(t, "--db", dsn)
	token = adminToken(t, dsn)

	cases := []struct {
		file, from, to, tz string
	}{
		{"testdata/cal.ics", "2026-03-23", "2026-04-01", ""},
		{"testdata/cal.ics", "2026-03-23", "2026-04-01", "Pacific/Chatham"},
		{big, "2026-01-01", "2027-01-01", ""},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file)+" "+c.tz, func(t *testing.T) {
			args := []string{"ical", "expand", c.file, "--from", c.from, "--to", c.to, "--json"}
			if c.tz != "" {
				args = append(args, "--tz", c.tz)
			}
			code, cliOut, stderr := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("CLI exit %d: %s", code, stderr)
			}
			data, _ := os.ReadFile(c.file)

			// Multipart form, JSON answer.
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", filepath.Base(c.file))
			fw.Write(data)
			mw.WriteField("from", c.from)
			mw.WriteField("to", c.to)
			if c.tz != "" {
				mw.WriteField("tz", c.tz)
			}
			mw.Close()
			r := do(t, "POST", base+"/api/v1/ical/expand", mw.FormDataContentType(), &body)
			if r.status != 200 {
				t.Fatalf("API = %d %s", r.status, r.body)
			}
			var got struct {
				Instances []ical.Row `json:"instances"`
				Warnings  []string   `json:"warnings"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			var want []ical.Row
			dec := json.NewDecoder(strings.NewReader(cliOut))
			for dec.More() {
				var row ical.Row
				if err := dec.Decode(&row); err != nil {
					t.Fatal(err)
				}
				want = append(want, row)
			}
			if len(want) == 0 {
				t.Fatal("the CLI printed no rows")
			}
			if diff := cmp.Diff(want, got.Instances); diff != "" {
				t.Errorf("API rows differ from the CLI's (-cli +api):\n%s", diff)
			}

			// Raw body, NDJSON answer: the CLI's bytes.
			q := "?from=" + c.from + "&to=" + c.to
			if c.tz != "" {
				q += "&tz=" + c.tz
			}
			req := do2(t, "POST", base+"/api/v1/ical/expand"+q, "text/calendar", "application/x-ndjson", bytes.NewReader(data))
			if req.status != 200 || string(req.body) != cliOut {
				t.Errorf("NDJSON answer = %d, equal to the CLI output: %v", req.status, string(req.body) == cliOut)
			}
		})
	}

	bad := []struct {
		name, ctype, query, body, msg string
		status                        int
	}{
		{"not a calendar", "text/calendar", "?from=2026-01-01&to=2026-02-01", "hello", "calendar.ics:1: not an iCalendar file: expected BEGIN:VCALENDAR", 400},
		{"bad date", "text/calendar", "?from=2026-1-1&to=2026-02-01", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", `from: "2026-1-1" is not a date (want YYYY-MM-DD)`, 400},
		{"unknown zone", "text/calendar", "?from=2026-01-01&to=2026-02-01&tz=Nowhere", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", `zone: unknown time zone "Nowhere"`, 400},
		{"window in a url-encoded body", "application/x-www-form-urlencoded", "", "from=2026-01-01&to=2026-02-01", "from: a date is required (YYYY-MM-DD)", 400},
		{"too expensive a rule", "text/calendar", "?from=2026-01-01&to=2027-01-01", bombCalendar(false), `calendar.ics:2: event "bomb": rule FREQ=YEARLY;`, 400},
		{"multipart without file", "multipart/form-data; boundary=x", "", "--x\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\n2026-01-01\r\n--x--\r\n", "the form has no calendar", 400},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			r := do(t, "POST", base+"/api/v1/ical/expand"+b.query, b.ctype, strings.NewReader(b.body))
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if r.status != b.status || json.Unmarshal(r.body, &e) != nil || e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, b.msg) {
				t.Errorf("= %d %s, want %d with a message containing %q", r.status, r.body, b.status, b.msg)
			}
		})
	}
}

// do2 is do with an Accept header.
func do2(t *testing.T, method, url, contentType, accept string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, b}
}

// bombCalendar is the 778-byte calendar of issue 16 (with setpos): a
// yearly rule whose candidates are every second of the year.
func bombCalendar(setpos bool) string {
	list := func(lo, hi int) string {
		var b strings.Builder
		for i := lo; i <= hi; i++ {
			if i > lo {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(i))
		}
		return b.String()
	}
	rule := "RRULE:FREQ=YEARLY"
	if setpos {
		rule += ";BYSETPOS=-1"
	}
	rule += ";BYMONTH=" + list(1, 12) + ";BYMONTHDAY=" + list(1, 31) + ";BYHOUR=" + list(0, 23) +
		";BYMINUTE=" + list(0, 59) + ";BYSECOND=" + list(0, 59)
	return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:bomb\r\nDTSTART:20260101T000000Z\r\n" + rule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}
