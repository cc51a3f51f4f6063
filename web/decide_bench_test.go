package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/store/storetest"
)

// BenchmarkAPIDecide is one POST /api/v1/decide through the whole handler
// stack (headers, cross-origin check, guard, decode, decide, encode).
func BenchmarkAPIDecide(b *testing.B) {
	srv, err := New(Config{DB: storetest.SQLite(b)})
	if err != nil {
		b.Fatal(err)
	}
	const body = `{"purpose":"brainstorm","stakeholders":6,"zones":3,"ambiguity":"high","urgency":"3d","relationship":"low"}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/decide", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
