package pulse_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/demo-correlations.golden.json")

// demoSamples reads the demo's outcome samples (see demo's
// TestSamplesFixture): what the Correlations page of `serve --demo` reads.
func demoSamples(tb testing.TB) []metric.Sample {
	tb.Helper()
	b, err := os.ReadFile("testdata/demo-samples.json")
	if err != nil {
		tb.Fatal(err)
	}
	var ss []metric.Sample
	if err := json.Unmarshal(b, &ss); err != nil {
		tb.Fatalf("testdata/demo-samples.json: %v", err)
	}
	return ss
}

// TestCorrelateDemoGolden pins every number of the demo's correlation
// report, seeds 0 and 7, to the bit: coefficients, bootstrap intervals and
// permutation p-values. A faster implementation must draw the same
// resamples and permutations and compute the same values from them.
func TestCorrelateDemoGolden(t *testing.T) {
	samples := demoSamples(t)
	// The numbers of each finding; the points and wording are tested elsewhere.
	type numbers struct {
		X, Y              string
		N                 int
		Spearman, Kendall stats.Correlation
		PAdjusted         float64
	}
	got := map[string][]numbers{}
	for _, seed := range []uint64{0, 7} {
		rep, err := pulse.Correlate(pulse.CorrelationRequest{Samples: samples, Options: stats.Options{Seed: seed}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) < 50 {
			t.Fatalf("seed %d: %d findings; the demo has 54 pairs", seed, len(rep.Findings))
		}
		for _, f := range rep.Findings {
			k := fmt.Sprintf("seed %d", seed)
			got[k] = append(got[k], numbers{f.X, f.Y, f.N, f.Spearman, f.Kendall, f.PAdjusted})
		}
	}
	b, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/demo-correlations.golden.json"
	if *updateGolden {
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(b)+"\n", "\n")); diff != "" {
		t.Errorf("correlation report of the demo differs from %s (-want +got):\n%s", golden, diff)
	}
}

// BenchmarkCorrelateDemo correlates every pair of the demo's metrics, as
// the Correlations page does: 2,000 resamples and 2,000 permutations each
// for Spearman and Kendall.
func BenchmarkCorrelateDemo(b *testing.B) {
	samples := demoSamples(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pulse.Correlate(pulse.CorrelationRequest{Samples: samples}); err != nil {
			b.Fatal(err)
		}
	}
}
