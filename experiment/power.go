package experiment

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
)

// Planning assumptions of the power check.
const (
	Alpha       = 0.05
	TargetPower = 0.8
	// LargeEffect is the smallest detectable effect, in standard
	// deviations, above which the check warns: changes of rhythm rarely
	// move a metric by more than half to one standard deviation.
	LargeEffect = 0.8
)

// PowerCheck is the minimum detectable effect of an experiment before it
// starts, with warnings when it is too small to learn from.
type PowerCheck struct {
	// Sizes are the units per arm, control first.
	Sizes []int   `json:"sizes"`
	Alpha float64 `json:"alpha"`
	Power float64 `json:"power"`
	// MDE is the smallest effect detected with the given power, in
	// standard deviations of a unit's change between the windows, for the
	// smallest arm against the control; 0 when it cannot be estimated.
	MDE float64 `json:"mde_sd"`
	// Outcomes holds the MDE in the metric's own units where baseline data
	// allowed the standard deviation of a change to be estimated.
	Outcomes []OutcomePower `json:"outcomes,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
	// units is what the sizes count, for Sentences.
	units UnitKind
}

// Sentences say the smallest detectable effect in plain words, its number
// once: first in standard deviations of a unit's change, then in each
// outcome's own units where baseline data allowed. Every surface shows
// them, before the warnings (which do not repeat the number).
func (pc PowerCheck) Sentences() []string {
	if pc.MDE == 0 || math.IsInf(pc.MDE, 0) {
		return []string{"The smallest detectable effect cannot be estimated."}
	}
	kind, unit := pc.units, string(pc.units)
	if kind == "" {
		kind, unit = "unit", "unit"
	}
	out := []string{fmt.Sprintf("With %s %s per arm, the smallest effect this experiment can detect is about %.1f standard deviations of a %s's change (%.0f%% power, %.0f%% level).",
		joinSizes(pc.Sizes), kind.plural(), pc.MDE, unit, 100*pc.Power, 100*pc.Alpha)}
	for _, o := range pc.Outcomes {
		out = append(out, fmt.Sprintf("For %s that is about %.2f: one standard deviation of a %s's change is %.2f (from the baselines of %s).",
			o.Metric, o.MDE, unit, o.SD, kind.Count(o.N)))
	}
	return out
}

// OutcomePower is the MDE of one outcome in its own units.
type OutcomePower struct {
	Metric string `json:"metric"`
	// SD is the standard deviation of a unit's change with no treatment,
	// estimated from units' change between the two halves of the baseline.
	SD  float64 `json:"sd"`
	MDE float64 `json:"mde"`
	// N is the number of units the SD was estimated from.
	N int `json:"n"`
}

// Power checks whether the experiment can detect a realistic effect.
// Baseline samples, when given, turn the MDE into each outcome's units:
// each unit's change between the first and second half of the baseline
// window (when nothing was changed) shows how much units vary by chance.
// Like the MDE, the estimate is deliberately conservative.
func Power(e Experiment, samples []metric.Sample) PowerCheck {
	sizes := e.Sizes()
	pc := PowerCheck{Sizes: sizes, Alpha: Alpha, Power: TargetPower, units: e.Units}
	if len(sizes) < 2 || slices.Min(sizes) < 2 {
		pc.Warnings = append(pc.Warnings, "Too few units per arm to estimate power: every arm needs at least 2.")
		return pc // MDE 0: unknown
	}
	// The arm with the fewest units decides.
	for _, n := range sizes[1:] {
		pc.MDE = math.Max(pc.MDE, stats.MDE(sizes[0], n, Alpha, TargetPower))
	}
	if pc.MDE > LargeEffect {
		// The sentences before the warnings give the number.
		pc.Warnings = append(pc.Warnings, "Low power: real effects of a rhythm change are usually smaller than that, so a null result will say little. Add teams, or accept that only a large effect will show.")
	}
	if e.Units == People {
		pc.Warnings = append(pc.Warnings, "People on one team share meetings and threads, so a change made for some of them reaches the others too; this spill-over pulls estimates toward zero. Prefer team units where there are enough teams.")
	}
	if d := e.Treatment.Days(); d < 14 {
		pc.Warnings = append(pc.Warnings, fmt.Sprintf("The treatment window is %d days; a rhythm needs at least two cycles (usually two weeks or more) before it can be judged.", d))
	}
	if e.Baseline.Days() < 14 {
		pc.Warnings = append(pc.Warnings, fmt.Sprintf("The baseline window is %d days; a short baseline measures the starting point poorly.", e.Baseline.Days()))
	}
	if len(samples) > 0 {
		first := metric.Period{Start: e.Baseline.Start, End: e.Baseline.Mid()}
		second := metric.Period{Start: nextDay(e.Baseline.Mid()), End: e.Baseline.End}
		for _, o := range e.Outcomes {
			a := unitMeans(samples, o, first)
			b := unitMeans(samples, o, second)
			var changes []float64
			for _, u := range e.Pool {
				k := metric.UnitKey(u.ID)
				if va, ok := a[k]; ok {
					if vb, ok := b[k]; ok {
						changes = append(changes, vb-va)
					}
				}
			}
			if len(changes) < 3 {
				continue
			}
			// Half-window means are noisier than whole-window ones, so this
			// SD errs on the large side: the MDE is conservative.
			sd := stats.StdDev(changes)
			if !(sd > 0) {
				continue // no variation at all: nothing to scale by
			}
			pc.Outcomes = append(pc.Outcomes, OutcomePower{Metric: o, SD: sd, MDE: pc.MDE * sd, N: len(changes)})
		}
	}
	return pc
}

// joinSizes writes arm sizes as "3 and 3" or "4, 4 and 3".
func joinSizes(n []int) string {
	parts := make([]string, len(n))
	for i, v := range n {
		parts[i] = fmt.Sprint(v)
	}
	if len(parts) <= 2 {
		return strings.Join(parts, " and ")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
