package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingDatabaseRefused: a command that reads stored data refuses a
// SQLite path that does not exist instead of creating an empty database.
func TestMissingDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"team", "list"},
		{"team", "show", "Platform"},
		{"thread", "list", "--team", "Platform"},
		{"pulse", "results", "1"},
		{"experiment", "show", "1"},
		{"store", "checksum"},
		{"audit", "--team", "Platform", "--from", "2026-01-01", "--to", "2026-01-31"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errs := runCLI(t, "", append(args, "--db", typo)...)
			want := "rhythm: no database at " + typo + "; `rhythm team import` creates one\n"
			if args[0] == "store" {
				want = "rhythm: --db " + typo + ": no database there (no such file or directory)\n"
			}
			if code != 2 || errs != want {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, want)
			}
			if _, err := os.Stat(typo); err == nil {
				t.Fatal("the command created the database")
			}
		})
	}
	// team import creates it.
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/triangle.yaml", "--db", typo); code != 0 {
		t.Fatalf("team import: %s", errs)
	}
	if code, out, errs := runCLI(t, "", "team", "list", "--db", typo); code != 0 || !strings.Contains(out, "Triangle") {
		t.Errorf("team list after import: exit %d %s %s", code, out, errs)
	}
}

// TestConfigUnknownKey: a config key that is no flag is refused with its
// line and a suggestion; keys of other commands are allowed.
func TestConfigUnknownKey(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml, want string
	}{
		{"misspelled db", "addr: \":0\"\ndatabase: real.db\n", `c.yaml:2: unknown key "database" (did you mean db?)`},
		{"near flag", "log-levl: warn\n", `c.yaml:1: unknown key "log-levl" (did you mean log-level?)`},
		{"far from any flag", "db: x.db\n\nfrobnicate: 1\n", `c.yaml:3: unknown key "frobnicate" (keys are flag names, e.g. db, addr)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCLI(t, "", "--config", path, "team", "list")
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
		})
	}
	// A key of another command (serve's addr) in a shared file is fine.
	db := filepath.Join(dir, "ok.db")
	mustRun(t, "team", "import", "testdata/triangle.yaml", "--db", db)
	path := filepath.Join(dir, "shared.yaml")
	os.WriteFile(path, []byte("addr: \":9999\"\ndb: "+db+"\nmetrics-token: abcdefghijklmnopq\n"), 0o644)
	if code, out, errs := runCLI(t, "", "--config", path, "team", "list"); code != 0 || !strings.Contains(out, "Triangle") {
		t.Errorf("shared config: exit %d %s %s", code, out, errs)
	}
}

// TestServeLogsDatabase: serve says which database it opened.
func TestServeLogsDatabase(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "logged.db")
	_, logs := startServerLogs(t, "--db", dsn)
	if !strings.Contains(logs.String(), "msg=\"database opened\" db=sqlite:"+dsn+" new=true") {
		t.Errorf("serve logs lack the database:\n%s", logs)
	}
}

// TestServeDemoRefusesRealData: --demo over a database with real teams or
// users is refused, and nothing is added to it.
func TestServeDemoRefusesRealData(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "real.db")
	mustRun(t, "team", "import", "testdata/triangle.yaml", "--db", dsn)
	code, _, errs := runCLI(t, "", "serve", "--demo", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != 2 || !strings.Contains(errs, `holds team "Triangle", which is not demo data; --demo needs a new database`) {
		t.Fatalf("serve --demo over real data: exit %d %q", code, errs)
	}
	if out := mustRun(t, "user", "list", "--db", dsn); strings.Contains(out, "admin@demo.example") {
		t.Errorf("the demo admin was added to the real database:\n%s", out)
	}
}

// TestTyposRefused: misspelled teams, outcomes, impossible rounds and more
// answers than people are refused with the reason and the valid values.
func TestTyposRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	mustRun(t, "team", "import", "testdata/triangle.yaml", "--db", db)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"Delta", "Echo"} {
		mustRun(t, "team", "import", write(name+".yaml", "team: "+name+"\nmembers:\n  - {name: Zed "+name+", email: zed@"+name+".example, zone: UTC}\n"), "--db", db)
	}
	mustRun(t, "pulse", "round", "create", "--team", "Triangle", "--opens", "2020-01-01", "--closes", "2020-01-10", "--imported", "--db", db)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"metrics for a misspelled team", []string{"pulse", "metrics", "import", write("m.csv", "team,period,meeting_hours\nTriangle,2026-Q1,3\nTriangel,2026-Q1,4\n")},
			`sample 2: unit "Triangel" is no team or member email here (teams: Delta, Echo, Pulse Team, Triangle)`},
		{"outcome misspelled", []string{"experiment", "create", "--name", "X", "--team", "Triangle,Pulse Team,Delta,Echo", "--baseline", "2026-01-05/2026-02-01",
			"--treatment", "2026-02-09/2026-03-08", "--outcome", "meeting_hourz"}, `outcomes[0]: no metric "meeting_hourz" is measured here (did you mean meeting_hours? known: `},
		{"round wholly in the past", []string{"pulse", "round", "create", "--team", "Triangle", "--opens", "2020-03-01", "--closes", "2020-03-14"},
			"closes: 2020-03-15 00:00 UTC is in the past, so nobody could answer the round"},
		{"more answers than members", []string{"pulse", "import", "1", write("six.csv", "enps\n9\n9\n9\n2\n7\n8\n")},
			`6 answers would give the round 6 responses, but team "Triangle" has 3 members (0 answered already): at most one answer per person`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantUsageError(t, tt.want, append(tt.args, "--db", db)...) })
	}
	// A stored metric becomes a known outcome; a member's email is a unit.
	mustRun(t, "pulse", "metrics", "import", write("ok.csv", "unit,period,deploys\nTriangle,2026-Q1,3\nana@example.com,2026-Q1,1\n"), "--db", db)
	mustRun(t, "experiment", "create", "--name", "Y", "--team", "Triangle,Pulse Team,Delta,Echo", "--baseline", "2026-01-05/2026-02-01",
		"--treatment", "2026-02-09/2026-03-08", "--outcome", "deploys", "--db", db)
}

// TestUnknownTeamIsBadInput: every command that takes --team answers a team
// that does not exist as bad input (exit 2) naming the flag, as thread and
// audit do.
func TestUnknownTeamIsBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	ics := filepath.Join(dir, "one.ics")
	body := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTART:20260105T143000Z\r\nDTEND:20260105T144500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := os.WriteFile(ics, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"import", []string{"import", "--team", "Nope", ics}},
		{"calendar list", []string{"calendar", "list", "--team", "Nope"}},
		{"calendar sync", []string{"calendar", "sync", "--team", "Nope"}},
		{"calendar add", []string{"calendar", "add", "--team", "Nope", "--ics-url", "https://calendar.example.com/x.ics"}},
		{"pulse round create", []string{"pulse", "round", "create", "--team", "Nope", "--opens", "2030-04-01", "--closes", "2030-04-14"}},
		{"pulse round list", []string{"pulse", "round", "list", "--team", "Nope"}},
		{"pulse churn", []string{"pulse", "churn", "--team", "Nope", "--from", "2025-01-01", "--to", "2026-03-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantUsageError(t, `--team: team "Nope" not found`, append(tt.args, "--db", db)...) })
	}
}
