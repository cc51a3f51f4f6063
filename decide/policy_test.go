package decide_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

func TestDefaultPolicyLoads(t *testing.T) {
	p := defaultPolicy(t)
	want := []string{"general", "status_update", "announcement", "brainstorm", "planning", "decision", "review",
		"conflict", "onboarding", "one_on_one", "incident", "social"}
	if got := strings.Join(p.PurposeIDs(), ","); got != strings.Join(want, ",") {
		t.Errorf("purposes = %s, want %s", got, strings.Join(want, ","))
	}
	for _, alias := range []string{"status update", "Status-Update", "1:1", "one on one", "review/feedback", "new hire", "sensitive conversation"} {
		if p.PurposeName(alias) == "" {
			t.Errorf("PurposeName(%q) = \"\", want a purpose", alias)
		}
	}
	again, err := decide.ParsePolicy("copy.yaml", decide.DefaultPolicyYAML())
	if err != nil {
		t.Fatalf("re-parse of the default policy: %v", err)
	}
	if got, want := len(again.RuleIDs()), len(p.RuleIDs()); got != want {
		t.Errorf("re-parse has %d rules, want %d", got, want)
	}
}

// lineOf returns the 1-based line of the last occurrence of s in text.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	i := strings.LastIndex(text, s)
	if i < 0 {
		t.Fatalf("policy text has no %q", s)
	}
	return strings.Count(text[:i], "\n") + 1
}

