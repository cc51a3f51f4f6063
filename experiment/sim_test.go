package experiment

import (
	"fmt"
	"testing"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// The simulator below stands in for `rhythm gen --effect` in the validity
// tests: a small, deterministic generator of team-week samples with a
// known treatment effect.
//
// Each unit u has its own level, every week t a shift shared by all units
// (season, holidays, a trend), and each treated unit its own effect drawn
// around the true average effect:
//
//	y(u, t) = level(u) + shift(t) + treated(u)·post(t)·effect(u) + noise(u, t)
//	level ~ N(10, 3), shift ~ N(0.2·t, 1), effect(u) ~ N(effect, 0.5), noise ~ N(0, 1.5)

const simOutcome = metric.MeetingHours

var (
	simBaseline, _  = metric.ParsePeriod("2026-01-05/2026-02-01") // ISO weeks 2–5
	simTreatment, _ = metric.ParsePeriod("2026-02-09/2026-03-08") // ISO weeks 7–10
	simToday        = team.Date{Year: 2026, Month: 4, Day: 1}
)

// simulate returns an assigned two-arm experiment with perArm team units
// per arm and weekly samples of simOutcome with the given true effect.
func simulate(t *testing.T, seed uint64, perArm int, effect float64) (Experiment, []metric.Sample) {
	t.Helper()
	e := Experiment{
		Name:      fmt.Sprintf("sim %d", seed),
		Units:     Teams,
		Arms:      []Arm{{Name: "control"}, {Name: "async prep + 20-min sync"}},
		Seed:      seed,
		Baseline:  simBaseline,
		Treatment: simTreatment,
		Outcomes:  []string{simOutcome},
	}
	for i := range 2 * perArm {
		e.Pool = append(e.Pool, Unit{ID: fmt.Sprintf("team-%02d", i), Stratum: []string{"small", "large"}[i%2]})
	}
	as, err := Assign(e)
	if err != nil {
		t.Fatal(err)
	}
	e.Assignments = as
	rng := stats.NewRand(seed ^ 0x5eed)
	shift := map[int]float64{}
	for w := 2; w <= 10; w++ {
		shift[w] = 0.2*float64(w) + rng.NormFloat64()
	}
	var samples []metric.Sample
	for _, a := range as {
		level := 10 + 3*rng.NormFloat64()
		own := effect + 0.5*rng.NormFloat64()
		for w := 2; w <= 10; w++ {
			p, _ := metric.ParsePeriod(fmt.Sprintf("2026-W%02d", w))
			y := level + shift[w] + 1.5*rng.NormFloat64()
			if a.Arm != "control" && simTreatment.Contains(p.Mid()) {
				y += own
			}
			samples = append(samples, metric.Sample{Unit: a.Unit, Period: p, Values: map[string]float64{simOutcome: y}})
		}
	}
	return e, samples
}

// TestValidityCoverage: over 200 simulated experiments with a known
// effect, the 95% interval covers the true effect in 90–99% of them.
func TestValidityCoverage(t *testing.T) {
	for _, perArm := range []int{6, 12} {
		t.Run(fmt.Sprintf("%d teams per arm", perArm), func(t *testing.T) {
			const datasets, effect = 200, -1.5
			covered := 0
			for d := range datasets {
				e, samples := simulate(t, uint64(100*perArm+d), perArm, effect)
				rep, err := Analyze(e, samples, simToday, stats.Options{Resamples: 500, Seed: uint64(d)})
				if err != nil {
					t.Fatal(err)
				}
				c := rep.Outcomes[0].Comparisons[0]
				if c.Error != "" {
					t.Fatalf("dataset %d: %s", d, c.Error)
				}
				if c.Effect.CI.Contains(effect) {
					covered++
				}
			}
			rate := float64(covered) / datasets
			t.Logf("95%% interval covered the true effect in %d of %d datasets (%.1f%%)", covered, datasets, 100*rate)
			if rate < 0.90 || rate > 0.99 {
				t.Errorf("coverage %.1f%%, want 90–99%%", 100*rate)
			}
		})
	}
}

// TestValidityFalsePositives: with no effect, "significant" results (the
// interval excludes zero, or Mann-Whitney p < 0.05) occur in ≤ 8% of 200
// simulated experiments.
func TestValidityFalsePositives(t *testing.T) {
	for _, perArm := range []int{6, 12} {
		t.Run(fmt.Sprintf("%d teams per arm", perArm), func(t *testing.T) {
			const datasets = 200
			byCI, byMW := 0, 0
			for d := range datasets {
				e, samples := simulate(t, uint64(100*perArm+d), perArm, 0)
				rep, err := Analyze(e, samples, simToday, stats.Options{Resamples: 500, Seed: uint64(d)})
				if err != nil {
					t.Fatal(err)
				}
				c := rep.Outcomes[0].Comparisons[0]
				if c.Significant {
					byCI++
				}
				if c.MannWhitney.P < 0.05 {
					byMW++
				}
			}
			t.Logf("no effect: interval excluded 0 in %d of %d datasets (%.1f%%), Mann-Whitney p < 0.05 in %d (%.1f%%)",
				byCI, datasets, 100*float64(byCI)/datasets, byMW, 100*float64(byMW)/datasets)
			if byCI > datasets*8/100 {
				t.Errorf("interval: %d of %d null experiments significant, want ≤ 8%%", byCI, datasets)
			}
			if byMW > datasets*8/100 {
				t.Errorf("Mann-Whitney: %d of %d null experiments significant, want ≤ 8%%", byMW, datasets)
			}
		})
	}
}
