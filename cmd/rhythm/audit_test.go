package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/audit"
)

func TestAuditGenerated(t *testing.T) {
	dir, db := genTeam(t)
	slackZip, mbox := filepath.Join(dir, "slack-export.zip"), filepath.Join(dir, "mail.mbox")
	roster := filepath.Join(dir, "team.yaml")
	out := filepath.Join(dir, "audit.json")
	code, _, errs := runCLI(t, "", "audit", "--roster", roster, "--slack", slackZip, "--mbox", mbox,
		"--from", "2026-02-02", "--to", "2026-02-15", "--format", "json", "--out", out)
	if code != 0 {
		t.Fatalf("audit exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(errs, "wrote "+out+": 2026-02-02 to 2026-02-15, 12 people") {
		t.Errorf("stderr = %q", errs)
	}
	var rep audit.Report
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Current.Team.Suppressed || rep.Current.Team.PersonWeeks == 0 || rep.Current.Team.Messages == 0 || len(rep.Current.Weeks) != 2 || rep.MinGroup != 5 && rep.MinGroup != 3 {
		t.Errorf("report: %+v", rep.Current.Team)
	}

	// The same from stored imports, saved for the web pages, as CSV on stdout.
	if code, _, errs := runCLI(t, "", "import", "--team", "Acme Engineering", "--db", db, slackZip, mbox); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, csv, errs := runCLI(t, "", "audit", "--team", "Acme Engineering", "--db", db, "--from", "2026-02-02", "--to", "2026-02-15",
		"--format", "csv", "--save")
	if code != 0 {
		t.Fatalf("stored audit exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(csv, "section,period,group,metric,value,note\n") || !strings.Contains(errs, `saved audit 1 of team "Acme Engineering"`) {
		t.Errorf("stored audit: stdout %.80q…, stderr %q", csv, errs)
	}
	if !strings.Contains(csv, "current,2026-02-02..2026-02-15,Acme Engineering,messages,") {
		t.Errorf("CSV has no team messages row")
	}

	// The team's figures feed rhythm decide.
	figures := filepath.Join(dir, "figures.json")
	if code, _, errs := runCLI(t, "", "audit", "--roster", roster, "--slack", slackZip, "--mbox", mbox, "--from", "2026-02-02", "--to", "2026-02-15",
		"--format", "json", "--out", filepath.Join(dir, "again.json"), "--figures", figures); code != 0 {
		t.Fatalf("audit --figures exit %d: %s", code, errs)
	}
	code, decision, errs := runCLI(t, "", "decide", "--stakeholders", "4", "--zones", "3", "--ambiguity", "low", "--urgency", "days",
		"--relationship", "low", "--figures", figures, "--json")
	if code != 0 || !strings.Contains(decision, `"team_figures":{"measured":true`) {
		t.Errorf("decide --figures exit %d: %.300s %s", code, decision, errs)
	}

	// HTML with a baseline period.
	code, html, errs := runCLI(t, "", "audit", "--roster", roster, "--slack", slackZip, "--from", "2026-02-09", "--to", "2026-02-15",
		"--compare-from", "2026-02-02", "--compare-to", "2026-02-08")
	if code != 0 {
		t.Fatalf("html audit exit %d: %s", code, errs)
	}
	for _, want := range []string{"<!doctype html>", `id="chart-weekly"`, `id="chart-burden"`, `id="deltas"`, "compared with 2026-02-02 to 2026-02-08"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestAuditLeavesOutAnEventTooDenseToExpand: a calendar with one event
// too dense to expand is audited without it, with a warning naming it.
func TestAuditLeavesOutAnEventTooDenseToExpand(t *testing.T) {
	dir, _ := genTeam(t)
	data, err := os.ReadFile(filepath.Join(dir, "calendar.ics"))
	if err != nil {
		t.Fatal(err)
	}
	body := string(data)
	end := strings.LastIndex(body, "END:VCALENDAR")
	line := strings.Count(body[:end], "\n") + 1
	dense := filepath.Join(dir, "dense.ics")
	os.WriteFile(dense, []byte(body[:end]+"BEGIN:VEVENT\r\nUID:bad2\r\nDTSTART:20260202T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"+body[end:]), 0o644)
	window := []string{"--from", "2026-02-02", "--to", "2026-02-15", "--format", "json"}
	code, plain, errs := runCLI(t, "", append([]string{"audit", "--roster", filepath.Join(dir, "team.yaml"), "--calendar", filepath.Join(dir, "calendar.ics")}, window...)...)
	if code != 0 {
		t.Fatalf("audit of the generated calendar: exit %d %s", code, errs)
	}
	code, got, errs := runCLI(t, "", append([]string{"audit", "--roster", filepath.Join(dir, "team.yaml"), "--calendar", dense}, window...)...)
	want := fmt.Sprintf(`rhythm: warning: %s:%d: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`, dense, line)
	if code != 0 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, stderr %q; want 0 and %q", code, errs, want)
	}
	if got != plain {
		t.Errorf("the audit differs from that of the calendar without the dense event")
	}
}

func TestAuditBadInput(t *testing.T) {
	dir, db := genTeam(t)
	roster := filepath.Join(dir, "team.yaml")
	slackZip, mbox := filepath.Join(dir, "slack-export.zip"), filepath.Join(dir, "mail.mbox")
	empty := filepath.Join(dir, "empty.mbox")
	os.WriteFile(empty, nil, 0o644)
	window := []string{"--from", "2026-02-02", "--to", "2026-02-15"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"from after to", []string{"--roster", roster, "--slack", slackZip, "--from", "2026-03-01", "--to", "2026-02-01"}, "--from 2026-03-01 is after --to 2026-02-01"},
		{"no from", []string{"--roster", roster, "--slack", slackZip, "--to", "2026-02-01"}, "--from is required"},
		{"bad date", []string{"--roster", roster, "--slack", slackZip, "--from", "2026-02-30", "--to", "2026-03-01"}, `--from: "2026-02-30" is not a date`},
		{"unknown team", append([]string{"--team", "Nobody", "--db", db}, window...), `--team: no team "Nobody"`},
		{"no roster", append([]string{"--slack", slackZip}, window...), "--roster or --team is required"},
		{"roster and team", append([]string{"--roster", roster, "--team", "x", "--slack", slackZip}, window...), "either --roster or --team"},
		{"no inputs", append([]string{"--roster", roster}, window...), "no inputs: give --calendar, --slack, --mbox or --csv"},
		{"empty mbox", append([]string{"--roster", roster, "--mbox", empty}, window...), "empty.mbox"},
		{"missing file", append([]string{"--roster", roster, "--mbox", filepath.Join(dir, "nope.mbox")}, window...), "nope.mbox"},
		{"wrong kind", append([]string{"--roster", roster, "--slack", mbox}, window...), "--slack " + mbox + ": this is an mbox mailbox, not a Slack export"},
		{"nothing in the window", []string{"--roster", roster, "--slack", slackZip, "--from", "2025-01-01", "--to", "2025-01-31"}, "none of the"},
		{"stored team without imports", append([]string{"--team", "Acme Engineering", "--db", db}, window...), "has no stored imports"},
		{"min group below 3", append([]string{"--roster", roster, "--slack", slackZip, "--min-group", "2"}, window...), "--min-group 2: groups of fewer than 3"},
		{"unknown format", append([]string{"--roster", roster, "--slack", slackZip, "--format", "xml"}, window...), `--format: "xml" is not text, html, json or csv`},
		{"compare half given", append([]string{"--roster", roster, "--slack", slackZip, "--compare-from", "2026-01-01"}, window...), "--compare-from and --compare-to go together"},
		{"bad cost", append([]string{"--roster", roster, "--slack", slackZip, "--chat-minutes", "0"}, window...), "--chat-minutes must be more than 0"},
		{"save without stored team", append([]string{"--roster", filepath.Join("..", "..", "demo", "team.yaml"), "--slack", slackZip, "--save", "--db", db}, window...), "--save: team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", append([]string{"audit"}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, errs, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %.100q, want nothing", out)
			}
		})
	}
}
