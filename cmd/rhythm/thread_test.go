package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const cliRoster = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
`

// importRoster writes roster into a temp dir, imports it into a new
// database and returns the database path and the roster file.
func importRoster(t *testing.T, roster string) (dsn, file string) {
	t.Helper()
	dir := t.TempDir()
	dsn, file = filepath.Join(dir, "rhythm.db"), filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(file, []byte(roster), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "", "team", "import", file, "--db", dsn); code != 0 {
		t.Fatalf("team import: exit %d: %s", code, errs)
	}
	return dsn, file
}

func TestCLIThreadsAndDecisions(t *testing.T) {
	dsn, _ := importRoster(t, cliRoster)
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, "", append(args, "--db", dsn, "--team", "Platform")...)
	}
	code, out, errs := cli("thread", "create", "--title", "Pick the Q2 goal", "--owner", "Ana Silva", "--with", "kenji@example.com,sujan@example.com", "--in", "48h", "--json")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errs)
	}
	var th struct {
		ID      int64     `json:"id"`
		DueBy   time.Time `json:"due_by"`
		Pending []string  `json:"pending"`
	}
	if err := json.Unmarshal([]byte(out), &th); err != nil {
		t.Fatalf("create --json: %v in %s", err, out)
	}
	if d := time.Until(th.DueBy); d < 47*time.Hour || d > 49*time.Hour || len(th.Pending) != 2 {
		t.Errorf("created %+v, want due in 48h and two people pending", th)
	}
	id := jsonID(th.ID)
	if code, _, errs := cli("thread", "answer", id, "--as", "Kenji Sato", "--note", "growth"); code != 0 {
		t.Fatalf("answer: exit %d: %s", code, errs)
	}
	code, out, _ = cli("thread", "waiting", "sujan@example.com")
	if code != 0 || !strings.Contains(out, "Pick the Q2 goal") || !strings.Contains(out, "respond") {
		t.Errorf("waiting on sujan: exit %d\n%s", code, out)
	}
	code, out, _ = cli("thread", "waiting", "kenji@example.com", "--json")
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("waiting on kenji after answering: exit %d %q", code, out)
	}
	code, out, _ = cli("thread", "list")
	if code != 0 || !strings.Contains(out, "sujan@example.com respond") || strings.Contains(out, "kenji@example.com respond") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	if code, _, errs := cli("decision", "add", "--what", "Q2 goal is growth", "--why", "Everyone who answered agreed", "--owner", "ana@example.com", "--thread", id, "--close"); code != 0 {
		t.Fatalf("decision add: exit %d: %s", code, errs)
	}
	code, out, _ = cli("decision", "list", "--search", "GROWTH", "--json")
	var d struct {
		What     string `json:"what"`
		ThreadID int64  `json:"thread_id"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.What != "Q2 goal is growth" || d.ThreadID != th.ID {
		t.Errorf("decision list: exit %d %s", code, out)
	}
	code, out, _ = cli("thread", "list", "--state", "closed")
	if code != 0 || !strings.Contains(out, "closed") {
		t.Errorf("closed list: exit %d\n%s", code, out)
	}
}

func jsonID(id int64) string { b, _ := json.Marshal(id); return string(b) }

// TestCLIThreadBadInput checks that bad input exits 2 with one line naming
// the flag, and stores nothing.
func TestCLIThreadBadInput(t *testing.T) {
	dsn, _ := importRoster(t, cliRoster)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"due in the past", []string{"thread", "create", "--title", "T", "--owner", "ana@example.com", "--with", "kenji@example.com", "--due", past}, "--due: " + past + " is in the past"},
		{"due and in", []string{"thread", "create", "--title", "T", "--owner", "ana@example.com", "--with", "kenji@example.com", "--due", past, "--in", "2h"}, "--due or --in"},
		{"bad in", []string{"thread", "create", "--title", "T", "--owner", "ana@example.com", "--with", "kenji@example.com", "--in", "soon"}, "--in:"},
		{"owner not on team", []string{"thread", "create", "--title", "T", "--owner", "zed@example.com", "--with", "kenji@example.com"}, "--owner:"},
		{"nobody owes", []string{"thread", "create", "--title", "T", "--owner", "ana@example.com"}, "--with:"},
		{"no team", []string{"thread", "list", "--team", ""}, "--team is required"},
		{"unknown team", []string{"thread", "list", "--team", "Nobody"}, "--team:"},
		{"bad thread id", []string{"thread", "show", "abc"}, `"abc" is not a thread id`},
		{"answer as stranger", []string{"thread", "answer", "1", "--as", "zed@example.com"}, "--as:"},
		{"decision without why", []string{"decision", "add", "--what", "W", "--owner", "ana@example.com"}, "--why:"},
		{"decision on unknown thread", []string{"decision", "add", "--what", "W", "--why", "Y", "--owner", "ana@example.com", "--thread", "99"}, "--thread:"},
		{"bad state", []string{"thread", "list", "--state", "stuck"}, "--state:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", dsn, "--team", "Platform"}, tt.args...)
			code, _, errs := runCLI(t, "", args...)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, errs, tt.want)
			}
		})
	}
	code, out, _ := runCLI(t, "", "thread", "list", "--state", "all", "--json", "--db", dsn, "--team", "Platform")
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("bad input stored threads: %s", out)
	}
}

// TestThreadCreateSaysWhoOwes: the line thread create prints agrees in
// number with the people who owe a response.
func TestThreadCreateSaysWhoOwes(t *testing.T) {
	dsn, _ := importRoster(t, cliRoster)
	tests := []struct {
		name, with, want string
	}{
		{"one person", "kenji", ": kenji@example.com owes a response by "},
		{"two people", "kenji,sujan", ": kenji@example.com, sujan@example.com owe a response by "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "thread", "create", "--db", dsn, "--team", "Platform", "--title", "T", "--owner", "ana", "--with", tt.with, "--in", "48h")
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
		})
	}
}
