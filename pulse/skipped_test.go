package pulse_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/pulse"
)

func TestSkippedSummary(t *testing.T) {
	many := make([]pulse.Skipped, 60)
	for i := range many {
		many[i] = pulse.Skipped{X: "x", Y: "y", N: i % 2, Reason: "n: 1 pairs; a correlation needs at least 3"}
	}
	for _, tt := range []struct {
		name    string
		skipped []pulse.Skipped
		want    []string
	}{
		{"none", nil, nil},
		{"sixty pairs with too few team-quarters are one line", many, []string{
			"Not correlated: 60 pairs of metrics have too little data (at most 1 team-quarter with values of both; a correlation needs at least 3). Import audits, pulse results or metrics for more teams and quarters."}},
		{"one pair with two", []pulse.Skipped{{X: "meeting_hours", Y: "enps", N: 2}}, []string{
			"Not correlated: meeting_hours and enps has too little data (only 2 team-quarters with values of both; a correlation needs at least 3). Import audits, pulse results or metrics for more teams and quarters."}},
		{"one pair with none", []pulse.Skipped{{X: "meeting_hours", Y: "churn", N: 0, Reason: "no team-quarter has values of both"}}, []string{
			"Not correlated: meeting_hours and churn has too little data (no team-quarter with values of both; a correlation needs at least 3). Import audits, pulse results or metrics for more teams and quarters."}},
		{"other reasons name their pairs", []pulse.Skipped{
			{X: "a", Y: "churn", N: 8, Reason: "pairs: one variable has the same value for every pair; there is nothing to correlate"},
			{X: "b", Y: "enps", N: 1},
			{X: "b", Y: "churn", N: 8, Reason: "pairs: one variable has the same value for every pair; there is nothing to correlate"},
		}, []string{
			"Not correlated: b and enps has too little data (only 1 team-quarter with values of both; a correlation needs at least 3). Import audits, pulse results or metrics for more teams and quarters.",
			"Not correlated: a and churn, b and churn (pairs: one variable has the same value for every pair; there is nothing to correlate).",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, pulse.SkippedSummary(tt.skipped)); diff != "" {
				t.Errorf("SkippedSummary (-want +got):\n%s", diff)
			}
		})
	}
}
