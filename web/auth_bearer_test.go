package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// badBearers are Authorization headers a browser or script may send that
// name no valid token: unknown, malformed, and of the wrong scheme.
var badBearers = []string{"Bearer rhy_bogus", "Bearer junk", "Basic Zm9vOmJhcg=="}

func TestBadBearerOnPublicPageIsAnonymous(t *testing.T) {
	f := newSQLiteFixture(t)
	for _, h := range badBearers {
		for _, path := range []string{"/login", "/"} {
			w := f.request(t, "anonymous", "GET", path, nil, map[string]string{"Authorization": h})
			if path == "/login" && w.Code != http.StatusOK {
				t.Errorf("GET %s with %q = %d, want 200", path, h, w.Code)
			}
			// The same answer as with no header at all.
			want := f.request(t, "anonymous", "GET", path, nil, nil)
			if w.Code != want.Code || w.Header().Get("Location") != want.Header().Get("Location") {
				t.Errorf("GET %s with %q = %d %q, anonymous gets %d %q", path, h,
					w.Code, w.Header().Get("Location"), want.Code, want.Header().Get("Location"))
			}
		}
	}
}

func TestBadBearerOnPageDoesNotLoop(t *testing.T) {
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	for _, h := range badBearers {
		for _, path := range []string{"/teams", "/teams/Alpha", "/teams/new"} {
			hops := 0
			c := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
				hops++
				if len(via) >= 5 {
					return errors.New("too many redirects")
				}
				req.Header.Set("Authorization", h)
				return nil
			}}
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", h)
			resp, err := c.Do(req)
			if err != nil {
				t.Errorf("GET %s with %q: %v", path, h, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode >= 300 && resp.StatusCode < 400 {
				t.Errorf("GET %s with %q still redirects after %d hops: %d %s", path, h, hops, resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s with %q ends in %d after %d hops, want 401", path, h, resp.StatusCode, hops)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("GET %s with %q: Content-Type %q, want an HTML error page", path, h, ct)
			}
		}
	}
}

func TestBadBearerOnAPIIs401JSON(t *testing.T) {
	f := newSQLiteFixture(t)
	for _, h := range badBearers {
		for _, path := range []string{"/api/v1/teams", "/api/v1/teams/Alpha"} {
			w := f.request(t, "anonymous", "GET", path, nil, map[string]string{"Authorization": h})
			if w.Code != http.StatusUnauthorized {
				t.Errorf("GET %s with %q = %d, want 401", path, h, w.Code)
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Errorf("GET %s with %q: body is not JSON: %s", path, h, w.Body)
			}
		}
	}
	// POST /api/v1/decide is public, but a bad token there is still refused.
	w := f.request(t, "anonymous", "POST", "/api/v1/decide", strings.NewReader(`{"purpose":"general"}`),
		map[string]string{"Authorization": "Bearer rhy_bogus", "Content-Type": "application/json"})
	if w.Code != http.StatusUnauthorized || !json.Valid(w.Body.Bytes()) {
		t.Errorf("POST /api/v1/decide with a bad token = %d %s, want 401 JSON", w.Code, w.Body)
	}
}
