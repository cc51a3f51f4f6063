package decide_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/decide"
)

func ptr[T any](v T) *T { return &v }

// measured is a team whose first replies take a median of 12 wall-clock hours.
var measured = &decide.TeamFigures{Measured: true, Weeks: 6, MedianResponseHours: 12, WithinWindowShare: 0.8}

// scenarios are the policy's guidance, one interaction each, with the mode
// it recommends and the rule that must appear in the trace.
var scenarios = []struct {
	name     string
	in       decide.Input
	mode     decide.Mode
	playbook string // for hybrid answers
	rule     string // must fire
}{
	{"weekly status update, 7 people in 4 zones, low ambiguity",
		decide.Input{Purpose: "status update", Stakeholders: 7, Zones: 4, Ambiguity: decide.Low},
		decide.Async, "", "flow-start-async"},
	{"status update in one zone",
		decide.Input{Purpose: "status_update", Stakeholders: 5, Zones: 1, Ambiguity: decide.Low},
		decide.Async, "", "routine-async"},
	{"conflict between two people",
		decide.Input{Purpose: "conflict", Stakeholders: 2},
		decide.Sync, "", "conflict-live"},
	{"conflict among four people in two zones",
		decide.Input{Purpose: "sensitive conversation", Stakeholders: 4, Zones: 2},
		decide.Sync, "", "conflict-live"},
	{"high-ambiguity brainstorm, 6 people in 3 zones",
		decide.Input{Purpose: "brainstorm", Stakeholders: 6, Zones: 3, Ambiguity: decide.High},
		decide.Hybrid, "async-prep-huddle", "flow-async-first"},
	{"brainstorm on a clear topic, 5 people in 2 zones",
		decide.Input{Purpose: "brainstorm", Stakeholders: 5, Zones: 2, Ambiguity: decide.Low},
		decide.Async, "", "creative-async"},
	{"new-hire first week",
		decide.Input{Purpose: "onboarding"},
		decide.Hybrid, "onboarding", "onboarding-playbook"},
	{"onboarding across 3 zones",
		decide.Input{Purpose: "new hire", Stakeholders: 5, Zones: 3},
		decide.Hybrid, "onboarding", "onboarding-playbook"},
	{"production incident needing answers within the hour",
		decide.Input{Purpose: "incident", Stakeholders: 5, Zones: 2, Urgency: time.Hour},
		decide.Sync, "", "incident-now"},
	{"incident follow-up needed within a day",
		decide.Input{Purpose: "incident", Stakeholders: 3, Zones: 2, Ambiguity: decide.Low, Urgency: 24 * time.Hour},
		decide.Async, "", "flow-start-async"},
	{"1:1",
		decide.Input{Purpose: "1:1"},
		decide.Hybrid, "one-on-one", "one-on-one-playbook"},
	{"1:1 across zones with medium ambiguity",
		decide.Input{Purpose: "one-on-one", Zones: 2, Ambiguity: decide.Medium},
		decide.Hybrid, "one-on-one", "one-on-one-playbook"},
	{"1:1 with high emotional stakes",
		decide.Input{Purpose: "1:1", Stakes: decide.High},
		decide.Sync, "", "sensitive-small"},
	{"announcement to 40 people",
		decide.Input{Purpose: "announcement", Stakeholders: 40, Zones: 5},
		decide.Async, "", "crowd"},
	{"announcement to 12 people in one zone",
		decide.Input{Purpose: "announcement", Stakeholders: 12, Zones: 1},
		decide.Async, "", "routine-async"},
	{"reorganisation announcement with high stakes to 30 people",
		decide.Input{Purpose: "announcement", Stakeholders: 30, Zones: 3, Stakes: decide.High},
		decide.Hybrid, "async-prep-huddle", "sync-for-stakes"},
	{"status update on a project at risk, high ambiguity",
		decide.Input{Purpose: "status", Stakeholders: 5, Zones: 1, Ambiguity: decide.High},
		decide.Hybrid, "async-prep-huddle", "sync-for-ambiguity"},
	{"planning, 6 people in 3 zones, medium ambiguity",
		decide.Input{Purpose: "planning", Stakeholders: 6, Zones: 3, Ambiguity: decide.Medium},
		decide.Hybrid, "async-prep-huddle", "decide-with-huddle"},
	{"cross-functional planning, 10 people, 3 functions",
		decide.Input{Purpose: "roadmap", Stakeholders: 10, Zones: 3, Functions: 3, Ambiguity: decide.Medium},
		decide.Hybrid, "cross-functional", "cross-functional-alignment"},
	{"cross-functional weekly update",
		decide.Input{Purpose: "status update", Stakeholders: 12, Zones: 3, Functions: 3, Ambiguity: decide.Low},
		decide.Async, "", "routine-async"},
	{"urgent high-ambiguity decision in one zone",
		decide.Input{Purpose: "decision", Stakeholders: 4, Zones: 1, Ambiguity: decide.High, Urgency: decide.UrgencyHours},
		decide.Sync, "", "urgent-ambiguous"},
	{"clear decision, 8 people in 4 zones, days to answer",
		decide.Input{Purpose: "decision", Stakeholders: 8, Zones: 4, Ambiguity: decide.Low, Urgency: decide.UrgencyDays},
		decide.Async, "", "flow-start-async"},
	{"urgent decision between two people in one zone",
		decide.Input{Purpose: "decision", Stakeholders: 2, Zones: 1, Ambiguity: decide.Medium, Urgency: 2 * time.Hour},
		decide.Sync, "", "needs-speed"},
	{"code review feedback, 3 people in 2 zones",
		decide.Input{Purpose: "code review", Stakeholders: 3, Zones: 2, Ambiguity: decide.Low},
		decide.Async, "", "thoughtful-feedback"},
	{"performance feedback with high stakes, 2 people",
		decide.Input{Purpose: "feedback", Stakeholders: 2, Stakes: decide.High},
		decide.Sync, "", "sensitive-small"},
	{"team social, 4 people in one zone",
		decide.Input{Purpose: "social", Stakeholders: 4, Zones: 1},
		decide.Sync, "", "relationship-building"},
	{"team social, 12 people in 4 zones",
		decide.Input{Purpose: "team building", Stakeholders: 12, Zones: 4},
		decide.Hybrid, "async-prep-huddle", "flow-async-first"},
	{"review between two people who share no working hours",
		decide.Input{Purpose: "review", Stakeholders: 2, Zones: 2, Ambiguity: decide.Medium, OverlapHours: ptr(0.0)},
		decide.Async, "", "no-overlap"},
	{"high-ambiguity decision with little overlap",
		decide.Input{Purpose: "decision", Stakeholders: 3, Zones: 2, Ambiguity: decide.High, OverlapHours: ptr(3.0)},
		decide.Hybrid, "async-prep-huddle", "low-overlap"},
	{"a question needed within 4h, team figures unknown",
		decide.Input{Purpose: "question", Stakeholders: 3, Zones: 1, Ambiguity: decide.Low, Urgency: 4 * time.Hour},
		decide.Hybrid, "async-prep-huddle", "needs-speed"},
	{"the same question when the team's measured median reply is 12h",
		decide.Input{Purpose: "question", Stakeholders: 3, Zones: 1, Ambiguity: decide.Low, Urgency: 4 * time.Hour, Team: measured},
		decide.Sync, "", "team-replies-slower"},
	{"the same question with days to answer",
		decide.Input{Purpose: "question", Stakeholders: 3, Zones: 1, Ambiguity: decide.Low, Urgency: decide.UrgencyDays, Team: measured},
		decide.Async, "", "team-replies-fast"},
	{"meeting-heavy team planning",
		decide.Input{Purpose: "planning", Stakeholders: 5, Zones: 1, Ambiguity: decide.Low, Team: &decide.TeamFigures{Measured: true, SyncAsyncRatio: 3}},
		decide.Async, "", "team-meeting-heavy"},
	{"relationship-intensive kickoff with a new partner, 3 people",
		decide.Input{Purpose: "general", Stakeholders: 3, Zones: 1, Relationship: decide.High},
		decide.Sync, "", "rapport-small"},
}

