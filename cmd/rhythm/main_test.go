package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCLI runs rhythm with args and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// startServer runs `rhythm serve` on a free loopback port and returns its
// base URL; the server stops, and must exit 0, when the test ends.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	base, _ := startServerLogs(t, args...)
	return base
}

// startServerLogs is startServer that also returns the server's stderr.
func startServerLogs(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d; stderr:\n%s", code, stderr)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20s of cancellation")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(stdout.String()))
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "rhythm is listening on "); ok {
				return strings.TrimSuffix(url, "/"), stderr
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening; stderr:\n%s", code, stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start; stderr:\n%s", stderr)
	return "", nil
}

type response struct {
	status int
	body   []byte
}

// adminToken adds an admin to the database and returns an API token of theirs.
func adminToken(t *testing.T, dsn string) string {
	t.Helper()
	email := "root@example.com"
	if code, _, errs := runCLI(t, "a long enough password\n", "user", "add", "--admin", email, "--db", dsn); code != 0 && !strings.Contains(errs, "exists already") {
		t.Fatalf("user add: exit %d: %s", code, errs)
	}
	return userToken(t, dsn, email)
}

func userToken(t *testing.T, dsn, email string) string {
	t.Helper()
	code, out, errs := runCLI(t, "", "user", "token", email, "--name", "test", "--db", dsn)
	if code != 0 {
		t.Fatalf("user token: exit %d: %s", code, errs)
	}
	return strings.TrimSpace(out)
}

// token is the API token requests in this file send; tests set it.
var token string

func do(t *testing.T, method, url, contentType string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, b}
}

