package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// These tests sign in at a real OpenID Provider running in the test
// process (internal/ssotest: zitadel/oidc's op with its own login form)
// through rhythm's whole HTTP handler.

const rosterCorp = `team: Corp
members:
  - {name: Ana Tester, email: ana@corp.example, zone: Europe/Lisbon}
  - {name: Boss Tester, email: boss@corp.example, zone: Europe/Lisbon}
  - {name: Max Tester, email: max@corp.example, zone: Europe/Lisbon}
`

// signOnServer is the fixture's data served over HTTP on loopback by a
// server that signs in at a test provider.
type signOnServer struct {
	*fixture
	prov *ssotest.Provider
	url  string
	corp team.Team // a team whose roster lists ana, boss and max @corp.example
}

type signOnOptions struct {
	passwordOff bool
	demo        bool // one-click sign-in as lead@example.com, as under serve --demo
	usedStates  int  // sso.WithUsedStates, when not 0
}

func newSignOnServer(t *testing.T, opt signOnOptions) *signOnServer {
	t.Helper()
	s := &signOnServer{fixture: newSQLiteFixture(t)}
	var err error
	if s.corp, err = s.db.CreateTeam(context.Background(), roster(t, rosterCorp)); err != nil {
		t.Fatal(err)
	}
	if s.prov, err = ssotest.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.prov.Close)
	ts := httptest.NewUnstartedServer(nil)
	s.url = "http://" + ts.Listener.Addr().String()
	s.prov.Register(s.url+ssotest.CallbackPath, s.url+"/login")
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cfg := sso.Config{Issuer: s.prov.URL, ClientID: ssotest.ClientID, ClientSecret: ssotest.ClientSecret,
		RedirectURL: s.url + ssotest.CallbackPath, AllowedDomains: []string{"partner.example"},
		AdminGroup: ssotest.AdminGroup, ProviderName: "Test ID"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rp, err := sso.New(cfg, box, sso.WithUsedStates(opt.usedStates))
	if err != nil {
		t.Fatal(err)
	}
	var demo *DemoLogin
	if opt.demo {
		demo = &DemoLogin{Email: "lead@example.com", Password: "fixture password"}
	}
	s.srv, err = New(Config{DB: s.db, Logger: slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		SignOn: &SignOn{RP: rp, Policy: cfg.Policy(), PublicURL: s.url}, PasswordLoginOff: opt.passwordOff, Demo: demo})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.srv
	ts.Start()
	t.Cleanup(ts.Close)
	return s
}

