package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/sso"
)

// signedOnBrowser signs username in at the test provider and returns the
// browser, now holding a rhythm session begun there.
func signedOnBrowser(t *testing.T, s *signOnServer, username string) *ssotest.Browser {
	t.Helper()
	b := ssotest.NewBrowser()
	if status, path, body := get(t, b, b.SignIn(t, s.url+"/auth/oidc/login", username)); status != http.StatusOK || path != "/teams" {
		t.Fatalf("single sign-on as %s ended at %d %s:\n%s", username, status, path, body)
	}
	return b
}

// postForm posts fields with b, following no redirect, and returns the
// status and body.
func postForm(t *testing.T, b *ssotest.Browser, target string, fields url.Values, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", target, strings.NewReader(fields.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	stop := b.CheckRedirect
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { b.CheckRedirect = stop }()
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// passwordHash returns the stored password hash of the user with email.
func passwordHash(t *testing.T, f *fixture, email string) string {
	t.Helper()
	_, hash, err := f.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

// TestAccountPasswordForSignOnUser: a user whom single sign-on created has
// no rhythm password. Their account page says they sign in with the
// provider and offers no password form, with password sign-in on or off;
// POST /account/password sets no password for them (nor for anyone named
// in the form), so the provider stays the only way in for them: disabling
// them there, or its two-step sign-in, cannot be gone around. A user with
// a password still changes it.
func TestAccountPasswordForSignOnUser(t *testing.T) {
	const newPassword = "a password of my own"
	for _, tt := range []struct {
		name        string
		passwordOff bool
	}{
		{"password sign-in on", false},
		{"password sign-in off", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSignOnServer(t, signOnOptions{passwordOff: tt.passwordOff})
			b := signedOnBrowser(t, s, "ana")
			ana := ssotest.PersonNamed("ana").Email

			status, _, page := get(t, b, s.url+"/account")
			if status != http.StatusOK || !strings.Contains(page, `id="signin-method"`) || !strings.Contains(page, "You sign in with Test ID") {
				t.Errorf("account page: %d, want it to say how ana signs in:\n%s", status, page)
			}
			for _, notWanted := range []string{"current_password", `action="/account/password"`, "Change password"} {
				if strings.Contains(page, notWanted) {
					t.Errorf("the account page of a user without a password shows %q", notWanted)
				}
			}

			for _, post := range []struct {
				name   string
				fields url.Values
				header map[string]string
				status int
			}{
				{"without a current password", url.Values{"new_password": {newPassword}, "confirm_password": {newPassword}}, nil,
					http.StatusForbidden},
				{"with an empty current password", url.Values{"current_password": {""}, "new_password": {newPassword}, "confirm_password": {newPassword}}, nil,
					http.StatusForbidden},
				{"naming another user", url.Values{"email": {"member@example.com"}, "user_id": {"1"}, "new_password": {newPassword}, "confirm_password": {newPassword}}, nil,
					http.StatusForbidden},
				{"from another site", url.Values{"new_password": {newPassword}, "confirm_password": {newPassword}},
					map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			} {
				t.Run(post.name, func(t *testing.T) {
					got, body := postForm(t, b, s.url+"/account/password", post.fields, post.header)
					if got != post.status {
						t.Errorf("POST /account/password = %d, want %d:\n%s", got, post.status, body)
					}
					if post.header == nil && !tt.passwordOff && !strings.Contains(body, "you sign in with Test ID") {
						t.Errorf("the refusal does not say how ana signs in:\n%s", body)
					}
					if h := passwordHash(t, s.fixture, ana); h != "" {
						t.Errorf("ana has a password now")
					}
					if got, _ := postForm(t, ssotest.NewBrowser(), s.url+"/login", url.Values{"email": {"member@example.com"}, "password": {"fixture password"}}, nil); !tt.passwordOff && got != http.StatusSeeOther {
						t.Errorf("member's own password stopped working (%d)", got)
					}
				})
			}
			if got, _ := postForm(t, ssotest.NewBrowser(), s.url+"/login", url.Values{"email": {ana}, "password": {newPassword}}, nil); got == http.StatusSeeOther {
				t.Errorf("ana signs in with a password she was refused")
			}
			if _, sessions := s.accounts(t); sessions < 5 {
				t.Errorf("%d sessions: a refused password change signed people out", sessions)
			}
		})
	}

	t.Run("a user with a password still changes it", func(t *testing.T) {
		s := newSignOnServer(t, signOnOptions{})
		page := s.request(t, "member", "GET", "/account", nil, nil).Body.String()
		if !strings.Contains(page, "current_password") || !strings.Contains(page, "Change password") {
			t.Errorf("account page of a user with a password has no change form:\n%s", page)
		}
		w := s.form(t, "member", "/account/password", url.Values{"current_password": {"fixture password"}, "new_password": {newPassword},
			"confirm_password": {newPassword}}, nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Password changed") {
			t.Errorf("password change = %d:\n%s", w.Code, w.Body)
		}
	})
}

// TestPasswordSignInTakesTheSameWorkForEveryone: a password sign-in
// checks the password against an argon2id hash whoever the email names (a
// user with a password, one without, nobody), so the answer's time does
// not tell that an account exists and signs in only at the provider.
func TestPasswordSignInTakesTheSameWorkForEveryone(t *testing.T) {
	f := newSQLiteFixture(t)
	if _, err := f.db.CreateOIDCUser(context.Background(), account.User{Email: "sso@example.com", Name: "Sso", Role: account.Member},
		"https://id.example.com", "sso-subject"); err != nil {
		t.Fatal(err)
	}
	var checked []string
	f.srv.checkHash = func(hash, pw string) bool {
		checked = append(checked, hash)
		return account.CheckPassword(hash, pw)
	}
	for _, tt := range []struct{ name, email string }{
		{"a user with a password", "member@example.com"},
		{"a user without a password", "sso@example.com"},
		{"nobody", "nobody@example.com"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checked = nil
			w := signInFrom(t, f.srv, "192.0.2.7:1", "", tt.email, "a wrong password")
			if w.Code != http.StatusUnauthorized {
				t.Errorf("sign-in with a wrong password = %d, want 401", w.Code)
			}
			if len(checked) != 1 || !strings.HasPrefix(checked[0], "$argon2id$") {
				t.Errorf("the password was checked against %q, want one argon2id hash", checked)
			}
		})
	}
}

// TestCookiesSecureWithHTTPSPublicURL: with single sign-on at an https
// public URL, the session cookie and the sign-on mark are Secure although
// the request reached rhythm as plain HTTP (a proxy ending TLS that does
// not send X-Forwarded-Proto, nginx's default), as the sign-in cookie is:
// a browser never sends them over plain HTTP.
func TestCookiesSecureWithHTTPSPublicURL(t *testing.T) {
	f := newSQLiteFixture(t)
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cfg := sso.Config{Issuer: "https://id.example.com", ClientID: "rhythm", ClientSecret: "s", RedirectURL: "https://rhythm.example.com" + sso.CallbackPath}
	rp, err := sso.New(cfg, box)
	if err != nil {
		t.Fatal(err)
	}
	if f.srv, err = New(Config{DB: f.db, SignOn: &SignOn{RP: rp, Policy: cfg.Policy(), PublicURL: "https://rhythm.example.com"}}); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {"member@example.com"}, "password": {"fixture password"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: hostPrefix + signOnCookie, Value: "1"})
	req.AddCookie(&http.Cookie{Name: signOnCookie, Value: "1"}) // from before the prefix
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	got := map[string]bool{}
	for _, c := range w.Result().Cookies() {
		got[c.Name] = c.Secure
	}
	if want := map[string]bool{hostPrefix + sessionCookie: true, hostPrefix + signOnCookie: true, signOnCookie: true}; w.Code != http.StatusSeeOther || !cmp.Equal(got, want) {
		t.Errorf("password sign-in = %d; cookies (name: Secure) %v, want %v", w.Code, got, want)
	}
}

