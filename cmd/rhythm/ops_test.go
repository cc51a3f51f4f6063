package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// seeded returns the path of a SQLite file with realistic data.
func seeded(t *testing.T, users int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seeded.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Seed(t, db, users)
	db.Close()
	return path
}

func checksumOut(t *testing.T, dsn string) string {
	t.Helper()
	code, out, errs := runCLI(t, "", "store", "checksum", "--db", dsn)
	if code != 0 {
		t.Fatalf("store checksum: exit %d: %s", code, errs)
	}
	return out
}

func TestStoreCopyCommand(t *testing.T) {
	a := seeded(t, 200)
	pg := storetest.PostgresDSN(t)
	b := filepath.Join(t.TempDir(), "back.db")
	want := checksumOut(t, a)

	code, out, errs := runCLI(t, "", "store", "copy", "--from", a, "--to", pg)
	if code != 0 || !strings.Contains(out, "row counts and checksums match") {
		t.Fatalf("copy to PostgreSQL: exit %d\n%s%s", code, out, errs)
	}
	if got := checksumOut(t, pg); got != want {
		t.Errorf("PostgreSQL checksums:\n%s\nwant (SQLite):\n%s", got, want)
	}
	code, _, errs = runCLI(t, "", "store", "copy", "--from", a, "--to", pg)
	if code != 1 || !strings.Contains(errs, "--force") || strings.Count(errs, "\n") != 1 {
		t.Errorf("copy onto a non-empty target: exit %d, stderr %q; want exit 1 and one line naming --force", code, errs)
	}
	if code, out, errs = runCLI(t, "", "store", "copy", "--from", pg, "--to", b); code != 0 {
		t.Fatalf("copy back to SQLite: exit %d\n%s%s", code, out, errs)
	}
	if got := checksumOut(t, b); got != want {
		t.Errorf("after SQLite → PostgreSQL → SQLite the checksums are:\n%s\nwant:\n%s", got, want)
	}
	if code, _, errs = runCLI(t, "", "store", "copy", "--from", a, "--to", b, "--force"); code != 0 {
		t.Errorf("forced copy: exit %d: %s", code, errs)
	}

	for _, args := range [][]string{
		{"store", "copy", "--to", b},
		{"store", "copy", "--from", a, "--to", a},
		{"backup", "--db", a},
		{"restore", "--db", b},
		{"store", "copy", "--from", filepath.Join(t.TempDir(), "typo.db"), "--to", b},
		{"store", "checksum", "--db", filepath.Join(t.TempDir(), "typo.db")},
		{"backup", "--db", filepath.Join(t.TempDir(), "typo.db"), "--out", filepath.Join(t.TempDir(), "x.db")},
	} {
		code, _, errs := runCLI(t, "", args...)
		if code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("rhythm %s: exit %d, stderr %q; want exit 2 and one line", strings.Join(args, " "), code, errs)
		}
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	base := startServer(t, "--demo", "--db", live)
	token = ""
	if r := do(t, "GET", base+"/healthz", "", nil); r.status != 200 {
		t.Fatalf("healthz = %d", r.status)
	}
	out := filepath.Join(dir, "backup.db")
	code, stdout, errs := runCLI(t, "", "backup", "--db", live, "--out", out)
	if code != 0 || !strings.Contains(stdout, "backed up") {
		t.Fatalf("backup of a running server's database: exit %d\n%s%s", code, stdout, errs)
	}
	if code, _, errs := runCLI(t, "", "backup", "--db", live, "--out", out); code != 1 || !strings.Contains(errs, "exists already") {
		t.Errorf("backup onto an existing file: exit %d %q", code, errs)
	}
	restored := filepath.Join(dir, "restored.db")
	if code, stdout, errs := runCLI(t, "", "restore", "--from", out, "--db", restored); code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, stdout, errs)
	}
	if got, want := checksumOut(t, restored), checksumOut(t, out); got != want {
		t.Errorf("restored:\n%s\nbackup:\n%s", got, want)
	}
	if code, _, errs := runCLI(t, "", "restore", "--from", out, "--db", restored); code != 1 || !strings.Contains(errs, "--force") {
		t.Errorf("restore onto a non-empty database: exit %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "restore", "--from", "ops_test.go", "--db", restored); code != 2 || !strings.Contains(errs, "not a rhythm backup") {
		t.Errorf("restore from a text file: exit %d %q", code, errs)
	}
}

func TestJSONAccessLog(t *testing.T) {
	base, logs := startServerLogs(t, "--db", filepath.Join(t.TempDir(), "log.db"), "--log-format", "json")
	req, _ := http.NewRequest("GET", base+"/api/v1/teams", nil)
	req.Header.Set("X-Request-ID", "probe-1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-ID"); got != "probe-1" {
		t.Errorf("X-Request-ID = %q, want probe-1", got)
	}
	eventually(t, "the access log line is written", func() bool { return strings.Contains(logs.String(), `"request_id":"probe-1"`) })
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line is not JSON: %q", line)
		}
		if entry["request_id"] == "probe-1" && (entry["route"] != "/api/v1/teams" || entry["status"] != float64(401)) {
			t.Errorf("access log entry = %v", entry)
		}
	}
	if code, _, errs := runCLI(t, "", "store", "checksum", "--db", filepath.Join(t.TempDir(), "x.db"), "--log-format", "xml"); code != 2 {
		t.Errorf("--log-format xml: exit %d %s, want 2", code, errs)
	}
}
