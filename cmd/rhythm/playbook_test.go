package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fiveInFourRoster = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Rui Costa, email: rui@example.com, zone: Europe/Lisbon, hours: "08:00-16:00"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
  - {name: Maya Cohen, email: maya@example.com, zone: America/New_York, hours: "08:00-16:00"}
`

const designReview = `name: design-review
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

// nextMonday returns a Monday at least a week ahead, so plans lie in the
// future whenever the test runs.
func nextMonday() string {
	d := time.Now().AddDate(0, 0, 8)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

func TestCLIPlaybookRun(t *testing.T) {
	dsn, rosterFile := importRoster(t, fiveInFourRoster)
	date := nextMonday()
	code, out, errs := runCLI(t, "", "playbook", "run", "async-prep-huddle", "--roster", rosterFile, "--date", date, "--role", "owner=Ana Silva", "--topic", "Q2 goal", "--json")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var plan struct {
		Threads []struct {
			Participants []string `json:"participants"`
			Dues         []struct {
				Member string    `json:"member"`
				At     time.Time `json:"at"`
			} `json:"dues"`
		} `json:"threads"`
		Sessions  []struct{ Start, End time.Time } `json:"sessions"`
		Decisions []struct {
			Owner string `json:"owner"`
		} `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("plan JSON: %v\n%s", err, out)
	}
	if len(plan.Threads) != 1 || len(plan.Threads[0].Dues) != 4 || len(plan.Sessions) != 1 || plan.Sessions[0].End.Sub(plan.Sessions[0].Start) != 20*time.Minute ||
		len(plan.Decisions) != 1 || plan.Decisions[0].Owner != "ana@example.com" {
		t.Errorf("plan = %+v", plan)
	}

	// A team template, stored, run from the database, threads created.
	dir := t.TempDir()
	tpl := filepath.Join(dir, "design-review.yaml")
	os.WriteFile(tpl, []byte(designReview), 0o644)
	if code, out, errs := runCLI(t, "", "playbook", "check", tpl); code != 0 || !strings.Contains(out, `playbook "design-review" ok`) {
		t.Fatalf("check: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "playbook", "add", tpl, "--team", "Platform", "--db", dsn); code != 0 {
		t.Fatalf("add: exit %d %s", code, errs)
	}
	code, out, errs = runCLI(t, "", "playbook", "list", "--team", "Platform", "--db", dsn)
	if code != 0 || !strings.Contains(out, "design-review (team)") {
		t.Errorf("list with the team: exit %d %s %s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "playbook", "run", "design-review", "--team", "Platform", "--db", dsn, "--date", date, "--role", "author=kenji@example.com",
		"--role", "reviewers=ana@example.com,maya@example.com", "--topic", "Sharding", "--create")
	if code != 0 || !strings.Contains(out, "Review call: Sharding") {
		t.Fatalf("run stored template: exit %d %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "thread", "list", "--team", "Platform", "--db", dsn, "--json")
	var th struct {
		Title     string   `json:"title"`
		Owner     string   `json:"owner"`
		Playbook  string   `json:"playbook"`
		CreatedBy string   `json:"created_by"`
		Pending   []string `json:"pending"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &th) != nil || th.Title != "Design doc: Sharding" || th.Owner != "kenji@example.com" || th.Playbook != "design-review" ||
		th.CreatedBy != "playbook design-review" || len(th.Pending) != 2 {
		t.Errorf("created thread = %s", out)
	}
}

// TestCLIPlaybookBadInput checks that bad templates, unknown playbooks and
// past dates exit 2 with one line naming the place.
func TestCLIPlaybookBadInput(t *testing.T) {
	_, rosterFile := importRoster(t, fiveInFourRoster)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(designReview, "owner: author\n    with: [author, reviewers]", "owner: lead\n    with: [author, reviewers]", 1)), 0o644)
	date := nextMonday()
	builtinName := writeTemplate(t, strings.Replace(designReview, "name: design-review", "name: onboarding", 1))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed template", []string{"playbook", "check", bad}, bad + ":18: steps[1].owner: unknown role \"lead\""},
		{"malformed template in --templates", []string{"playbook", "list", "--templates", dir}, bad + ":18: steps[1].owner:"},
		{"unknown playbook", []string{"playbook", "run", "retro", "--roster", rosterFile, "--date", date}, `unknown playbook "retro"; known: async-prep-huddle`},
		{"unknown playbook to show", []string{"playbook", "show", "retro"}, `unknown playbook "retro"`},
		{"no date", []string{"playbook", "run", "one-on-one", "--roster", rosterFile}, "--date is required"},
		{"bad date", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", "next monday"}, "--date:"},
		{"missing role", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", date, "--role", "employee=kenji@example.com"}, "--role manager: name one person"},
		{"stranger in a role", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", date, "--role", "employee=zed@example.com", "--role", "manager=ana@example.com"},
			`--role employee: "zed@example.com" is not on team Platform`},
		{"role not ROLE=PEOPLE", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", date, "--role", "kenji"}, "--role:"},
		{"unknown role", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", date, "--role", "boss=ana@example.com"}, `no role "boss"`},
		{"create without database team", []string{"playbook", "run", "one-on-one", "--roster", rosterFile, "--date", date, "--create"}, "--create"},
		{"built-in name", []string{"playbook", "add", "--team", "Platform", builtinName}, builtinName + `:1: name: "onboarding" is a built-in playbook`},
		{"built-in name to check", []string{"playbook", "check", builtinName}, builtinName + `:1: name: "onboarding" is a built-in playbook`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, errs, tt.want)
			}
		})
	}
}

func writeTemplate(t *testing.T, src string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCLIPlaybookICS(t *testing.T) {
	_, rosterFile := importRoster(t, fiveInFourRoster)
	out := filepath.Join(t.TempDir(), "plan.ics")
	code, _, errs := runCLI(t, "", "playbook", "run", "one-on-one", "--roster", rosterFile, "--date", nextMonday(), "--role", "employee=kenji@example.com",
		"--role", "manager=ana@example.com", "--ics", out)
	if code != 0 {
		t.Fatalf("run --ics: exit %d %s", code, errs)
	}
	code, expanded, errs := runCLI(t, "", "ical", "expand", out, "--from", time.Now().Format(time.DateOnly), "--to", time.Now().AddDate(0, 1, 0).Format(time.DateOnly), "--json")
	if code != 0 {
		t.Fatalf("ical expand of the plan: exit %d %s", code, errs)
	}
	// 1 post + 1 reply + 1 talk + 1 commitments record.
	if n := strings.Count(strings.TrimSpace(expanded), "\n") + 1; n != 4 || !strings.Contains(expanded, "1:1 talk") {
		t.Errorf("expanded plan has %d instances, want 4:\n%s", n, expanded)
	}
}

// TestPlaybookPastDates: a preview (nothing stored) may plan any date; a
// run that creates threads may not lie in the past.
func TestPlaybookPastDates(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "p.db")
	mustRun(t, "team", "import", "testdata/triangle.yaml", "--db", dsn)
	if out := mustRun(t, "playbook", "run", "one-on-one", "--roster", "testdata/triangle.yaml", "--date", "2020-03-02", "--role", "employee=kenji", "--role", "manager=ana"); !strings.Contains(out, "starting 2020-03-02") {
		t.Errorf("preview in the past:\n%s", out)
	}
	wantUsageError(t, "--date: 2020-03-02 puts the first due-by or session", "playbook", "run", "one-on-one", "--team", "Triangle", "--db", dsn, "--date", "2020-03-02",
		"--role", "employee=kenji", "--role", "manager=ana", "--create")
}
