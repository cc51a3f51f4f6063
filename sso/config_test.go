package sso_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/sso"
)

func validConfig() sso.Config {
	return sso.Config{Issuer: "https://id.example.com/realms/acme", ClientID: "rhythm", ClientSecret: "s3cret",
		RedirectURL: "https://rhythm.example.com/auth/oidc/callback"}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*sso.Config)
		want string // "" for valid; else the start of the error
	}{
		{"valid", func(*sso.Config) {}, ""},
		{"loopback http issuer for trying out", func(c *sso.Config) { c.Issuer = "http://127.0.0.1:5556" }, ""},
		{"localhost http redirect", func(c *sso.Config) { c.RedirectURL = "http://localhost:8080/auth/oidc/callback" }, ""},
		{"no issuer", func(c *sso.Config) { c.Issuer = "" }, "--oidc-issuer: set"},
		{"no client id", func(c *sso.Config) { c.ClientID = "" }, "--oidc-client-id: set"},
		{"no client secret", func(c *sso.Config) { c.ClientSecret = "" }, "--oidc-client-secret: set"},
		{"relative issuer", func(c *sso.Config) { c.Issuer = "id.example.com" }, "--oidc-issuer: \"id.example.com\" is not an absolute"},
		{"plain http issuer", func(c *sso.Config) { c.Issuer = "http://id.example.com" }, "--oidc-issuer: \"http://id.example.com\" must use https"},
		{"issuer with a query", func(c *sso.Config) { c.Issuer = "https://id.example.com/?tenant=1" }, "--oidc-issuer: "},
		{"no public url", func(c *sso.Config) { c.RedirectURL = "" }, "--public-url: set"},
		{"plain http public url", func(c *sso.Config) { c.RedirectURL = "http://rhythm.example.com/auth/oidc/callback" }, "--public-url: "},
		{"bad allowed domain", func(c *sso.Config) { c.AllowedDomains = []string{"example.com", "*.corp"} }, "--oidc-allowed-domains: \"*.corp\""},
		{"allowed domain without a dot", func(c *sso.Config) { c.AllowedDomains = []string{"localhost"} }, "--oidc-allowed-domains: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.edit(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want an invalid error starting %q", err, tt.want)
			}
		})
	}
}

func TestConfigTidiesAndHidesTheSecret(t *testing.T) {
	c := validConfig()
	c.AllowedDomains = []string{" Corp.Example ", "@partner.example", ""}
	c.AdminGroup = " rhythm-admins "
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := sso.Policy{AllowedDomains: []string{"corp.example", "partner.example"}, AdminGroup: "rhythm-admins", ProviderName: "id.example.com"}
	if diff := cmp.Diff(want, c.Policy()); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	if s := c.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "client_secret=set") {
		t.Errorf("String() = %q, want the secret hidden", s)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "/",
		"/":                       "/",
		"/teams/3?tab=rhythm#top": "/teams/3?tab=rhythm#top",
		"//evil.example/x":        "/",
		"/\\evil.example":         "/",
		"https://evil.example/":   "/",
		"javascript:alert(1)":     "/",
		"teams":                   "/",
		"/teams\r\nSet-Cookie: x": "/",
		"/%2f%2fevil.example":     "/", // refused to be safe, though a path here
	} {
		if got := sso.LocalPath(in); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "https://x/", "/a?b#c", "/\t/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := sso.LocalPath(in)
		if got != "/" && got != in {
			t.Fatalf("LocalPath(%q) = %q, want the input or /", in, got)
		}
		// What a browser would make of it as a Location on this server.
		base, _ := url.Parse("https://rhythm.example.com/login")
		ref, err := base.Parse(got)
		if err != nil || ref.Host != "rhythm.example.com" || ref.Scheme != "https" {
			t.Fatalf("LocalPath(%q) = %q leads to %v (%v)", in, got, ref, err)
		}
	})
}

