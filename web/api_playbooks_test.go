package web

import (
	"fmt"
	"github.com/rhythm-team/rhythm/app"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/team"
)

// startOf places sessions at the start of their window.
type startOf struct{}

func (startOf) Slot(_ *team.Team, _ []string, _ time.Duration, from, _ time.Time) (time.Time, error) {
	return from, nil
}

const teamTemplate = `name: design-review
title: Design review
roles:
  - {name: author, doc: "writes the design", one: true}
  - {name: reviewers, doc: "review in writing"}
steps:
  - id: doc
    kind: async
    title: "Design doc: {topic}"
    owner: author
    with: [reviewers]
    prepare: 4h
    respond: 8h
    output: "Written review comments"
  - id: call
    kind: sync
    title: "Review call: {topic}"
    owner: author
    with: [author, reviewers]
    after: [doc]
    timebox: 25m
    window: 3d
    output: "Open points settled"
`

func TestAPIPlaybooks(t *testing.T) {
	f := newSQLiteFixture(t)
	f.srv.app.WithScheduler(startOf{})
	base := fmt.Sprintf("/api/v1/teams/%d/playbooks", f.teamA.ID)
	var list struct {
		Playbooks []playbook.Template `json:"playbooks"`
	}
	f.call(t, "member", "GET", "/api/v1/playbooks", "", http.StatusOK, &list)
	if len(list.Playbooks) != 5 {
		t.Errorf("built-in playbooks = %d, want 5", len(list.Playbooks))
	}

	put := func(role, name, body string, want int) *apiError {
		t.Helper()
		w := f.request(t, role, "PUT", base+"/"+name, strings.NewReader(body), map[string]string{"Content-Type": "application/yaml"})
		if w.Code != want {
			t.Fatalf("PUT %s as %s = %d %s, want %d", name, role, w.Code, w.Body, want)
		}
		var e apiError
		if want >= 400 {
			mustJSON(t, w.Body.Bytes(), &e)
		}
		return &e
	}
	put("lead", "design-review", teamTemplate, http.StatusOK)
	put("member", "design-review", teamTemplate, http.StatusForbidden)
	e := put("lead", "design-review", strings.Replace(teamTemplate, "owner: author\n    with: [author, reviewers]", "owner: lead\n    with: [author, reviewers]", 1), http.StatusBadRequest)
	if !strings.HasPrefix(e.Error.Message, `body:18: steps[1].owner: unknown role "lead"`) {
		t.Errorf("malformed template error = %q", e.Error.Message)
	}
	e = put("lead", "review", teamTemplate, http.StatusBadRequest)
	if !strings.HasPrefix(e.Error.Message, "name:") {
		t.Errorf("name mismatch error = %q", e.Error.Message)
	}
	e = put("lead", "onboarding", strings.Replace(teamTemplate, "name: design-review", "name: onboarding", 1), http.StatusBadRequest)
	if !strings.Contains(e.Error.Message, "built-in") {
		t.Errorf("built-in name error = %q", e.Error.Message)
	}
	f.call(t, "member", "GET", base, "", http.StatusOK, &list)
	if len(list.Playbooks) != 6 || list.Playbooks[5].Name != "design-review" || list.Playbooks[5].Builtin {
		t.Errorf("team playbooks = %d, want the 5 built-ins and design-review", len(list.Playbooks))
	}

	date := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	var run struct {
		Plan    playbook.Plan    `json:"plan"`
		Threads []app.ThreadView `json:"threads"`
	}
	f.call(t, "member", "POST", base+"/design-review/runs", fmt.Sprintf(`{"date":%q,"topic":"Sharding","roles":{"author":["ana@example.com"]},"create":true}`, date),
		http.StatusCreated, &run)
	if len(run.Plan.Sessions) != 1 || len(run.Threads) != 1 || run.Threads[0].Title != "Design doc: Sharding" || run.Threads[0].Playbook != "design-review" {
		t.Fatalf("run = %+v", run)
	}
	for _, d := range run.Plan.Threads[0].Dues {
		m, _ := f.teamA.Member(d.Member)
		if !m.InWorkingHours(d.At) && !m.InWorkingHours(d.At.Add(-time.Second)) {
			t.Errorf("%s's due %s is outside their hours", m.Name, d.At)
		}
	}
	f.call(t, "member", "POST", base+"/async-prep-huddle/runs", fmt.Sprintf(`{"date":%q,"roles":{"owner":["member@example.com"]}}`, date), http.StatusOK, &run)
	if len(run.Threads) != 0 || len(run.Plan.Threads[0].Participants) != 2 {
		t.Errorf("plan-only run = %+v", run)
	}

	tests := []struct {
		name, path, body, prefix string
		want                     int
	}{
		{"unknown playbook", "/retro/runs", `{"date":"` + date + `"}`, `playbook: unknown playbook "retro"; known: async-prep-huddle`, 400},
		{"date in the past", "/one-on-one/runs", `{"date":"2020-03-02","roles":{"employee":["ana@example.com"],"manager":["lead@example.com"]}}`, "date: 2020-03-02 puts", 400},
		{"bad date", "/one-on-one/runs", `{"date":"soon"}`, "date:", 400},
		{"missing role", "/one-on-one/runs", `{"date":"` + date + `","roles":{"employee":["ana@example.com"]}}`, "roles.manager:", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiError
			f.call(t, "member", "POST", base+tt.path, tt.body, tt.want, &e)
			if !strings.HasPrefix(e.Error.Message, tt.prefix) {
				t.Errorf("error = %q, want it to start %q", e.Error.Message, tt.prefix)
			}
		})
	}
	f.call(t, "lead", "DELETE", base+"/design-review", "", http.StatusNoContent, nil)
	f.call(t, "lead", "DELETE", base+"/design-review", "", http.StatusNotFound, nil)
}