func roster(t *testing.T, yaml string) team.Team {
	t.Helper()
	tm, err := team.ParseRoster("roster.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// accounts returns how many users and sessions the server has.
func (f *fixture) accounts(t *testing.T) (users, sessions int) {
	t.Helper()
	if err := f.db.SQL().QueryRow("SELECT COUNT(*) FROM users").Scan(&users); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SQL().QueryRow("SELECT COUNT(*) FROM sessions").Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	return users, sessions
}

// get fetches u with the browser and returns the final response's status,
// path and body.
func get(t *testing.T, b *ssotest.Browser, u string) (int, string, string) {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL.Path, string(body)
}

// TestSignOnOverHTTP signs in at the provider's own login form and checks
// the session and role rhythm gives: a roster member is a member, the
// admin group makes an admin, an allowed domain a member; signing out ends
// the session here and at the provider.
func TestSignOnOverHTTP(t *testing.T) {
	for _, tt := range []struct {
		username string
		role     account.Role
		next     string // where the sign-in began
		landing  string // where it ends
	}{
		{"ana", account.Member, "/teams/%d", "/teams/%d"},
		{"boss", account.Admin, "/teams/%d", "/teams/%d"},
		{"pat", account.Member, "//evil.example/steal", "/teams"},
	} {
		t.Run(tt.username, func(t *testing.T) {
			s := newSignOnServer(t, signOnOptions{})
			users, _ := s.accounts(t)
			b := ssotest.NewBrowser()
			next, landing := tt.next, tt.landing
			if strings.Contains(next, "%d") {
				next, landing = fmt.Sprintf(next, s.corp.ID), fmt.Sprintf(landing, s.corp.ID)
			}
			callback := b.SignIn(t, s.url+"/auth/oidc/login?next="+url.QueryEscape(next), tt.username)
			status, path, body := get(t, b, callback)
			if status != http.StatusOK || path != landing {
				t.Fatalf("after the callback: %d at %s, want 200 at %s:\n%s", status, path, landing, body)
			}
			p := ssotest.PersonNamed(tt.username)
			u, _, err := s.db.UserByEmail(context.Background(), p.Email)
			if err != nil || u.Role != tt.role {
				t.Errorf("user %s: %+v %v, want the role %s", p.Email, u, err, tt.role)
			}
			if gotUsers, sessions := s.accounts(t); gotUsers != users+1 || sessions != 5 {
				t.Errorf("%d users and %d sessions, want %d and 5 (the fixture's four and this one)", gotUsers, sessions, users+1)
			}
			if c := b.Cookie(s.url, sessionCookie); c == nil {
				t.Errorf("no session cookie")
			}
			site, _ := url.Parse(s.url)
			for _, c := range b.Jar.Cookies(site) {
				if strings.Contains(c.Name, sso.CookieName) {
					t.Errorf("the sign-in cookie outlived the sign-in: %v", c)
				}
			}
			if _, path, body := get(t, b, s.url+"/account"); path != "/account" || !strings.Contains(body, p.Email) {
				t.Errorf("/account ended at %s without %s", path, p.Email)
			}
			signOutAtProvider(t, s, b)
		})
	}
}

// signOutAtProvider signs b out: rhythm ends the session and sends the
// browser to the provider's end-session address, which returns to the
// sign-in page.
func signOutAtProvider(t *testing.T, s *signOnServer, b *ssotest.Browser) {
	t.Helper()
	stop := b.CheckRedirect
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.PostForm(s.url+"/logout", nil)
	b.CheckRedirect = stop
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to.String(), s.prov.URL+"/") ||
		to.Query().Get("post_logout_redirect_uri") != s.url+"/login" || to.Query().Get("client_id") != ssotest.ClientID {
		t.Fatalf("sign-out answered %d to %q, want a redirect to the provider's end-session address", resp.StatusCode, to)
	}
	if status, path, _ := get(t, b, to.String()); status != http.StatusOK || path != "/login" {
		t.Errorf("the provider's sign-out ended at %d %s, want rhythm's /login", status, path)
	}
	if _, sessions := s.accounts(t); sessions != 4 {
		t.Errorf("%d sessions after signing out, want the fixture's 4", sessions)
	}
	if status, path, _ := get(t, b, s.url+"/account"); status != http.StatusOK || path != "/login" {
		t.Errorf("/account after signing out: %d at %s, want the sign-in page", status, path)
	}
}

// TestSignOnRefused: a person rhythm does not know, an unverified email,
// the provider saying no and a callback without a sign-in each show a
// plain page with a way back to sign in: no session, no user, no
// redirect.
func TestSignOnRefused(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{})
	for _, tt := range []struct {
		name     string
		callback func(t *testing.T, b *ssotest.Browser) string
		status   int
		message  string
	}{
		{"unknown domain", func(t *testing.T, b *ssotest.Browser) string {
			return b.SignIn(t, s.url+"/auth/oidc/login", "eve")
		}, http.StatusForbidden, "eve@elsewhere.example is on no team roster"},
		{"email not verified", func(t *testing.T, b *ssotest.Browser) string {
			return b.SignIn(t, s.url+"/auth/oidc/login", "max")
		}, http.StatusForbidden, "no verified email address"},
		{"access_denied from the provider", func(t *testing.T, b *ssotest.Browser) string {
			state := beginState(t, b, s.url)
			return s.url + ssotest.CallbackPath + "?" + url.Values{"error": {"access_denied"}, "state": {state}}.Encode()
		}, http.StatusUnauthorized, "Test ID did not let you sign in"},
		{"the provider refuses the redirect URL", func(t *testing.T, b *ssotest.Browser) string {
			state := beginState(t, b, s.url)
			return s.url + ssotest.CallbackPath + "?" + url.Values{"error": {"invalid_request"},
				"error_description": {"The requested redirect_uri is missing in the client configuration."}, "state": {state}}.Encode()
		}, http.StatusBadRequest, "Test ID refused the sign-in (invalid_request)"},
		{"a callback nobody started", func(t *testing.T, b *ssotest.Browser) string {
			return s.url + ssotest.CallbackPath + "?code=abc&state=def"
		}, http.StatusUnauthorized, "this sign-in was not started here"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			users, sessions := s.accounts(t)
			b := ssotest.NewBrowser()
			callback := tt.callback(t, b)
			b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := b.Get(callback)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(body)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != "" {
				t.Errorf("callback answered %d (Location %q), want %d and no redirect", resp.StatusCode, resp.Header.Get("Location"), tt.status)
			}
			if !strings.Contains(page, `id="signin-error"`) || !strings.Contains(page, `href="/login"`) ||
				!strings.Contains(page, tt.message) || strings.Contains(page, "goroutine") || strings.Contains(page, "oidc:") {
				t.Errorf("the page does not say %q plainly with a link back to sign in:\n%s", tt.message, page)
			}
			if u, ss := s.accounts(t); u != users || ss != sessions {
				t.Errorf("after the refusal: %d users and %d sessions, want %d and %d", u, ss, users, sessions)
			}
			if b.Cookie(s.url, sessionCookie) != nil {
				t.Errorf("a refused sign-in set a session cookie")
			}
		})
	}
}

