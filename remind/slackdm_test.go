package remind_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// webAPI stands in for Slack's Web API: it checks the bot token and the
// shape of each call, and answers like Slack does.
type webAPI struct {
	t        *testing.T
	limit    atomic.Int32 // answer 429 to the next limit postMessage calls
	lookups  atomic.Int32
	badCalls atomic.Int32
	mu       sync.Mutex
	posts    map[string]int // "user/text" → deliveries
	last     map[string]string
}

func newWebAPI(t *testing.T) (*webAPI, *httptest.Server) {
	api := &webAPI{t: t, posts: map[string]int{}}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return api, srv
}

var slackUsers = map[string]string{"ana@example.com": "U0ANA", "kenji@example.com": "U0KENJI", "liam@example.com": "U0LIAM", "maya@example.com": "U0MAYA"}

func (api *webAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := r.ParseForm(); err != nil {
		api.badCalls.Add(1)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// Slack takes the token as a bearer header or as the token field.
	if r.Header.Get("Authorization") != "Bearer xoxb-test-token" && r.PostForm.Get("token") != "xoxb-test-token" {
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
		return
	}
	switch r.URL.Path {
	case "/users.lookupByEmail":
		api.lookups.Add(1)
		id, ok := slackUsers[r.Form.Get("email")]
		if !ok {
			fmt.Fprint(w, `{"ok":false,"error":"users_not_found"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"name":"x"}}`, id)
	case "/chat.postMessage":
		if api.limit.Add(-1) >= 0 {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			return
		}
		var blocks []struct {
			Type     string
			Elements []struct {
				ActionID string `json:"action_id"`
			}
		}
		ch, text := r.Form.Get("channel"), r.Form.Get("text")
		if err := json.Unmarshal([]byte(r.Form.Get("blocks")), &blocks); err != nil || len(blocks) != 2 ||
			len(blocks[1].Elements) != 3 || blocks[1].Elements[2].ActionID != remind.ActionSnooze || !strings.HasPrefix(ch, "U0") || text == "" {
			api.badCalls.Add(1)
			api.t.Errorf("chat.postMessage with channel %q text %q blocks %s (%v)", ch, text, r.Form.Get("blocks"), err)
			fmt.Fprint(w, `{"ok":false,"error":"invalid_blocks"}`)
			return
		}
		api.mu.Lock()
		api.posts[ch+"/"+text]++
		api.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"channel":"D%s","ts":"1700000000.000100"}`, ch)
	default:
		http.NotFound(w, r)
	}
}

func TestSlackDM(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Run("429 waits as told", func(t *testing.T) { testSlackRateLimit(t, d) })
			t.Run("two servers deliver once", func(t *testing.T) { testSlackTwoServers(t, d) })
		})
	}
	t.Run("errors", func(t *testing.T) {
		_, srv := newWebAPI(t)
		ctx := context.Background()
		bad := remind.NewSlackDM("xoxb-wrong", srv.URL, nil)
		if err := bad.Send(ctx, remind.Message{Member: "ana@example.com", Text: "x"}); err == nil || !strings.Contains(err.Error(), "bot token was refused") {
			t.Errorf("a wrong token: %v", err)
		}
		good := remind.NewSlackDM("xoxb-test-token", srv.URL, nil)
		if err := good.Send(ctx, remind.Message{Member: "nobody@example.com", Text: "x"}); err == nil || !strings.Contains(err.Error(), "no Slack user has this member's email") {
			t.Errorf("an unknown email: %v", err)
		}
	})
}

func testSlackRateLimit(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	tm := seed(t, db, 1)
	clk := &clock{t: t0.Add(2 * time.Hour)} // overdue: 4 reminders
	api, srv := newWebAPI(t)
	api.limit.Store(1)
	w := &remind.Worker{Store: db, Senders: []remind.Sender{remind.NewSlackDM("xoxb-test-token", srv.URL, nil)}, Now: clk.Now,
		Backoff: func(int) time.Duration { return time.Second }}
	ctx := context.Background()
	st, err := w.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 3 || st.Retried != 1 {
		t.Fatalf("first round = %+v, want 3 sent and 1 rate limited", st)
	}
	clk.Add(time.Minute) // past the backoff, not past Retry-After
	if st, _ := w.Round(ctx); st.Sent != 0 {
		t.Errorf("sent %d before Retry-After", st.Sent)
	}
	clk.Add(time.Minute + time.Second)
	if st, _ := w.Round(ctx); st.Sent != 1 {
		t.Errorf("after Retry-After: %+v, want the rate-limited one sent", st)
	}
	sent, _ := db.Reminders(ctx, tm.ID, store.ReminderFilter{States: []remind.State{remind.Sent}})
	if len(sent) != 4 || sent[0].Channel != "slack_dm" {
		t.Errorf("%d reminders sent (channel %q), want 4 on slack_dm", len(sent), sent[0].Channel)
	}
	if n := api.lookups.Load(); n != 4 {
		t.Errorf("%d users.lookupByEmail calls, want 4 (one per member, cached)", n)
	}
	if api.badCalls.Load() != 0 {
		t.Errorf("%d malformed calls", api.badCalls.Load())
	}
}

func testSlackTwoServers(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db1, db2 := storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)
	const threads = 20
	seed(t, db1, threads)
	clk := &clock{t: t0.Add(2 * time.Hour)}
	api, srv := newWebAPI(t)
	api.limit.Store(3)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, db := range []*store.DB{db1, db2} {
		w := &remind.Worker{Store: db, Senders: []remind.Sender{remind.NewSlackDM("xoxb-test-token", srv.URL, nil)}, Now: clk.Now,
			ID: fmt.Sprintf("server-%d", i+1), Backoff: func(int) time.Duration { return 0 }}
		wg.Go(func() {
			for range 4 {
				if _, err := w.Round(ctx); err != nil {
					t.Errorf("%s: %v", w.ID, err)
					return
				}
				clk.Add(3 * time.Minute) // past Retry-After for the limited ones
			}
		})
	}
	wg.Wait()
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.posts) != threads*4 {
		t.Errorf("%d distinct direct messages, want %d", len(api.posts), threads*4)
	}
	for k, n := range api.posts {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
}