func TestAPILint(t *testing.T) {
	f := newSQLiteFixture(t)
	path := fmt.Sprintf("/api/v1/teams/%d/lint", f.teamA.ID)
	var res struct {
		Meetings int  `json:"meetings"`
		Errors   bool `json:"errors"`
		Findings []struct {
			Rule, Severity string
		} `json:"findings"`
	}
	// Wednesday is Alpha's no-meeting day.
	f.call(t, "member", "POST", path, `{"title":"Sync","start":"2026-03-11T10:00:00Z","duration":"30m","organizer":"member@example.com","agenda":"Purpose: settle the launch date"}`,
		http.StatusOK, &res)
	if res.Meetings != 1 || !res.Errors || len(res.Findings) == 0 {
		t.Errorf("lint = %+v", res)
	}
	var e apiError
	f.call(t, "member", "POST", path, `{"title":"Sync","start":"soon","duration":"30m"}`, http.StatusBadRequest, &e)
	if !strings.HasPrefix(e.Error.Message, "start:") {
		t.Errorf("error = %q", e.Error.Message)
	}
}

func TestPlaybooksPage(t *testing.T) {
	f := newSQLiteFixture(t)
	f.srv.app.WithScheduler(startOf{})
	page := fmt.Sprintf("/teams/%d/playbooks", f.teamA.ID)
	if w := f.request(t, "member", "GET", page, nil, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "20-min huddle") {
		t.Fatalf("playbooks page = %d", w.Code)
	}
	date := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	w := f.form(t, "member", page+"/one-on-one/runs", map[string][]string{"date": {date}, "topic": {"March"}, "role.employee": {"member@example.com"},
		"role.manager": {"lead@example.com"}, "create": {"1"}}, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Created 1 thread(s)") || !strings.Contains(w.Body.String(), "1:1 talk: March") {
		t.Errorf("run from the page = %d:\n%s", w.Code, w.Body)
	}
	w = f.form(t, "member", page+"/one-on-one/runs", map[string][]string{"date": {"2020-01-06"}, "role.employee": {"member@example.com"}, "role.manager": {"lead@example.com"}}, nil)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "date: 2020-01-06 puts the first due-by") {
		t.Errorf("past date from the page = %d", w.Code)
	}
}
