package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/internal/testenv"
)

// eventually polls check until it returns true or the deadline passes.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after 60s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDatabaseOutageAnswers503AndRecovers cuts the server off from
// PostgreSQL (through a proxy, so other tests' database stays up): it
// answers 503 with a clear message while the database is away and serves
// again by itself when it is back, with nothing lost.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	dsn, proxy := testenv.ProxiedPostgresDSN(t)
	base, logs := startServerLogs(t, "--db", dsn)
	token = adminToken(t, dsn)
	roster := `{"team":"Outage","members":[{"name":"A","email":"a@example.com","zone":"Asia/Kathmandu"}]}`
	if r := do(t, "POST", base+"/api/v1/teams", "application/json", strings.NewReader(roster)); r.status != 201 {
		t.Fatalf("create team = %d %s", r.status, r.body)
	}

	proxy.Down()
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"read", "GET", "/api/v1/teams/Outage", "", 503},
		{"write", "POST", "/api/v1/teams/Outage/members", `{"name":"B","email":"b@example.com","zone":"UTC"}`, 503},
		{"readiness", "GET", "/readyz", "", 503},
		{"page", "GET", "/teams/Outage", "", 503},
		{"liveness", "GET", "/healthz", "", 200},
	}
	for _, tt := range tests {
		t.Run("down/"+tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status == 503 && res.Header.Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
			if strings.HasPrefix(tt.path, "/api/") {
				var e struct {
					Error struct{ Code, Message string } `json:"error"`
				}
				json.NewDecoder(res.Body).Decode(&e)
				if e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, "database is unavailable") {
					t.Errorf("error = %+v, want code unavailable and a message saying the database is unavailable", e.Error)
				}
			}
		})
	}
	if !strings.Contains(logs.String(), "msg=unavailable") || !strings.Contains(logs.String(), "database is unavailable") {
		t.Errorf("the outage was not logged:\n%s", logs)
	}

	proxy.Up(t)
	eventually(t, "server serves again after the database is back", func() bool {
		return do(t, "GET", base+"/readyz", "", nil).status == 200
	})
	if r := do(t, "POST", base+"/api/v1/teams/Outage/members", "application/json", strings.NewReader(`{"name":"B","email":"b@example.com","zone":"UTC"}`)); r.status != 201 {
		t.Fatalf("write after recovery = %d %s", r.status, r.body)
	}
	var tm struct{ Members []struct{ Email string } }
	r := do(t, "GET", base+"/api/v1/teams/Outage", "", nil)
	if err := json.Unmarshal(r.body, &tm); err != nil || len(tm.Members) != 2 {
		t.Errorf("after recovery the team has %+v (%v), want the member from before and the new one", tm.Members, err)
	}
}
