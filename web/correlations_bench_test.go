package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// BenchmarkCorrelationsPage is one GET /insights/correlations over the
// demo organisation, as `serve --demo` shows it to its admin: read the
// stored samples, correlate every pair (made: a new seed each time, as
// after new data; cached: the same page again), render the page.
func BenchmarkCorrelationsPage(b *testing.B) {
	f := newDemoFixture(b)
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: f.cookie})
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.Run("made", func(b *testing.B) {
		b.ReportAllocs()
		seed := 0
		for b.Loop() {
			seed++
			get(b, "/insights/correlations?seed="+strconv.Itoa(seed))
		}
	})
	b.Run("cached", func(b *testing.B) {
		get(b, "/insights/correlations")
		b.ReportAllocs()
		for b.Loop() {
			get(b, "/insights/correlations")
		}
	})
}
