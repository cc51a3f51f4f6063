package slack_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/thread"
)

const formType = "application/x-www-form-urlencoded"

type answer struct {
	ResponseType    string `json:"response_type"`
	Text            string `json:"text"`
	ReplaceOriginal bool   `json:"replace_original"`
	Blocks          []struct {
		Type     string `json:"type"`
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	} `json:"blocks"`
}

// command sends /rhythm text as user from #platform and returns the answer.
func (e *env) command(t *testing.T, user, text string, extra url.Values) answer {
	t.Helper()
	f := url.Values{"token": {"legacy"}, "team_id": {workspace}, "team_domain": {"acme"}, "channel_id": {channelID}, "channel_name": {channelName},
		"user_id": {user}, "user_name": {strings.ToLower(user)}, "command": {"/rhythm"}, "text": {text},
		"response_url": {"https://hooks.slack.com/commands/T0RHYTHM/1/abc"}, "trigger_id": {"13345224609.738474920.8088930838d88f008e0"}}
	for k, v := range extra {
		f[k] = v
	}
	w := serve(e.h.Commands, signed(t, slack.PathCommands, formType, f.Encode(), time.Now()))
	if w.Code != 200 {
		t.Fatalf("/rhythm %s = %d %s", text, w.Code, w.Body)
	}
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("/rhythm %s: answer is not JSON: %s", text, w.Body)
	}
	return a
}

func TestCommandHelpAndUnmapped(t *testing.T) {
	e := newEnv(t, slack.Config{})
	for _, text := range []string{"help", ""} {
		a := e.command(t, "U0ANA", text, nil)
		if a.ResponseType != "ephemeral" || !strings.Contains(a.Text, "/rhythm thread <title> @a @b due 2d") || !strings.Contains(a.Text, "/rhythm decision <what> because <why>") {
			t.Errorf("help = %+v", a)
		}
	}
	if w := serve(e.h.Commands, signed(t, slack.PathCommands, formType, "ssl_check=1&token=legacy", time.Now())); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("ssl_check = %d %q, want an empty 200", w.Code, w.Body)
	}
	if w := serve(e.h.Commands, signed(t, slack.PathCommands, formType, "text=help", time.Now())); w.Code != 400 {
		t.Errorf("a command without team and user = %d, want 400", w.Code)
	}
	if a := e.command(t, "U0ANA", "frobnicate", nil); !strings.Contains(a.Text, "unknown command") {
		t.Errorf("unknown = %+v", a)
	}
	// A guest of the workspace is on no roster: a clear answer, and
	// nothing of the team.
	for _, text := range []string{"waiting", "thread Secret plan @ana", "decision we merge", "time @ana 30m"} {
		a := e.command(t, "U0GUEST", text, nil)
		if a.ResponseType != "ephemeral" || !strings.Contains(a.Text, "can't find you on a rhythm team linked to this Slack workspace") || strings.Contains(a.Text, "Platform") {
			t.Errorf("/rhythm %s as a guest = %+v", text, a)
		}
	}
	if ths, _ := e.db.Threads(context.Background(), e.team.ID, store.ThreadFilter{}); len(ths) != 0 {
		t.Errorf("a guest's command made %d threads", len(ths))
	}
}

// TestCommandThreadWaitingDecision opens a thread as Ana for Kenji (a
// Slack mention, mapped by alias) and Priya (a typed @name), lists what
// Kenji owes, and records a decision linked to the channel.
func TestCommandThreadWaitingDecision(t *testing.T) {
	e := newEnv(t, slack.Config{PublicURL: "https://rhythm.example.com"})
	ctx := context.Background()
	a := e.command(t, "U0ANA", "thread Q3 roadmap comments <@U0KENJI|kenji> @priya due 2d", nil)
	if a.ResponseType != "in_channel" || !strings.Contains(a.Text, "Opened thread *Q3 roadmap comments*") || !strings.Contains(a.Text, "Kenji Sato") ||
		!strings.Contains(a.Text, "Asia/Tokyo") || !strings.Contains(a.Text, "https://rhythm.example.com/teams/") {
		t.Errorf("thread = %+v", a)
	}
	ths, err := e.db.Threads(ctx, e.team.ID, store.ThreadFilter{})
	if err != nil || len(ths) != 1 {
		t.Fatalf("threads = %v, %v", ths, err)
	}
	th := ths[0]
	if len(a.Blocks) != 2 || a.Blocks[1].BlockID != "rhythm_thread_"+strconv.FormatInt(th.ID, 10) || len(a.Blocks[1].Elements) != 2 ||
		a.Blocks[1].Elements[0].ActionID != remind.ActionAnswer || a.Blocks[1].Elements[1].ActionID != remind.ActionAcknowledge {
		t.Errorf("thread message blocks = %+v, want Answer and Acknowledge buttons", a.Blocks)
	}
	if th.Owner != "ana@example.com" || strings.Join(th.Participants, ",") != "kenji@example.com,priya@example.com" ||
		th.Link != "https://app.slack.com/client/"+workspace+"/"+channelID {
		t.Errorf("stored thread = %+v", th)
	}
	if due := time.Until(th.DueBy); due < 47*time.Hour || due > 49*time.Hour {
		t.Errorf("due by %s, want about 2 days from now", th.DueBy)
	}
	w := e.command(t, "U0KENJI", "waiting", nil)
	if w.ResponseType != "ephemeral" || !strings.Contains(w.Text, "respond: Q3 roadmap comments") {
		t.Errorf("waiting as Kenji = %+v", w)
	}
	if w := e.command(t, "U0LEA", "waiting", nil); !strings.Contains(w.Text, "You owe nothing") {
		t.Errorf("waiting as Lea = %+v", w)
	}
	if a := e.command(t, "U0ANA", "thread Lunch @nobody-here", nil); !strings.Contains(a.Text, "nobody-here") {
		t.Errorf("thread with an unknown person = %+v", a)
	}
	if d := e.command(t, "U0OMAR", "decision We ship the beta on Friday", nil); !strings.Contains(d.Text, "say what was decided and why") {
		t.Errorf("decision without why = %+v", d)
	}
	d := e.command(t, "U0OMAR", "decision We ship the beta on Friday because QA signed off", nil)
	if d.ResponseType != "in_channel" || !strings.Contains(d.Text, "Recorded in Platform's decision log") {
		t.Errorf("decision = %+v", d)
	}
	ds, err := e.db.Decisions(ctx, e.team.ID, thread.Query{})
	if err != nil || len(ds) != 1 || ds[0].What != "We ship the beta on Friday" || ds[0].Why != "QA signed off" || ds[0].Owner != "omar@example.com" ||
		ds[0].Link != "https://app.slack.com/client/"+workspace+"/"+channelID {
		t.Errorf("decisions = %+v, %v", ds, err)
	}
}

