package sso

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/internal/secret"
)

// CookieName starts the names of the cookies that carry sign-ins in
// progress (state, nonce, PKCE verifier) from Begin to Finish, sealed with
// the server's key. Each sign-in has its own, CookieName + "_" + the start
// of its state, so that one begun later in the same browser (another tab,
// or a page elsewhere sending the browser to the sign-in address) does not
// overwrite it. When the cookie is Secure its name starts with "__Host-",
// which a browser takes only from this host with Path=/ and no Domain, so
// that a site on a sibling subdomain cannot set it.
const CookieName = "rhythm_oidc"

// MaxAttempts is how many sign-in cookies a browser keeps at most: Begin
// clears the oldest beyond it.
const MaxAttempts = 3

// hostPrefix starts the name of a Secure sign-in cookie; keyLen is how
// much of the state names a sign-in's cookie.
const (
	hostPrefix = "__Host-"
	keyLen     = 12
)

// CallbackPath is the path of rhythm's redirect URL: the provider sends
// people back to <public-url>/auth/oidc/callback.
const CallbackPath = "/auth/oidc/callback"

// FlowLifetime is how long a person has at the provider to sign in.
const FlowLifetime = 10 * time.Minute

// sealContext binds sealed cookie values to this use of the key.
const sealContext = "oidc-flow"

// discoveryTimeout bounds one attempt to read the provider's discovery
// document; discoveryBackoff is how long a failed attempt is remembered
// before the next request tries again.
const (
	discoveryTimeout = 10 * time.Second
	discoveryBackoff = 5 * time.Second
)

// RP is rhythm as the relying party of one OpenID Provider. It is safe for
// concurrent use. Several servers sharing the secret key accept each other's
// sign-ins in progress.
type RP struct {
	cfg    Config
	box    *secret.Box
	client *http.Client
	now    func() time.Time

	mu        sync.Mutex
	disc      *discovered // nil until discovery succeeds
	failedAt  time.Time
	failedErr error

	used usedStates // sign-ins finished on this server, against replays
}

type discovered struct {
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string
}

// Option changes how an RP works; for tests and special networks.
type Option func(*RP)

// WithHTTPClient makes the RP reach the provider with c.
func WithHTTPClient(c *http.Client) Option { return func(rp *RP) { rp.client = c } }

// WithClock makes the RP read the time from now (ID token expiry, the
// sign-in cookie's lifetime).
func WithClock(now func() time.Time) Option { return func(rp *RP) { rp.now = now } }

// New returns the relying party for cfg, which must be valid (Validate).
// Nothing is fetched yet: the provider is discovered on first use, and again
// after a failure, so that rhythm starts while the provider is down.
func New(cfg Config, box *secret.Box, opts ...Option) (*RP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if box == nil {
		return nil, errors.New("sso: a secret box is needed to seal the sign-in cookie")
	}
	rp := &RP{cfg: cfg, box: box, client: &http.Client{Timeout: 15 * time.Second}, now: time.Now, used: usedStates{capacity: DefaultUsedStates}}
	for _, o := range opts {
		o(rp)
	}
	return rp, nil
}

// ProviderName is the name to show on the sign-in button.
func (rp *RP) ProviderName() string { return rp.cfg.ProviderName }

// Issuer is the provider's issuer URL, as configured.
func (rp *RP) Issuer() string { return rp.cfg.Issuer }

// discover returns the provider's endpoints and keys, reading the discovery
// document once. A failure is kept for discoveryBackoff so that a provider
// that is down is not asked on every request.
func (rp *RP) discover(ctx context.Context) (*discovered, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.disc != nil {
		return rp.disc, nil
	}
	if rp.failedErr != nil && rp.now().Sub(rp.failedAt) < discoveryBackoff {
		return nil, rp.failedErr
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, rp.client), discoveryTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, rp.cfg.Issuer)
	if err != nil {
		rp.failedAt = rp.now()
		rp.failedErr = fmt.Errorf("%w: %v", rhythm.Errorf(rhythm.EUNAVAILABLE,
			"%s cannot be reached for sign-in just now; try again in a minute", rp.cfg.ProviderName), err)
		return nil, rp.failedErr
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra) // the document parsed already; a missing field is no error
	d := &discovered{
		provider: p,
		// The verifier checks issuer, audience (client id), expiry and the
		// signature with the provider's published keys, fetched and
		// refreshed by go-oidc when a new key id appears.
		verifier: p.VerifierContext(oidc.ClientContext(context.Background(), rp.client),
			&oidc.Config{ClientID: rp.cfg.ClientID, Now: rp.now}),
		oauth: oauth2.Config{
			ClientID:     rp.cfg.ClientID,
			ClientSecret: rp.cfg.ClientSecret,
			RedirectURL:  rp.cfg.RedirectURL,
			Endpoint:     p.Endpoint(),
			Scopes:       append([]string{oidc.ScopeOpenID, "email", "profile"}, rp.cfg.Scopes...),
		},
		endSession: extra.EndSession,
	}
	rp.disc, rp.failedErr = d, nil
	return d, nil
}

