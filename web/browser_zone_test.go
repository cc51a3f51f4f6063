package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// TestBrowserAccountZone: a member sets their zone on the Account page (a
// typo is refused next to the field), then opens a thread with a due-by
// typed on their Berlin clock and sees it back in Berlin time, named.
func TestBrowserAccountZone(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	day := time.Now().In(berlin).AddDate(0, 0, 10)
	typed := day.Format("2006-01-02") + "T17:00"
	wantShown := time.Date(day.Year(), day.Month(), day.Day(), 17, 0, 0, 0, berlin).Format("Mon 2 Jan 15:04") + " Europe/Berlin"

	var before, refusal, notice string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible("#signin", chromedp.ByID),
		chromedp.SendKeys("#email", "member@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.Navigate(ts.URL+"/account"),
		chromedp.WaitVisible("#set-zone", chromedp.ByID),
		chromedp.Text("#zone-now", &before, chromedp.ByID),
		chromedp.SendKeys("#zone", "Europe/Berlim", chromedp.ByID),
		chromedp.Click("#set-zone", chromedp.ByID),
		chromedp.WaitVisible("#zone-error", chromedp.ByID),
		chromedp.Text("#zone-error", &refusal, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(before, "Asia/Kathmandu (your roster zone)") {
		t.Errorf("before = %q, want the roster zone", before)
	}
	if !strings.Contains(refusal, `unknown time zone "Europe/Berlim"`) {
		t.Errorf("refusal = %q", refusal)
	}
	browsertest.Screenshot(t, ctx, "account-refused")
	err = chromedp.Run(ctx,
		chromedp.SetValue("#zone", "Europe/Berlin", chromedp.ByID),
		chromedp.Click("#set-zone", chromedp.ByID),
		chromedp.WaitVisible(".notice", chromedp.ByQuery),
		chromedp.Text(".notice", &notice, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if notice != "Times are now read and shown in Europe/Berlin." {
		t.Errorf("notice = %q", notice)
	}
	browsertest.Screenshot(t, ctx, "account-desktop")
	var overflow bool
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts.URL+"/account"), chromedp.WaitVisible("#set-zone", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "account-phone")
	if overflow {
		t.Error("the Account page scrolls sideways at 390 px")
	}

	var due string
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d/threads", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#create-thread", chromedp.ByID),
		chromedp.SendKeys("#title", "Pick the venue", chromedp.ByID),
		chromedp.Click(`#participants input[value="ana@example.com"]`, chromedp.ByQuery),
		chromedp.SetValue("#due_by", typed, chromedp.ByID),
		chromedp.Click("#create-thread", chromedp.ByID),
		chromedp.WaitVisible("#thread-title", chromedp.ByID),
		chromedp.Text("main", &due, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(due, "due by "+wantShown) {
		t.Errorf("the thread page does not say due by %s:\n%s", wantShown, due)
	}
	browsertest.Screenshot(t, ctx, "thread-berlin")

	// The list names the zone in every due-by and still fits a phone.
	var list string
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(fmt.Sprintf("%s/teams/%d/threads", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#create-thread", chromedp.ByID), chromedp.Text("main", &list, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "threads-phone")
	if !strings.Contains(list, wantShown) {
		t.Errorf("the thread list does not show %s:\n%s", wantShown, list)
	}
	if overflow {
		t.Error("the thread list scrolls sideways at 390 px")
	}
}
