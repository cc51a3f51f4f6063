package pulse

import (
	"fmt"
	"strings"

	"github.com/rhythm-team/rhythm/stats"
)

// SkippedSummary says in a line per reason why pairs were not correlated,
// instead of a line per pair: pairs with too few team-quarters are one
// line saying how many there are and what a correlation needs; pairs
// skipped for another reason are named with it.
func SkippedSummary(skipped []Skipped) []string {
	var few []Skipped
	var order []string
	other := map[string][]string{}
	for _, s := range skipped {
		if s.N < stats.MinPairs {
			few = append(few, s)
			continue
		}
		if _, ok := other[s.Reason]; !ok {
			order = append(order, s.Reason)
		}
		other[s.Reason] = append(other[s.Reason], s.X+" and "+s.Y)
	}
	var out []string
	if len(few) > 0 {
		most := 0
		for _, s := range few {
			most = max(most, s.N)
		}
		what := fmt.Sprintf("%d pairs of metrics have", len(few))
		if len(few) == 1 {
			what = fmt.Sprintf("%s and %s has", few[0].X, few[0].Y)
		}
		have := "no team-quarter with values of both"
		switch {
		case most > 0 && len(few) == 1:
			have = fmt.Sprintf("only %d %s with values of both", most, plural(most, "team-quarter"))
		case most > 0:
			have = fmt.Sprintf("at most %d %s with values of both", most, plural(most, "team-quarter"))
		}
		out = append(out, fmt.Sprintf("Not correlated: %s too little data (%s; a correlation needs at least %d). Import audits, pulse results or metrics for more teams and quarters.", what, have, stats.MinPairs))
	}
	for _, reason := range order {
		out = append(out, fmt.Sprintf("Not correlated: %s (%s).", strings.Join(other[reason], ", "), reason))
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