func TestCommandTime(t *testing.T) {
	e := newEnv(t, slack.Config{})
	a := e.command(t, "U0ANA", "time <@U0LEA|lea> @omar 45m", nil)
	if !strings.Contains(a.Text, "Fairest times for Ana Silva, Lea Park, Omar Haddad (45m)") || !strings.Contains(a.Text, "1. Ana ") {
		t.Errorf("time = %+v", a)
	}
	if a := e.command(t, "U0ANA", "time 30m", nil); !strings.Contains(a.Text, "name the people") {
		t.Errorf("time without people = %+v", a)
	}
}

// TestCommandDecide: a clear text is answered at once; a vague one opens
// the decide modal through views.open.
func TestCommandDecide(t *testing.T) {
	e := newEnv(t, slack.Config{PublicURL: "https://rhythm.example.com"})
	var view struct {
		TriggerID string `json:"trigger_id"`
		View      struct {
			CallbackID      string `json:"callback_id"`
			PrivateMetadata string `json:"private_metadata"`
			Blocks          []struct {
				BlockID string `json:"block_id"`
			} `json:"blocks"`
		} `json:"view"`
	}
	e.api.extra["views.open"] = func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &view); err != nil {
			t.Errorf("views.open body: %v %s", err, b)
		}
		io.WriteString(w, `{"ok":true,"view":{"id":"V1"}}`)
	}
	a := e.command(t, "U0ANA", "decide status update to 7 people in 4 zones, due in 2 days", nil)
	if !strings.Contains(a.Text, "*async*") || !strings.Contains(a.Text, "https://rhythm.example.com/decide?") || !strings.Contains(a.Text, "stakeholders=7") {
		t.Errorf("clear decide = %+v", a)
	}
	if e.api.count("views.open") != 0 {
		t.Error("a clear decide opened the modal")
	}
	a = e.command(t, "U0ANA", "decide the roadmap thing", nil)
	if !strings.Contains(a.Text, "Opened the decide form") || !strings.Contains(a.Text, "people") {
		t.Errorf("vague decide = %+v", a)
	}
	if e.api.count("views.open") != 1 || view.TriggerID != "13345224609.738474920.8088930838d88f008e0" || view.View.CallbackID != slack.CallbackDecide || len(view.View.Blocks) != 7 ||
		!strings.Contains(view.View.PrivateMetadata, "response_url=https%3A%2F%2Fhooks.slack.com") {
		t.Errorf("views.open = %d calls, %+v", e.api.count("views.open"), view)
	}
	// A guest may ask too: decide reads no team data.
	if a := e.command(t, "U0GUEST", "decide status update to 7 people in 4 zones, due in 2 days", nil); !strings.Contains(a.Text, "*async*") {
		t.Errorf("decide as a guest = %+v", a)
	}
}

// TestCommandSlowPartGoesToResponseURL holds users.info until the ack has
// come: the ack says "working on it", and the answer is posted to the
// response_url, which the test serves.
func TestCommandSlowPartGoesToResponseURL(t *testing.T) {
	e := newEnv(t, slack.Config{AckWithin: 50 * time.Millisecond})
	posted := make(chan answer, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a answer
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("response_url post: %v %q", err, r.Header.Get("Content-Type"))
		}
		posted <- a
	}))
	defer hook.Close()
	gate := make(chan struct{})
	e.api.mu.Lock()
	e.api.gate = gate
	e.api.mu.Unlock()
	ack := e.command(t, "U0PRIYA", "waiting", url.Values{"response_url": {hook.URL + "/commands/1"}})
	if ack.ResponseType != "ephemeral" || ack.Text != "Working on it…" {
		t.Errorf("ack = %+v", ack)
	}
	select {
	case a := <-posted:
		t.Fatalf("the answer was posted before the slow part finished: %+v", a)
	default:
	}
	close(gate)
	select {
	case a := <-posted:
		if !strings.Contains(a.Text, "You owe nothing on Platform") {
			t.Errorf("delayed answer = %+v", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer posted to response_url")
	}
}
