package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// TestBrowserThreadToDecisionLog walks the async loop as people would: the
// lead opens a thread for two members, one of them answers it from their
// "waiting on me" list, the lead records the decision (closing the
// thread) and finds it in the decision log by searching.
func TestBrowserThreadToDecisionLog(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	signIn := func(email string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(ts.URL + "/login"),
			chromedp.WaitVisible("#signin", chromedp.ByID),
			chromedp.SendKeys("#email", email, chromedp.ByID),
			chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
			chromedp.Click("#signin", chromedp.ByID),
			chromedp.WaitVisible("#teams", chromedp.ByID),
		}
	}
	threads := fmt.Sprintf("%s/teams/%d/threads", ts.URL, f.teamA.ID)

	// The lead opens a thread owned by themself for Mia and Ana.
	var owed, threadURL string
	err := chromedp.Run(ctx,
		signIn("lead@example.com"),
		chromedp.Navigate(threads),
		chromedp.WaitVisible("#create-thread", chromedp.ByID),
		chromedp.SendKeys("#title", "Which launch date for v2?", chromedp.ByID),
		chromedp.Click(`#participants input[value="member@example.com"]`, chromedp.ByQuery),
		chromedp.Click(`#participants input[value="ana@example.com"]`, chromedp.ByQuery),
		chromedp.Click("#create-thread", chromedp.ByID),
		chromedp.WaitVisible("#thread-title", chromedp.ByID),
		chromedp.Text("#owed", &owed, chromedp.ByID),
		chromedp.Location(&threadURL),
	)
	if err != nil {
		t.Fatalf("create thread: %v", err)
	}
	if !strings.Contains(owed, "Mia Member: respond") || !strings.Contains(owed, "Ana Silva: respond") {
		t.Errorf("who owes what = %q, want Mia and Ana to respond", owed)
	}

	// Mia finds it waiting on her and answers.
	var waiting, responses string
	err = chromedp.Run(ctx,
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#signin", chromedp.ByID),
		signIn("member@example.com"),
		chromedp.Click("#nav-waiting", chromedp.ByID),
		chromedp.WaitVisible(fmt.Sprintf("#waiting-%d", f.teamA.ID), chromedp.ByID),
		chromedp.Text(fmt.Sprintf("#waiting-%d", f.teamA.ID), &waiting, chromedp.ByID),
		chromedp.Click(fmt.Sprintf("#waiting-%d a", f.teamA.ID), chromedp.ByQuery),
		chromedp.WaitVisible("#answer", chromedp.ByID),
		chromedp.SendKeys("#note", "1 April works for support.", chromedp.ByID),
		chromedp.Click("#answer", chromedp.ByID),
		chromedp.WaitVisible("#responses li", chromedp.ByQuery),
		chromedp.Text("#responses", &responses, chromedp.ByID),
		chromedp.Text("#owed", &owed, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	if !strings.Contains(waiting, "Which launch date for v2?: respond") {
		t.Errorf("waiting on Mia = %q", waiting)
	}
	if !strings.Contains(responses, "Mia Member answered") || !strings.Contains(responses, "1 April works for support.") {
		t.Errorf("responses = %q", responses)
	}
	if strings.Contains(owed, "Mia Member") || !strings.Contains(owed, "Ana Silva: respond") {
		t.Errorf("who owes what after Mia answered = %q", owed)
	}

	// The lead records the decision, which closes the thread, and finds it
	// in the log.
	var state, logText string
	var found int
	err = chromedp.Run(ctx,
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#signin", chromedp.ByID),
		signIn("lead@example.com"),
		chromedp.Navigate(threadURL),
		chromedp.WaitVisible("#record-decision", chromedp.ByID),
		chromedp.SendKeys("#what", "Launch v2 on 1 April", chromedp.ByID),
		chromedp.SendKeys("#why", "Support is ready and Ana's objection window passed.", chromedp.ByID),
		chromedp.SetValue("#decision-owner", "member@example.com", chromedp.ByID),
		chromedp.Click("#record-decision", chromedp.ByID),
		chromedp.WaitVisible("#decisions", chromedp.ByID),
		chromedp.SendKeys("#q", "support", chromedp.ByID),
		chromedp.Click("#search", chromedp.ByID),
		chromedp.WaitVisible(`#q[value="support"]`, chromedp.ByQuery), // the results page
		chromedp.WaitVisible("#decisions", chromedp.ByID),
		chromedp.Text("#decisions", &logText, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#decisions li").length`, &found),
		chromedp.Navigate(threadURL),
		chromedp.WaitVisible("#thread-state", chromedp.ByID),
		chromedp.Text("#thread-state", &state, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("decision: %v", err)
	}
	if found != 1 || !strings.Contains(logText, "Launch v2 on 1 April") || !strings.Contains(logText, "Owner Mia Member") {
		t.Errorf("decision log search shows %d entries: %q", found, logText)
	}
	if state != "closed" {
		t.Errorf("thread state after the decision = %q, want closed", state)
	}
	browsertest.Screenshot(t, ctx, "thread-closed")
}
