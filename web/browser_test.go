package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// TestBrowserFirstRunToTeamPage walks a new server as a person would:
// first-run setup, sign out and in, create a team, upload a roster, see
// the members' local times, sign out.
func TestBrowserFirstRunToTeamPage(t *testing.T) {
	ctx := browsertest.New(t)
	srv, err := New(Config{DB: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	roster := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(roster, []byte(`team: Browser Team
norms: {response_window: 12h, meeting_max: 30m}
members:
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
  - {name: Liam O'Brien, email: liam@example.com, zone: America/St_Johns}
  - {name: Zoe Park, email: zoe@example.com, zone: Australia/Lord_Howe}
`), 0o644)

	var memberRows int
	var localTimes, heading string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible("#create-admin", chromedp.ByID),
		chromedp.SendKeys("#name", "First Admin", chromedp.ByID),
		chromedp.SendKeys("#email", "first@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "a long enough password", chromedp.ByID),
		chromedp.Click("#create-admin", chromedp.ByID),
		chromedp.WaitVisible("#no-teams", chromedp.ByID),
		// Sign out and back in.
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#signin", chromedp.ByID),
		chromedp.SendKeys("#email", "first@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "a long enough password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		// Create a team from the editor's starting roster.
		chromedp.WaitVisible("#new-team", chromedp.ByID),
		chromedp.Click("#new-team", chromedp.ByID),
		chromedp.WaitVisible("#save-roster", chromedp.ByID),
		chromedp.Click("#save-roster", chromedp.ByID),
		chromedp.WaitVisible("#edit-roster", chromedp.ByID),
		// Replace its roster by uploading a file.
		chromedp.Click("#edit-roster", chromedp.ByID),
		chromedp.WaitVisible("#file", chromedp.ByID),
		chromedp.SetUploadFiles("#file", []string{roster}, chromedp.ByID),
		chromedp.Click("#save-roster", chromedp.ByID),
		chromedp.WaitVisible("#members", chromedp.ByID),
		chromedp.Text("h1", &heading, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#members tbody tr").length`, &memberRows),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".local-time")).map(e => e.textContent.trim()).join("|")`, &localTimes),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if heading != "Browser Team" || memberRows != 3 {
		t.Errorf("team page shows %q with %d members, want Browser Team with 3", heading, memberRows)
	}
	for _, lt := range strings.Split(localTimes, "|") {
		if _, err := time.Parse("Mon 15:04", strings.Fields(lt)[0]+" "+strings.Fields(lt)[1]); err != nil {
			t.Errorf("local time %q is not like \"Tue 14:05\"", lt)
		}
	}
	browsertest.Screenshot(t, ctx, "team-desktop")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#members", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "team-phone")
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#signin", chromedp.ByID),
		chromedp.Navigate(ts.URL+"/teams"),
		chromedp.WaitVisible("#signin", chromedp.ByID),
	)
	if err != nil {
		t.Errorf("after signing out, /teams does not ask to sign in: %v", err)
	}
}

// TestBrowserRosterErrorShownNextToForm uploads a broken roster and checks
// that the page names the line and field.
func TestBrowserRosterErrorShownNextToForm(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	u, _ := ts.URL, ""
	_ = u
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("team: Alpha\nmembers:\n  - {name: A, email: a@example.com, zone: UTC, hours: \"25:00-26:00\"}\n"), 0o644)
	var msg string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.SendKeys("#email", "lead@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.Navigate(ts.URL+"/teams/Alpha/roster"),
		chromedp.WaitVisible("#file", chromedp.ByID),
		chromedp.SetUploadFiles("#file", []string{bad}, chromedp.ByID),
		chromedp.Click("#save-roster", chromedp.ByID),
		chromedp.WaitVisible("#form-error", chromedp.ByID),
		chromedp.Text("#form-error", &msg, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(msg, "bad.yaml:3: members[0].hours") {
		t.Errorf("error shown = %q, want it to name bad.yaml:3 and members[0].hours", msg)
	}
	tm, _ := f.db.Team(context.Background(), "Alpha")
	if len(tm.Members) != 3 {
		t.Errorf("broken upload changed the roster")
	}
}
