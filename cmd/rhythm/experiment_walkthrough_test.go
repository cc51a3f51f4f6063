package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/experiment"
)

// TestExperimentWalkthroughFromCSV runs the README's experiments
// walkthrough through the CLI: gen --teams 20 --effect meeting_hours=-2,
// import and audit each team, create the experiment, take gen's arms with
// assign --from-csv, analyze. The interval must exclude 0 and contain the
// effect measured on the audited figures, which lies near the injected −2.
func TestExperimentWalkthroughFromCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and audits 20 teams")
	}
	dir := t.TempDir()
	data, db := filepath.Join(dir, "ab-data"), filepath.Join(dir, "ab.db")
	mustRun(t, "gen", "--people", "120", "--weeks", "12", "--teams", "20", "--effect", "meeting_hours=-2", "--seed", "1", "--out", data)
	var teams []string
	for i := 1; i <= 20; i++ {
		name := fmt.Sprintf("Acme Engineering %d", i)
		teams = append(teams, name)
		mustRun(t, "team", "import", filepath.Join(data, fmt.Sprintf("team-%d.yaml", i)), "--db", db)
		mustRun(t, "import", "--team", name, filepath.Join(data, "calendar.ics"), "--db", db)
		mustRun(t, "audit", "--team", name, "--from", "2026-02-02", "--to", "2026-04-26", "--save", "--format", "json", "--db", db)
	}
	mustRun(t, "experiment", "create", "--name", "Drop the weekly sync", "--team", strings.Join(teams, ","), "--arm", "control", "--arm", "treatment",
		"--baseline", "2026-02-02/2026-03-15", "--treatment", "2026-03-16/2026-04-26", "--outcome", "meeting_hours", "--seed", "1", "--db", db)
	out := mustRun(t, "experiment", "assign", "1", "--from-csv", filepath.Join(data, "assignment.csv"), "--db", db)
	csv, err := os.ReadFile(filepath.Join(data, "assignment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(csv)), "\n")[1:] {
		f := strings.Split(line, ",")
		if !strings.Contains(out, f[0]+"  ") || !strings.Contains(out, f[1]) {
			t.Fatalf("assign did not take gen's arm %s for %s:\n%s", f[1], f[0], out)
		}
	}
	var rep experiment.Report
	if err := json.Unmarshal([]byte(mustRun(t, "experiment", "analyze", "1", "--format", "json", "--db", db)), &rep); err != nil {
		t.Fatal(err)
	}
	c := rep.Outcomes[0].Comparisons[0]
	measured := (c.ArmTreatment - c.ArmBaseline) - (c.ControlTreatment - c.ControlBaseline)
	t.Logf("estimate %.2f [%.2f, %.2f], measured %.2f", c.Effect.Estimate, c.Effect.CI.Lo, c.Effect.CI.Hi, measured)
	if c.NArm != 10 || c.NControl != 10 {
		t.Fatalf("units %d + %d, want 10 + 10", c.NArm, c.NControl)
	}
	if c.Effect.CI.Lo > measured || c.Effect.CI.Hi < measured || !c.Effect.CI.ExcludesZero() {
		t.Errorf("interval [%.2f, %.2f]: want it to exclude 0 and contain the measured %.2f", c.Effect.CI.Lo, c.Effect.CI.Hi, measured)
	}
	if measured > -1.6 || measured < -2.2 {
		t.Errorf("measured effect %.2f, want near the injected -2 (the audit counts overlaps once)", measured)
	}
}

// TestExperimentAssignFromCSVRefusals: a file that does not fit the
// experiment is refused with the reason, and nothing is assigned.
func TestExperimentAssignFromCSVRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	var names []string
	for _, n := range []string{"A1", "A2", "B1", "B2"} {
		p := filepath.Join(dir, n+".yaml")
		os.WriteFile(p, []byte("team: "+n+"\nmembers:\n  - {name: P "+n+", email: p@"+n+".example, zone: UTC}\n"), 0o644)
		mustRun(t, "team", "import", p, "--db", db)
		names = append(names, n)
	}
	mustRun(t, "experiment", "create", "--name", "X", "--team", strings.Join(names, ","), "--arm", "control", "--arm", "treatment",
		"--baseline", "2026-01-05/2026-02-01", "--treatment", "2026-02-09/2026-03-08", "--outcome", "meeting_hours", "--db", db)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	tests := []struct{ name, file, want string }{
		{"no arm column", write("a.csv", "team,group\nA1,control\n"), "a.csv:1: the header needs a unit (or team) column and an arm column"},
		{"unknown arm", write("b.csv", "team,arm\nA1,control\nA2,control\nB1,treated\nB2,treatment\n"), `assignment: B1: arm "treated" is not one of "control", "treatment"`},
		{"unknown unit", write("c.csv", "team,arm\nA1,control\nA2,control\nB1,treatment\nZ9,treatment\n"), `assignment: "Z9" is not a unit of experiment "X"`},
		{"missing unit", write("d.csv", "team,arm\nA1,control\nA2,control\nB1,treatment\n"), `assignment: unit "B2" of the experiment has no arm in the file`},
		{"unit twice", write("e.csv", "team,arm\nA1,control\na1,treatment\n"), `e.csv:3: team: "a1" is listed already on line 2`},
		{"one unit in an arm", write("f.csv", "team,arm\nA1,control\nA2,control\nB1,control\nB2,treatment\n"), `assignment: arm "treatment" has 1 units; each arm needs at least 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUsageError(t, tt.want, "experiment", "assign", "1", "--from-csv", tt.file, "--db", db)
		})
	}
	out := mustRun(t, "experiment", "assign", "1", "--from-csv", write("ok.csv", "unit,arm\nA1,Control\nB1,control\nA2,treatment\nB2,treatment\n"), "--db", db)
	if !strings.Contains(out, "A1    control") || !strings.Contains(out, "B2    treatment") {
		t.Errorf("assign --from-csv:\n%s", out)
	}
	wantConflict := func() {
		code, _, errs := runCLI(t, "", "experiment", "assign", "1", "--db", db)
		if code == 0 || !strings.Contains(errs, "assigned already") {
			t.Errorf("second assign: exit %d %s", code, errs)
		}
	}
	wantConflict()
}