// beginState starts a sign-in with b and returns the state it sent to the
// provider, without going there.
func beginState(t *testing.T, b *ssotest.Browser, site string) string {
	t.Helper()
	stop := b.CheckRedirect
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { b.CheckRedirect = stop }()
	resp, err := b.Get(site + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || to.Query().Get("state") == "" {
		t.Fatalf("GET /auth/oidc/login answered %d %q, want a redirect to the provider with a state", resp.StatusCode, resp.Header.Get("Location"))
	}
	return to.Query().Get("state")
}

// TestSignOnRoutesAsEveryRole: with single sign-on set up, the two routes
// answer every role without a server error, the start always goes to the
// provider and a bare callback is a plain refusal, never a redirect.
// (TestAuthorizationTable covers them on a server without it.)
func TestSignOnRoutesAsEveryRole(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{})
	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			w := s.request(t, role, "GET", "/auth/oidc/login?next=/teams", nil, nil)
			if w.Code != http.StatusFound || !strings.HasPrefix(w.Header().Get("Location"), s.prov.URL+"/auth?") {
				t.Errorf("GET /auth/oidc/login as %s = %d %q, want a redirect to the provider", role, w.Code, w.Header().Get("Location"))
			}
			w = s.request(t, role, "GET", "/auth/oidc/callback", nil, nil)
			if w.Code != http.StatusUnauthorized || w.Header().Get("Location") != "" {
				t.Errorf("GET /auth/oidc/callback as %s = %d %q, want 401 and no redirect", role, w.Code, w.Header().Get("Location"))
			}
		})
	}
	// Without single sign-on set up, both are "not found" pages.
	f := newSQLiteFixture(t)
	for _, path := range []string{"/auth/oidc/login", "/auth/oidc/callback?code=x&state=y"} {
		if w := f.request(t, "anonymous", "GET", path, nil, nil); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "not set up") {
			t.Errorf("GET %s without single sign-on = %d, want 404 saying it is not set up", path, w.Code)
		}
	}
}

// TestSignOnPageAndPolicy: the sign-in page offers the provider first, and
// the pages' form-action policy lets the sign-out reach the provider.
func TestSignOnPageAndPolicy(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{})
	w := s.request(t, "anonymous", "GET", "/login?next=/teams/7", nil, nil)
	page := w.Body.String()
	button, form := strings.Index(page, `id="signin-sso"`), strings.Index(page, `action="/login"`)
	if w.Code != http.StatusOK || button < 0 || form < 0 || button > form {
		t.Errorf("sign-in page: %d, button at %d, password form at %d; want the button first:\n%s", w.Code, button, form, page)
	}
	if !strings.Contains(page, `href="/auth/oidc/login?next=%2fteams%2f7"`) || !strings.Contains(page, "Sign in with Test ID") {
		t.Errorf("the button does not carry next or the provider's name:\n%s", page)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+s.prov.URL+";") {
		t.Errorf("Content-Security-Policy %q does not allow forms to end at the provider", csp)
	}
	if csp := newSQLiteFixture(t).request(t, "anonymous", "GET", "/login", nil, nil).Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("without single sign-on, Content-Security-Policy = %q, want form-action 'self' only", csp)
	}
}

