package experiment

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// SmallArm is the arm size below which the report leans on the
// Mann-Whitney test as well as the bootstrap interval.
const SmallArm = 10

// Report is the analysis of an experiment.
type Report struct {
	Experiment Experiment      `json:"experiment"`
	Status     Status          `json:"status"`
	Power      PowerCheck      `json:"power"`
	Outcomes   []OutcomeResult `json:"outcomes"`
	Notes      []string        `json:"notes"`
	Warnings   []string        `json:"warnings,omitempty"`
}

// OutcomeResult is one outcome's analysis: one comparison per treatment
// arm, and the arm means over time for a chart.
type OutcomeResult struct {
	Metric      string       `json:"metric"`
	Comparisons []Comparison `json:"comparisons"`
	Series      []Series     `json:"series"`
}

// Comparison is the difference-in-differences of one arm against control.
type Comparison struct {
	Arm     string `json:"arm"`
	Control string `json:"control"`
	// NArm and NControl count units with data in both windows; Missing
	// counts assigned units of the two arms without.
	NArm     int `json:"n_arm"`
	NControl int `json:"n_control"`
	Missing  int `json:"missing"`
	// Window means of the unit means, per arm.
	ArmBaseline      float64 `json:"arm_baseline"`
	ArmTreatment     float64 `json:"arm_treatment"`
	ControlBaseline  float64 `json:"control_baseline"`
	ControlTreatment float64 `json:"control_treatment"`
	// Effect is mean change in the arm minus mean change in control, with
	// its bootstrap interval.
	Effect stats.Difference `json:"effect"`
	// MannWhitney compares the units' changes between the two arms.
	MannWhitney stats.MannWhitneyResult `json:"mann_whitney"`
	// PAdjusted is the Mann-Whitney p after Holm's adjustment over every
	// comparison of the report.
	PAdjusted float64 `json:"p_adjusted"`
	// Significant is set when the interval excludes zero.
	Significant bool `json:"significant"`
	// Error says why no estimate could be made, if none was.
	Error string `json:"error,omitempty"`
}

// Series is an arm's mean outcome per sample period, for charts.
type Series struct {
	Arm    string        `json:"arm"`
	Points []SeriesPoint `json:"points"`
}

// SeriesPoint is an arm's mean over the units with a sample of a period.
type SeriesPoint struct {
	Period metric.Period `json:"period"`
	Mean   float64       `json:"mean"`
	N      int           `json:"n"`
}

