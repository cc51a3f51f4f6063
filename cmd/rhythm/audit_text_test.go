package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/audit"
)

// TestAuditTextSummary: --format text (the default on a terminal) prints
// the headline figures and every finding, with the same numbers as the
// JSON report.
func TestAuditTextSummary(t *testing.T) {
	dir, _ := genTeam(t)
	args := []string{"audit", "--roster", filepath.Join(dir, "team.yaml"), "--slack", filepath.Join(dir, "slack-export.zip"),
		"--mbox", filepath.Join(dir, "mail.mbox"), "--from", "2026-02-02", "--to", "2026-02-15"}
	code, text, errs := runCLI(t, "", append(args, "--format", "text")...)
	if code != 0 {
		t.Fatalf("audit exit %d: %s", code, errs)
	}
	code, js, errs := runCLI(t, "", append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("audit exit %d: %s", code, errs)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	f := rep.Current.Team
	want := []string{
		fmt.Sprintf("%s: 2026-02-02 to 2026-02-15, %d people, %d interactions", rep.Team, f.People, rep.Current.Interactions),
		fmt.Sprintf("sync:async time    %.2f", f.SyncAsyncTimeRatio),
		fmt.Sprintf("meetings           %.1f h (median %.1f h)", f.MeetingHours, f.MeetingHoursMedian),
		fmt.Sprintf("focus time         %.1f h", f.FocusHours),
		fmt.Sprintf("first replies      median %.1f working hours", f.ResponseMedianWorkingHours),
		"--format html --out audit.html",
	}
	if len(rep.Findings) == 0 {
		t.Fatal("the generated team has no findings to show")
	}
	for _, fd := range rep.Findings {
		want = append(want, fmt.Sprintf("%-5s  %s", fd.Level, fd.Text))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text summary lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "<html") || strings.Contains(text, "<!DOCTYPE") {
		t.Errorf("text summary holds HTML")
	}
	if code, _, errs := runCLI(t, "", append(args, "--format", "pdf")...); code != 2 || !strings.Contains(errs, "text, html, json or csv") {
		t.Errorf("--format pdf: exit %d, %q", code, errs)
	}
}
