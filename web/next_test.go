package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestLoginNextStaysOnSite signs in with next= values that try to leave the
// site once the redirect cleans the path (finding 13 of issue 16).
func TestLoginNextStaysOnSite(t *testing.T) {
	f := newSQLiteFixture(t)
	for _, tt := range []struct{ name, next, want string }{
		{"plain path", "/teams/1?tab=x", "/teams/1?tab=x"},
		{"dot segments inside the site", "/teams/../waiting", "/waiting"},
		{"dot-dot then backslash", `/../\evil.example`, "/teams"},
		{"backslash", `/\evil.example`, "/teams"},
		{"encoded backslash", `/%5Cevil.example`, "/teams"},
		{"double slash", "//evil.example", "/teams"},
		{"dot-dot then double slash", "/..//evil.example", "/teams"},
		{"dot segment then double slash", "/.//evil.example/", "/teams"},
		{"absolute", "https://evil.example/", "/teams"},
		{"tab", "/\t/evil.example", "/teams"},
		{"relative", "evil.example", "/teams"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := f.form(t, "anonymous", "/login", url.Values{"email": {"member@example.com"}, "password": {"fixture password"}, "next": {tt.next}}, nil)
			loc := w.Header().Get("Location")
			if w.Code != 303 || loc != tt.want {
				t.Errorf("next=%q → %d Location %q, want 303 %q", tt.next, w.Code, loc, tt.want)
			}
			if strings.Contains(loc, `\`) || strings.HasPrefix(loc, "//") {
				t.Errorf("Location %q leaves the site", loc)
			}
		})
	}
}
