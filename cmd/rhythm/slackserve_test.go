package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/store/storetest"
)

const (
	slackTestSecret = "e2e-signing-secret-0f9a8b7c6d5e4f3a"
	slackTestToken  = "xoxb-e2e-bot-token-5678"
	slackTestRoster = `team: Platform
slack: {workspace: T0E2E, channels: [{id: C0E2E, name: platform}]}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo}
`
)

// slackWebAPI stands in for Slack's Web API: users.info by the bot token.
func slackWebAPI(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Header.Get("Authorization") != "Bearer "+slackTestToken && r.PostForm.Get("token") != slackTestToken {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		id := r.Form.Get("user")
		email := map[string]string{"U0ANA": "ana@example.com", "U0KENJI": "kenji@example.com"}[id]
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "user": map[string]any{"id": id, "profile": map[string]any{"email": email}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// slackEvent is a signed Events API request for one message.
func slackEvent(t testing.TB, base, ts, threadTS string) *http.Request {
	t.Helper()
	ev := map[string]any{"type": "message", "channel": "C0E2E", "channel_type": "channel", "user": "U0ANA", "ts": ts, "text": "SECRET-e2e <@U0KENJI>"}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0E2E", "event_id": "Ev" + ts, "event": ev})
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(slackTestSecret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req, err := http.NewRequest("POST", base+"/slack/events", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

func countRows(t testing.TB, dsn, query string) int {
	t.Helper()
	db := storetest.OpenDSN(t, dsn)
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestServeSlackApp runs `rhythm serve` with the Slack settings from the
// environment: a signed event is stored, an unsigned one refused, and
// neither the signing secret nor the bot token shows in the logs.
func TestServeSlackApp(t *testing.T) {
	api := slackWebAPI(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "rhythm.db")
	roster := filepath.Join(dir, "team.yaml")
	os.WriteFile(roster, []byte(slackTestRoster), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", "--db", dsn, roster); code != 0 {
		t.Fatalf("team import: %s", errs)
	}
	t.Setenv("RHYTHM_SLACK_SIGNING_SECRET", slackTestSecret)
	t.Setenv("RHYTHM_SLACK_BOT_TOKEN", slackTestToken)
	base, logs := startServerLogs(t, "--db", dsn, "--slack-api-url", api.URL, "--log-level", "debug")
	res, err := http.DefaultClient.Do(slackEvent(t, base, "1772442000.000100", ""))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("signed event: %v %v", res, err)
	}
	res.Body.Close()
	unsigned := slackEvent(t, base, "1772442001.000100", "")
	unsigned.Header.Set("X-Slack-Signature", "v0=00")
	if res, err := http.DefaultClient.Do(unsigned); err != nil || res.StatusCode != 401 {
		t.Errorf("unsigned event: %v %v, want 401", res, err)
	}
	if n := countRows(t, dsn, "SELECT COUNT(*) FROM interactions WHERE organizer = 'ana@example.com' AND participants LIKE '%kenji@example.com%'"); n != 1 {
		t.Errorf("%d interactions from Ana naming Kenji, want 1", n)
	}
	for _, s := range []string{slackTestSecret, slackTestToken, "SECRET-e2e"} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log shows %q", s)
		}
	}
}
