package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

const (
	signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	botToken      = "xoxb-test-bot-token-1234"
	workspace     = "T0RHYTHM"
	channelID     = "C0PLATFORM"
	channelName   = "platform"
)

// teamRoster is the team of the Slack tests, linked to the workspace and
// following #platform. Kenji is on the roster by his Slack ID only.
const teamRoster = `team: Platform
norms: {response_window: 8h, min_group_size: 3}
slack: {workspace: ` + workspace + `, channels: [{id: ` + channelID + `, name: ` + channelName + `}]}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, aliases: [U0KENJI]}
  - {name: Priya Rao, email: priya@example.com, zone: Asia/Kolkata}
  - {name: Lea Park, email: lea@example.com, zone: America/New_York}
  - {name: Omar Haddad, email: omar@example.com, zone: Europe/Berlin}
`

// slackUsers are the workspace's people: Slack ID → profile email ("" for
// none shown). U0GUEST is not on the roster.
var slackUsers = map[string]string{
	"U0ANA": "ana@example.com", "U0KENJI": "", "U0PRIYA": "priya@example.com",
	"U0LEA": "lea@example.com", "U0OMAR": "omar@example.com", "U0GUEST": "guest@partner.example",
}

// signed builds a request exactly as Slack documents signing it:
// X-Slack-Request-Timestamp, and X-Slack-Signature = "v0=" +
// hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
func signed(t testing.TB, path, contentType, body string, at time.Time) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", signature(signingSecret, ts, body))
	return r
}

func signature(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// webAPI is a stand-in for Slack's Web API: it checks the bot token and
// answers users.info from slackUsers; other methods are the test's.
type webAPI struct {
	*httptest.Server
	t      testing.TB
	mu     sync.Mutex
	calls  map[string]int
	bodies map[string][]string
	extra  map[string]http.HandlerFunc
	// gate, when set, holds users.info until it is closed.
	gate chan struct{}
}

func newWebAPI(t testing.TB) *webAPI {
	api := &webAPI{t: t, calls: map[string]int{}, bodies: map[string][]string{}, extra: map[string]http.HandlerFunc{}}
	api.Server = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(api.Close)
	return api
}

func (a *webAPI) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	r.ParseForm()
	// Slack takes the token as a bearer header or as the token field.
	if r.Header.Get("Authorization") != "Bearer "+botToken && r.PostForm.Get("token") != botToken {
		a.t.Errorf("%s: no bot token (Authorization %q)", method, r.Header.Get("Authorization"))
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	a.mu.Lock()
	a.calls[method]++
	a.bodies[method] = append(a.bodies[method], r.Form.Encode())
	h, gate := a.extra[method], a.gate
	a.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if method != "users.info" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "unknown_method"})
		return
	}
	if gate != nil {
		<-gate
	}
	id := r.Form.Get("user")
	email, ok := slackUsers[id]
	if !ok {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "user_not_found"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "user": map[string]any{"id": id, "team_id": workspace, "profile": map[string]any{"email": email}}})
}

func (a *webAPI) count(method string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[method]
}

// env is a database with the team, the use cases and the Slack handler.
type env struct {
	db   *store.DB
	app  *app.App
	h    *slack.Handler
	api  *webAPI
	team team.Team
}

func newEnv(t testing.TB, cfg slack.Config) *env {
	t.Helper()
	db := storetest.SQLite(t)
	return newEnvOn(t, db, cfg)
}

func newEnvOn(t testing.TB, db *store.DB, cfg slack.Config) *env {
	t.Helper()
	return newEnvRoster(t, db, cfg, teamRoster)
}

// newEnvRoster is newEnvOn with another roster for the team.
func newEnvRoster(t testing.TB, db *store.DB, cfg slack.Config, roster string) *env {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	if tm, _, err = db.SaveRoster(context.Background(), tm); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, team: tm, api: newWebAPI(t)}
	if cfg.SigningSecret == "" {
		cfg.SigningSecret = signingSecret
	}
	if cfg.BotToken == "" {
		cfg.BotToken = botToken
	}
	cfg.APIURL = e.api.URL
	e.app = app.New(db, nil)
	e.h = slack.NewHandler(e.app, cfg)
	t.Cleanup(e.h.Wait)
	return e
}

// chat is a fixture conversation in #platform: messages, some in
// threads, from the roster's people and a guest, over two weeks.
type chatMessage struct {
	User, TS, ThreadTS, Text string
}

// conversation makes n messages with a fixed seed: about a third start
// threads that get replies minutes to days later.
func conversation(n int) []chatMessage {
	rng := rand.New(rand.NewPCG(20, 26))
	users := []string{"U0ANA", "U0KENJI", "U0PRIYA", "U0LEA", "U0OMAR", "U0GUEST"}
	start := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	var (
		out   []chatMessage
		roots []chatMessage
	)
	at := start
	for i := range n {
		at = at.Add(time.Duration(1+rng.IntN(40)) * time.Minute)
		ts := fmt.Sprintf("%d.%06d", at.Unix(), i)
		m := chatMessage{User: users[rng.IntN(len(users))], TS: ts, Text: fmt.Sprintf("SECRET-chat-%d about <@%s>", i, users[rng.IntN(len(users))])}
		switch {
		case len(roots) > 0 && rng.IntN(3) == 0:
			root := roots[rng.IntN(len(roots))]
			m.ThreadTS = root.TS
		case rng.IntN(3) == 0:
			m.ThreadTS = ts
			roots = append(roots, m)
		}
		out = append(out, m)
	}
	return out
}

func (m chatMessage) event() map[string]any {
	ev := map[string]any{"type": "message", "channel": channelID, "channel_type": "channel", "user": m.User, "ts": m.TS, "text": m.Text, "event_ts": m.TS}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	return ev
}

// callback is the Events API request body carrying m.
func (m chatMessage) callback(eventID string) string {
	b, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": workspace, "api_app_id": "A0RHYTHM", "type": "event_callback",
		"event_id": eventID, "event_time": 1772431200, "event": m.event()})
	return string(b)
}

// writeExport writes msgs as a Slack export folder of the workspace.
func writeExport(t testing.TB, msgs []chatMessage) string {
	t.Helper()
	dir := t.TempDir()
	var users []map[string]any
	for id, email := range slackUsers {
		users = append(users, map[string]any{"id": id, "name": strings.ToLower(id), "profile": map[string]any{"email": email}})
	}
	write := func(name string, v any) {
		b, _ := json.Marshal(v)
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("users.json", users)
	write("channels.json", []map[string]any{{"id": channelID, "name": channelName, "members": []string{"U0ANA", "U0KENJI"}}})
	days := map[string][]map[string]any{}
	for _, m := range msgs {
		sec, _ := strconv.ParseInt(strings.Split(m.TS, ".")[0], 10, 64)
		day := time.Unix(sec, 0).UTC().Format(time.DateOnly)
		ev := m.event()
		delete(ev, "channel")
		delete(ev, "channel_type")
		delete(ev, "event_ts")
		days[day] = append(days[day], ev)
	}
	for day, ms := range days {
		write(filepath.Join(channelName, day+".json"), ms)
	}
	return dir
}

func appSystem() app.Actor { return app.System("") }
