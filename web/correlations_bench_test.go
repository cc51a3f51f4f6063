package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCorrelationsPage is one GET /insights/correlations over the
// demo organisation, as `serve --demo` shows it to its admin: read the
// stored samples, correlate every pair, render the page.
func BenchmarkCorrelationsPage(b *testing.B) {
	f := newDemoFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/insights/correlations", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: f.cookie})
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
