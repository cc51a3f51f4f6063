package account_test

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/rhythm-team/rhythm/account"
)

func TestSecureCookies(t *testing.T) {
	for _, tt := range []struct {
		name      string
		tls       bool
		proto     string
		publicURL string
		want      bool
	}{
		{"plain http", false, "", "", false},
		{"plain http, http public URL", false, "", "http://localhost:8080", false},
		{"direct TLS", true, "", "", true},
		{"proxy says https", false, "https", "http://localhost:8080", true},
		{"proxy says HTTPS", false, "HTTPS", "", true},
		{"proxy says http", false, "http", "", false},
		{"https public URL", false, "", "https://rhythm.example.com", true},
		{"HTTPS public URL", false, "", "HTTPS://rhythm.example.com", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if got := account.SecureCookies(r, tt.publicURL); got != tt.want {
				t.Errorf("SecureCookies = %v, want %v", got, tt.want)
			}
		})
	}
}
