package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

func TestDecideContract(t *testing.T) {
	code, out, errs := runCLI(t, "", "decide", "--stakeholders", "7", "--zones", "4", "--ambiguity", "low", "--urgency", "days",
		"--relationship", "low", "--purpose", "weekly status update")
	if code != 2 || !strings.Contains(errs, `--purpose: unknown purpose "weekly status update"; valid: general, status_update,`) {
		t.Errorf("unknown purpose: exit %d, stderr %q", code, errs)
	}
	code, out, errs = runCLI(t, "", "decide", "--stakeholders", "7", "--zones", "4", "--ambiguity", "low", "--urgency", "days",
		"--relationship", "low", "--purpose", "status update")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"ASYNC", "[flow-start-async] 7 stakeholders across 4 time zones", "Matrix", "Inclusivity", "Owner:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(t, "", "decide", "--stakeholders", "2", "--zones", "1", "--ambiguity", "high", "--urgency", "hours",
		"--relationship", "high", "--purpose", "conflict", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("--json printed %d lines, want one JSON object", strings.Count(out, "\n"))
	}
	var d decide.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if d.Mode != decide.Sync || d.Trace[len(d.Trace)-1].Rule != "result" {
		t.Errorf("conflict: mode %s, want sync with a trace", d.Mode)
	}
}

func TestDecideWithRoster(t *testing.T) {
	code, out, errs := runCLI(t, "", "decide", "--purpose", "brainstorm", "--ambiguity", "high", "--roster", "testdata/odd-zones.yaml",
		"--with", "sujan@example.com,Liam O'Brien,U0LIAM,zoe@example.com", "--now", "2026-03-03T09:00:00Z", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d decide.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Facts.Stakeholders != 3 || d.Facts.Zones != 3 || d.Facts.OverlapHours == nil {
		t.Errorf("facts = %d stakeholders, %d zones, overlap %v; want 3 (Liam named twice), 3, derived", d.Facts.Stakeholders, d.Facts.Zones, d.Facts.OverlapHours)
	}
	if d.Advice.ResponseWindow != team.Duration(12*time.Hour) {
		t.Errorf("response window = %s, want the roster's 12h", d.Advice.ResponseWindow)
	}
	data, _ := os.ReadFile("testdata/odd-zones.yaml")
	tm, _ := team.ParseRoster("odd-zones.yaml", data)
	if d.Mode == decide.Sync || len(d.Advice.DueBy) != 3 {
		t.Fatalf("mode %s with %d due-by times, want async or hybrid with 3", d.Mode, len(d.Advice.DueBy))
	}
	for _, du := range d.Advice.DueBy {
		m, _ := tm.Member(du.Name)
		if !m.InWorkingHours(du.At) && !m.InWorkingHours(du.At.Add(-time.Minute)) {
			t.Errorf("%s is due %s, outside their working hours", du.Name, du.Local)
		}
	}
}

func TestDecideBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badNorms := write("norms.yaml", "team: T\nnorms: {decide: {sync_threshold: 2}}\nmembers:\n  - {name: A, email: a@x.org, zone: UTC}\n")
	policy := string(decide.DefaultPolicyYAML())
	brokenPolicy := write("broken.yaml", strings.Replace(policy, `when: {purpose: [conflict]}`, `when: {purpose: [conflict], mood: "> 2"}`, 1))
	line := strings.Count(policy[:strings.Index(policy, `when: {purpose: [conflict]}`)], "\n") + 1
	malformedPolicy := write("malformed.yaml", "version: [1\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown purpose", []string{"--purpose", "party"}, `--purpose: unknown purpose "party"; valid: general,`},
		{"negative stakeholders", []string{"--stakeholders", "-3"}, "--stakeholders: must be 1..100000, got -3"},
		{"zero zones", []string{"--zones", "0"}, "--zones: must be 1..40, got 0"},
		{"more zones than people", []string{"--stakeholders", "2", "--zones", "5"}, "--zones: 5 time zones for 2 stakeholders"},
		{"bad ambiguity", []string{"--ambiguity", "huge"}, `--ambiguity: "huge" is not one of low, medium, high`},
		{"bad relationship", []string{"--relationship", "warm"}, `--relationship: "warm" is not one of low, medium, high`},
		{"bad urgency", []string{"--urgency", "soon"}, `--urgency: "soon" is not now, hours, days, week or a duration such as 1h or 3d`},
		{"negative overlap", []string{"--overlap", "-2"}, "--overlap: must be 0..168 hours a week, got -2"},
		{"not a number", []string{"--stakeholders", "many"}, `invalid argument "many" for "--stakeholders" flag`},
		{"unknown member", []string{"--roster", "testdata/odd-zones.yaml", "--with", "nobody@example.com"}, `--with: "nobody@example.com" is not on team Odd Zones (members: Liam O'Brien <liam@example.com>,`},
		{"with and no roster", []string{"--with", "a@x.org"}, "--with: naming participants needs a roster"},
		{"unknown norms.decide name", []string{"--roster", badNorms}, badNorms + `: norms.decide: unknown name "sync_threshold"; valid names: sync_at,`},
		{"broken policy", []string{"--policy", brokenPolicy}, brokenPolicy + ":" + strconv.Itoa(line) + `: rules[1].when.mood: unknown fact "mood"`},
		{"malformed policy", []string{"--policy", malformedPolicy}, malformedPolicy + ":1:"},
		{"missing roster", []string{"--roster", filepath.Join(dir, "none.yaml")}, "--roster: open"},
		{"bad now", []string{"--now", "tomorrow"}, `--now: "tomorrow" is not a time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", append([]string{"decide"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit = %d, want 2 (stdout %q)", code, out)
			}
			if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.want) {
				t.Errorf("stderr = %q, want one line containing %q", errs, tt.want)
			}
		})
	}
}

func TestDecidePrintPolicy(t *testing.T) {
	code, out, errs := runCLI(t, "", "decide", "--print-policy")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := decide.ParsePolicy("printed.yaml", []byte(out)); err != nil {
		t.Errorf("the printed policy does not parse: %v", err)
	}
	if !strings.Contains(out, "# rhythm decision policy.") {
		t.Errorf("the printed policy lacks its documentation")
	}
}