// TestPasswordLoginOff: the password form is gone, a password sign-in and
// a first-run setup with a password are refused with a plain 403 and
// change nothing; single sign-on and API tokens still work.
func TestPasswordLoginOff(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{passwordOff: true})
	page := s.request(t, "anonymous", "GET", "/login", nil, nil).Body.String()
	if strings.Contains(page, `name="password"`) || !strings.Contains(page, `id="signin-sso"`) {
		t.Errorf("sign-in page with passwords off:\n%s", page)
	}
	users, sessions := s.accounts(t)
	w := s.form(t, "anonymous", "/login", url.Values{"email": {"lead@example.com"}, "password": {"fixture password"}}, nil)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "password sign-in is off on this server; sign in with Test ID") {
		t.Errorf("POST /login = %d, want 403 saying password sign-in is off:\n%s", w.Code, w.Body)
	}
	if strings.Contains(w.Header().Get("Set-Cookie"), sessionCookie) {
		t.Errorf("a refused password sign-in set a session cookie")
	}
	if u, ss := s.accounts(t); u != users || ss != sessions {
		t.Errorf("after the refusal: %d users and %d sessions, want %d and %d", u, ss, users, sessions)
	}

	// Nor is a password changed; the account page offers no form for it.
	if page := s.request(t, "member", "GET", "/account", nil, nil).Body.String(); strings.Contains(page, "current_password") || !strings.Contains(page, "API tokens") {
		t.Errorf("account page with passwords off:\n%s", page)
	}
	w = s.form(t, "member", "/account/password", url.Values{"current_password": {"fixture password"}, "new_password": {"another long password"},
		"confirm_password": {"another long password"}}, nil)
	if w.Code != http.StatusForbidden {
		t.Errorf("POST /account/password with passwords off = %d, want 403", w.Code)
	}

	// The API still takes a token the command line made.
	lead, _, _ := s.db.UserByEmail(context.Background(), "lead@example.com")
	secretValue, hash := account.NewSecret(tokenPrefix)
	if _, err := s.db.CreateToken(context.Background(), lead.ID, "ci", hash); err != nil {
		t.Fatal(err)
	}
	if w := s.request(t, "anonymous", "GET", "/api/v1/teams", nil, map[string]string{"Authorization": "Bearer " + secretValue}); w.Code != http.StatusOK {
		t.Errorf("API with a token = %d, want 200", w.Code)
	}

	// Single sign-on still signs in.
	b := ssotest.NewBrowser()
	if status, path, _ := get(t, b, b.SignIn(t, s.url+"/auth/oidc/login", "ana")); status != http.StatusOK || path != "/teams" {
		t.Errorf("single sign-on with passwords off ended at %d %s, want /teams", status, path)
	}
}

