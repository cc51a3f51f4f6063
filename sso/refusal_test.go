package sso_test

import (
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/sso"
)

// refused checks that rhythm's callback refused with status and code, for a
// reason whose log detail contains cause, with a plain message, and that no
// user or session was made.
func (e *env) refused(t *testing.T, r result, status int, code, cause string, users, sessions int) {
	t.Helper()
	if r.status != status || r.body.Error.Code != code {
		t.Errorf("callback answered %d %+v (%s), want %d %s", r.status, r.body.Error, r.cause, status, code)
	}
	if !strings.Contains(r.cause, cause) {
		t.Errorf("refused for %q, want a reason containing %q", r.cause, cause)
	}
	if msg := r.body.Error.Message; msg == "" || msg == "internal error" || strings.Contains(msg, "oidc:") || strings.ContainsAny(msg, "\r\n") {
		t.Errorf("message %q is not a plain sentence", msg)
	}
	if u, s := e.counts(t); u != users || s != sessions {
		t.Errorf("after the refusal: %d users and %d sessions, want %d and %d", u, s, users, sessions)
	}
}

// rewrite returns a token rewrite that edits the provider's claims and signs
// with key under kid.
func rewrite(key *rsa.PrivateKey, kid string, edit func(map[string]any)) func(map[string]any) (map[string]any, *rsa.PrivateKey, string) {
	return func(c map[string]any) (map[string]any, *rsa.PrivateKey, string) {
		edit(c)
		return c, key, kid
	}
}

// TestRefusedTokens: an ID token that fails one check is refused and makes
// no user and no session. Each token comes from the provider's real sign-in
// and then has one thing changed (or the nonce is changed on the way in);
// the control case shows that re-signing alone is accepted.
func TestRefusedTokens(t *testing.T) {
	type tokenRewrite = func(map[string]any) (map[string]any, *rsa.PrivateKey, string)
	published := func(edit func(map[string]any)) tokenRewrite {
		return rewrite(shared.prov.Published, ssotest.PublishedKeyID, edit)
	}
	now := time.Now()
	tests := []struct {
		name   string
		auth   func(url.Values)
		token  tokenRewrite
		user   string
		status int
		code   string
		cause  string // "" for the accepted control case
	}{
		{name: "control: re-signed with a published key, claims untouched", user: "ana",
			token: published(func(map[string]any) {}), status: 200},
		{name: "wrong audience", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "expected audience",
			token: published(func(c map[string]any) { c["aud"] = []string{"another-app"}; c["azp"] = "another-app" })},
		{name: "control: several audiences, azp is rhythm", user: "ana", status: 200,
			token: published(func(c map[string]any) { c["aud"] = []string{testClientID, "another-app"}; c["azp"] = testClientID })},
		{name: "several audiences without azp", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "azp",
			token: published(func(c map[string]any) { c["aud"] = []string{testClientID, "another-app"}; delete(c, "azp") })},
		{name: "several audiences, azp another app", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "azp",
			token: published(func(c map[string]any) { c["aud"] = []string{"another-app", testClientID}; c["azp"] = "another-app" })},
		{name: "one audience, azp another app", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "azp",
			token: published(func(c map[string]any) { c["aud"] = []string{testClientID}; c["azp"] = "another-app" })},
		{name: "expired ID token", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "token is expired",
			token: published(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix(); c["iat"] = now.Add(-time.Hour).Unix() })},
		{name: "issuer mismatch", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "issued by a different provider",
			token: published(func(c map[string]any) { c["iss"] = "https://impostor.example" })},
		{name: "signed by a key the provider never published", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "failed to verify signature",
			token: rewrite(shared.prov.Stranger, "test-stranger", func(map[string]any) {})},
		{name: "signed by an unpublished key without a key id", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "failed to verify signature",
			token: rewrite(shared.prov.Stranger, "", func(map[string]any) {})},
		{name: "bad nonce", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "nonce does not match",
			auth: func(q url.Values) { q.Set("nonce", "a-nonce-of-another-browser") }},
		{name: "nonce left out", user: "ana", status: 401, code: rhythm.EUNAUTHORIZED, cause: "nonce does not match",
			auth: func(q url.Values) { q.Del("nonce") }},
		{name: "email_verified=false", user: "max", status: 403, code: rhythm.EFORBIDDEN, cause: "no verified email"},
		{name: "email_verified=false from a tampered token", user: "ana", status: 403, code: rhythm.EFORBIDDEN, cause: "no verified email",
			token: published(func(c map[string]any) { c["email_verified"] = false })},
		{name: "unknown domain", user: "eve", status: 403, code: rhythm.EFORBIDDEN, cause: "on no team roster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.prov.Set(tt.auth, tt.token)
			users, _ := e.counts(t)
			b := newBrowser(t)
			r := e.get(t, b.Client, b.signInAtProvider(t, e.url, tt.user))
			if tt.cause == "" {
				if r.status != http.StatusOK || r.body.User.Email != personNamed(tt.user).Email {
					t.Fatalf("control sign-in: %d %+v (%s)", r.status, r.body, r.cause)
				}
				return
			}
			e.refused(t, r, tt.status, tt.code, tt.cause, users, 0)
		})
	}
}