// TestHostPrefixedCookies: over https rhythm's cookies carry the __Host-
// prefix, which a browser takes only from this host with Secure, Path=/
// and no Domain, so that a site on a sibling subdomain cannot set them.
// A session cookie of the old name is not read there: its holder is asked
// to sign in again, and the sign-in clears it and ends its session. Over
// plain http, where Secure is impossible, the names stay.
func TestHostPrefixedCookies(t *testing.T) {
	f := newSQLiteFixture(t)
	https := map[string]string{"X-Forwarded-Proto": "https"}
	signIn := func(t *testing.T, header map[string]string, cookies ...*http.Cookie) *http.Response {
		t.Helper()
		req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {"member@example.com"}, "password": {"fixture password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("sign-in = %d:\n%s", w.Code, w.Body)
		}
		return w.Result()
	}
	account := func(header map[string]string, c *http.Cookie) (int, string) {
		req := httptest.NewRequest("GET", "/account", nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		req.AddCookie(c)
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		return w.Code, w.Header().Get("Location")
	}
	session := func(res *http.Response, name string) *http.Cookie {
		for _, c := range res.Cookies() {
			if c.Name == name && c.Value != "" {
				return c
			}
		}
		return nil
	}

	plain := session(signIn(t, nil), sessionCookie)
	if plain == nil {
		t.Fatalf("over http: no %s cookie", sessionCookie)
	}
	if code, _ := account(nil, plain); code != http.StatusOK {
		t.Errorf("over http: /account with %s = %d, want 200", sessionCookie, code)
	}

	res := signIn(t, https)
	c := session(res, "__Host-"+sessionCookie)
	if c == nil || !c.Secure || c.Path != "/" || c.Domain != "" || session(res, sessionCookie) != nil {
		t.Fatalf("over https: cookies %q, want __Host-%s, Secure, Path=/, no Domain", res.Header.Values("Set-Cookie"), sessionCookie)
	}
	if code, _ := account(https, c); code != http.StatusOK {
		t.Errorf("over https: /account with __Host-%s = %d, want 200", sessionCookie, code)
	}
	// The same session under the old name, as a sibling subdomain could
	// set it: not read.
	if code, loc := account(https, &http.Cookie{Name: sessionCookie, Value: c.Value}); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("over https: /account with the old name %s = %d to %q, want 303 to sign in", sessionCookie, code, loc)
	}

	// A browser from before the prefix signs in again: its old cookie is
	// cleared and its session ended.
	res = signIn(t, https, plain)
	cleared := false
	for _, k := range res.Cookies() {
		cleared = cleared || k.Name == sessionCookie && k.MaxAge < 0
	}
	if !cleared || session(res, "__Host-"+sessionCookie) == nil {
		t.Errorf("sign-in over https with an old %s: cookies %q, want it cleared and a __Host- one", sessionCookie, res.Header.Values("Set-Cookie"))
	}
	if code, _ := account(nil, plain); code != http.StatusSeeOther {
		t.Errorf("the old session after a new sign-in: /account = %d, want 303", code)
	}
}

