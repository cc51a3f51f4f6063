package decide_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/decide"
)

// forbidden lists phrases that recommend a mode other than the key.
var forbidden = map[decide.Mode][]string{
	decide.Async: {"huddle", "playbook", "periodic sync", "goes live", "talk live", "talking live",
		"conversation live", "resolve it live", "live time is the point", "live slot", "live touchpoint"},
	decide.Hybrid: {"nothing here needs live time", "goes live now", "not in writing"},
	decide.Sync: {"huddle", "playbook", "periodic sync", "async backbone", "keep live time short",
		"start async", "broadcast in writing"},
}

// summaryProblem returns why d's summary does not fit d's mode and
// playbook, or "".
func summaryProblem(d decide.Decision) string {
	prefix := d.Mode.String()
	if d.Playbook != nil {
		prefix += " (" + d.Playbook.Name + ")"
	}
	prefix += ": "
	rest, ok := strings.CutPrefix(d.Summary, prefix)
	if !ok {
		return "summary does not start with " + prefix
	}
	for _, m := range []decide.Mode{decide.Async, decide.Hybrid, decide.Sync} {
		if m == d.Mode {
			continue
		}
		for _, w := range []string{"favour ", "favours ", "require at least ", "allow at most "} {
			if strings.Contains(rest, w+m.String()) {
				return "summary recommends " + m.String()
			}
		}
	}
	for _, w := range forbidden[d.Mode] {
		if strings.Contains(strings.ToLower(rest), w) {
			return "summary of a " + d.Mode.String() + " answer says " + w
		}
	}
	// When the summary quotes a rule, the rule's floor, cap and playbook
	// must allow the answer.
	for _, st := range d.Trace {
		if st.Says != rest {
			continue
		}
		for e := range strings.SplitSeq(st.Effect, ", ") {
			if s, ok := strings.CutPrefix(e, "at least "); ok {
				if m, _ := decide.ParseMode(s); m > d.Mode {
					return "summary quotes rule " + st.Rule + " with floor " + s
				}
			}
			if s, ok := strings.CutPrefix(e, "at most "); ok {
				if m, _ := decide.ParseMode(s); m < d.Mode {
					return "summary quotes rule " + st.Rule + " with cap " + s
				}
			}
			if s, ok := strings.CutPrefix(e, "playbook "); ok && d.Playbook != nil && d.Playbook.ID != s {
				return "summary quotes rule " + st.Rule + " with playbook " + s
			}
		}
	}
	return ""
}

func TestPropertySummaryNamesTheMode(t *testing.T) {
	def := defaultPolicy(t)
	// A team override that makes pure lean answers rarer, so floors and
	// caps decide more often.
	wide, err := def.With(map[string]float64{"lean.same-zone": -2, "lean.pair": -2})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*decide.Policy{def, wide} {
		r := rand.New(rand.NewPCG(3, 5))
		seen := map[decide.Mode]int{}
		for range 20000 {
			in := randomInput(r, purposeIDs)
			d := mustDecide(t, p, in)
			seen[d.Mode]++
			if why := summaryProblem(d); why != "" {
				t.Fatalf("%s\ninput %+v\nsummary: %s\ntrace:\n%s", why, in, d.Summary, traceText(d))
			}
		}
		if len(seen) != 3 {
			t.Fatalf("modes seen: %v", seen)
		}
	}
}

// TestMatrixAverages: the weighted averages the command line and the page
// both show are the totals divided by the sum of the weights.
func TestMatrixAverages(t *testing.T) {
	m := decide.Matrix{Criteria: []decide.Criterion{{Weight: 0.5}, {Weight: 0.65}}, Async: 4.0, Sync: 3.22}
	a, s, ok := m.Averages()
	if !ok || math.Abs(a-4.0/1.15) > 1e-12 || math.Abs(s-3.22/1.15) > 1e-12 {
		t.Errorf("Averages = %v %v %v, want %v %v", a, s, ok, 4.0/1.15, 3.22/1.15)
	}
	if _, _, ok := (decide.Matrix{}).Averages(); ok {
		t.Errorf("Averages of a matrix without weights is ok")
	}
}