// TestRefusedState: the state binds the provider's answer to the browser
// that asked; a missing, foreign or replayed one is refused.
func TestRefusedState(t *testing.T) {
	t.Run("missing sign-in cookie", func(t *testing.T) {
		e := newEnv(t)
		users, _ := e.counts(t)
		callback := newBrowser(t).signInAtProvider(t, e.url, "ana")
		e.refused(t, e.get(t, newBrowser(t).Client, callback), 401, rhythm.EUNAUTHORIZED, "no sign-in cookie", users, 0)
	})
	t.Run("missing state parameter", func(t *testing.T) {
		e := newEnv(t)
		users, _ := e.counts(t)
		b := newBrowser(t)
		u := mustURL(b.signInAtProvider(t, e.url, "ana"))
		q := u.Query()
		q.Del("state")
		u.RawQuery = q.Encode()
		e.refused(t, e.get(t, b.Client, u.String()), 401, rhythm.EUNAUTHORIZED, "state does not match", users, 0)
	})
	t.Run("state of another browser's sign-in", func(t *testing.T) {
		e := newEnv(t)
		users, _ := e.counts(t)
		victim, attacker := newBrowser(t), newBrowser(t)
		attacker.signInAtProvider(t, e.url, "eve")
		callback := victim.signInAtProvider(t, e.url, "ana")
		r := e.get(t, newBrowser(t).Client, callback, attacker.sealedCookie(t, e.url))
		e.refused(t, r, 401, rhythm.EUNAUTHORIZED, "state does not match", users, 0)
	})
	t.Run("a tampered sign-in cookie", func(t *testing.T) {
		e := newEnv(t)
		users, _ := e.counts(t)
		b := newBrowser(t)
		callback := b.signInAtProvider(t, e.url, "ana")
		ck := b.sealedCookie(t, e.url)
		ck.Value = ck.Value[:len(ck.Value)-4] + "AAAA"
		e.refused(t, e.get(t, newBrowser(t).Client, callback, ck), 401, rhythm.EUNAUTHORIZED, "does not open", users, 0)
	})
	t.Run("a sign-in cookie older than ten minutes", func(t *testing.T) {
		e := newEnv(t)
		var (
			mu  sync.Mutex
			now = time.Now()
		)
		e.app.rp, _ = e.newRP(t, sso.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
		users, _ := e.counts(t)
		b := newBrowser(t)
		callback := b.signInAtProvider(t, e.url, "ana")
		ck := b.sealedCookie(t, e.url) // a browser drops it after Max-Age; a replay keeps it
		mu.Lock()
		now = now.Add(sso.FlowLifetime + time.Second)
		mu.Unlock()
		e.refused(t, e.get(t, newBrowser(t).Client, callback, ck), 401, rhythm.EUNAUTHORIZED, "sign-in cookie expired", users, 0)
	})
	t.Run("replayed state", func(t *testing.T) {
		e := newEnv(t)
		b := newBrowser(t)
		callback := b.signInAtProvider(t, e.url, "ana")
		ck := b.sealedCookie(t, e.url)
		if r := e.get(t, b.Client, callback); r.status != http.StatusOK {
			t.Fatalf("first sign-in: %d %+v", r.status, r.body.Error)
		}
		users, sessions := e.counts(t)
		e.refused(t, e.get(t, newBrowser(t).Client, callback, ck), 401, rhythm.EUNAUTHORIZED, "state used already", users, sessions)
	})
	// An error "from the provider" shows the provider's words; with a
	// state not of this browser's sign-in it is someone else's link, and
	// their words are not shown on rhythm's page.
	for name, state := range map[string]string{"forged provider error without state": "", "forged provider error with another state": "x"} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			users, _ := e.counts(t)
			b := newBrowser(t)
			b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := b.Get(e.url + "/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			forged := url.Values{"error": {"temporarily_unavailable"}, "error_description": {"Call +1 555 0100 to unlock your account"}}
			if state != "" {
				forged.Set("state", state)
			}
			r := e.get(t, b.Client, e.url+callbackPath+"?"+forged.Encode())
			e.refused(t, r, 401, rhythm.EUNAUTHORIZED, "state does not match", users, 0)
			if strings.Contains(r.body.Error.Message, "555") {
				t.Errorf("message %q shows the forged words", r.body.Error.Message)
			}
		})
	}
	t.Run("the sign-in cookie is cleared by the callback, even when refused", func(t *testing.T) {
		e := newEnv(t)
		b := newBrowser(t)
		e.prov.Set(func(q url.Values) { q.Set("nonce", "x") }, nil)
		r := e.get(t, b.Client, b.signInAtProvider(t, e.url, "ana"))
		if r.status != 401 {
			t.Fatalf("status %d, want 401", r.status)
		}
		if c := b.flowCookies(e.url); len(c) != 0 {
			t.Errorf("the sign-in cookie is still set: %v", c)
		}
	})
}

