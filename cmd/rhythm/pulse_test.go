package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/store"
)

// mustRun runs rhythm and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("rhythm %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// wantUsageError checks exit 2 and one line on stderr containing want.
func wantUsageError(t *testing.T, want string, args ...string) {
	t.Helper()
	code, _, errs := runCLI(t, "", args...)
	if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, want) {
		t.Errorf("rhythm %s: exit %d, stderr %q; want exit 2 and one line containing %q", strings.Join(args, " "), code, errs, want)
	}
}

func TestPulseRoundImportResultsExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pulse.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	out := mustRun(t, "pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-01-10", "--closes", "2020-01-20", "--imported", "--db", db)
	if !strings.Contains(out, "scheduled round 1") || !strings.Contains(out, "closes 2020-01-21 00:00 (UTC)") {
		t.Errorf("round create said %q", out)
	}
	if out := mustRun(t, "pulse", "import", "1", "testdata/responses.csv", "--db", db); !strings.Contains(out, "imported 6 responses") {
		t.Errorf("import said %q", out)
	}
	if out := mustRun(t, "pulse", "import", "1", "testdata/responses.csv", "--db", db); !strings.Contains(out, "nothing changed") {
		t.Errorf("second import said %q", out)
	}
	out = mustRun(t, "pulse", "results", "1", "--json", "--db", db)
	var res pulse.Results
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// 9, 10, 6, 8, 3, 9: three promoters, two detractors of six.
	if res.Suppressed || res.ENPS == nil || res.ENPS.N != 6 || res.ENPS.Promoters != 3 || res.ENPS.Detractors != 2 {
		t.Errorf("results = %+v", res)
	}
	if text := mustRun(t, "pulse", "results", "1", "--db", db); !strings.Contains(text, "eNPS +17 (95% CI [") {
		t.Errorf("results text:\n%s", text)
	}
	exported := mustRun(t, "pulse", "export", "1", "--db", db)
	if !strings.HasPrefix(exported, "enps,connected,uninterrupted_time,meetings_worthwhile\n") || strings.Count(exported, "\n") != 7 {
		t.Errorf("export:\n%s", exported)
	}
	out = mustRun(t, "pulse", "churn", "--team", "Pulse Team", "--from", "2020-01-01", "--to", "2020-06-30", "--json", "--db", db)
	var q1 pulse.ChurnRow
	json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &q1)
	if q1.Leavers != 1 || q1.Joiners != 1 || q1.StartHeadcount != 5 || q1.Rate <= 0 {
		t.Errorf("churn Q1 = %+v", q1)
	}
}

func TestPulseBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bad.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	mustRun(t, "pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-01-10", "--closes", "2020-01-20", "--imported", "--db", db)
	// A round that collected answers and has closed: only time makes one,
	// since the CLI refuses a round wholly in the past.
	sdb, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.CreateRound(context.Background(), "Pulse Team", pulse.Round{Opens: time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC), Closes: time.Date(2020, 1, 21, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }
	mustRun(t, "pulse", "round", "create", "--team", "Pulse Team", "--opens", day(10), "--closes", day(20), "--db", db)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"Likert 7", []string{"pulse", "import", "1", write("likert.csv", "enps,connected\n9,4\n8,7\n")}, "likert.csv:3: connected: 7 is not a Likert answer (1–5)"},
		{"eNPS 11", []string{"pulse", "import", "1", write("enps.csv", "enps,connected\n11,4\n")}, "enps.csv:2: enps: 11 is not an eNPS answer (0–10)"},
		{"identity column", []string{"pulse", "import", "1", write("who.csv", "email,enps\na@b.c,9\n")}, `who.csv:1: column "email": responses are anonymous`},
		{"round closes first", []string{"pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-03-10", "--closes", "2020-03-01"}, "closes:"},
		{"overlapping round", []string{"pulse", "round", "create", "--team", "Pulse Team", "--opens", day(15), "--closes", day(25)}, "opens: the round would overlap round 3"},
		{"round wholly in the past", []string{"pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-05-01", "--closes", "2020-05-14"}, "closes: 2020-05-15 00:00 UTC is in the past, so nobody could answer the round"},
		{"bad date", []string{"pulse", "round", "create", "--team", "Pulse Team", "--opens", "tomorrow", "--closes", "2020-03-01"}, `--opens: "tomorrow" is not a date`},
		{"bad round id", []string{"pulse", "results", "x1"}, `ROUND: "x1" is not an id`},
		{"bad metrics file", []string{"pulse", "metrics", "import", write("m.csv", "team,period,enps\nA,2026-Q9,1\n")}, `m.csv:2: period: "2026-Q9" is not a period`},
		{"bad format", []string{"pulse", "correlate", "--format", "pdf"}, `--format: "pdf" is not text, json or html`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantUsageError(t, tt.want, append(tt.args, "--db", db)...) })
	}
	code, _, errs := runCLI(t, "", "pulse", "import", "2", write("ok.csv", "enps\n9\n"), "--db", db)
	if code != 1 || !strings.Contains(errs, "round 2 closed on 2020-01-21 00:00 UTC; its results cannot change") {
		t.Errorf("import into a round that collected answers: exit %d %q, want a refusal", code, errs)
	}
	if out := mustRun(t, "pulse", "round", "list", "--team", "Pulse Team", "--json", "--db", db); !strings.Contains(out, `"responses":0`) {
		t.Errorf("failed imports stored responses: %s", out)
	}
}

func TestPulseResultsHiddenBelowMinGroupSize(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "small.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	mustRun(t, "pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-01-10", "--closes", "2020-01-20", "--imported", "--db", db)
	four := filepath.Join(dir, "four.csv")
	os.WriteFile(four, []byte("enps\n10\n9\n2\n7\n"), 0o644)
	mustRun(t, "pulse", "import", "1", four, "--db", db)
	out := mustRun(t, "pulse", "results", "1", "--db", db)
	if !strings.Contains(out, "4 responses; results need at least 5") || strings.Contains(out, "eNPS") {
		t.Errorf("results with 4 responses:\n%s", out)
	}
	code, _, errs := runCLI(t, "", "pulse", "export", "1", "--db", db)
	if code != 1 || !strings.Contains(errs, "results need at least 5") {
		t.Errorf("export with 4 responses: exit %d %q, want a refusal", code, errs)
	}
}

func TestPulseCorrelate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "corr.db")
	// With no database at the default path, the files alone are read.
	quarters, err := filepath.Abs("testdata/audit-quarters.csv")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	out := mustRun(t, "pulse", "correlate", "--metrics", quarters, "--resamples", "500")
	for _, want := range []string{"Association, not cause.", "sync_async_ratio and enps  (n = 40 team-quarters, 10 teams, 4 quarters)", "Spearman rho", "Kendall tau-b"} {
		if !strings.Contains(out, want) {
			t.Errorf("correlate output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat("rhythm.db"); err == nil {
		t.Error("correlate with files only created rhythm.db")
	}
	mustRun(t, "pulse", "metrics", "import", quarters, "--db", db)
	js := mustRun(t, "pulse", "correlate", "--x", "sync_async_ratio", "--y", "enps", "--format", "json", "--resamples", "500", "--db", db)
	var rep pulse.CorrelationReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].N != 40 || rep.Findings[0].Spearman.R > -0.3 {
		t.Errorf("stored samples: findings %+v", rep.Findings)
	}
	html := filepath.Join(t.TempDir(), "corr.html")
	mustRun(t, "pulse", "correlate", "--format", "html", "--out", html, "--resamples", "200", "--db", db)
	b, _ := os.ReadFile(html)
	if !strings.Contains(string(b), "Association, not cause.") || strings.Count(string(b), "<svg") != 2 {
		t.Errorf("HTML report: %d charts", strings.Count(string(b), "<svg"))
	}
}