// Analyze estimates each outcome's effect by difference-in-differences: a
// unit's change is its mean in the treatment window minus its mean in the
// baseline window (samples count toward the window holding their middle
// day), and the effect is the mean change of an arm minus that of the
// control, so trends that touch every unit cancel. Intervals come from a
// bootstrap over units within arms; with small arms the Mann-Whitney test
// of the changes is shown too. Samples of units outside the experiment are
// ignored. The experiment must be assigned.
func Analyze(e Experiment, samples []metric.Sample, today team.Date, o stats.Options) (Report, error) {
	if err := e.Validate(); err != nil {
		return Report{}, err
	}
	if len(e.Assignments) == 0 {
		return Report{}, rhythm.Errorf(rhythm.EINVALID, "assignments: %s is not assigned yet; run assign first", e.String())
	}
	for i, s := range samples {
		if err := s.Validate(); err != nil {
			return Report{}, rhythm.Errorf(rhythm.EINVALID, "samples[%d]: %s", i, rhythm.ErrorMessage(err))
		}
	}
	rep := Report{Experiment: e, Status: e.Status(today), Power: Power(e, samples), Outcomes: []OutcomeResult{}}
	armOf := map[string]string{}
	for _, a := range e.Assignments {
		armOf[metric.UnitKey(a.Unit)] = a.Arm
	}
	var ps []float64
	var at [][2]int
	for oi, out := range e.Outcomes {
		base := unitMeans(samples, out, e.Baseline)
		treat := unitMeans(samples, out, e.Treatment)
		changes := map[string][]float64{}
		means := map[string]*[2][]float64{} // baseline, treatment per arm
		missing := map[string]int{}
		for _, a := range e.Assignments {
			k := metric.UnitKey(a.Unit)
			b, okb := base[k]
			t, okt := treat[k]
			if !okb || !okt {
				missing[a.Arm]++
				continue
			}
			changes[a.Arm] = append(changes[a.Arm], t-b)
			m := means[a.Arm]
			if m == nil {
				m = &[2][]float64{}
				means[a.Arm] = m
			}
			m[0], m[1] = append(m[0], b), append(m[1], t)
		}
		or := OutcomeResult{Metric: out, Series: series(e, samples, out, armOf)}
		ctl := e.Control().Name
		for ai, arm := range e.Arms[1:] {
			c := Comparison{Arm: arm.Name, Control: ctl, NArm: len(changes[arm.Name]), NControl: len(changes[ctl]),
				Missing: missing[arm.Name] + missing[ctl], PAdjusted: math.NaN()}
			if mc := means[ctl]; mc != nil {
				c.ControlBaseline, c.ControlTreatment = stats.Mean(mc[0]), stats.Mean(mc[1])
			}
			if ma := means[arm.Name]; ma != nil {
				c.ArmBaseline, c.ArmTreatment = stats.Mean(ma[0]), stats.Mean(ma[1])
			}
			oo := o
			oo.Seed = o.Seed + uint64(oi*len(e.Arms)+ai)
			d, err := stats.BootstrapDiff(changes[ctl], changes[arm.Name], oo)
			if err != nil {
				c.Error = fmt.Sprintf("Too few units with %s in both windows (%d in %s, %d in %s; each needs 2).", out, c.NArm, arm.Name, c.NControl, ctl)
				c.ArmBaseline, c.ArmTreatment, c.ControlBaseline, c.ControlTreatment = zeroNaN(c.ArmBaseline), zeroNaN(c.ArmTreatment), zeroNaN(c.ControlBaseline), zeroNaN(c.ControlTreatment)
				c.PAdjusted = 1
				or.Comparisons = append(or.Comparisons, c)
				continue
			}
			c.Effect = d
			c.Significant = d.CI.ExcludesZero()
			c.MannWhitney, _ = stats.MannWhitney(changes[ctl], changes[arm.Name])
			ps = append(ps, c.MannWhitney.P)
			at = append(at, [2]int{oi, len(or.Comparisons)})
			or.Comparisons = append(or.Comparisons, c)
		}
		rep.Outcomes = append(rep.Outcomes, or)
	}
	for i, p := range stats.Holm(ps) {
		rep.Outcomes[at[i][0]].Comparisons[at[i][1]].PAdjusted = p
	}
	rep.Notes = []string{
		"Effect = (arm's mean change from baseline to treatment window) − (control's mean change): a difference-in-differences, so changes that touch every unit (season, reorganisation, holidays) cancel.",
		"95% intervals are percentile bootstrap intervals over units within arms, with small-sample corrections (rescaled deviations, t-based tails). An effect is marked significant when its interval excludes zero.",
		"The Mann-Whitney test compares the units' changes without assuming normality; with fewer than " + fmt.Sprint(SmallArm) + " units per arm read it alongside the interval. Adjusted p values (Holm) account for testing several outcomes and arms.",
	}
	switch rep.Status {
	case Draft, Planned, Baseline, Waiting:
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("The experiment is %s: the treatment window has not started, so there is no effect to estimate yet.", rep.Status))
	case Running:
		rep.Warnings = append(rep.Warnings, "The treatment window is still running: these are interim figures, and looking early and often inflates false positives.")
	}
	for _, c := range allComparisons(rep) {
		if c.Error == "" && (c.NArm < SmallArm || c.NControl < SmallArm) {
			msg := fmt.Sprintf("Small arms (%d and %d units): intervals are wide and effects that are real may not show.", c.NArm, c.NControl)
			if min(c.NArm, c.NControl) < 4 {
				msg += " Below 4 units per arm even the interval's 95% is optimistic (about 93% in simulation at 3 per arm): treat it as rough."
			}
			rep.Warnings = append(rep.Warnings, msg)
			break
		}
	}
	return rep, nil
}

func zeroNaN(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return f
}

func allComparisons(r Report) []Comparison {
	var out []Comparison
	for _, o := range r.Outcomes {
		out = append(out, o.Comparisons...)
	}
	return out
}

// unitMeans returns each unit's mean of the metric over the samples whose
// middle day lies in the window, keyed by metric.UnitKey.
func unitMeans(samples []metric.Sample, name string, w metric.Period) map[string]float64 {
	sum, n := map[string]float64{}, map[string]int{}
	for _, s := range samples {
		v, ok := s.Values[name]
		if !ok || !w.Contains(s.Period.Mid()) {
			continue
		}
		k := metric.UnitKey(s.Unit)
		sum[k] += v
		n[k]++
	}
	for k := range sum {
		sum[k] /= float64(n[k])
	}
	return sum
}

// series returns each arm's mean per sample period within the two
// windows; for person units, only periods with at least MinPeoplePerArm
// people in the arm.
func series(e Experiment, samples []metric.Sample, name string, armOf map[string]string) []Series {
	type key struct {
		arm string
		p   metric.Period
	}
	sum, n := map[key]float64{}, map[key]int{}
	for _, s := range samples {
		v, ok := s.Values[name]
		arm, in := armOf[metric.UnitKey(s.Unit)]
		mid := s.Period.Mid()
		if !ok || !in || !(e.Baseline.Contains(mid) || e.Treatment.Contains(mid)) {
			continue
		}
		k := key{arm, s.Period}
		sum[k] += v
		n[k]++
	}
	out := make([]Series, 0, len(e.Arms))
	for _, a := range e.Arms {
		sr := Series{Arm: a.Name, Points: []SeriesPoint{}}
		for k, s := range sum {
			// An arm's mean over a few people would show their numbers.
			if k.arm == a.Name && (e.Units == Teams || n[k] >= MinPeoplePerArm) {
				sr.Points = append(sr.Points, SeriesPoint{Period: k.p, Mean: s / float64(n[k]), N: n[k]})
			}
		}
		slices.SortFunc(sr.Points, func(x, y SeriesPoint) int {
			return x.Period.Mid().In(time.UTC).Compare(y.Period.Mid().In(time.UTC))
		})
		out = append(out, sr)
	}
	return out
}

func nextDay(d team.Date) team.Date { return team.DateOf(d.In(time.UTC).AddDate(0, 0, 1)) }
