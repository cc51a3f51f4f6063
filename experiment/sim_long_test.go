//go:build long

package experiment

import (
	"testing"

	"github.com/rhythm-team/rhythm/stats"
)

// TestValidityLong measures the false-positive rate over 2000 null
// experiments per arm size, to tell calibration from the luck of 200
// seeds. It is built with -tags long (about 10 seconds); .ci/run runs it.
func TestValidityLong(t *testing.T) {
	for _, perArm := range []int{3, 4, 6, 8, 12} {
		const datasets = 2000
		byCI, byMW := 0, 0
		for d := range datasets {
			e, samples := simulate(t, uint64(900_000+1000*perArm+d), perArm, 0)
			rep, err := Analyze(e, samples, simToday, stats.Options{Resamples: 1000, Seed: uint64(d)})
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
		ci, mw := 100*float64(byCI)/datasets, 100*float64(byMW)/datasets
		t.Logf("%2d per arm: interval excludes 0 in %.1f%%, Mann-Whitney p < 0.05 in %.1f%% of %d null experiments", perArm, ci, mw, datasets)
		// Reports with fewer than 4 units per arm say the interval is
		// optimistic; from 4 on, a 95% method must stay near 5%.
		limit := 8.0
		if perArm < 4 {
			limit = 10.0
		}
		if ci > limit || mw > limit {
			t.Errorf("%d per arm: false-positive rate %.1f%% (interval) / %.1f%% (Mann-Whitney), want ≤ %.0f%%", perArm, ci, mw, limit)
		}
	}
}