func TestScenarios(t *testing.T) {
	if len(scenarios) < 25 {
		t.Fatalf("only %d scenarios; the policy's guidance needs at least 25", len(scenarios))
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			d, err := decide.Decide(sc.in)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			t.Logf("lean %v confidence %v", d.Lean, d.Confidence)
			if d.Mode != sc.mode {
				t.Errorf("mode = %s, want %s (lean %v)\n%s", d.Mode, sc.mode, d.Lean, traceText(d))
			}
			var rules []string
			for _, s := range d.Trace {
				rules = append(rules, s.Rule)
			}
			if !slices.Contains(rules, sc.rule) {
				t.Errorf("trace has rules %v, want %s among them", rules, sc.rule)
			}
			var pb string
			if d.Playbook != nil {
				pb = d.Playbook.ID
			}
			if pb != sc.playbook {
				t.Errorf("playbook = %q, want %q", pb, sc.playbook)
			}
			if d.Confidence <= 0 || d.Confidence > 1 {
				t.Errorf("confidence = %v, want in (0, 1]", d.Confidence)
			}
			if d.Summary == "" || !strings.HasPrefix(d.Summary, sc.mode.String()) {
				t.Errorf("summary = %q, want it to start with %s", d.Summary, sc.mode)
			}
		})
	}
}

func traceText(d decide.Decision) string {
	var b strings.Builder
	for _, s := range d.Trace {
		b.WriteString("  [" + s.Rule + "] " + s.Effect + ": " + s.Says + "\n")
	}
	return b.String()
}