// discoveryServer serves a discovery document that fails while down is set
// and counts the requests for it.
type discoveryServer struct {
	*httptest.Server
	down     atomic.Bool
	requests atomic.Int32
}

func newDiscoveryServer(t *testing.T) *discoveryServer {
	d := &discoveryServer{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		d.requests.Add(1)
		if d.down.Load() {
			http.Error(w, "starting up", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		u := d.URL
		w.Write([]byte(`{"issuer":"` + u + `","authorization_endpoint":"` + u + `/auth","token_endpoint":"` + u +
			`/token","jwks_uri":"` + u + `/keys","id_token_signing_alg_values_supported":["RS256"]}`))
	}))
	t.Cleanup(d.Close)
	return d
}

func testBox(t *testing.T) *secret.Box {
	t.Helper()
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// A provider that is down when rhythm starts is asked again later, not on
// every request, and sign-in works once it is up.
func TestDiscoveryIsLazyAndRetried(t *testing.T) {
	d := newDiscoveryServer(t)
	d.down.Store(true)
	var (
		mu  sync.Mutex
		now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	cfg := validConfig()
	cfg.Issuer, cfg.RedirectURL = d.URL, "http://127.0.0.1:1/auth/oidc/callback"
	rp, err := sso.New(cfg, testBox(t), sso.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	if n := d.requests.Load(); n != 0 {
		t.Fatalf("New asked the provider %d times, want 0", n)
	}
	begin := func() error {
		_, err := rp.Begin(httptest.NewRecorder(), httptest.NewRequest("GET", "/login", nil), "/")
		return err
	}
	if err := begin(); rhythm.ErrorCode(err) != rhythm.EUNAVAILABLE {
		t.Fatalf("Begin while the provider is down: %v, want unavailable", err)
	}
	d.down.Store(false)
	if err := begin(); rhythm.ErrorCode(err) != rhythm.EUNAVAILABLE || d.requests.Load() != 1 {
		t.Fatalf("Begin right after a failure: %v after %d requests, want the remembered failure and 1 request", err, d.requests.Load())
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if err := begin(); err != nil {
		t.Fatalf("Begin once the provider is up: %v", err)
	}
	if err := begin(); err != nil || d.requests.Load() != 2 {
		t.Fatalf("Begin again: %v after %d requests, want the document read once more only", err, d.requests.Load())
	}
	if u, err := rp.LogoutURL(context.Background(), "hint", "https://rhythm.example.com/"); u != "" || err != nil {
		t.Errorf("LogoutURL without end_session_endpoint = %q, %v; want none", u, err)
	}
}

func TestBeginCookie(t *testing.T) {
	d := newDiscoveryServer(t)
	for _, tt := range []struct {
		name, redirect string
		tls            bool
		proto          string // X-Forwarded-Proto of the proxy in front
		secure         bool
		prefix         string
	}{
		{"plain http on localhost", "http://localhost:8080/auth/oidc/callback", false, "", false, sso.CookieName + "_"},
		{"behind a TLS proxy", "https://rhythm.example.com/auth/oidc/callback", false, "", true, "__Host-" + sso.CookieName + "_"},
		{"direct TLS", "http://localhost:8080/auth/oidc/callback", true, "", true, "__Host-" + sso.CookieName + "_"},
		// As the session cookie (web): a proxy that says https makes the
		// cookie Secure even when the public URL is http.
		{"behind a proxy that says https", "http://localhost:8080/auth/oidc/callback", false, "https", true, "__Host-" + sso.CookieName + "_"},
		{"behind a proxy that says http", "http://localhost:8080/auth/oidc/callback", false, "http", false, sso.CookieName + "_"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			cfg.Issuer, cfg.RedirectURL = d.URL, tt.redirect
			rp, err := sso.New(cfg, testBox(t))
			if err != nil {
				t.Fatal(err)
			}
			w, r := httptest.NewRecorder(), httptest.NewRequest("GET", "/login", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				r.RemoteAddr = "127.0.0.1:41234" // the proxy, on the same host
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			to, err := rp.Begin(w, r, "/")
			if err != nil {
				t.Fatal(err)
			}
			cookies := w.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("%d cookies, want 1", len(cookies))
			}
			c := cookies[0]
			state := mustURL(to).Query().Get("state")
			if c.Name != tt.prefix+state[:12] || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge != 600 || c.Secure != tt.secure || c.Path != "/" || c.Domain != "" {
				t.Errorf("cookie %+v, want %s<start of the state>, HttpOnly, SameSite=Lax, Max-Age=600, Secure=%v, no Domain", c, tt.prefix, tt.secure)
			}
			if strings.Contains(c.Value, "state") || !strings.HasPrefix(c.Value, "v1:") {
				t.Errorf("cookie value %q is not sealed", c.Value)
			}
		})
	}
}

func TestLogoutURLAtTheProvider(t *testing.T) {
	e := newEnv(t)
	u, err := e.app.rp.LogoutURL(context.Background(), "the.id.token", e.url+"/login")
	if err != nil {
		t.Fatal(err)
	}
	got := mustURL(u)
	q := got.Query()
	if got.Scheme+"://"+got.Host != e.prov.URL || got.Path != "/end_session" || q.Get("id_token_hint") != "the.id.token" ||
		q.Get("client_id") != testClientID || q.Get("post_logout_redirect_uri") != e.url+"/login" {
		t.Errorf("LogoutURL = %s, want the provider's end_session endpoint with the hint, client id and where to return", u)
	}
}

func TestDefaultProviderName(t *testing.T) {
	for issuer, want := range map[string]string{
		"https://accounts.google.com": "Google",
		"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0": "Microsoft",
		"https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/":               "Microsoft",
		"https://acme.okta.com":                     "Okta",
		"https://keycloak.example.com/realms/staff": "keycloak.example.com",
		"http://127.0.0.1:5556/dex":                 "127.0.0.1",
	} {
		if got := sso.DefaultProviderName(issuer); got != want {
			t.Errorf("DefaultProviderName(%q) = %q, want %q", issuer, got, want)
		}
	}
	c := validConfig()
	c.ProviderName = "  Acme ID "
	if err := c.Validate(); err != nil || c.ProviderName != "Acme ID" {
		t.Errorf("a given name: %q %v, want \"Acme ID\"", c.ProviderName, err)
	}
}

// TestFlowCookieNames: over https the sign-in cookie is read only under its
// __Host- name, which a sibling subdomain cannot set; one under another
// name (as an older rhythm or a sibling site set it) is refused as if
// there were none, and the person signs in again.
func TestFlowCookieNames(t *testing.T) {
	d := newDiscoveryServer(t)
	cfg := validConfig()
	cfg.Issuer = d.URL
	rp, err := sso.New(cfg, testBox(t))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	to, err := rp.Begin(w, httptest.NewRequest("GET", "/auth/oidc/login", nil), "/")
	if err != nil {
		t.Fatal(err)
	}
	sealed := w.Result().Cookies()[0]
	state := mustURL(to).Query().Get("state")
	for _, tt := range []struct {
		name, cookie string
		code         string
		cause        string
	}{
		{"the __Host- name", sealed.Name, rhythm.EINVALID, "sent no sign-in code"},
		{"without the prefix", strings.TrimPrefix(sealed.Name, "__Host-"), rhythm.EUNAUTHORIZED, "no sign-in cookie"},
		{"the name of before", sso.CookieName, rhythm.EUNAUTHORIZED, "no sign-in cookie"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", sso.CallbackPath+"?state="+url.QueryEscape(state), nil)
			r.AddCookie(&http.Cookie{Name: tt.cookie, Value: sealed.Value})
			_, err := rp.Finish(httptest.NewRecorder(), r)
			if rhythm.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.cause) {
				t.Errorf("Finish with the sign-in cookie named %s: %v, want %s (%s)", tt.cookie, err, tt.code, tt.cause)
			}
		})
	}
}