// teamsDB stores n teams "Team 00"… of five members each.
func teamsDB(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "exp.db")
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "team: Team %02d\nmembers:\n", i)
		for j := range 5 + i%3 {
			fmt.Fprintf(&b, "  - {name: M%d, email: m%d-%d@example.com, zone: UTC}\n", j, i, j)
		}
		p := filepath.Join(dir, fmt.Sprintf("t%d.yaml", i))
		os.WriteFile(p, []byte(b.String()), 0o644)
		mustRun(t, "team", "import", p, "--db", db)
	}
	return db
}

// wantEffectOnce checks that out says the smallest detectable effect of 4
// teams per arm in the one plain sentence, its number once.
func wantEffectOnce(t *testing.T, what, out string) {
	t.Helper()
	const effect = "With 4 and 4 teams per arm, the smallest effect this experiment can detect is about 2.4 standard deviations of a team's change (80% power, 5% level).\n"
	if !strings.Contains(out, effect) || strings.Count(out, "about 2.4") != 1 || strings.Count(out, "standard deviations") != 1 || strings.Contains(out, " SD") {
		t.Errorf("%s says the effect other than once as %q:\n%s", what, effect, out)
	}
}

func TestExperimentCreateAssignShowAnalyze(t *testing.T) {
	db := teamsDB(t, 8)
	teams := "Team 00,Team 01,Team 02,Team 03,Team 04,Team 05,Team 06,Team 07"
	out := mustRun(t, "experiment", "create", "--name", "Async prep", "--team", teams,
		"--arm", "control", "--arm", "async prep + 20-min sync: prep in a doc, sync 25% shorter",
		"--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08",
		"--outcome", "meeting_hours", "--seed", "42", "--db", db)
	if !strings.Contains(out, `created experiment 1 "Async prep": 8 teams, 2 arms, seed 42`) || !strings.Contains(out, "warning: Low power: real effects") {
		t.Errorf("create said:\n%s", out)
	}
	wantEffectOnce(t, "create", out)
	assigned := mustRun(t, "experiment", "assign", "1", "--db", db)
	if strings.Count(assigned, "async prep + 20-min sync") != 4 || strings.Count(assigned, "control") != 4 {
		t.Errorf("assignment:\n%s", assigned)
	}
	code, _, errs := runCLI(t, "", "experiment", "assign", "1", "--db", db)
	if code != 1 || !strings.Contains(errs, "assigned already") {
		t.Errorf("second assign: exit %d %q", code, errs)
	}
	show := mustRun(t, "experiment", "show", "1", "--db", db)
	if !strings.Contains(show, assigned) {
		t.Errorf("show lacks the assignment:\n%s", show)
	}
	wantEffectOnce(t, "show", show)
	text := mustRun(t, "experiment", "analyze", "1", "--metrics", "testdata/audit-weeks.csv", "--resamples", "200", "--db", db)
	wantEffectOnce(t, "analyze", text)
	js := mustRun(t, "experiment", "analyze", "1", "--metrics", "testdata/audit-weeks.csv", "--format", "json", "--resamples", "500", "--db", db)
	var rep struct {
		Outcomes []struct {
			Metric      string
			Comparisons []struct {
				NArm     int `json:"n_arm"`
				NControl int `json:"n_control"`
				Effect   struct{ Estimate float64 }
				Error    string
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	c := rep.Outcomes[0].Comparisons[0]
	if c.Error != "" || c.NArm != 4 || c.NControl != 4 {
		t.Errorf("analysis: %+v", rep)
	}
	html := filepath.Join(t.TempDir(), "exp.html")
	mustRun(t, "experiment", "analyze", "1", "--metrics", "testdata/audit-weeks.csv", "--format", "html", "--out", html, "--resamples", "200", "--db", db)
	b, _ := os.ReadFile(html)
	if s := string(b); strings.Count(s, "<svg") != 2 || !strings.Contains(s, `id="assignments"`) {
		t.Errorf("HTML report has %d charts", strings.Count(s, "<svg"))
	}
	if list := mustRun(t, "experiment", "list", "--json", "--db", db); !strings.Contains(list, `"assigned":true`) {
		t.Errorf("list: %s", list)
	}
}

func TestExperimentBadInput(t *testing.T) {
	db := teamsDB(t, 4)
	base := []string{"experiment", "create", "--name", "X", "--outcome", "meeting_hours", "--db", db}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one unit per arm", []string{"--team", "Team 00,Team 01", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"},
			"--team: 2 teams take part, but 2 arms need at least 4 teams (2 per arm): with one team per arm there is no variation"},
		{"too few people", []string{"--units", "person", "--team", "Team 00", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"},
			"--team: the teams taking part have 5 people, but 2 arms need at least 10 people (5 per arm): smaller arms of people"},
		{"overlapping windows", []string{"--team", "Team 00,Team 01,Team 02,Team 03", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-01-27/2020-03-08"},
			"treatment: the window 2020-01-27/2020-03-08 overlaps the baseline window 2020-01-06/2020-02-02"},
		{"unknown team", []string{"--team", "Team 00,Nobody", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"}, `--team: team "Nobody" not found`},
		{"bad window", []string{"--team", "Team 00", "--baseline", "2020-02-30/2020-03-01", "--treatment", "2020-04"}, "--baseline:"},
		{"eNPS with person units", []string{"--units", "person", "--team", "Team 00,Team 01", "--outcome", "enps", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"}, "outcomes[1]: enps is measured per team"},
		{"no teams", []string{"--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"}, "--team:"},
		{"bad unit kind", []string{"--units", "squad", "--team", "Team 00", "--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08"}, `--units: "squad"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantUsageError(t, tt.want, append(base, tt.args...)...) })
	}
	if list := mustRun(t, "experiment", "list", "--json", "--db", db); list != "" {
		t.Errorf("failed creates stored experiments: %s", list)
	}
	wantUsageError(t, `ID: "one" is not an id`, "experiment", "show", "one", "--db", db)
	code, _, errs := runCLI(t, "", "experiment", "analyze", "99", "--db", db)
	if code != 1 || !strings.Contains(errs, "experiment 99 not found") {
		t.Errorf("unknown experiment: exit %d %q", code, errs)
	}
}

// TestMetricsImportSaysCounts: one sample is "1 sample", not "1 samples".
func TestMetricsImportSaysCounts(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	one := filepath.Join(dir, "one.csv")
	if err := os.WriteFile(one, []byte("team,period,meeting_hours,after_hours\nPlatform,2026-Q1,11.5,2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "pulse", "metrics", "import", one, "--db", db); out != "stored 2 values from 1 sample\n" {
		t.Errorf("metrics import said %q, want %q", out, "stored 2 values from 1 sample\n")
	}
}

// TestExperimentCountsPeopleAsPeople: an experiment over people says "11
// people" on create, list and show, never "11 persons".
func TestExperimentCountsPeopleAsPeople(t *testing.T) {
	db := teamsDB(t, 2)
	out := mustRun(t, "experiment", "create", "--name", "P", "--units", "person", "--team", "Team 00,Team 01", "--outcome", "meeting_hours",
		"--baseline", "2020-01-06/2020-02-02", "--treatment", "2020-02-10/2020-03-08", "--db", db)
	list := mustRun(t, "experiment", "list", "--db", db)
	show := mustRun(t, "experiment", "show", "1", "--db", db)
	for what, s := range map[string]string{"create": out, "list": list, "show": show} {
		if !strings.Contains(s, "11 people") || strings.Contains(s, "persons") {
			t.Errorf("experiment %s does not say 11 people:\n%s", what, s)
		}
	}
}
