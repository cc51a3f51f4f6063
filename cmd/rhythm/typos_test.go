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