// TestSetupWithPasswordLoginOff: a new server without passwords explains
// how the first admin is made and refuses a password setup.
func TestSetupWithPasswordLoginOff(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{passwordOff: true})
	fresh, err := New(Config{DB: storetest.SQLite(t), SignOn: s.srv.signOn, PasswordLoginOff: true})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, target string, body url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		fresh.ServeHTTP(w, req)
		return w
	}
	if w := do("GET", "/login", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="signin-sso"`) {
		t.Errorf("GET /login on a new server = %d %q, want the sign-in page with the provider (no redirect to setup)", w.Code, w.Header().Get("Location"))
	}
	w := do("GET", "/setup", nil)
	if page := w.Body.String(); w.Code != http.StatusOK || strings.Contains(page, `name="password"`) || !strings.Contains(page, "rhythm user add --admin") {
		t.Errorf("GET /setup = %d, want the explanation without a password form:\n%s", w.Code, page)
	}
	w = do("POST", "/setup", url.Values{"email": {"first@example.com"}, "password": {"a long enough password"}})
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "password sign-in is off") {
		t.Errorf("POST /setup = %d, want 403:\n%s", w.Code, w.Body)
	}
	if n, err := fresh.db.CountUsers(context.Background()); err != nil || n != 0 {
		t.Errorf("a refused setup made %d users (%v)", n, err)
	}
}

// TestOtherSignInSignsOutHereOnly: a session begun with a password or the
// demo's one-click sign-in signs out of rhythm alone, also in a browser
// whose session before began at the provider: the mark that sends
// sign-out through the provider is cleared by any other sign-in.
func TestOtherSignInSignsOutHereOnly(t *testing.T) {
	for _, tt := range []struct {
		name   string
		target string
		fields url.Values
	}{
		{"password", "/login", url.Values{"email": {"lead@example.com"}, "password": {"fixture password"}}},
		{"demo", "/login/demo", url.Values{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSignOnServer(t, signOnOptions{demo: true})
			b := signedOnBrowser(t, s, "ana")
			if b.Cookie(s.url, signOnCookie) == nil {
				t.Fatalf("single sign-on left no %s mark", signOnCookie)
			}
			status, body := postForm(t, b, s.url+tt.target, tt.fields, nil)
			if status != http.StatusSeeOther {
				t.Fatalf("POST %s = %d:\n%s", tt.target, status, body)
			}
			if c := b.Cookie(s.url, signOnCookie); c != nil {
				t.Errorf("after the %s sign-in the browser still holds %s=%s", tt.name, c.Name, c.Value)
			}
			if status, path, _ := get(t, b, s.url+"/account"); status != http.StatusOK || path != "/account" {
				t.Fatalf("after the %s sign-in /account ended at %d %s", tt.name, status, path)
			}
			b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := b.PostForm(s.url+"/logout", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/login" {
				t.Errorf("signing out of a %s session: %d to %q, want /login", tt.name, resp.StatusCode, loc)
			}
		})
	}
	t.Run("first-run setup", func(t *testing.T) {
		s := newSignOnServer(t, signOnOptions{})
		fresh, err := New(Config{DB: storetest.SQLite(t), SignOn: s.srv.signOn})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/setup", strings.NewReader(url.Values{"email": {"first@example.com"}, "name": {"First"},
			"password": {"a long enough password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: signOnCookie, Value: "1"})
		w := httptest.NewRecorder()
		fresh.ServeHTTP(w, req)
		cleared := false
		for _, c := range w.Result().Cookies() {
			cleared = cleared || c.Name == signOnCookie && c.MaxAge < 0
		}
		if w.Code != http.StatusSeeOther || !cleared {
			t.Errorf("POST /setup = %d with cookies %q, want a redirect that clears %s", w.Code, w.Header().Values("Set-Cookie"), signOnCookie)
		}
	})
}

// TestNewSignInEndsTheOldSession: any sign-in in a browser ends the
// session that browser had before, at once: its cookie no longer signs
// anyone in, so a session cookie someone else put in the browser (or
// copied from it) does not live on beside the new one.
func TestNewSignInEndsTheOldSession(t *testing.T) {
	for _, tt := range []struct {
		name    string
		signIn  func(t *testing.T, s *signOnServer, b *ssotest.Browser) int
		wantNew int
	}{
		{"password", func(t *testing.T, s *signOnServer, b *ssotest.Browser) int {
			status, _ := postForm(t, b, s.url+"/login", url.Values{"email": {"lead@example.com"}, "password": {"fixture password"}}, nil)
			return status
		}, http.StatusSeeOther},
		{"demo", func(t *testing.T, s *signOnServer, b *ssotest.Browser) int {
			status, _ := postForm(t, b, s.url+"/login/demo", url.Values{}, nil)
			return status
		}, http.StatusSeeOther},
		{"single sign-on", func(t *testing.T, s *signOnServer, b *ssotest.Browser) int {
			status, _, _ := get(t, b, b.SignIn(t, s.url+"/auth/oidc/login", "boss"))
			return status
		}, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSignOnServer(t, signOnOptions{demo: true})
			b := signedOnBrowser(t, s, "ana")
			old := b.Cookie(s.url, sessionCookie)
			if old == nil {
				t.Fatal("the first sign-in left no session cookie")
			}
			if status := tt.signIn(t, s, b); status != tt.wantNew {
				t.Fatalf("the %s sign-in answered %d, want %d", tt.name, status, tt.wantNew)
			}
			if now := b.Cookie(s.url, sessionCookie); now == nil || now.Value == old.Value {
				t.Fatalf("the %s sign-in left session cookie %v, want a new one", tt.name, now)
			}
			if status, path, _ := get(t, b, s.url+"/account"); status != http.StatusOK || path != "/account" {
				t.Errorf("the new session: /account ended at %d %s", status, path)
			}
			req := httptest.NewRequest("GET", "/account", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: old.Value})
			w := httptest.NewRecorder()
			s.srv.ServeHTTP(w, req)
			if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
				t.Errorf("the old session cookie after a %s sign-in: GET /account = %d to %q, want 303 to /login", tt.name, w.Code, loc)
			}
		})
	}
}

// TestSignOnBusy: while the server remembers as many finished sign-ins as
// it may, a new one is refused with 503 and how long to wait.
func TestSignOnBusy(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{usedStates: 1})
	signedOnBrowser(t, s, "ana")
	b := ssotest.NewBrowser()
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.Get(s.url + "/auth/oidc/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusServiceUnavailable || err != nil || secs < 500 || secs > int(sso.FlowLifetime/time.Second) {
		t.Errorf("GET /auth/oidc/login = %d, Retry-After %q, want 503 and about ten minutes:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if !strings.Contains(string(body), "too many people are signing in just now") {
		t.Errorf("the page does not say why:\n%s", body)
	}
}
