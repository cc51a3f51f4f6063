package web

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// TestBrowserAuditPages signs in as a member and looks at the team's
// audit page and their own My week page: the charts are drawn.
func TestBrowserAuditPages(t *testing.T) {
	ctx := browsertest.New(t)
	f := auditFixture(t)
	if res := f.runAudit(t, "lead", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}); res.StatusCode != 303 {
		t.Fatalf("run audit = %d", res.StatusCode)
	}
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.SendKeys("#email", "member@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d/audit", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#chart-weekly", chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	checkCharts(t, "audit page", browsertest.Screenshot, ctx, 7)
	err = chromedp.Run(ctx, chromedp.Navigate(ts.URL+"/me/week"), chromedp.WaitVisible("#my-tiles", chromedp.ByID))
	if err != nil {
		t.Fatalf("my week: %v", err)
	}
	checkCharts(t, "my week", browsertest.Screenshot, ctx, 2)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#my-tiles", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	checkCharts(t, "my week phone", browsertest.Screenshot, ctx, 2)
}
