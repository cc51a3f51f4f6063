package web

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/internal/browsertest"
)

func TestAPIDecide(t *testing.T) {
	f := newSQLiteFixture(t)
	tests := []struct {
		name, role, path, body string
		status                 int
		mode                   string // for 200
		errWant                string // for errors: in the message
	}{
		{"contract example", "anonymous", "/api/v1/decide",
			`{"purpose":"status update","stakeholders":7,"zones":4,"ambiguity":"low","urgency":"days","relationship":"low"}`, 200, "async", ""},
		{"defaults only", "anonymous", "/api/v1/decide", `{}`, 200, "", ""},
		{"inline roster", "anonymous", "/api/v1/decide",
			`{"purpose":"brainstorm","ambiguity":"high","with":["a@x.org","b@x.org","c@x.org"],"roster":{"team":"X","members":[` +
				`{"name":"A","email":"a@x.org","zone":"Europe/Lisbon"},{"name":"B","email":"b@x.org","zone":"Asia/Tokyo"},{"name":"C","email":"c@x.org","zone":"America/Chicago"}]}}`,
			200, "hybrid", ""},
		{"team roster", "member", "/api/v1/teams/Alpha/decide", `{"purpose":"1:1","with":["member@example.com","lead@example.com"]}`, 200, "hybrid", ""},
		{"unknown purpose", "anonymous", "/api/v1/decide", `{"purpose":"party"}`, 400, "", `purpose: unknown purpose "party"; valid: general, status_update`},
		{"negative stakeholders", "anonymous", "/api/v1/decide", `{"stakeholders":-2}`, 400, "", "stakeholders: must be 1..100000, got -2"},
		{"bad urgency", "anonymous", "/api/v1/decide", `{"urgency":"soon"}`, 400, "", `urgency: "soon" is not now, hours, days, week`},
		{"bad level", "anonymous", "/api/v1/decide", `{"ambiguity":"vast"}`, 400, "", `ambiguity: "vast" is not one of low, medium, high`},
		{"unknown field", "anonymous", "/api/v1/decide", `{"purpose":"status","colour":"red"}`, 400, "", `unknown field "colour"`},
		{"malformed JSON", "anonymous", "/api/v1/decide", `{"purpose":`, 400, "", "malformed JSON body"},
		{"bad inline roster", "anonymous", "/api/v1/decide", `{"roster":{"team":"X","members":[{"name":"A","email":"a@x.org","zone":"Mars/Base"}]}}`, 400, "", `roster: members[0].zone: unknown time zone "Mars/Base"`},
		{"bad team norms", "anonymous", "/api/v1/decide", `{"roster":{"team":"X","norms":{"decide":{"nope":1}},"members":[{"name":"A","email":"a@x.org","zone":"UTC"}]}}`, 400, "", `norms.decide: unknown name "nope"`},
		{"unknown member", "member", "/api/v1/teams/Alpha/decide", `{"with":["nobody@example.com"]}`, 400, "", `with: "nobody@example.com" is not on team Alpha (members: Ana Silva`},
		{"roster on team route", "member", "/api/v1/teams/Alpha/decide", `{"roster":{"team":"X","members":[]}}`, 400, "", "roster: the team's stored roster is used here"},
		{"other team", "member", "/api/v1/teams/Bravo/decide", `{}`, 403, "", "only a member"},
		{"team route needs sign-in", "anonymous", "/api/v1/teams/Alpha/decide", `{}`, 401, "", "sign in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.request(t, tt.role, "POST", tt.path, strings.NewReader(tt.body), map[string]string{"Content-Type": "application/json"})
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status != 200 {
				var e apiError
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error.Message, tt.errWant) {
					t.Errorf("body = %s, want an error containing %q", w.Body, tt.errWant)
				}
				return
			}
			var d decide.Decision
			if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if tt.mode != "" && d.Mode.String() != tt.mode {
				t.Errorf("mode = %s, want %s", d.Mode, tt.mode)
			}
			if len(d.Trace) < 2 || len(d.Matrix.Criteria) != 5 || d.Advice.Format == "" {
				t.Errorf("decision lacks trace, matrix or advice: %s", w.Body)
			}
		})
	}
}

