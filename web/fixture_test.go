package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// fixture is a server with two teams and one user of each kind.
type fixture struct {
	db      *store.DB
	srv     *Server
	logs    *lockedBuffer
	teamA   team.Team
	teamB   team.Team
	cookies map[string]string // role name → session cookie value
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const (
	rosterA = `team: Alpha
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Mia Member, email: member@example.com, zone: Asia/Kathmandu, hours: "09:00-17:00"}
  - {name: Leo Lead, email: lead@example.com, zone: America/St_Johns}
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
`
	rosterB = `team: Bravo
members:
  - {name: Olga Other, email: other@example.com, zone: Australia/Lord_Howe}
`
)

// roles in the order the authorization table lists them.
var roles = []string{"anonymous", "member", "lead of another team", "lead", "admin"}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, logs: &lockedBuffer{}, cookies: map[string]string{}}
	var err error
	for _, r := range []struct {
		yaml string
		dst  *team.Team
	}{{rosterA, &f.teamA}, {rosterB, &f.teamB}} {
		tm, err := team.ParseRoster("fixture.yaml", []byte(r.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if *r.dst, err = db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := account.HashPassword("fixture password")
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]account.User{
		"member":               {Email: "member@example.com", Role: account.Member},
		"lead of another team": {Email: "other@example.com", Role: account.Lead, LeadOf: []int64{f.teamB.ID}},
		"lead":                 {Email: "lead@example.com", Role: account.Lead, LeadOf: []int64{f.teamA.ID}},
		"admin":                {Email: "admin@example.com", Role: account.Admin},
	}
	for role, u := range users {
		u.Name = role
		u, err := db.CreateUser(ctx, u, hash)
		if err != nil {
			t.Fatal(err)
		}
		secret, h := account.NewSecret("rs_")
		if err := db.CreateSession(ctx, h, u.ID, db.Now().Add(sessionLifetime)); err != nil {
			t.Fatal(err)
		}
		f.cookies[role] = secret
	}
	f.srv, err = New(Config{DB: db, Slack: slack.Config{SigningSecret: testSlackSecret}, Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newSQLiteFixture(t *testing.T) *fixture { return newFixture(t, storetest.SQLite(t)) }

// request sends a request as the given role (cookie session).
func (f *fixture) request(t *testing.T, role, method, target string, body io.Reader, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if c, ok := f.cookies[role]; ok {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c})
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

// form posts url-encoded fields as the given role.
func (f *fixture) form(t *testing.T, role, target string, fields url.Values, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, v := range header {
		h[k] = v
	}
	return f.request(t, role, "POST", target, strings.NewReader(fields.Encode()), h)
}

// upload posts a multipart form with one file as the given role.
func (f *fixture) upload(t *testing.T, role, target, field, filename, content string) *httptest.ResponseRecorder {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write([]byte(content))
	mw.Close()
	return f.request(t, role, "POST", target, &b, map[string]string{"Content-Type": mw.FormDataContentType()})
}

// testSlackSecret is the Slack app's signing secret in web tests.
const testSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