// flow is what the sign-in cookie carries between Begin and Finish.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
	Expires  int64  `json:"e"`
}

// Begin starts a sign-in: it sets the sign-in cookie on w and returns the
// provider's URL to redirect the browser to. next is where to go after
// signing in; anything but a local path becomes "/".
func (rp *RP) Begin(w http.ResponseWriter, r *http.Request, next string) (string, error) {
	if wait := rp.used.room(rp.now()); wait > 0 {
		return "", busy(wait) // its callback would be refused
	}
	d, err := rp.discover(r.Context())
	if err != nil {
		return "", err
	}
	f := flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(),
		Next: LocalPath(next), Expires: rp.now().Add(FlowLifetime).Unix()}
	plain, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	rp.clearOldFlows(w, r)
	http.SetCookie(w, rp.cookie(r, f.State, rp.box.Seal(plain, sealContext), int(FlowLifetime/time.Second)))
	return d.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), nil
}

// secure reports whether the sign-in cookie is Secure, by the rule of the
// session cookie (account.SecureCookies): over TLS, directly or through a
// proxy that says so, or when people reach rhythm at an https address.
func (rp *RP) secure(r *http.Request) bool {
	return account.SecureCookies(r, rp.cfg.RedirectURL)
}

// cookiePrefix is how the names of the sign-in cookies start on r.
func (rp *RP) cookiePrefix(r *http.Request) string {
	if rp.secure(r) {
		return hostPrefix + CookieName + "_"
	}
	return CookieName + "_"
}

// cookieName is the name of the sign-in cookie of the sign-in with state,
// or "" when the state is too short to be one of rhythm's.
func (rp *RP) cookieName(r *http.Request, state string) string {
	if len(state) < keyLen {
		return ""
	}
	return rp.cookiePrefix(r) + state[:keyLen]
}

// cookie is the sign-in cookie of the sign-in with state, holding value for
// maxAge seconds (-1 clears it).
func (rp *RP) cookie(r *http.Request, state, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: rp.cookieName(r, state), Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		// Lax: the provider's redirect back is a top-level GET from another
		// site, which Strict would strip the cookie from.
		SameSite: http.SameSiteLaxMode,
		Secure:   rp.secure(r),
	}
}

// clearOldFlows makes room for one more sign-in cookie: it clears those
// that have expired or do not open, then the oldest beyond MaxAttempts-1.
func (rp *RP) clearOldFlows(w http.ResponseWriter, r *http.Request) {
	type held struct {
		name    string
		expires int64
	}
	var live []held
	now := rp.now().Unix()
	for _, c := range r.Cookies() {
		if !strings.HasPrefix(c.Name, rp.cookiePrefix(r)) {
			continue
		}
		f, err := rp.open(c.Value)
		if err == nil && f.Expires >= now {
			live = append(live, held{c.Name, f.Expires})
			continue
		}
		http.SetCookie(w, &http.Cookie{Name: c.Name, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: rp.secure(r)})
	}
	slices.SortFunc(live, func(a, b held) int { return cmp.Compare(a.expires, b.expires) })
	for len(live) > MaxAttempts-1 {
		http.SetCookie(w, &http.Cookie{Name: live[0].name, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: rp.secure(r)})
		live = live[1:]
	}
}

func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// LocalPath returns next when it is a path on this server ("/teams/3?x=1"),
// and "/" for anything else: other hosts, scheme-relative "//host",
// backslashes that browsers read as slashes, control characters.
func LocalPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
