package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rhythm-team/rhythm/account"
)

// TestCacheControlAndHSTS: authenticated answers are never cached, and
// HSTS is sent when the client reached rhythm over TLS, directly or
// through a trusted proxy (finding 16 of issue 16).
func TestCacheControlAndHSTS(t *testing.T) {
	f := newSQLiteFixture(t)
	for _, tt := range []struct{ role, path string }{
		{"member", "/teams"},
		{"member", "/account"},
		{"member", "/api/v1/teams"},
		{"anonymous", "/login"},
	} {
		t.Run("no-store "+tt.path, func(t *testing.T) {
			w := f.request(t, tt.role, "GET", tt.path, nil, nil)
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("GET %s as %s: Cache-Control %q, want no-store", tt.path, tt.role, got)
			}
		})
	}
	if got := f.request(t, "anonymous", "GET", "/static/rhythm.css", nil, nil).Header().Get("Cache-Control"); got == "no-store" {
		t.Errorf("static assets are not cached: Cache-Control %q", got)
	}

	trusted, _ := account.ParseProxies("10.0.0.0/8")
	srv, err := New(Config{DB: f.db, TrustedProxies: trusted})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		remote string
		tls    bool
		proto  string
		want   bool
	}{
		{"plain http", "192.0.2.1:1", false, "", false},
		{"direct TLS", "192.0.2.1:1", true, "", true},
		{"https from a trusted proxy", "10.0.0.2:1", false, "https", true},
		{"https claimed by anyone", "192.0.2.1:1", false, "https", false},
		{"http from a trusted proxy", "10.0.0.2:1", false, "http", false},
	} {
		t.Run("HSTS "+tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/login", nil)
			req.RemoteAddr = tt.remote
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			got := w.Header().Get("Strict-Transport-Security")
			if (got != "") != tt.want {
				t.Errorf("Strict-Transport-Security = %q, want set: %v", got, tt.want)
			}
			if w.Code >= http.StatusInternalServerError {
				t.Errorf("status %d", w.Code)
			}
		})
	}
}