// TestSignInCookieSecureLikeSession: behind a trusted proxy that says
// https, with an http public URL, the cookie of a single sign-on in
// progress is Secure and __Host- prefixed, like the session cookie: both
// follow one rule.
func TestSignInCookieSecureLikeSession(t *testing.T) {
	s := newSignOnServer(t, signOnOptions{})
	s.srv.trustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	for _, tt := range []struct {
		name   string
		proto  string
		secure bool
	}{
		{"proxy says https", "https", true},
		{"proxy says http", "http", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prefix := ""
			if tt.secure {
				prefix = hostPrefix
			}
			send := func(req *http.Request) *http.Response {
				req.RemoteAddr = "127.0.0.1:41234"
				req.Header.Set("X-Forwarded-Proto", tt.proto)
				w := httptest.NewRecorder()
				s.srv.ServeHTTP(w, req)
				return w.Result()
			}
			begin := send(httptest.NewRequest("GET", "/auth/oidc/login", nil))
			var signIn *http.Cookie
			for _, c := range begin.Cookies() {
				if strings.Contains(c.Name, sso.CookieName) {
					signIn = c
				}
			}
			if signIn == nil || !strings.HasPrefix(signIn.Name, prefix+sso.CookieName+"_") || signIn.Secure != tt.secure {
				t.Errorf("sign-on = %d; cookies %q, want %s%s_…, Secure=%v", begin.StatusCode, begin.Header.Values("Set-Cookie"), prefix, sso.CookieName, tt.secure)
			}
			req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {"member@example.com"}, "password": {"fixture password"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := send(req)
			var session *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == prefix+sessionCookie {
					session = c
				}
			}
			if session == nil || session.Secure != tt.secure {
				t.Errorf("password sign-in = %d; cookies %q, want %s%s, Secure=%v", res.StatusCode, res.Header.Values("Set-Cookie"), prefix, sessionCookie, tt.secure)
			}
		})
	}
}
