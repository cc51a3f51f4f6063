package playbook

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// fiveInFour is a 5-person team in 4 time zones, one of them working
// Sunday to Thursday.
const fiveInFour = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Rui Costa, email: rui@example.com, zone: Europe/Lisbon, hours: "08:00-16:00"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
  - {name: Maya Cohen, email: maya@example.com, zone: America/New_York, hours: "08:00-16:00"}
`

func loadTeam(t testing.TB, roster string) *team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	return &tm
}

// within reports whether t lies in one of m's working stretches, its end
// included ("by 17:30").
func within(m *team.Member, t time.Time) bool {
	return m.InWorkingHours(t) || m.InWorkingHours(t.Add(-time.Second))
}

var (
	planDate = team.Date{Year: 2026, Month: 3, Day: 9} // a Monday
	planNow  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

func TestBuiltins(t *testing.T) {
	var names []string
	for _, tp := range Builtins() {
		names = append(names, tp.Name)
		if !tp.Builtin {
			t.Errorf("%s: Builtin not set", tp.Name)
		}
	}
	want := []string{"async-prep-huddle", "cross-functional", "onboarding", "one-on-one", "weekly-status"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("built-in playbooks (-want +got):\n%s", diff)
	}
	// Marshal writes what Parse reads.
	for _, tp := range Builtins() {
		b, err := Marshal(tp)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(tp.Name+".yaml", b)
		if err != nil {
			t.Fatalf("%s: re-parse: %v\n%s", tp.Name, err, b)
		}
		back.Builtin = true
		if diff := cmp.Diff(tp, back); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", tp.Name, diff)
		}
	}
}

// TestAsyncPrepHuddleFiveInFourZones is the playbook's promise on a
// spread-out team: every prep due-by lies inside its owner's working
// hours, the huddle is where the scheduler put it, after all the prep,
// and the decision record follows the huddle.
func TestAsyncPrepHuddleFiveInFourZones(t *testing.T) {
	tm := loadTeam(t, fiveInFour)
	tp, _ := Builtin("async-prep-huddle")
	sched := &recordingScheduler{}
	p, err := Instantiate(tp, Request{Team: tm, Date: planDate, Topic: "Q2 goal", Roles: map[string][]string{"owner": {"Ana Silva"}},
		Now: planNow, Scheduler: sched})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Threads) != 1 || len(p.Sessions) != 1 || len(p.Decisions) != 1 {
		t.Fatalf("plan has %d threads, %d sessions, %d decisions; want 1 each", len(p.Threads), len(p.Sessions), len(p.Decisions))
	}
	th := p.Threads[0]
	if th.Title != "Pre-read and open questions: Q2 goal" || th.Owner != "ana@example.com" {
		t.Errorf("thread = %q owned by %s", th.Title, th.Owner)
	}
	wantP := []string{"rui@example.com", "kenji@example.com", "sujan@example.com", "maya@example.com"}
	if diff := cmp.Diff(wantP, th.Participants); diff != "" {
		t.Errorf("participants default to everyone else (-want +got):\n%s", diff)
	}
	ana, _ := tm.Member("ana@example.com")
	if !within(ana, th.OwnerDue) || !th.OwnerDue.After(planDate.In(ana.Location())) {
		t.Errorf("owner's pre-read due %s is not inside Ana's hours on or after the date", th.OwnerDue.In(ana.Location()))
	}
	if got := ana.WorkingDuration(planDate.In(ana.Location()), th.OwnerDue); got != 4*time.Hour {
		t.Errorf("Ana gets %s of working time to post, want the template's 4h", got)
	}
	zones := map[string]bool{}
	for _, d := range th.Dues {
		m, _ := tm.Member(d.Member)
		zones[m.Zone] = true
		t.Run(d.Member, func(t *testing.T) {
			if !within(m, d.At) {
				t.Errorf("due %s (%s) is outside %s's hours %s %s", d.At.In(m.Location()), d.Local, m.Name, m.Hours, m.Days)
			}
			if got := m.WorkingDuration(th.OwnerDue, d.At); got != 8*time.Hour {
				t.Errorf("%s gets %s of own working time after the pre-read, want 8h", m.Name, got)
			}
			if d.At.After(th.DueBy) {
				t.Errorf("personal due %s after the thread's due-by %s", d.At, th.DueBy)
			}
		})
	}
	if len(zones) != 4 {
		t.Errorf("responders span %d zones, want 4", len(zones))
	}
	hs := p.Sessions[0]
	if len(sched.calls) != 1 {
		t.Fatalf("scheduler called %d times, want once", len(sched.calls))
	}
	c := sched.calls[0]
	if !hs.Start.Equal(c.chosen) || hs.End.Sub(hs.Start) != 20*time.Minute {
		t.Errorf("huddle %s–%s, want the scheduler's %s for 20 minutes", hs.Start, hs.End, c.chosen)
	}
	if diff := cmp.Diff(append([]string{"ana@example.com"}, wantP...), c.with); diff != "" {
		t.Errorf("scheduler asked for (-want +got):\n%s", diff)
	}
	if !c.from.Equal(th.DueBy) || c.to.Sub(c.from) != 72*time.Hour {
		t.Errorf("scheduler window %s–%s, want from the thread's due-by %s for 3 days", c.from, c.to, th.DueBy)
	}
	if hs.Agenda != "pre-read" {
		t.Errorf("huddle agenda = %q, want the pre-read thread", hs.Agenda)
	}
	dp := p.Decisions[0]
	if !dp.DueBy.After(hs.End) || !within(ana, dp.DueBy) || dp.Thread != "pre-read" || dp.Meeting != "huddle" || dp.MeetingUID != hs.UID {
		t.Errorf("decision record = %+v; want due after the huddle, in Ana's hours, linked to both", dp)
	}
	if dp.Record.Owner != "ana@example.com" || dp.Record.What != "" {
		t.Errorf("record to fill = %+v", dp.Record)
	}
}

// TestEveryBuiltinInstantiates runs each built-in playbook for the team and
// checks the order of its steps and the hours of every due-by.
func TestEveryBuiltinInstantiates(t *testing.T) {
	tm := loadTeam(t, fiveInFour)
	roles := map[string]map[string][]string{
		"async-prep-huddle": {"owner": {"kenji@example.com"}},
		"cross-functional":  {"coordinator": {"maya@example.com"}},
		"one-on-one":        {"employee": {"sujan@example.com"}, "manager": {"ana@example.com"}},
		"onboarding":        {"manager": {"ana@example.com"}, "new_hire": {"kenji@example.com"}, "buddy": {"rui@example.com"}},
		"weekly-status":     {"owner": {"rui@example.com"}},
	}
	for _, tp := range Builtins() {
		t.Run(tp.Name, func(t *testing.T) {
			p, err := Instantiate(tp, Request{Team: tm, Date: planDate, Roles: roles[tp.Name], Now: planNow, Scheduler: &recordingScheduler{}})
			if err != nil {
				t.Fatal(err)
			}
			for _, th := range p.Threads {
				owner, _ := tm.Member(th.Owner)
				if !within(owner, th.OwnerDue) {
					t.Errorf("%s: owner due %s outside %s's hours", th.Step, th.OwnerDue, owner.Name)
				}
				for _, d := range th.Dues {
					m, _ := tm.Member(d.Member)
					if !within(m, d.At) || !d.At.After(th.OwnerDue) {
						t.Errorf("%s: %s due %s outside their hours or before the owner's post", th.Step, m.Name, d.At)
					}
				}
			}
			for _, d := range p.Decisions {
				owner, _ := tm.Member(d.Owner)
				if !within(owner, d.DueBy) {
					t.Errorf("%s: record due %s outside %s's hours", d.Step, d.DueBy, owner.Name)
				}
			}
			if len(p.Threads)+len(p.Sessions)+len(p.Decisions) != len(tp.Steps) {
				t.Errorf("plan has %d items for %d steps", len(p.Threads)+len(p.Sessions)+len(p.Decisions), len(tp.Steps))
			}
			var sb strings.Builder
			if err := p.WriteText(&sb, nil); err != nil || !strings.Contains(sb.String(), p.Title) {
				t.Errorf("WriteText: %v\n%s", err, sb.String())
			}
			if nt := p.NewThreads(); len(nt) != len(p.Threads) {
				t.Errorf("NewThreads = %d", len(nt))
			}
		})
	}
	// Onboarding's welcome pack is ready before day one.
	tp, _ := Builtin("onboarding")
	p, err := Instantiate(tp, Request{Team: tm, Date: planDate, Roles: roles["onboarding"], Now: planNow, Scheduler: &recordingScheduler{}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Threads[0].DueBy.Before(planDate.In(time.UTC)) {
		t.Errorf("welcome pack due %s, want before day one %s", p.Threads[0].DueBy, planDate)
	}
}

func TestInstantiateErrors(t *testing.T) {
	tm := loadTeam(t, fiveInFour)
	tp, _ := Builtin("async-prep-huddle")
	ok := Request{Team: tm, Date: planDate, Roles: map[string][]string{"owner": {"ana@example.com"}}, Now: planNow, Scheduler: &recordingScheduler{}}
	tests := []struct {
		name  string
		edit  func(*Request)
		field string
	}{
		{"date in the past", func(r *Request) { r.Now = time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC) }, "date: 2026-03-09 puts the first due-by"},
		{"no date", func(r *Request) { r.Date = team.Date{} }, "date:"},
		{"owner missing", func(r *Request) { r.Roles = nil }, "roles.owner:"},
		{"two owners", func(r *Request) { r.Roles = map[string][]string{"owner": {"ana@example.com,rui@example.com"}} }, "roles.owner:"},
		{"owner not on team", func(r *Request) { r.Roles = map[string][]string{"owner": {"zed@example.com"}} }, "roles.owner:"},
		{"unknown role", func(r *Request) {
			r.Roles = map[string][]string{"owner": {"ana@example.com"}, "lead": {"rui@example.com"}}
		}, "roles:"},
		{"nobody responds", func(r *Request) {
			r.Roles = map[string][]string{"owner": {"ana@example.com"}, "participants": {"ana@example.com"}}
		}, "roles.participants:"},
		{"no scheduler", func(r *Request) { r.Scheduler = nil }, "scheduler:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			_, err := Instantiate(tp, r)
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.field) {
				t.Errorf("err = %v, want EINVALID starting %q", err, tt.field)
			}
		})
	}
	if _, err := Find("retro", nil); rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), `unknown playbook "retro"; known: async-prep-huddle,`) {
		t.Errorf("unknown playbook: %v", err)
	}
	failing := ok
	failing.Scheduler = schedulerFunc(func(*team.Team, []string, time.Duration, time.Time, time.Time) (time.Time, error) {
		return time.Time{}, rhythm.Errorf(rhythm.ENOTFOUND, "no meeting time left")
	})
	if _, err := Instantiate(tp, failing); rhythm.ErrorCode(err) != rhythm.ENOTFOUND || !strings.HasPrefix(err.Error(), "step huddle:") {
		t.Errorf("scheduler failure: %v, want its code with the step named", err)
	}
}

// TestParseErrors feeds malformed templates and checks that each error
// names the file, line and field.
func TestParseErrors(t *testing.T) {
	good := `name: design-review