func TestDecidePage(t *testing.T) {
	f := newSQLiteFixture(t)
	w := f.request(t, "member", "GET", "/decide", nil, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="decide-form"`) || strings.Contains(w.Body.String(), `id="mode"`) {
		t.Fatalf("empty form: %d, want the form and no answer", w.Code)
	}
	q := url.Values{"purpose": {"brainstorm"}, "stakeholders": {"6"}, "zones": {"3"}, "ambiguity": {"high"}, "urgency": {"3d"}}
	w = f.request(t, "member", "GET", "/decide?"+q.Encode(), nil, nil)
	body := w.Body.String()
	for _, want := range []string{`id="mode">hybrid<`, "20-min huddle", `<svg id="matrix-chart"`, `class="bar-sync"`, `data-rule="flow-async-first"`, `data-rule="result"`,
		`<option value="brainstorm" selected>`, `<option value="high" selected>high</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("answer page lacks %q", want)
		}
	}
	q = url.Values{"purpose": {"1:1"}, "team": {fmt.Sprint(f.teamA.ID)}, "with": {"member@example.com, lead@example.com"}}
	w = f.request(t, "member", "GET", "/decide?"+q.Encode(), nil, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="due-by"`) || !strings.Contains(w.Body.String(), "Asia/Kathmandu") {
		t.Errorf("with the team's roster: %d, want due-by times per participant", w.Code)
	}
	tests := []struct {
		name, role string
		q          url.Values
		status     int
		want       string
	}{
		{"unknown purpose", "member", url.Values{"purpose": {"party"}}, 400, `purpose: unknown purpose &#34;party&#34;`},
		{"negative zones", "member", url.Values{"purpose": {"general"}, "zones": {"-1"}}, 400, "zones: must be 1..40, got -1"},
		{"not a number", "member", url.Values{"purpose": {"general"}, "stakeholders": {"six"}}, 400, "stakeholders: &#34;six&#34; is not a whole number"},
		{"other team's roster", "member", url.Values{"purpose": {"general"}, "team": {fmt.Sprint(f.teamB.ID)}}, 403, "only a member of this team"},
		{"needs sign-in", "anonymous", url.Values{"purpose": {"general"}}, 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.request(t, tt.role, "GET", "/decide?"+tt.q.Encode(), nil, nil)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("status %d, want %d with %q in:\n%s", w.Code, tt.status, tt.want, w.Body)
			}
		})
	}
}

// TestBrowserDecide fills the form as a person would and reads the answer.
func TestBrowserDecide(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	var mode, playbook, trace string
	var bars int
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.SendKeys("#email", "member@example.com", chromedp.ByID),
		chromedp.SendKeys("#password", "fixture password", chromedp.ByID),
		chromedp.Click("#signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.Navigate(ts.URL+"/decide"),
		chromedp.WaitVisible("#decide-form", chromedp.ByID),
		chromedp.SetValue("#purpose", "brainstorm", chromedp.ByID),
		chromedp.SendKeys("#stakeholders", "6", chromedp.ByID),
		chromedp.SendKeys("#zones", "3", chromedp.ByID),
		chromedp.SetValue("#ambiguity", "high", chromedp.ByID),
		chromedp.SendKeys("#urgency", "3d", chromedp.ByID),
		chromedp.Click("#decide", chromedp.ByID),
		chromedp.WaitVisible("#mode", chromedp.ByID),
		chromedp.Text("#mode", &mode, chromedp.ByID),
		chromedp.Text("#playbook", &playbook, chromedp.ByID),
		chromedp.Text("#trace", &trace, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#matrix-chart rect.bar-async, #matrix-chart rect.bar-sync").length`, &bars),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.EqualFold(strings.TrimSpace(mode), "hybrid") || !strings.Contains(playbook, "20-min huddle") {
		t.Errorf("answer = %q / %q, want hybrid with the async prep + 20-min huddle playbook", mode, playbook)
	}
	for _, want := range []string{"flow-async-first", "6 stakeholders across 3 time zones", "sync-for-ambiguity", "Answer: hybrid."} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	if bars != 12 {
		t.Errorf("chart has %d bars, want 12 (5 criteria and the total, async and sync)", bars)
	}
	browsertest.Screenshot(t, ctx, "decide")

	// A bad value comes back next to the form, naming the field.
	var msg string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/decide?purpose=general&urgency=soon"),
		chromedp.WaitVisible("#form-error", chromedp.ByID),
		chromedp.Text("#form-error", &msg, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(msg, `urgency: "soon" is not now, hours, days, week`) {
		t.Errorf("error shown = %q, want it to name urgency", msg)
	}
}
