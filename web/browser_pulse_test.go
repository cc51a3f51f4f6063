package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
	"github.com/rhythm-team/rhythm/pulse"
)

func signInSteps(base, email string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.SendKeys("#email", email, chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
	}
}

// TestBrowserMemberAnswersSurvey answers an open round as a member, from
// the team page, and checks that the answer is stored without the person.
func TestBrowserMemberAnswersSurvey(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	now := time.Now().UTC()
	rd, err := f.db.CreateRound(context.Background(), "Alpha", pulse.Round{Opens: now.Add(-time.Hour), Closes: now.Add(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	var thanks, badge string
	err = chromedp.Run(ctx,
		signInSteps(ts.URL, "member@example.com"),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d", ts.URL, f.teamA.ID)),
		chromedp.Click("#pulse-link", chromedp.ByID),
		chromedp.Click(fmt.Sprintf("#answer-%d", rd.ID), chromedp.ByID),
		chromedp.WaitVisible("#survey-form", chromedp.ByID),
		chromedp.ActionFunc(func(ctx context.Context) error { browsertest.Screenshot(t, ctx, "form"); return nil }),
		chromedp.Click("#enps-9", chromedp.ByID),
		chromedp.Click("#connected-4", chromedp.ByID),
		chromedp.Click("#uninterrupted_time-2", chromedp.ByID),
		chromedp.Click("#meetings_worthwhile-5", chromedp.ByID),
		chromedp.Click("#submit-answers", chromedp.ByID),
		chromedp.WaitVisible("#thanks", chromedp.ByID),
		chromedp.Text("#thanks", &thanks, chromedp.ByID),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d/pulse", ts.URL, f.teamA.ID)),
		chromedp.Text("#rounds .badge", &badge, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(thanks, "without your name") || badge != "answered" {
		t.Errorf("after answering: %q, badge %q", thanks, badge)
	}
	got, _ := f.db.Round(context.Background(), rd.ID)
	answered, _ := f.db.HasAnswered(context.Background(), rd.ID, f.teamA.Members[0].ID)
	if got.Responses != 1 || !answered {
		t.Errorf("stored: %d responses, answered %v; want 1 and true", got.Responses, answered)
	}
	var forms int
	if err := chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/teams/%d/pulse/%d", ts.URL, f.teamA.ID, rd.ID)),
		chromedp.WaitVisible("#thanks", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#survey-form").length`, &forms)); err != nil || forms != 0 {
		t.Errorf("the form is offered again after answering (%d forms, %v)", forms, err)
	}
	browsertest.Screenshot(t, ctx, "answered")
}

// TestBrowserLeadCreatesExperimentAndReadsReport creates an experiment from
// the form as a lead, assigns it and reads the report with its charts.
func TestBrowserLeadCreatesExperimentAndReadsReport(t *testing.T) {
	ctx := browsertest.New(t)
	f := experimentFixture(t)
	// The browser's cookies follow the real clock.
	f.setNow(time.Now())
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	teams, err := f.db.ListTeams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	steps := chromedp.Tasks{
		signInSteps(ts.URL, "lead@example.com"),
		chromedp.Navigate(ts.URL + "/experiments"),
		chromedp.Click("#new-experiment", chromedp.ByID),
		chromedp.WaitVisible("#experiment-form", chromedp.ByID),
		chromedp.SendKeys("#name", "Async prep trial", chromedp.ByID),
	}
	for _, tm := range teams {
		if strings.Contains("Core Data Edge Flow", tm.Name) {
			steps = append(steps, chromedp.Click(fmt.Sprintf("#team-%d", tm.ID), chromedp.ByID))
		}
	}
	var status, report string
	var charts, rows int
	steps = append(steps,
		chromedp.SetValue("#baseline_start", "2026-01-05", chromedp.ByID),
		chromedp.SetValue("#baseline_end", "2026-02-01", chromedp.ByID),
		chromedp.SetValue("#treatment_start", "2026-02-09", chromedp.ByID),
		chromedp.SetValue("#treatment_end", "2026-03-08", chromedp.ByID),
		chromedp.SetValue("#outcomes", "meeting_hours", chromedp.ByID),
		chromedp.SendKeys("#seed", "7", chromedp.ByID),
		chromedp.Click("#create-experiment", chromedp.ByID),
		chromedp.WaitVisible("#assign", chromedp.ByID),
		chromedp.Click("#assign", chromedp.ByID),
		chromedp.WaitVisible("#report-link", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#assignments tbody tr").length`, &rows),
		chromedp.Click("#report-link", chromedp.ByID),
		chromedp.WaitVisible("#experiment-report", chromedp.ByID),
		chromedp.Text("#status", &status, chromedp.ByID),
		chromedp.Text("#experiment-report", &report, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#experiment-report svg").length`, &charts),
	)
	if err := chromedp.Run(ctx, steps); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if rows != 4 || status != "finished" || charts != 2 {
		t.Errorf("assignments %d rows, status %q, %d charts; want 4, finished, 2", rows, status, charts)
	}
	for _, want := range []string{"async prep + 20-min sync vs control", "Low power", "Mann-Whitney"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	browsertest.Screenshot(t, ctx, "experiment-report")
}
