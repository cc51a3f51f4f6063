package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// signInAs signs in through the login page as a fixture user.
func signInAs(email string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.SendKeys("#email", email, chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
	}
}

// TestBrowserOverlapHeatMap opens a team's heat map from the team page,
// sees it in the viewer's own zone, and switches zones with the picker.
func TestBrowserOverlapHeatMap(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()

	var zone, zoneAfter, golden string
	var rows, cells int
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		signInAs("member@example.com"),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#overlap", chromedp.ByID),
		chromedp.Click("#overlap", chromedp.ByID),
		chromedp.WaitVisible("#heatmap", chromedp.ByID),
		chromedp.Text("#heat-zone", &zone, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#heatmap tbody tr").length`, &rows),
		chromedp.Evaluate(`document.querySelectorAll("#heatmap tbody tr.member:first-of-type td, #heatmap tbody tr.everyone td").length`, &cells),
		chromedp.SetValue("#zone", "UTC", chromedp.ByID),
		chromedp.SetValue("#week", "2026-03-02", chromedp.ByID),
		// The old page has a heat map too: rename it, so that waiting
		// for #heatmap waits for the new page.
		chromedp.Evaluate(`document.querySelector("#heatmap").id = "old-heatmap"`, nil),
		chromedp.Click("#show-overlap", chromedp.ByID),
		chromedp.WaitVisible("#heatmap", chromedp.ByID),
		chromedp.Text("#heat-zone", &zoneAfter, chromedp.ByID),
		chromedp.Evaluate(`(document.querySelector("#golden") || document.querySelector("#no-golden")).textContent.trim()`, &golden),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if zone != "Asia/Kathmandu" {
		t.Errorf("heat map first shown in %q, want the viewer's zone Asia/Kathmandu", zone)
	}
	if rows != 4 {
		t.Errorf("%d heat map rows, want everyone and 3 members", rows)
	}
	if cells != 168 {
		t.Errorf("%d hour cells in the everyone row, want 168", cells)
	}
	if zoneAfter != "UTC" {
		t.Errorf("after picking UTC the heat map is in %q", zoneAfter)
	}
	if golden == "" {
		t.Error("no golden hours section")
	}
	browsertest.Screenshot(t, ctx, "overlap-desktop")
}

// TestBrowserSlotFinder fills the slot finder for a weekly meeting and
// reads the proposal and the fairness table.
func TestBrowserSlotFinder(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()

	var summary, gini, ics string
	var instances, burdens int
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		signInAs("lead@example.com"),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#find-time", chromedp.ByID),
		chromedp.Click("#find-time", chromedp.ByID),
		chromedp.WaitVisible("#finder", chromedp.ByID),
		chromedp.SetValue("#duration", "30m", chromedp.ByID),
		chromedp.SetValue("#from", "2026-03-02", chromedp.ByID),
		chromedp.SetValue("#to", "2026-03-08", chromedp.ByID),
		chromedp.SetValue("#weekly", "6", chromedp.ByID),
		chromedp.SetValue("#zone", "Europe/Lisbon", chromedp.ByID),
		chromedp.Click("#find", chromedp.ByID),
		chromedp.WaitVisible("#fairness", chromedp.ByID),
		chromedp.Text("#proposal-summary", &summary, chromedp.ByID),
		chromedp.Text("#fairness-index", &gini, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#slots tbody tr").length`, &instances),
		chromedp.Evaluate(`document.querySelectorAll("#fairness tbody tr").length`, &burdens),
		chromedp.WaitVisible("#ics-download", chromedp.ByID),
		chromedp.Evaluate(`fetch(document.querySelector("#ics-download").href).then(r => r.text())`, &ics, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(summary, "6 weekly instances") || instances != 6 || burdens != 3 || !strings.Contains(gini, "Gini index") {
		t.Errorf("proposal %q with %d instances, %d fairness rows, %q; want 6 instances and 3 members", summary, instances, burdens, gini)
	}
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR") || !strings.Contains(ics, "TZID:Europe/Lisbon") || strings.Count(ics, "BEGIN:VEVENT") < 1 {
		t.Errorf("the ICS download is not a calendar with the series:\n%.400s", ics)
	}
	browsertest.Screenshot(t, ctx, "finder-desktop")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#fairness", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "finder-phone")
}
