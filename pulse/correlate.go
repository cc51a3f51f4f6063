package pulse

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
)

// Exposures are the audit metrics correlated with outcomes by default.
var Exposures = []string{
	metric.SyncAsyncRatio, metric.SyncAsyncTimeRatio, metric.MeetingHours,
	metric.AfterHours, metric.ResponseTimeHours, metric.FocusHours,
}

// SmallN is the number of team-quarters below which a correlation carries
// a warning.
const SmallN = 20

// CorrelationRequest says what to correlate.
type CorrelationRequest struct {
	// Samples are audit, pulse and churn samples of teams, of any periods;
	// they are averaged into team-quarters.
	Samples []metric.Sample
	// X and Y are the metric names to pair; empty X means every exposure
	// present, empty Y every other metric present.
	X, Y []string
	// Options tune the bootstrap and permutation test.
	Options stats.Options
}

// Point is one team-quarter of a scatter plot.
type Point struct {
	Unit   string  `json:"unit"`
	Period string  `json:"period"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
}

// Finding is the association of one exposure with one outcome.
type Finding struct {
	X string `json:"x"`
	Y string `json:"y"`
	// N is the number of team-quarters with both; Teams and Periods count
	// the distinct ones.
	N        int               `json:"n"`
	Teams    int               `json:"teams"`
	Periods  int               `json:"periods"`
	Spearman stats.Correlation `json:"spearman"`
	Kendall  stats.Correlation `json:"kendall"`
	// PAdjusted is Spearman's p after Holm's adjustment over every finding
	// of the report.
	PAdjusted float64  `json:"p_adjusted"`
	Warnings  []string `json:"warnings,omitempty"`
	Points    []Point  `json:"points"`
}

// Skipped is a pair that could not be correlated, and why.
type Skipped struct {
	X      string `json:"x"`
	Y      string `json:"y"`
	N      int    `json:"n"`
	Reason string `json:"reason"`
}

// CorrelationReport holds every finding with the caveats that go with it.
type CorrelationReport struct {
	// Caveat says these are associations, not causes; every rendering
	// shows it once, first.
	Caveat   string    `json:"caveat"`
	Findings []Finding `json:"findings"`
	Skipped  []Skipped `json:"skipped,omitempty"`
	Notes    []string  `json:"notes"`
}

// Caveat is printed with every correlation report.
const Caveat = "These are associations, not causes: teams that meet more may differ in many other ways, and churn or low scores can drive meeting habits as much as the reverse. To learn what a rhythm change does, run an experiment."

// Correlate pairs every exposure with every outcome over team-quarters and
// returns Spearman and Kendall correlations with 95% bootstrap intervals
// and permutation p-values. A team's quarters are not independent, so the
// bootstrap resamples whole teams and the permutation test shuffles which
// team's outcomes go with which team's exposures, quarter by quarter.
func Correlate(req CorrelationRequest) (CorrelationReport, error) {
	for _, s := range req.Samples {
		if err := s.Validate(); err != nil {
			return CorrelationReport{}, err
		}
	}
	quarters := metric.ByQuarter(req.Samples)
	present := metric.Names(quarters)
	xs, ys := req.X, req.Y
	if len(xs) == 0 {
		for _, e := range Exposures {
			if slices.Contains(present, e) {
				xs = append(xs, e)
			}
		}
	}
	if len(ys) == 0 {
		for _, n := range present {
			if !slices.Contains(Exposures, n) && !slices.Contains(xs, n) {
				ys = append(ys, n)
			}
		}
	}
	for _, n := range slices.Concat(xs, ys) {
		if !slices.Contains(present, n) {
			return CorrelationReport{}, rhythm.Errorf(rhythm.EINVALID, "metric %q: no values in the data (have: %s)", n, strings.Join(present, ", "))
		}
	}
	if len(xs) == 0 || len(ys) == 0 {
		return CorrelationReport{}, rhythm.Errorf(rhythm.EINVALID, "metrics: need at least one exposure (such as %s) and one outcome (such as enps or churn); have: %s", metric.SyncAsyncRatio, strings.Join(present, ", "))
	}
	rep := CorrelationReport{Findings: []Finding{}}
	for _, r := range correlatePairs(quarters, xs, ys, req.Options) {
		if r.skip != nil {
			rep.Skipped = append(rep.Skipped, *r.skip)
			continue
		}
		rep.Findings = append(rep.Findings, r.f)
	}
	ps := make([]float64, len(rep.Findings))
	for i, f := range rep.Findings {
		ps[i] = f.Spearman.P
	}
	for i, p := range stats.Holm(ps) {
		rep.Findings[i].PAdjusted = p
	}
	rep.Caveat = Caveat
	rep.Notes = []string{
		"Each point is a team-quarter: samples are averaged into calendar quarters by their middle day.",
		"Intervals are 95% percentile bootstrap intervals that resample whole teams; p-values come from permutation tests that shuffle whole teams, quarter by quarter; n is shown with every result.",
	}
	if len(rep.Findings) > 1 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d pairs were tested; with that many, some look notable by chance alone. The adjusted p (Holm) accounts for it.", len(rep.Findings)))
	}
	return rep, nil
}

type pairResult struct {
	f    Finding
	skip *Skipped
}

// correlatePairs correlates every x with every other y, in that order.
// Each pair has its own seed, so the pairs are worked on side by side, one
// per CPU, and the results are the same as one by one.
func correlatePairs(quarters []metric.Sample, xs, ys []string, opt stats.Options) []pairResult {
	type pair struct {
		x, y string
		o    stats.Options
	}
	var pairs []pair
	for i, x := range xs {
		for j, y := range ys {
			if x == y {
				continue
			}
			o := opt
			o.Seed = opt.Seed + uint64(i*len(ys)+j)
			pairs = append(pairs, pair{x, y, o})
		}
	}
	out := make([]pairResult, len(pairs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pairs)) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < len(pairs); k = int(next.Add(1) - 1) {
				p := pairs[k]
				out[k].f, out[k].skip = correlatePair(quarters, p.x, p.y, p.o)
			}
		})
	}
	wg.Wait()
	return out
}

func correlatePair(quarters []metric.Sample, x, y string, o stats.Options) (Finding, *Skipped) {
	f := Finding{X: x, Y: y, Points: []Point{}}
	var p stats.Pairs
	teams, periods := map[string]bool{}, map[string]int{}
	for _, s := range quarters {
		xv, okx := s.Values[x]
		yv, oky := s.Values[y]
		if !okx || !oky {
			continue
		}
		per := s.Period.String()
		f.Points = append(f.Points, Point{Unit: s.Unit, Period: per, X: xv, Y: yv})
		p.X, p.Y = append(p.X, xv), append(p.Y, yv)
		p.Cluster = append(p.Cluster, metric.UnitKey(s.Unit))
		p.Block = append(p.Block, per)
		teams[metric.UnitKey(s.Unit)] = true
		periods[per]++
	}
	f.N, f.Teams, f.Periods = len(p.X), len(teams), len(periods)
	if f.N == 0 {
		return f, &Skipped{X: x, Y: y, Reason: "no team-quarter has values of both"}
	}
	sp, err := stats.Correlate(p, stats.Spearman, o)
	if err != nil {
		return f, &Skipped{X: x, Y: y, N: f.N, Reason: rhythm.ErrorMessage(err)}
	}
	kd, err := stats.Correlate(p, stats.Kendall, o)
	if err != nil {
		return f, &Skipped{X: x, Y: y, N: f.N, Reason: rhythm.ErrorMessage(err)}
	}
	f.Spearman, f.Kendall = sp, kd
	if f.N < SmallN {
		f.Warnings = append(f.Warnings, fmt.Sprintf("Small sample: n = %d team-quarters. Treat the direction as a hint; the interval shows how little is known.", f.N))
	}
	if f.Teams < 5 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("Only %d teams: what looks like an association may be a difference between these few teams.", f.Teams))
	}
	if f.Teams < f.N && f.Teams < 3 {
		f.Warnings = append(f.Warnings, "With fewer than 3 teams the bootstrap over teams cannot give a meaningful interval.")
	}
	if n := stats.Arrangements(p); n < 1000 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("Few teams share the same quarters, so the permutation test has only %.0f distinct arrangements: p cannot go below %.3f.", n, 1/n))
	}
	return f, nil
}
