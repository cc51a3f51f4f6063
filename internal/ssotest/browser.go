package ssotest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// Browser is an HTTP client with a cookie jar that follows redirects but
// stops before rhythm's callback, so that a test can look at (and replay)
// it.
type Browser struct {
	*http.Client
	Jar http.CookieJar
}

// NewBrowser returns a browser with an empty cookie jar.
func NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == CallbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &Browser{Client: c, Jar: jar}
}

var formID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// SignIn opens start (rhythm's address that begins a sign-in), fills in
// the provider's own login form as username and returns the URL of
// rhythm's callback that the provider redirects to.
func (b *Browser) SignIn(t testing.TB, start, username string) string {
	t.Helper()
	resp, err := b.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formID.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET %s ended at %s with %d, not the provider's login form:\n%s", start, resp.Request.URL, resp.StatusCode, page)
	}
	form := url.Values{"id": {string(m[1])}, "username": {username}, "password": {Password}}
	loginURL := resp.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	resp, err = b.PostForm(loginURL.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if u, err := url.Parse(loc); resp.StatusCode != http.StatusFound || err != nil || u.Path != CallbackPath {
		t.Fatalf("the provider's login form answered %d, Location %q; want a redirect to rhythm's callback", resp.StatusCode, loc)
	}
	return loc
}

// Cookie returns the cookie called name that the browser holds for site,
// or nil.
func (b *Browser) Cookie(site, name string) *http.Cookie {
	u, err := url.Parse(site)
	if err != nil {
		return nil
	}
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}
