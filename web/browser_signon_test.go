package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/browsertest"
	"github.com/rhythm-team/rhythm/internal/ssotest"
)

// TestBrowserSignOnToTeamPage opens a team page signed out, clicks "Sign in
// with Test ID", fills in the provider's own login form in Chromium and
// lands on the team page; her account page says she signs in there;
// signing out goes through the provider and back
// to rhythm's sign-in page.
func TestBrowserSignOnToTeamPage(t *testing.T) {
	ctx := browsertest.New(t)
	s := newSignOnServer(t, signOnOptions{})
	teamPage := fmt.Sprintf("%s/teams/%d", s.url, s.corp.ID)
	var button, heading, location string
	err := chromedp.Run(ctx,
		chromedp.Navigate(teamPage),
		chromedp.WaitVisible("#signin-sso", chromedp.ByID),
		chromedp.Text("#signin-sso", &button, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if button != "Sign in with Test ID" {
		t.Errorf("button %q, want \"Sign in with Test ID\"", button)
	}
	browsertest.Screenshot(t, ctx, "signin-sso-desktop")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#signin-sso", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "signin-sso-phone")
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click("#signin-sso", chromedp.ByID),
		// The provider's own login form.
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "ana", chromedp.ByID),
		chromedp.SendKeys("#password", ssotest.Password, chromedp.ByID),
		chromedp.Click(`button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#members", chromedp.ByID),
		chromedp.Text("h1", &heading, chromedp.ByQuery),
		chromedp.Location(&location),
	)
	if err != nil {
		t.Fatalf("signing in at the provider: %v", err)
	}
	if heading != "Corp" || location != teamPage {
		t.Errorf("landed on %s showing %q, want %s showing Corp", location, heading, teamPage)
	}
	// Ana has no rhythm password: her account page says how she signs in.
	var method string
	err = chromedp.Run(ctx,
		chromedp.Navigate(s.url+"/account"),
		chromedp.WaitVisible("#signin-method", chromedp.ByID),
		chromedp.Text("#signin-method", &method, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("account page: %v", err)
	}
	if !strings.Contains(method, "You sign in with Test ID.") {
		t.Errorf("account page says %q, want how ana signs in", method)
	}
	browsertest.Screenshot(t, ctx, "account-sso-desktop")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#signin-method", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "account-sso-phone")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#signin-sso", chromedp.ByID),
		chromedp.Location(&location),
	)
	if err != nil {
		t.Fatalf("signing out: %v", err)
	}
	if !strings.HasPrefix(location, s.url+"/login") {
		t.Errorf("signing out ended at %s, want rhythm's sign-in page", location)
	}
	if _, sessions := s.accounts(t); sessions != 4 {
		t.Errorf("%d sessions after signing out, want the fixture's 4", sessions)
	}

	// A provider's refusal is a plain page with the way back to sign in.
	var message string
	err = chromedp.Run(ctx,
		chromedp.Navigate(s.url+"/auth/oidc/callback?error=access_denied&state=x"),
		chromedp.WaitVisible("#signin-error", chromedp.ByID),
		chromedp.Text("#signin-error", &message, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("refusal page: %v", err)
	}
	browsertest.Screenshot(t, ctx, "signin-error")
	if err := chromedp.Run(ctx, chromedp.Click("#back-to-signin", chromedp.ByID), chromedp.WaitVisible("#signin-sso", chromedp.ByID)); err != nil {
		t.Errorf("the refusal page does not lead back to sign in: %v", err)
	}
	if !strings.Contains(message, "sign in again") && !strings.Contains(message, "did not let you sign in") {
		t.Errorf("refusal page says %q", message)
	}
}
