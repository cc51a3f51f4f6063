package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenEffect(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "", "gen", "--people", "12", "--weeks", "4", "--teams", "2", "--effect", "meeting_hours=-1.5",
		"--treat-from", "2026-02-16", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"team-1.yaml", "team-2.yaml", "assignment.csv"} {
		if !strings.Contains(out, filepath.Join(dir, f)) {
			t.Errorf("output does not list %s:\n%s", f, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "assignment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	csv := string(b)
	if !strings.HasPrefix(csv, "team,arm,metric,delta,treat_from\n") || !strings.Contains(csv, ",treatment,meeting_hours,-1.5,2026-02-16\n") ||
		!strings.Contains(csv, ",control,meeting_hours,0,2026-02-16\n") {
		t.Errorf("assignment.csv:\n%s", csv)
	}
}

func TestGenEffectBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--teams", "2", "--effect", "foo"}, "--effect"},
		{[]string{"--teams", "2", "--effect", "focus_hours=1"}, "--effect"},
		{[]string{"--teams", "2", "--effect", "meeting_hours=lots"}, "--effect"},
		{[]string{"--effect", "meeting_hours=-1"}, "--effect"},
		{[]string{"--teams", "2", "--effect", "meeting_hours=-1", "--treat-from", "soon"}, "--treat-from"},
		{[]string{"--teams", "2", "--effect", "meeting_hours=-1", "--treat-from", "2030-01-01"}, "--treat-from"},
		{[]string{"--teams", "2", "--treat-from", "2026-02-16"}, "--treat-from"},
		{[]string{"--teams", "20", "--people", "10"}, "--teams"},
	} {
		args := append([]string{"gen", "--people", "12", "--weeks", "4", "--out", t.TempDir()}, tc.args...)
		code, _, errs := runCLI(t, "", args...)
		if code != 2 || !strings.Contains(errs, tc.flag) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.args, code, errs, tc.flag)
		}
	}
}
