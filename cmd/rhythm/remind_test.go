package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
)

// TestServeSendsReminders starts `rhythm serve` with a signed webhook and a
// Slack webhook pointing at local receivers, opens a thread due soon, and
// waits for both reminders; the server then stops cleanly (startServer
// checks exit 0), which stops the worker.
func TestServeSendsReminders(t *testing.T) {
	const secret = "a sixteen+ char secret"
	var mu sync.Mutex
	got := map[string][]string{}
	receive := func(name string, signed bool) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if signed {
				if err := remind.Verify([]byte(secret), r.Header.Get(remind.HeaderTimestamp), r.Header.Get(remind.HeaderSignature), body, time.Now(), time.Minute); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			mu.Lock()
			got[name] = append(got[name], string(body))
			mu.Unlock()
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	hook, slack := receive("webhook", true), receive("slack", false)
	dsn, _ := importRoster(t, `team: Around the clock
members:
  - {name: Ana Silva, email: ana@example.com, zone: UTC, hours: "00:00-24:00", days: mon-sun}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "00:00-24:00", days: mon-sun}
`)
	if code, _, errs := runCLI(t, "", "thread", "create", "--db", dsn, "--team", "Around the clock", "--title", "Ship it?", "--owner", "ana@example.com",
		"--with", "kenji@example.com", "--in", "2h"); code != 0 {
		t.Fatalf("thread create: %s", errs)
	}
	startServer(t, "--db", dsn, "--remind-webhook-url", hook.URL, "--remind-webhook-secret", secret, "--remind-slack-url", slack.URL,
		"--remind-interval", "1s", "--public-url", "https://rhythm.example.com")
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		done := len(got["webhook"]) > 0 && len(got["slack"]) > 0
		mu.Unlock()
		if done {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got["webhook"]) != 1 || !strings.Contains(got["webhook"][0], `"kind":"due_soon"`) || !strings.Contains(got["webhook"][0], "https://rhythm.example.com/teams/") {
		t.Errorf("webhook received %q, want one signed due-soon reminder linking the thread", got["webhook"])
	}
	if len(got["slack"]) != 1 || !strings.Contains(got["slack"][0], `{"text":"Due soon: Kenji Sato, please respond to \"Ship it?\"`) {
		t.Errorf("slack received %q", got["slack"])
	}
}

func TestServeReminderFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"webhook without secret", []string{"--remind-webhook-url", "https://hooks.example.com/x"}, "--remind-webhook-secret: required"},
		{"bad slack url", []string{"--remind-slack-url", "hooks.example.com"}, "--remind-slack-url:"},
		{"bad smtp", []string{"--smtp-addr", "mail.example.com", "--smtp-from", "a@b.c"}, "--smtp-addr:"},
		{"bad smtp from", []string{"--smtp-addr", "mail.example.com:587", "--smtp-from", "nobody"}, "--smtp-from:"},
		{"before too long", []string{"--remind-before", "400h"}, "--remind-before:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--db", t.TempDir() + "/x.db"}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %q", code, errs, tt.want)
			}
		})
	}
}