// TestCodeUsedTwice: the same callback (code, state and cookie) replayed to
// another rhythm server that shares the key gets past the state, and the
// provider refuses the code the second time.
func TestCodeUsedTwice(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t)
	callback := b.signInAtProvider(t, e.url, "ana")
	ck := b.sealedCookie(t, e.url)
	if r := e.get(t, b.Client, callback); r.status != http.StatusOK {
		t.Fatalf("first sign-in: %d %+v", r.status, r.body.Error)
	}
	users, sessions := e.counts(t)

	rp, policy := e.newRP(t)
	other := &app{rp: rp, policy: policy, db: e.app.db}
	front := httptest.NewServer(other)
	defer front.Close()
	u := mustURL(callback)
	e.refused(t, e.get(t, newBrowser(t).Client, front.URL+u.RequestURI(), ck), 401, rhythm.EUNAUTHORIZED, "invalid_grant", users, sessions)
}

// TestProviderSaysNo: an error the provider sends back (the person said no
// at the consent screen) is a plain refusal.
func TestProviderSaysNo(t *testing.T) {
	e := newEnv(t)
	users, _ := e.counts(t)
	b := newBrowser(t)
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.Get(e.url + "/login?next=//evil.example/steal")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to := mustURL(resp.Header.Get("Location"))
	q := to.Query()
	for k, want := range map[string]string{"code_challenge_method": "S256", "response_type": "code", "client_id": testClientID, "redirect_uri": e.url + callbackPath} {
		if q.Get(k) != want {
			t.Errorf("authorization request %s = %q, want %q", k, q.Get(k), want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(k)) < 32 {
			t.Errorf("authorization request %s = %q, want a long random value", k, q.Get(k))
		}
	}
	if strings.Contains(q.Get("scope"), "groups") || !strings.Contains(q.Get("scope"), "openid") {
		t.Errorf("scope = %q, want openid email profile", q.Get("scope"))
	}
	back := url.Values{"error": {"access_denied"}, "error_description": {"The user said no"}, "state": {q.Get("state")}}
	r := e.get(t, b.Client, e.url+callbackPath+"?"+back.Encode())
	e.refused(t, r, 401, rhythm.EUNAUTHORIZED, "access_denied", users, 0)
	if !strings.Contains(r.body.Error.Message, "Test ID did not let you sign in") {
		t.Errorf("message = %q, want it to say the provider did not let you sign in", r.body.Error.Message)
	}

	// Another error, for example a scope the provider does not know: its
	// words, without line breaks, and a hint for the admin.
	resp, err = b.Get(e.url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back = url.Values{"error": {"invalid_scope"}, "error_description": {"Scope groups\r\nis unknown"},
		"state": {mustURL(resp.Header.Get("Location")).Query().Get("state")}}
	r = e.get(t, b.Client, e.url+callbackPath+"?"+back.Encode())
	e.refused(t, r, 400, rhythm.EINVALID, "invalid_scope", users, 0)
	if want := "Test ID refused the sign-in (invalid_scope): Scope groups  is unknown; if this persists, the admin should check"; !strings.HasPrefix(r.body.Error.Message, want) {
		t.Errorf("message = %q, want it to start %q", r.body.Error.Message, want)
	}
}

// TestUsedStatesBounded: the record of finished sign-ins, which refuses a
// replayed callback, holds at most its capacity. Callbacks with a cookie
// anyone can get from /login and a made-up code add nothing to it; when
// real sign-ins fill it, new ones are refused with a wait (503) until the
// oldest expires, and a used state is never forgotten early.
func TestUsedStatesBounded(t *testing.T) {
	e := newEnv(t)
	var (
		mu  sync.Mutex
		now = time.Now()
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e.app.rp, _ = e.newRP(t, sso.WithUsedStates(2), sso.WithClock(clock))

	// A flood of callbacks that match their cookie's state but carry no
	// code the provider gave.
	for i := range 5 {
		b := newBrowser(t)
		b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := b.Get(e.url + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		state := mustURL(resp.Header.Get("Location")).Query().Get("state")
		r := e.get(t, b.Client, e.url+callbackPath+"?"+url.Values{"state": {state}, "code": {"made-up"}}.Encode())
		if r.status != http.StatusUnauthorized {
			t.Fatalf("made-up callback %d: %d %+v, want 401", i, r.status, r.body.Error)
		}
	}

	first, second, third := newBrowser(t), newBrowser(t), newBrowser(t)
	callbacks := []string{first.signInAtProvider(t, e.url, "ana"), second.signInAtProvider(t, e.url, "ana"), third.signInAtProvider(t, e.url, "ana")}
	replay := first.sealedCookie(t, e.url)
	for i, b := range []*browser{first, second} {
		if r := e.get(t, b.Client, callbacks[i]); r.status != http.StatusOK {
			t.Fatalf("sign-in %d after the flood: %d %+v (%s)", i+1, r.status, r.body.Error, r.cause)
		}
	}
	users, sessions := e.counts(t)
	busy := func(name string, r result) {
		t.Helper()
		if r.status != http.StatusServiceUnavailable || r.body.Error.Code != rhythm.EUNAVAILABLE {
			t.Errorf("%s with the record full: %d %+v (%s), want 503 unavailable", name, r.status, r.body.Error, r.cause)
		}
		if secs, err := strconv.Atoi(r.retryAfter); err != nil || secs < 1 || secs > int(sso.FlowLifetime/time.Second) {
			t.Errorf("%s with the record full: Retry-After %q, want seconds until the oldest sign-in expires", name, r.retryAfter)
		}
	}
	busy("a sign-in begun before it filled", e.get(t, third.Client, callbacks[2]))
	busy("a new sign-in", e.get(t, newBrowser(t).Client, e.url+"/login"))
	if u, s := e.counts(t); u != users || s != sessions {
		t.Errorf("refused sign-ins made users or sessions: %d %d, want %d %d", u, s, users, sessions)
	}
	e.refused(t, e.get(t, newBrowser(t).Client, callbacks[0], replay), 401, rhythm.EUNAUTHORIZED, "state used already", users, sessions)

	mu.Lock()
	now = now.Add(sso.FlowLifetime + time.Second)
	mu.Unlock()
	b := newBrowser(t)
	if r := e.get(t, b.Client, b.signInAtProvider(t, e.url, "ana")); r.status != http.StatusOK {
		t.Errorf("sign-in once the first ones expired: %d %+v (%s)", r.status, r.body.Error, r.cause)
	}
}

// TestSignInAttemptsApart: each sign-in has its own cookie, so that
// another one begun in the same browser (a second tab, or a page elsewhere
// that sends the browser to /login) does not break one in progress. The
// browser keeps the newest few.
func TestSignInAttemptsApart(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t)
	callback := b.signInAtProvider(t, e.url, "ana")
	begin := func() {
		t.Helper()
		stop := b.CheckRedirect
		b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		defer func() { b.CheckRedirect = stop }()
		resp, err := b.Get(e.url + "/login?next=/elsewhere")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("GET /login = %d, want a redirect to the provider", resp.StatusCode)
		}
	}
	begin()
	r := e.get(t, b.Client, callback)
	if r.status != http.StatusOK || r.body.Next != "/teams" {
		t.Fatalf("the first sign-in after a second one began: %d %+v (%s), want it finished to /teams", r.status, r.body.Error, r.cause)
	}
	if n := len(b.flowCookies(e.url)); n != 1 {
		t.Errorf("after the first sign-in finished the browser holds %d sign-in cookies, want the second one's only", n)
	}
	for range 6 {
		begin()
	}
	if n := len(b.flowCookies(e.url)); n > sso.MaxAttempts {
		t.Errorf("after 7 sign-ins begun the browser holds %d sign-in cookies, want at most %d", n, sso.MaxAttempts)
	}
	r = e.get(t, b.Client, b.signInAtProvider(t, e.url, "ana"))
	if r.status != http.StatusOK {
		t.Errorf("the newest sign-in: %d %+v (%s)", r.status, r.body.Error, r.cause)
	}
}