func TestServeDemo(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	base := startServer(t, "--demo", "--db", dsn)
	token = userToken(t, dsn, "admin@demo.example")
	if r := do(t, "GET", base+"/healthz", "", nil); r.status != 200 {
		t.Fatalf("/healthz = %d", r.status)
	}
	r := do(t, "GET", base+"/api/v1/teams", "", nil)
	var got struct {
		Teams []struct {
			Name    string `json:"name"`
			Members int    `json:"members"`
		} `json:"teams"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("/api/v1/teams = %d %s (%v)", r.status, r.body, err)
	}
	members := map[string]int{}
	for _, tm := range got.Teams {
		members[tm.Name] = tm.Members
	}
	if len(got.Teams) != len(demo.TeamNames()) || members["Platform"] < 12 {
		t.Errorf("teams = %+v, want the demo organisation %v with Platform of ≥ 12 members", got.Teams, demo.TeamNames())
	}
	page := do(t, "GET", base+"/teams/Platform", "", nil)
	if page.status != 200 || !bytes.Contains(page.body, []byte("Asia/Kathmandu")) {
		t.Errorf("team page = %d, want the members with their zones", page.status)
	}
}

func TestAPIBadInput(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "api.db")
	base := startServer(t, "--db", dsn, "--max-body", "4096")
	token = adminToken(t, dsn)
	roster, _ := os.ReadFile("testdata/odd-zones.yaml")
	if r := do(t, "POST", base+"/api/v1/rosters", "application/yaml", bytes.NewReader(roster)); r.status != 201 {
		t.Fatalf("roster import = %d %s", r.status, r.body)
	}
	before := do(t, "GET", base+"/api/v1/teams/Odd%20Zones", "", nil)
	huge := `{"team":"X","members":[` + strings.Repeat(`{"name":"A","email":"a@x.org","zone":"UTC"},`, 200) + `{"name":"B","email":"b@x.org","zone":"UTC"}]}`
	tests := []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"malformed JSON", "POST", "/api/v1/teams", "application/json", `{"team": "X", "members": [`, 400, "invalid"},
		{"unknown field", "POST", "/api/v1/teams/Odd%20Zones/members", "application/json", `{"name":"A","email":"a@x.org","zone":"UTC","colour":"red"}`, 400, "invalid"},
		{"unknown zone", "PUT", "/api/v1/teams/Odd%20Zones", "application/json", `{"team":"Odd Zones","members":[{"name":"A","email":"a@x.org","zone":"Europe/Pariss"}]}`, 400, "invalid"},
		{"impossible hours in YAML", "POST", "/api/v1/rosters", "application/yaml", "team: Odd Zones\nmembers:\n  - {name: A, email: a@x.org, zone: UTC, hours: \"25:00-26:00\"}\n", 400, "invalid"},
		{"empty body", "POST", "/api/v1/rosters", "application/json", "", 400, "invalid"},
		{"unknown team", "GET", "/api/v1/teams/Nobody", "", "", 404, "not_found"},
		{"unknown member", "GET", "/api/v1/teams/Odd%20Zones/members/999", "", "", 404, "not_found"},
		{"unknown route", "GET", "/api/v1/nothing-here", "", "", 404, "not_found"},
		{"oversized body", "PUT", "/api/v1/teams/Odd%20Zones", "application/json", huge, 413, "too_large"},
		{"duplicate team", "POST", "/api/v1/teams", "application/yaml", string(roster), 409, "conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, base+tt.path, tt.ctype, strings.NewReader(tt.body))
			if r.status != tt.status {
				t.Errorf("status = %d, want %d; body %s", r.status, tt.status, r.body)
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("body = %s, want {\"error\":{\"code\":%q,\"message\":…}}", r.body, tt.code)
			}
		})
	}
	after := do(t, "GET", base+"/api/v1/teams/Odd%20Zones", "", nil)
	if !bytes.Equal(before.body, after.body) {
		t.Errorf("failed requests changed the team:\nbefore %s\nafter  %s", before.body, after.body)
	}
}

func TestTwoServersShareOnePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	a := startServer(t, "--db", dsn)
	b := startServer(t, "--db", dsn)
	token = adminToken(t, dsn)
	roster, _ := os.ReadFile("testdata/odd-zones.yaml")
	if r := do(t, "POST", a+"/api/v1/rosters", "application/yaml", bytes.NewReader(roster)); r.status != 201 {
		t.Fatalf("import on server A = %d %s", r.status, r.body)
	}
	r := do(t, "POST", b+"/api/v1/teams/Odd%20Zones/members", "application/json", strings.NewReader(`{"name":"New","email":"new@example.com","zone":"Asia/Kolkata"}`))
	if r.status != 201 {
		t.Fatalf("add member on server B = %d %s", r.status, r.body)
	}
	var tm team.Team
	r = do(t, "GET", a+"/api/v1/teams/Odd%20Zones", "", nil)
	if err := json.Unmarshal(r.body, &tm); err != nil || len(tm.Members) != 5 {
		t.Errorf("server A sees %d members (%v), want 5 after server B's write", len(tm.Members), err)
	}
}

func TestTeamImportShowExportRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	code, out, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--db", db)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `created team "Odd Zones"`) {
		t.Errorf("import said %q", out)
	}
	code, out, errs = runCLI(t, "", "team", "show", "odd zones", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("show exit %d: %s", code, errs)
	}
	var shown team.Team
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	data, _ := os.ReadFile("testdata/odd-zones.yaml")
	want, err := team.ParseRoster("odd-zones.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Members[2], zeroID(shown.Members[2])); diff != "" {
		t.Errorf("show --json member differs:\n%s", diff)
	}
	code, exported, errs := runCLI(t, "", "team", "export", "Odd Zones", "--db", db)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errs)
	}
	again, err := team.ParseRoster("export.yaml", []byte(exported))
	if err != nil {
		t.Fatalf("export does not parse: %v\n%s", err, exported)
	}
	again.ID = shown.ID
	for i := range again.Members {
		again.Members[i].ID = shown.Members[i].ID
	}
	if diff := cmp.Diff(shown, again); diff != "" {
		t.Errorf("import → export changed the team:\n%s", diff)
	}
	// Importing the export again changes nothing.
	path := filepath.Join(t.TempDir(), "again.yaml")
	os.WriteFile(path, []byte(exported), 0o644)
	if code, out, errs = runCLI(t, "", "team", "import", path, "--db", db); code != 0 || !strings.Contains(out, "updated") {
		t.Fatalf("re-import exit %d: %s %s", code, out, errs)
	}
	_, out2, _ := runCLI(t, "", "team", "export", "Odd Zones", "--db", db)
	if out2 != exported {
		t.Errorf("re-import changed the export:\n%s\nvs\n%s", exported, out2)
	}
}

func zeroID(m team.Member) team.Member { m.ID = 0; return m }

func TestTeamImportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bad.db")
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	_, before, _ := runCLI(t, "", "team", "export", "Odd Zones", "--db", db)
	const head = "team: Odd Zones\nmembers:\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"malformed YAML", "team: [Odd Zones\n", "bad.yaml:1:"},
		{"unknown zone", head + "  - {name: A, email: a@x.org, zone: Europe/Pariss}\n", `bad.yaml:3: members[0].zone: unknown time zone "Europe/Pariss"`},
		{"impossible hours", head + "  - {name: A, email: a@x.org, zone: UTC, hours: \"25:00-26:00\"}\n", "bad.yaml:3: members[0].hours:"},
		{"duplicate email", head + "  - {name: A, email: a@x.org, zone: UTC}\n  - {name: B, email: a@x.org, zone: UTC}\n", "bad.yaml:4: members[1].email: duplicate email"},
		{"empty file", "", "bad.yaml:1: the roster is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCLI(t, "", "team", "import", path, "--db", db)
			if code != 2 {
				t.Errorf("exit = %d, want 2", code)
			}
			line := strings.TrimSuffix(errs, "\n")
			if strings.Count(errs, "\n") != 1 || !strings.Contains(line, filepath.Join(dir, tt.want)) {
				t.Errorf("stderr = %q, want one line containing %q", errs, tt.want)
			}
		})
	}
	_, after, _ := runCLI(t, "", "team", "export", "Odd Zones", "--db", db)
	if before != after {
		t.Errorf("failed imports changed the stored team")
	}
	for _, args := range [][]string{{"team", "import"}, {"team", "nope"}, {"team", "list", "--bogus"}, {"nope"}, {"team", "show", "Nobody", "--db", db}} {
		code, _, errs := runCLI(t, "", args...)
		const want = 2
		if code != want || strings.Count(errs, "\n") != 1 {
			t.Errorf("rhythm %s: exit %d stderr %q, want exit %d and one line", strings.Join(args, " "), code, errs, want)
		}
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	fileDB := filepath.Join(dir, "file.db")
	envDB := filepath.Join(dir, "env.db")
	cfg := filepath.Join(dir, "rhythm.yaml")
	os.WriteFile(cfg, []byte("db: "+fileDB+"\n"), 0o644)
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(fileDB); err != nil {
		t.Errorf("config file db not used: %v", err)
	}
	t.Setenv("RHYTHM_DB", envDB)
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(envDB); err != nil {
		t.Errorf("RHYTHM_DB did not win over the config file: %v", err)
	}
	flagDB := filepath.Join(dir, "flag.db")
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--config", cfg, "--db", flagDB); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("--db did not win over RHYTHM_DB: %v", err)
	}
}
