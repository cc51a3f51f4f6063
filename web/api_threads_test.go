package web

import (
	"encoding/json"
	"fmt"
	"github.com/rhythm-team/rhythm/app"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// call sends a JSON request as role and decodes the JSON answer into out
// (when not nil), failing unless the status is want.
func (f *fixture) call(t *testing.T, role, method, path, body string, want int, out any) {
	t.Helper()
	w := f.request(t, role, method, path, strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
	if w.Code != want {
		t.Fatalf("%s %s as %s = %d %s, want %d", method, path, role, w.Code, w.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, w.Body, err)
		}
	}
}

func TestAPIThreadLifecycle(t *testing.T) {
	f := newSQLiteFixture(t)
	base := fmt.Sprintf("/api/v1/teams/%d", f.teamA.ID)
	due := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)

	var th app.ThreadView
	f.call(t, "lead", "POST", base+"/threads", fmt.Sprintf(`{"title":"Pick the Q2 goal","owner":"Leo Lead","participants":["member@example.com","ana@example.com"],"due_by":%q}`,
		due.Format(time.RFC3339)), http.StatusCreated, &th)
	if th.Owner != "lead@example.com" || !th.DueBy.Equal(due) || th.CreatedBy != "lead@example.com" {
		t.Errorf("created = %+v", th.Thread)
	}
	if diff := cmp.Diff([]string{"member@example.com", "ana@example.com"}, th.Pending); diff != "" {
		t.Errorf("pending:\n%s", diff)
	}

	// The member's "waiting on me" lists it; after answering it no longer does.
	var waiting struct {
		Member  string            `json:"member"`
		Waiting []app.WaitingItem `json:"waiting"`
	}
	f.call(t, "member", "GET", base+"/waiting", "", http.StatusOK, &waiting)
	if len(waiting.Waiting) != 1 || waiting.Waiting[0].ThreadID != th.ID || waiting.Waiting[0].What != "respond" {
		t.Errorf("waiting on member = %+v", waiting)
	}
	f.call(t, "member", "POST", fmt.Sprintf("%s/threads/%d/responses", base, th.ID), `{"kind":"answer","note":"Growth, not margin."}`, http.StatusCreated, &th)
	if diff := cmp.Diff([]string{"ana@example.com"}, th.Pending); diff != "" {
		t.Errorf("pending after the member answered:\n%s", diff)
	}
	f.call(t, "member", "GET", base+"/waiting", "", http.StatusOK, &waiting)
	if len(waiting.Waiting) != 0 {
		t.Errorf("still waiting on member: %+v", waiting.Waiting)
	}
	f.call(t, "member", "GET", base+"/waiting?member=ana@example.com", "", http.StatusOK, &waiting)
	if waiting.Member != "ana@example.com" || len(waiting.Waiting) != 1 {
		t.Errorf("waiting on ana = %+v", waiting)
	}

	// Only the owner or a lead closes; a decision can close it.
	f.call(t, "member", "POST", fmt.Sprintf("%s/threads/%d/close", base, th.ID), "", http.StatusForbidden, nil)
	var dec struct {
		ID       int64  `json:"id"`
		ThreadID int64  `json:"thread_id"`
		Owner    string `json:"owner"`
	}
	f.call(t, "lead", "POST", base+"/decisions", fmt.Sprintf(`{"what":"Q2 goal is growth","why":"Both answers agreed","owner":"member@example.com","thread_id":%d,"close":true}`, th.ID),
		http.StatusCreated, &dec)
	f.call(t, "member", "GET", fmt.Sprintf("%s/threads/%d", base, th.ID), "", http.StatusOK, &th)
	if th.State != "closed" || len(th.Owed) != 0 {
		t.Errorf("after the decision: state %s, owed %+v", th.State, th.Owed)
	}
	var log struct {
		Decisions []struct {
			What string `json:"what"`
		} `json:"decisions"`
	}
	f.call(t, "member", "GET", base+"/decisions?q=GROWTH", "", http.StatusOK, &log)
	if len(log.Decisions) != 1 || log.Decisions[0].What != "Q2 goal is growth" {
		t.Errorf("search = %+v", log)
	}
	f.call(t, "member", "GET", base+"/decisions?q=nothing+like+it", "", http.StatusOK, &log)
	if len(log.Decisions) != 0 {
		t.Errorf("search for nothing = %+v", log)
	}
	f.call(t, "member", "GET", fmt.Sprintf("%s/decisions/%d", base, dec.ID), "", http.StatusOK, &dec)
	if dec.ThreadID != th.ID || dec.Owner != "member@example.com" {
		t.Errorf("decision = %+v", dec)
	}
	f.call(t, "member", "POST", fmt.Sprintf("%s/threads/%d/responses", base, th.ID), `{"kind":"ack"}`, http.StatusConflict, nil)
}