title: Design review
roles:
  - {name: owner, doc: "author", one: true}
  - {name: reviewers, doc: "review"}
steps:
  - id: doc
    kind: async
    title: "Design doc: {topic}"
    owner: owner
    with: [reviewers]
    prepare: 4h
    respond: 8h
    output: "Written review comments"
  - id: review
    kind: sync
    title: "Review call"
    owner: owner
    with: [owner, reviewers]
    after: [doc]
    timebox: 25m
    window: 2d
    output: "Open points settled"
`
	if _, err := Parse("mine.yaml", []byte(good)); err != nil {
		t.Fatalf("good template: %v", err)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"unknown owner role", "    owner: owner\n    with: [reviewers]", "    owner: lead\n    with: [reviewers]", "mine.yaml:10: steps[0].owner: unknown role \"lead\""},
		{"owner of many", "    owner: owner\n    with: [reviewers]", "    owner: reviewers\n    with: [reviewers]", "mine.yaml:10: steps[0].owner:"},
		{"bad kind", "kind: sync", "kind: meeting", "mine.yaml:16: steps[1].kind: \"meeting\" is not one of async, sync, decision"},
		{"bad duration", "respond: 8h", "respond: eight hours", "mine.yaml:13: steps[0].respond: \"eight hours\" is not a positive duration"},
		{"no output", "    output: \"Open points settled\"\n", "", "mine.yaml:15: steps[1].output:"},
		{"forward after", "after: [doc]", "after: [wrapup]", "mine.yaml:20: steps[1].after[0]: \"wrapup\" is not an earlier step"},
		{"sync without timebox", "    timebox: 25m\n", "", "mine.yaml:15: steps[1].timebox:"},
		{"huge timebox", "timebox: 25m", "timebox: 9h", "mine.yaml:21: steps[1].timebox:"},
		{"unknown field", "title: Design review", "title: Design review\ncolour: blue", "mine.yaml:3:"},
		{"bad name", "name: design-review", "name: Design Review!", "mine.yaml:1: name:"},
		{"duplicate step", "id: review", "id: doc", "mine.yaml:15: steps[1].id: duplicate step id \"doc\""},
		{"unused role", "  - {name: reviewers, doc: \"review\"}", "  - {name: reviewers, doc: \"review\"}\n  - {name: observers, doc: \"watch\"}", "mine.yaml:6: roles[2].name: role \"observers\" is used by no step"},
		{"not YAML", "roles:", "roles: [", "mine.yaml:"},
		{"empty", good, "", "mine.yaml:1: the template is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(good, tt.from, tt.to, 1)
			if src == good {
				t.Fatalf("edit %q did not apply", tt.from)
			}
			_, err := Parse("mine.yaml", []byte(src))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line starting %q", err, tt.want)
			}
			var fe *team.FieldError
			if !errors.As(err, &fe) || rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Errorf("err is not an EINVALID *team.FieldError: %T", err)
			}
		})
	}
}

// recordingScheduler puts each session at the first quarter hour in the
// window when every attendee is at work, else at the window's start, and
// records what it was asked.
type recordingScheduler struct {
	calls []schedCall
}

type schedCall struct {
	with     []string
	d        time.Duration
	from, to time.Time
	chosen   time.Time
}

func (s *recordingScheduler) Slot(t *team.Team, with []string, d time.Duration, from, to time.Time) (time.Time, error) {
	start := from.Truncate(15 * time.Minute)
	if start.Before(from) {
		start = start.Add(15 * time.Minute)
	}
	chosen := from
	for at := start; !at.Add(d).After(to); at = at.Add(15 * time.Minute) {
		all := true
		for _, e := range with {
			m, _ := t.Member(e)
			if !m.InWorkingHours(at) || !m.InWorkingHours(at.Add(d-time.Minute)) {
				all = false
				break
			}
		}
		if all {
			chosen = at
			break
		}
	}
	s.calls = append(s.calls, schedCall{with: with, d: d, from: from, to: to, chosen: chosen})
	return chosen, nil
}

type schedulerFunc func(*team.Team, []string, time.Duration, time.Time, time.Time) (time.Time, error)

func (f schedulerFunc) Slot(t *team.Team, with []string, d time.Duration, from, to time.Time) (time.Time, error) {
	return f(t, with, d, from, to)
}

// FuzzParse checks that no input makes Parse panic, and that what it
// accepts instantiates without panicking either.
func FuzzParse(f *testing.F) {
	for _, tp := range Builtins() {
		b, _ := Marshal(tp)
		f.Add(b)
	}
	f.Add([]byte("name: x\nroles: [{name: a, one: true}]\nsteps: [{id: s, kind: decision, title: t, owner: a, prepare: 1h, output: o, day: -60}]\n"))
	tm := loadTeam(f, fiveInFour)
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		roles := map[string][]string{}
		for _, r := range tp.Roles {
			if r.One {
				roles[r.Name] = []string{"ana@example.com"}
			}
		}
		Instantiate(tp, Request{Team: tm, Date: planDate, Roles: roles, Now: planNow, Scheduler: &recordingScheduler{}})
	})
}

func TestParseRefusesAliases(t *testing.T) {
	src := "name: x\ntitle: &t Title\nsummary: *t\n"
	_, err := Parse("bomb.yaml", []byte(src))
	if err == nil || !strings.HasPrefix(err.Error(), "bomb.yaml:2: anchors and aliases") {
		t.Errorf("err = %v, want the anchor's line refused", err)
	}
}
