package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// TestBrowserAuditReport generates a 200-person team over 13 weeks,
// audits it into one HTML file and opens that in Chromium: every chart is
// drawn, with a size and marks.
func TestBrowserAuditReport(t *testing.T) {
	ctx := browsertest.New(t)
	if testing.Short() {
		t.Skip("generating 200 people × 13 weeks is not short")
	}
	dir := t.TempDir()
	if code, _, errs := runCLI(t, "", "gen", "--people", "200", "--weeks", "13", "--seed", "1", "--out", dir); code != 0 {
		t.Fatalf("gen exit %d: %s", code, errs)
	}
	out := filepath.Join(dir, "audit.html")
	args := []string{"audit", "--roster", filepath.Join(dir, "team.yaml"), "--slack", filepath.Join(dir, "slack-export.zip"),
		"--mbox", filepath.Join(dir, "mail.mbox"), "--calendar", filepath.Join(dir, "calendar.ics"),
		"--from", "2026-02-02", "--to", "2026-05-03", "--format", "html", "--out", out}
	if code, _, errs := runCLI(t, "", args...); code != 0 {
		t.Fatalf("audit exit %d: %s", code, errs)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate("file://"+out), chromedp.WaitVisible("#chart-weekly", chromedp.ByID)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	cs, err := browsertest.Charts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"chart-weekly": true, "chart-ratio": true, "chart-heat-meetings": true, "chart-heat-messages": true,
		"chart-response": true, "chart-focus": true, "chart-burden": true}
	for _, c := range cs {
		if c.Width < 200 || c.Height < 60 || c.Marks < 2 {
			t.Errorf("chart %s is %.0f×%.0f px with %d marks", c.ID, c.Width, c.Height, c.Marks)
		}
		delete(want, c.ID)
	}
	if len(want) > 0 {
		t.Errorf("charts missing: %v", want)
	}
	browsertest.Screenshot(t, ctx, "report")
}