func TestAPIThreadOverdueAndStates(t *testing.T) {
	f := newSQLiteFixture(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	clock := now
	f.srv.now = func() time.Time { return clock }
	base := fmt.Sprintf("/api/v1/teams/%d", f.teamA.ID)
	var th app.ThreadView
	f.call(t, "member", "POST", base+"/threads", `{"title":"Default due","owner":"member@example.com","participants":["ana@example.com"]}`, http.StatusCreated, &th)
	if want := now.Add(24 * time.Hour); !th.DueBy.Equal(want) {
		t.Errorf("due_by = %s, want now + the 24h response window = %s", th.DueBy, want)
	}
	if th.Overdue {
		t.Error("new thread is overdue")
	}
	clock = now.Add(25 * time.Hour)
	var list struct {
		Threads []app.ThreadView `json:"threads"`
	}
	f.call(t, "member", "GET", base+"/threads", "", http.StatusOK, &list)
	if len(list.Threads) != 1 || !list.Threads[0].Overdue {
		t.Fatalf("threads after the due-by = %+v, want one overdue", list.Threads)
	}
	var whats []string
	for _, d := range list.Threads[0].Owed {
		whats = append(whats, d.Member+" "+d.What)
	}
	if diff := cmp.Diff([]string{"ana@example.com respond", "member@example.com close"}, whats); diff != "" {
		t.Errorf("owed when overdue:\n%s", diff)
	}
	f.call(t, "member", "POST", fmt.Sprintf("%s/threads/%d/close", base, th.ID), "", http.StatusOK, nil)
	f.call(t, "member", "GET", base+"/threads", "", http.StatusOK, &list)
	if len(list.Threads) != 0 {
		t.Errorf("open threads after closing: %d", len(list.Threads))
	}
	f.call(t, "member", "GET", base+"/threads?state=closed", "", http.StatusOK, &list)
	if len(list.Threads) != 1 {
		t.Errorf("closed threads: %d", len(list.Threads))
	}
}

// TestAPIThreadBadInput checks that bad input is a 400 whose message names
// the field, and that nothing is stored.
func TestAPIThreadBadInput(t *testing.T) {
	f := newSQLiteFixture(t)
	base := fmt.Sprintf("/api/v1/teams/%d", f.teamA.ID)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name, path, body, field string
		want                    int
	}{
		{"due in the past", "/threads", `{"title":"T","owner":"member@example.com","participants":["ana@example.com"],"due_by":"` + past + `"}`, "due_by:", 400},
		{"due not a time", "/threads", `{"title":"T","owner":"member@example.com","participants":["ana@example.com"],"due_by":"friday"}`, "due_by:", 400},
		{"no title", "/threads", `{"owner":"member@example.com","participants":["ana@example.com"]}`, "title:", 400},
		{"owner not on team", "/threads", `{"title":"T","owner":"olga@example.com","participants":["ana@example.com"]}`, "owner:", 400},
		{"participant not on team", "/threads", `{"title":"T","owner":"member@example.com","participants":["ana@example.com","x@y.z"]}`, "participants[1]:", 400},
		{"unknown field", "/threads", `{"title":"T","owner":"member@example.com","participants":["ana@example.com"],"deadline":"x"}`, "malformed JSON body", 400},
		{"decision without why", "/decisions", `{"what":"W","owner":"member@example.com"}`, "why:", 400},
		{"decision on unknown thread", "/decisions", `{"what":"W","why":"Y","owner":"member@example.com","thread_id":424242}`, "thread_id:", 400},
		{"bad search date", "/decisions?from=yesterday", ``, "from:", 400},
		{"bad state", "/threads?state=pending", ``, "state:", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.body == "" {
				method = "GET"
			}
			var e apiError
			f.call(t, "member", method, base+tt.path, tt.body, tt.want, &e)
			if e.Error.Code != "invalid" || !strings.HasPrefix(e.Error.Message, tt.field) {
				t.Errorf("error = %+v, want invalid starting %q", e.Error, tt.field)
			}
		})
	}
	var list struct {
		Threads []app.ThreadView `json:"threads"`
	}
	f.call(t, "member", "GET", base+"/threads?state=all", "", http.StatusOK, &list)
	if len(list.Threads) != 0 {
		t.Errorf("bad input stored %d threads", len(list.Threads))
	}
	// Someone not on the roster (the admin) cannot answer.
	var th app.ThreadView
	f.call(t, "member", "POST", base+"/threads", `{"title":"T","owner":"member@example.com","participants":["ana@example.com"]}`, http.StatusCreated, &th)
	f.call(t, "admin", "POST", fmt.Sprintf("%s/threads/%d/responses", base, th.ID), `{"kind":"ack"}`, http.StatusForbidden, nil)
	f.call(t, "member", "POST", fmt.Sprintf("%s/threads/%d/responses", base, th.ID), `{"kind":"shrug"}`, http.StatusBadRequest, nil)
	// Another team's member cannot see it at all.
	f.call(t, "lead of another team", "GET", fmt.Sprintf("%s/threads/%d", base, th.ID), "", http.StatusForbidden, nil)
	f.call(t, "member", "GET", fmt.Sprintf("/api/v1/teams/%d/threads/%d", f.teamB.ID, th.ID), "", http.StatusForbidden, nil)
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// TestAPIThreadShortNames: owner, participants and ?member= take first
// names and unique prefixes; an unknown one lists the members.
func TestAPIThreadShortNames(t *testing.T) {
	f := newSQLiteFixture(t)
	base := fmt.Sprintf("/api/v1/teams/%d", f.teamA.ID)
	var th app.ThreadView
	f.call(t, "lead", "POST", base+"/threads", `{"title":"Short names","owner":"leo","participants":["mia","an"]}`, http.StatusCreated, &th)
	if th.Owner != "lead@example.com" {
		t.Errorf("owner = %s, want lead@example.com", th.Owner)
	}
	if diff := cmp.Diff([]string{"member@example.com", "ana@example.com"}, th.Pending); diff != "" {
		t.Errorf("pending (-want +got):\n%s", diff)
	}
	var waiting struct {
		Member string `json:"member"`
	}
	f.call(t, "member", "GET", base+"/waiting?member=ana", "", http.StatusOK, &waiting)
	if waiting.Member != "ana@example.com" {
		t.Errorf("waiting member = %q", waiting.Member)
	}
	var e apiError
	f.call(t, "lead", "POST", base+"/threads", `{"title":"T","owner":"leo","participants":["zed"]}`, http.StatusBadRequest, &e)
	if !strings.Contains(e.Error.Message, `participants[0]: "zed" is not on team Alpha (members: Ana Silva <ana@example.com>`) {
		t.Errorf("unknown: %+v", e.Error)
	}
}
