package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScheduleBusyFromCalendars: Ana's recurring meeting, read from her
// calendar file with --busy, takes the only time both share; schedule
// proposes the next best and says why.
func TestScheduleBusyFromCalendars(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "team.yaml")
	os.WriteFile(roster, []byte(`team: T
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Berlin, hours: "16:00-18:00"}
  - {name: Ben Ode, email: ben@example.com, zone: America/New_York, hours: "09:00-17:00"}
`), 0o600)
	own := filepath.Join(dir, "ana.ics")
	os.WriteFile(own, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:focus@test\r\n"+
		"DTSTART;TZID=Europe/Berlin:20260112T160000\r\nDURATION:PT2H\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 0o600)
	invites := filepath.Join(dir, "invites.ics")
	os.WriteFile(invites, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:review@test\r\n"+
		"DTSTART;TZID=Europe/Berlin:20260112T160000\r\nDURATION:PT2H\r\nRRULE:FREQ=DAILY;COUNT=5\r\n"+
		"ORGANIZER:mailto:someone@other.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 0o600)

	for name, spec := range map[string]string{"owner=file": "ana=" + own, "invited": invites} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "schedule", "--roster", roster, "--duration", "1h", "--tz", "Europe/Berlin",
				"--between", "2026-01-12", "2026-01-16", "--busy", spec)
			if code != 0 || !strings.Contains(out, "taken by the busy time or days off of ana@example.com") {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
		})
	}
	code, out, _ := runCLI(t, "", "schedule", "--roster", roster, "--duration", "1h", "--tz", "Europe/Berlin", "--between", "2026-01-12", "2026-01-16")
	if code != 0 || strings.Contains(out, "taken by the busy time") {
		t.Fatalf("without --busy: %d\n%s", code, out)
	}
	// An event too dense to expand beside Ana's meeting: left out with a
	// warning, her meeting still blocks the time.
	dense := filepath.Join(dir, "dense.ics")
	os.WriteFile(dense, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:focus@test\r\n"+
		"DTSTART;TZID=Europe/Berlin:20260112T160000\r\nDURATION:PT2H\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n"+
		"BEGIN:VEVENT\r\nUID:bad2\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 0o600)
	var errs string
	code, out, errs = runCLI(t, "", "schedule", "--roster", roster, "--duration", "1h", "--tz", "Europe/Berlin",
		"--between", "2026-01-12", "2026-01-16", "--busy", "ana="+dense)
	wantWarn := "rhythm: warning: --busy " + dense + `:10: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`
	if code != 0 || !strings.Contains(out, "taken by the busy time or days off of ana@example.com") || !strings.Contains(errs, wantWarn) {
		t.Errorf("a dense event: exit %d\n%s\n%s\nwant ana busy and the warning %s", code, out, errs, wantWarn)
	}
	for _, bad := range []string{filepath.Join(dir, "missing.ics"), "zed=" + own, roster} {
		code, _, errs := runCLI(t, "", "schedule", "--roster", roster, "--duration", "1h", "--busy", bad)
		if code != 2 || !strings.Contains(errs, "rhythm:") {
			t.Errorf("--busy %s: exit %d %s", bad, code, errs)
		}
	}
}
