package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const lintRoster = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Rui Costa, email: rui@example.com, zone: Europe/Lisbon, hours: "08:00-16:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLILintPlanned(t *testing.T) {
	roster := writeFile(t, "team.yaml", lintRoster)
	good := []string{"lint", "--roster", roster, "--title", "Decide the Q2 goal", "--start", "2026-03-10T11:00:00Z", "--duration", "30m",
		"--organizer", "Ana Silva", "--attendees", "rui@example.com,sujan@example.com", "--purpose", "Choose between growth and margin",
		"--pre-read", "https://docs.example.com/q2", "--pre-read-at", "2026-03-08T09:00:00Z", "--decision-owner", "ana@example.com"}
	code, out, errs := runCLI(t, "", good...)
	if code != 0 || !strings.Contains(out, "1 meeting checked: 0 errors, 0 warnings") {
		t.Errorf("good meeting: exit %d\n%s%s", code, out, errs)
	}
	// On the no-meeting day, an hour long: errors, exit 1.
	bad := append(append([]string{}, good...), "--json")
	bad[6], bad[8] = "2026-03-11T10:00:00Z", "60m"
	code, out, _ = runCLI(t, "", bad...)
	var rules []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct{ Rule, Severity, Event, Fix string }
		if err := json.Unmarshal([]byte(line), &f); err != nil || f.Fix == "" || f.Event != "Decide the Q2 goal" {
			t.Fatalf("finding %q: %v", line, err)
		}
		rules = append(rules, f.Severity+" "+f.Rule)
	}
	if code != 1 || strings.Join(rules, ", ") != "error too-long, error no-meeting-day" {
		t.Errorf("exit %d, findings %v; want 1 with too-long and no-meeting-day errors", code, rules)
	}
	// Warnings alone exit 0.
	warn := append(append([]string{}, good[:len(good)-6]...), "--repeat", "weekly", "--count", "4")
	code, out, _ = runCLI(t, "", warn...)
	if code != 0 || !strings.Contains(out, "warning no-pre-read") || !strings.Contains(out, "warning no-decision-owner") || !strings.Contains(out, "0 errors, 2 warnings") {
		t.Errorf("warnings only: exit %d\n%s", code, out)
	}
	// A JSON file with two meetings.
	file := writeFile(t, "planned.json", `[{"title":"A","start":"2026-03-10 11:00","duration":"30m","organizer":"ana@example.com","agenda":"Agenda: one thing to settle"},
		{"title":"B","start":"2026-03-10 11:00","duration":"30m","organizer":"ana@example.com","agenda":"Agenda: one thing to settle"}]`)
	if code, out, errs := runCLI(t, "", "lint", "--roster", roster, "--meeting", file); code != 0 || !strings.Contains(out, "2 meetings checked") {
		t.Errorf("--meeting file: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, `{"title":"C","start":"2026-03-10 11:00","duration":"30m"}`, "lint", "--roster", roster, "--meeting", "-"); code != 1 || !strings.Contains(out, "no-purpose") {
		t.Errorf("--meeting -: exit %d\n%s", code, out)
	}
}

func TestCLILintBadInput(t *testing.T) {
	roster := writeFile(t, "team.yaml", lintRoster)
	badJSON := writeFile(t, "bad.json", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"soon"}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no roster", []string{"lint", "--title", "x"}, "--roster is required"},
		{"nothing to lint", []string{"lint", "--roster", roster}, "give a calendar file"},
		{"bad start", []string{"lint", "--roster", roster, "--title", "x", "--start", "soon", "--duration", "30m"}, "--start:"},
		{"bad duration", []string{"lint", "--roster", roster, "--title", "x", "--start", "2026-03-10T11:00:00Z", "--duration", "long"}, "--duration:"},
		{"bad pre-read time", []string{"lint", "--roster", roster, "--title", "x", "--start", "2026-03-10T11:00:00Z", "--duration", "30m", "--pre-read-at", "x"}, "--pre-read-at:"},
		{"stranger", []string{"lint", "--roster", roster, "--title", "x", "--start", "2026-03-10T11:00:00Z", "--duration", "30m", "--attendees", "Bob"}, "--attendees[0]:"},
		{"bad file field", []string{"lint", "--roster", roster, "--meeting", badJSON}, badJSON + ": duration:"},
		{"unknown rule", []string{"lint", "--roster", roster, "--disable", "be-nice", "--title", "x"}, "--disable:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, errs, tt.want)
			}
		})
	}
}

func TestCLILintCalendar(t *testing.T) {
	roster := writeFile(t, "team.yaml", strings.Replace(lintRoster, "members:\n", "members:\n  - {name: Maya Cohen, email: maya@example.com, zone: America/New_York, hours: \"08:00-16:00\"}\n  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: \"10:00-18:00\"}\n", 1))
	cal := "../../lint/testdata/rules.ics"
	code, out, errs := runCLI(t, "", "lint", cal, "--roster", roster, "--from", "2026-03-09", "--to", "2026-04-06", "--json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (error-level findings); stderr %s", code, errs)
	}
	fired := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct {
			Event, Rule string
			Line        int
		}
		if err := json.Unmarshal([]byte(line), &f); err != nil || f.Line == 0 {
			t.Fatalf("finding %q: %v", line, err)
		}
		fired[f.Event+" "+f.Rule] = true
	}
	for _, want := range []string{"fires-no-purpose no-purpose", "fires-too-long too-long", "fires-no-meeting-day no-meeting-day", "fires-recurring-no-end recurring-no-end"} {
		if !fired[want] {
			t.Errorf("no finding %q", want)
		}
	}
	if fired["passes-too-long too-long"] {
		t.Error("passes-too-long fired")
	}
	// Only warnings: exit 0.
	if code, _, _ := runCLI(t, "", "lint", cal, "--roster", roster, "--from", "2026-03-09", "--disable", "no-purpose,too-long,outside-hours,no-meeting-day"); code != 0 {
		t.Errorf("warnings only: exit %d, want 0", code)
	}
	bad := writeFile(t, "bad.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026031\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	code, _, errs = runCLI(t, "", "lint", bad, "--roster", roster)
	if code != 0 || !strings.Contains(errs, bad+`:5: event "x": DTSTART: invalid date-time`) {
		t.Errorf("malformed event: exit %d %q, want it skipped with a warning naming file and line", code, errs)
	}
	dense := writeFile(t, "dense.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260309T000000Z\r\n"+
		"RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	code, _, errs = runCLI(t, "", "lint", dense, "--roster", roster)
	if code != 0 || !strings.Contains(errs, "rhythm: warning: "+dense+`:3: event "x": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`) {
		t.Errorf("event too dense to expand: exit %d %q, want it skipped with a warning naming file and line", code, errs)
	}
	notCal := writeFile(t, "notes.txt", "hello\n")
	if code, _, errs := runCLI(t, "", "lint", notCal, "--roster", roster); code != 2 || !strings.Contains(errs, "notes.txt") {
		t.Errorf("not a calendar: exit %d %q, want 2 naming the file", code, errs)
	}
	if code, _, errs := runCLI(t, "", "lint", cal, "--roster", roster, "--from", "soon"); code != 2 || !strings.Contains(errs, "--from:") {
		t.Errorf("bad --from: exit %d %q", code, errs)
	}
}