func TestParsePolicyErrors(t *testing.T) {
	base := string(decide.DefaultPolicyYAML())
	tests := []struct {
		name     string
		old, new string // replace old with new in the default policy
		want     string // the error after "policy.yaml:<line>: "
		at       string // the text on the line the error names; "" means new, "*" any line
	}{
		{"malformed YAML", "version: 1", "version: [1", "must be specified", "*"},
		{"unknown field", "default_playbook: async-prep-huddle", "default_playbook: async-prep-huddle\ncolour: red", `unknown field "colour"`, "colour"},
		{"wrong version", "version: 1", "version: 2", "version: version must be 1, got 2", ""},
		{"unknown fact in a condition",
			`when: {purpose: [conflict]}`, `when: {purpose: [conflict], mood: "> 2"}`,
			`rules[1].when.mood: unknown fact "mood"`, ""},
		{"unknown value in a condition",
			`when: {stakes: ">= high", stakeholders: "<= sensitive_group"}`, `when: {stakes: ">= high", stakeholders: "<= team_size"}`,
			`rules[2].when.stakeholders: "team_size" is not a number, level, yes/no, param or fact`, ""},
		{"unknown purpose in a rule",
			`when: {purpose: [conflict]}`, `when: {purpose: [quarrel]}`,
			`rules[1].when.purpose: unknown purpose "quarrel"; valid: general, status_update`, ""},
		{"bad floor", "    floor: sync\n    lean: 3\n  - id: conflict-live", "    floor: live\n    lean: 3\n  - id: conflict-live",
			`rules[0].floor: "live" is not one of async, hybrid, sync`, ""},
		{"unknown playbook", "    playbook: onboarding\n", "    playbook: welcome\n",
			`rules[4].playbook: unknown playbook "welcome"; valid: async-prep-huddle, onboarding, one-on-one, cross-functional`, ""},
		{"duplicate rule", "  - id: conflict-live", "  - id: incident-now", `rules[1].id: rule "incident-now" defined twice`, ""},
		{"unknown fact in says", "says: \"Ambiguity is {ambiguity}: reserve", "says: \"Ambiguity is {vagueness}: reserve",
			`rules[6].says: unknown fact {vagueness}`, ""},
		{"sync_at below async_at", "{name: sync_at, value: 3,", "{name: sync_at, value: -3,", `params[0].value: sync_at (-3) must be above async_at (-2)`, ""},
		{"sync_at out of range", "{name: sync_at, value: 3,", "{name: sync_at, value: 30,", `params[0].value: 30 is out of range -20..20`, ""},
		{"param out of range", "{name: attendee_cap, value: 8,", "{name: attendee_cap, value: 1,", `params[15].value: 1 is out of range 2..1000`, ""},
		{"weight out of range", "weights: {relationship: 0.05, speed: 0.1, inclusivity: 0.3,", "weights: {relationship: -1, speed: 0.1, inclusivity: 0.3,",
			`purposes[1].weights.relationship: a weight runs 0..100, got -1`, ""},
		{"bad default level", "defaults: {stakeholders: 20, ambiguity: low,", "defaults: {stakeholders: 20, ambiguity: tiny,",
			`purposes[2].defaults.ambiguity: "tiny" is not one of low, medium, high`, ""},
		{"negative default stakeholders", "defaults: {stakeholders: 20,", "defaults: {stakeholders: -4,",
			`purposes[2].defaults.stakeholders: must be at least 1, got -4`, ""},
		{"score out of range", "    async: 2.5\n", "    async: 7\n", `criteria[0].async: a score runs 0..5, got 7`, ""},
		{"unknown criterion", "  - id: cognitive_load\n", "  - id: happiness\n", `criteria[4].id: unknown criterion "happiness"`, ""},
		{"alias of two purposes", "aliases: [announce, news, broadcast]", "aliases: [announce, news, status]",
			`purposes[2].aliases: "status" also names purpose "status_update"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("the default policy has no %q", tt.old)
			}
			text := strings.Replace(base, tt.old, tt.new, 1)
			at := tt.at
			if at == "" {
				at = tt.new
			}
			prefix := "policy.yaml:"
			if at != "*" {
				prefix += strconv.Itoa(lineOf(t, text, at)) + ": "
			}
			p, err := decide.ParsePolicy("policy.yaml", []byte(text))
			if err == nil {
				t.Fatalf("ParsePolicy = %v, want an error", p)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error has more than one line: %q", msg)
			}
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want prefix %q and %q", msg, prefix, tt.want)
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Errorf("code = %q, want %q", rhythm.ErrorCode(err), rhythm.EINVALID)
			}
		})
	}
}

func TestParsePolicyRejectsEmptyAndGarbage(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("\x00\xff"), []byte("- a\n- b\n"), []byte("version: 1\n"), bytes.Repeat([]byte("["), 1000)} {
		if _, err := decide.ParsePolicy("p.yaml", data); err == nil || !strings.HasPrefix(err.Error(), "p.yaml:") {
			t.Errorf("ParsePolicy(%q) error = %v, want one naming p.yaml", data, err)
		}
	}
}

func TestWithOverrides(t *testing.T) {
	p := defaultPolicy(t)
	in := decide.Input{Purpose: "decision", Stakeholders: 2, Zones: 1, Ambiguity: decide.Medium, Urgency: 2 * 3600e9}
	before, err := p.Decide(in)
	if err != nil {
		t.Fatal(err)
	}
	if before.Mode != decide.Sync {
		t.Fatalf("mode before overrides = %s, want sync", before.Mode)
	}
	tuned, err := p.With(map[string]float64{"sync_at": 12, "lean.needs-speed": 0, "weight.decision.speed": 0.1, "score.sync.speed": 4})
	if err != nil {
		t.Fatalf("With: %v", err)
	}
	after, err := tuned.Decide(in)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode != decide.Hybrid {
		t.Errorf("mode after raising sync_at = %s, want hybrid\n%s", after.Mode, traceText(after))
	}
	for _, s := range after.Trace {
		if s.Rule == "needs-speed" && s.Effect != "" {
			t.Errorf("needs-speed still has effect %q after lean.needs-speed = 0", s.Effect)
		}
	}
	if got := after.Matrix.Criteria[1].Weight; got >= before.Matrix.Criteria[1].Weight {
		t.Errorf("speed weight = %v, want below %v", got, before.Matrix.Criteria[1].Weight)
	}
	// The original policy is unchanged.
	if again, _ := p.Decide(in); again.Mode != decide.Sync {
		t.Errorf("With changed the policy it was called on")
	}
}

func TestWithOverrideErrors(t *testing.T) {
	p := defaultPolicy(t)
	tests := []struct {
		name string
		set  map[string]float64
		want string
	}{
		{"unknown name", map[string]float64{"sync_threshold": 2}, `norms.decide: unknown name "sync_threshold"; valid names: sync_at, async_at,`},
		{"unknown purpose in weight", map[string]float64{"weight.party.speed": 1}, `unknown name "weight.party.speed"`},
		{"unknown rule", map[string]float64{"lean.nope": 1}, `unknown name "lean.nope"`},
		{"param out of range", map[string]float64{"attendee_cap": 1}, `norms.decide.attendee_cap: 1 is out of range 2..1000`},
		{"negative weight", map[string]float64{"weight.decision.speed": -1}, `norms.decide.weight.decision.speed: a weight runs 0..100, got -1`},
		{"score out of range", map[string]float64{"score.sync.speed": 9}, `norms.decide.score.sync.speed: a score runs 0..5, got 9`},
		{"thresholds crossed", map[string]float64{"sync_at": -5}, `norms.decide: sync_at (-5) must be above async_at (-2)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.With(tt.set)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("With(%v) error = %v, want %q", tt.set, err, tt.want)
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Errorf("code = %q, want invalid", rhythm.ErrorCode(err))
			}
			if tt.name == "unknown name" {
				for _, s := range []string{"weight.<purpose>.<criterion>", "lean.<rule>", "rules: incident-now,", "purposes: general,"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error does not list %q: %v", s, err)
					}
				}
			}
		})
	}
}

func TestForTeamReadsRosterNorms(t *testing.T) {
	roster := "team: Tuned\nnorms: {decide: {sync_at: 5, lean.crowd: -4}}\nmembers:\n  - {name: A, email: a@x.org, zone: UTC}\n"
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	p, err := defaultPolicy(t).ForTeam(tm.Norms)
	if err != nil {
		t.Fatalf("ForTeam: %v", err)
	}
	for _, pr := range p.Params() {
		if pr.Name == "sync_at" && pr.Value != 5 {
			t.Errorf("sync_at = %v, want 5", pr.Value)
		}
	}
	tm.Norms.Decide["bogus"] = 1
	_, err = defaultPolicy(t).ForTeam(tm.Norms)
	var re *rhythm.Error
	if !errors.As(err, &re) || !strings.Contains(re.Message, `unknown name "bogus"`) {
		t.Errorf("ForTeam with an unknown name: %v", err)
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add(decide.DefaultPolicyYAML())
	f.Add([]byte("version: 1\nparams: []\n"))
	f.Add([]byte("rules: [{id: x, when: {zones: \"> 1\"}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decide.ParsePolicy("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml:") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if _, err := p.Decide(decide.Input{}); err != nil && rhythm.ErrorCode(err) != rhythm.EINVALID {
			t.Fatalf("Decide with a fuzzed policy: %v", err)
		}
	})
}
