package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlaybookRunTitleAndConfirmations: without --topic the run is named
// by its team and date, never the playbook's title twice; with one,
// "Title — Topic". --create says which threads it
// stored and --ics what it wrote, on stderr, leaving the plan on stdout.
func TestPlaybookRunTitleAndConfirmations(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	roster := platformRoster(t)
	if code, _, errs := runCLI(t, "", "team", "import", roster, "--db", db); code != 0 {
		t.Fatal(errs)
	}
	run := []string{"playbook", "run", "async-prep-huddle", "--team", "Platform", "--db", db, "--date", "2027-03-09", "--role", "owner=ana"}

	_, out, _ := runCLI(t, "", run...)
	if first, _, _ := strings.Cut(out, "\n"); first != "Async prep + 20-min huddle — Platform, 9 Mar 2027" {
		t.Errorf("heading without a topic = %q", first)
	}
	if !strings.Contains(out, "thread  Pre-read and open questions: Platform, 9 Mar 2027\n") {
		t.Errorf("thread title without a topic:\n%s", out)
	}
	_, out, _ = runCLI(t, "", append(run, "--topic", "Q2 goal")...)
	if first, _, _ := strings.Cut(out, "\n"); first != "Async prep + 20-min huddle — Q2 goal" {
		t.Errorf("heading with a topic = %q", first)
	}

	ics := filepath.Join(dir, "plan.ics")
	code, out, errs := runCLI(t, "", append(run, "--create", "--ics", ics, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "{") {
		t.Errorf("stdout is not the JSON plan: %q", out)
	}
	for _, want := range []string{
		"created 1 thread (id 1); see rhythm thread list\n",
		"wrote " + ics + ": 1 session and 3 due-by blocks to import into each person's calendar\n",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	b, err := os.ReadFile(ics)
	if err != nil || strings.Count(string(b), "BEGIN:VEVENT") != 4 {
		t.Errorf("%s: %v, %d events, want 4", ics, err, strings.Count(string(b), "BEGIN:VEVENT"))
	}
	if _, out, _ := runCLI(t, "", "thread", "list", "--team", "Platform", "--db", db); !strings.Contains(out, "Pre-read") {
		t.Errorf("thread list does not show the created thread:\n%s", out)
	}
}
