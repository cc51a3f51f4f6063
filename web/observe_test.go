package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/internal/metrics"
)

func TestRequestIDs(t *testing.T) {
	f := newSQLiteFixture(t)
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"a proxy's id is kept", "edge-7f3a.42", true},
		{"none sent", "", false},
		{"markup is replaced", "<script>alert(1)</script>", false},
		{"too long is replaced", strings.Repeat("a", 129), false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.request(t, "member", "GET", "/api/v1/teams", nil, map[string]string{"X-Request-ID": tt.sent})
			got := w.Header().Get("X-Request-ID")
			if tt.kept && got != tt.sent {
				t.Errorf("X-Request-ID = %q, want %q kept", got, tt.sent)
			}
			if !tt.kept && !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(got) {
				t.Errorf("X-Request-ID = %q, want a new 24-hex-digit id", got)
			}
			if seen[got] {
				t.Errorf("id %q given twice", got)
			}
			seen[got] = true
			if want := "request_id=" + got + " method=GET route=/api/v1/teams path=/api/v1/teams status=200"; !strings.Contains(f.logs.String(), want) {
				t.Errorf("no access log line with %q in:\n%s", want, f.logs)
			}
		})
	}
}

func TestAccessLogLeavesOutQueries(t *testing.T) {
	f := newSQLiteFixture(t)
	f.request(t, "anonymous", "GET", "/login?next=/teams/private-plan", nil, nil)
	logs := f.logs.String()
	if !strings.Contains(logs, "route=/login path=/login status=200") {
		t.Errorf("no access log line for /login in:\n%s", logs)
	}
	if strings.Contains(logs, "private-plan") {
		t.Errorf("the access log holds the query string:\n%s", logs)
	}
}

func metricsRequest(t *testing.T, srv *Server, remote string, header map[string]string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = remote
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Body)
	return w.Code, string(b)
}

func TestMetrics(t *testing.T) {
	f := newSQLiteFixture(t)
	for range 3 {
		if w := f.request(t, "admin", "GET", fmt.Sprintf("/api/v1/teams/%d/members", f.teamA.ID), nil, nil); w.Code != 200 {
			t.Fatalf("members = %d", w.Code)
		}
	}
	f.request(t, "anonymous", "GET", "/no/such/page", nil, nil)
	metrics.Import("slack", 42, nil)
	metrics.Reminder("email", fmt.Errorf("smtp down"))

	code, body := metricsRequest(t, f.srv, "127.0.0.1:40000", nil)
	if code != 200 {
		t.Fatalf("/metrics from loopback = %d %s", code, body)
	}
	for _, want := range []string{
		`rhythm_http_requests_total{code="200",method="GET",route="/api/v1/teams/{team}/members"} 3`,
		`rhythm_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`rhythm_http_request_duration_seconds_count{method="GET",route="/api/v1/teams/{team}/members"} 3`,
		`rhythm_http_requests_in_flight 1`,
		`go_sql_open_connections{db_name="sqlite"}`,
		`go_sql_wait_count_total{db_name="sqlite"}`,
		`rhythm_import_rows_total{source="slack"}`,
		`rhythm_reminder_failures_total{channel="email"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, private := range []string{"Alpha", "example.com", "/no/such/page", fmt.Sprintf("/teams/%d", f.teamA.ID), f.cookies["admin"]} {
		if strings.Contains(body, private) {
			t.Errorf("/metrics shows %q", private)
		}
	}
}

func TestWhoMayReadMetrics(t *testing.T) {
	db := newSQLiteFixture(t).db
	open, err := New(Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	const token = "a-metrics-token-of-some-length"
	guarded, err := New(Config{DB: db, MetricsToken: token, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		srv    *Server
		remote string
		header map[string]string
		want   int
	}{
		{"no token: loopback", open, "127.0.0.1:1234", nil, 200},
		{"no token: IPv6 loopback", open, "[::1]:1234", nil, 200},
		{"no token: another machine", open, "192.0.2.7:1234", nil, 403},
		{"no token: loopback through a proxy", open, "127.0.0.1:1234", map[string]string{"X-Forwarded-For": "198.51.100.4"}, 403},
		{"no token: loopback through a Forwarded proxy", open, "127.0.0.1:1234", map[string]string{"Forwarded": "for=198.51.100.4"}, 403},
		{"token: none sent", guarded, "127.0.0.1:1234", nil, 401},
		{"token: wrong", guarded, "192.0.2.7:1234", map[string]string{"Authorization": "Bearer not-the-token"}, 401},
		{"token: an API token is not it", guarded, "192.0.2.7:1234", map[string]string{"Authorization": "Bearer rhy_xyz"}, 401},
		{"token: right, from anywhere", guarded, "192.0.2.7:1234", map[string]string{"Authorization": "Bearer " + token}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := metricsRequest(t, tt.srv, tt.remote, tt.header)
			if code != tt.want {
				t.Errorf("/metrics = %d, want %d: %.200s", code, tt.want, body)
			}
			if code != 200 && strings.Contains(body, "rhythm_") {
				t.Errorf("a refused request got metrics: %.200s", body)
			}
		})
	}
}

func TestReadyz(t *testing.T) {
	f := newSQLiteFixture(t)
	if w := f.request(t, "anonymous", "GET", "/readyz", nil, nil); w.Code != 200 || w.Body.String() != "ready\n" {
		t.Errorf("/readyz = %d %q, want 200 ready", w.Code, w.Body)
	}
	// A newer server migrated the database further than this one knows.
	if _, err := f.db.SQL().ExecContext(context.Background(), "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)"); err != nil {
		t.Fatal(err)
	}
	w := f.request(t, "anonymous", "GET", "/readyz", nil, nil)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "version 99999") {
		t.Errorf("/readyz with a newer schema = %d %q, want 503 naming the version", w.Code, w.Body)
	}
	if w := f.request(t, "anonymous", "GET", "/healthz", nil, nil); w.Code != 200 {
		t.Errorf("/healthz = %d, want 200 while not ready", w.Code)
	}
	f.db.Close()
	w = f.request(t, "anonymous", "GET", "/readyz", nil, nil)
	if w.Code != http.StatusServiceUnavailable || !strings.HasPrefix(w.Body.String(), "not ready: ") {
		t.Errorf("/readyz with the database closed = %d %q, want 503", w.Code, w.Body)
	}
}
