package sso_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/sso"
)

// The tests sign in at a real OpenID Provider running in the test process:
// internal/ssotest.

const (
	testClientID     = ssotest.ClientID
	testClientSecret = ssotest.ClientSecret
	callbackPath     = ssotest.CallbackPath
	adminGroup       = ssotest.AdminGroup
)

// browser is a client with a cookie jar that stops before rhythm's
// callback, so that a test can look at (and replay) it.
type browser struct{ *ssotest.Browser }

func newBrowser(t *testing.T) *browser { return &browser{ssotest.NewBrowser()} }

// signInAtProvider starts a sign-in at rhythm (GET /login), fills in the
// provider's own login form and returns rhythm's callback URL that the
// provider redirects to.
func (b *browser) signInAtProvider(t *testing.T, rhythmURL, username string) string {
	t.Helper()
	return b.SignIn(t, rhythmURL+"/login?next=/teams", username)
}

// sealedCookie returns the one sign-in cookie the browser holds for rhythm.
func (b *browser) sealedCookie(t *testing.T, rhythmURL string) *http.Cookie {
	t.Helper()
	cookies := b.flowCookies(rhythmURL)
	if len(cookies) != 1 {
		t.Fatalf("the browser holds %d sign-in cookies, want 1", len(cookies))
	}
	return cookies[0]
}

// flowCookies returns the sign-in cookies the browser holds for rhythm.
func (b *browser) flowCookies(rhythmURL string) []*http.Cookie {
	var out []*http.Cookie
	for _, c := range b.Jar.Cookies(mustURL(rhythmURL)) {
		if strings.HasPrefix(c.Name, sso.CookieName+"_") {
			out = append(out, c)
		}
	}
	return out
}

func personNamed(name string) ssotest.Person { return ssotest.PersonNamed(name) }
