package stats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rhythm-team/rhythm"
)

// readPairs reads a two-column CSV fixture, skipping # comments and the header.
func readPairs(t *testing.T, path string) (x, y []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "x,y" {
			continue
		}
		a, b, _ := strings.Cut(line, ",")
		xv, err1 := strconv.ParseFloat(a, 64)
		yv, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad line %q", path, line)
		}
		x, y = append(x, xv), append(y, yv)
	}
	return x, y
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestRankCorrelationsAgreeWithHandComputedFixture(t *testing.T) {
	x, y := readPairs(t, "testdata/spearman-fixture.csv")
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"ranks of x with ties", Ranks(x)[1], 3.5},
		{"spearman with ties", SpearmanRho(x, y), 14.75 / 17},
		{"kendall tau-b with ties", KendallTauB(x, y), 11.0 / 14},
		// Without ties ρ = 1 - 6Σd²/(n(n²-1)): d = -1, 1, -1, 1, 0 → 1 - 24/120.
		{"spearman without ties", SpearmanRho([]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}), 0.8},
		{"spearman is rank-based", SpearmanRho([]float64{1, 2, 3, 4}, []float64{1, 10, 100, 1000}), 1},
		{"kendall reversed", KendallTauB([]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !near(tt.got, tt.want, 1e-12) {
				t.Errorf("got %.10f, want %.10f", tt.got, tt.want)
			}
		})
	}
}

func TestRankCorrelationUndefined(t *testing.T) {
	for name, xy := range map[string][2][]float64{
		"constant x":      {{1, 1, 1}, {1, 2, 3}},
		"one pair":        {{1}, {2}},
		"length mismatch": {{1, 2, 3}, {1, 2}},
	} {
		t.Run(name, func(t *testing.T) {
			if v := SpearmanRho(xy[0], xy[1]); !math.IsNaN(v) {
				t.Errorf("SpearmanRho = %v, want NaN", v)
			}
			if v := KendallTauB(xy[0], xy[1]); !math.IsNaN(v) {
				t.Errorf("KendallTauB = %v, want NaN", v)
			}
		})
	}
}

func TestCorrelateRejectsBadInput(t *testing.T) {
	tests := []struct {
		name  string
		pairs Pairs
		m     Method
		field string
	}{
		{"too few pairs", Pairs{X: []float64{1, 2}, Y: []float64{2, 1}}, Spearman, "n:"},
		{"constant variable", Pairs{X: []float64{1, 2, 3}, Y: []float64{5, 5, 5}}, Spearman, "pairs:"},
		{"NaN", Pairs{X: []float64{1, 2, math.NaN()}, Y: []float64{1, 2, 3}}, Kendall, "pairs:"},
		{"unknown method", Pairs{X: []float64{1, 2, 3}, Y: []float64{1, 2, 3}}, "pearson", "method:"},
		{"cluster length", Pairs{X: []float64{1, 2, 3}, Y: []float64{1, 2, 3}, Cluster: []string{"a"}}, Spearman, "pairs:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Correlate(tt.pairs, tt.m, Options{Resamples: 50, Permutations: 50})
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.field) {
				t.Errorf("err = %v, want invalid starting %q", err, tt.field)
			}
		})
	}
}

func TestCorrelateIsSeededAndSane(t *testing.T) {
	x, y := readPairs(t, "testdata/spearman-fixture.csv")
	o := Options{Resamples: 800, Permutations: 800, Seed: 7}
	a, err := Correlate(Pairs{X: x, Y: y}, Spearman, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Correlate(Pairs{X: x, Y: y}, Spearman, o)
	if diff := cmp.Diff(a, b, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("same seed, different result:\n%s", diff)
	}
	if !near(a.R, 14.75/17, 1e-12) || a.N != 6 || a.Clusters != 6 {
		t.Errorf("got r=%v n=%d clusters=%d", a.R, a.N, a.Clusters)
	}
	if !a.CI.Defined() || a.CI.Lo > a.R || a.CI.Hi < a.R || a.CI.Hi > 1 || a.CI.Lo < -1 {
		t.Errorf("interval %v does not bracket r = %v within [-1, 1]", a.CI, a.R)
	}
	// Exact permutation p for ρ ≥ 0.8676 with n = 6 is about 0.03 two-sided.
	if a.P < 0.01 || a.P > 0.1 {
		t.Errorf("p = %v, want about 0.03", a.P)
	}
	clustered, _ := Correlate(Pairs{X: x, Y: y, Cluster: []string{"a", "a", "b", "b", "c", "c"}}, Spearman, o)
	if clustered.Clusters != 3 {
		t.Errorf("clusters = %d, want 3", clustered.Clusters)
	}
}

// With no association, the permutation test and the bootstrap interval
// each call "significant" about 5% of datasets; the test allows up to 8%.
func TestCorrelationFalsePositiveRate(t *testing.T) {
	const datasets, n = 200, 20
	rng := NewRand(2026)
	permHits, ciHits := 0, 0
	for d := range datasets {
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = rng.NormFloat64(), math.Round(rng.NormFloat64()*2) // ties in y
		}
		c, err := Correlate(Pairs{X: x, Y: y}, Spearman, Options{Resamples: 500, Permutations: 500, Seed: uint64(d)})
		if err != nil {
			t.Fatal(err)
		}
		if c.P < 0.05 {
			permHits++
		}
		if c.CI.ExcludesZero() {
			ciHits++
		}
	}
	t.Logf("null datasets called significant: permutation %d/%d, bootstrap interval %d/%d", permHits, datasets, ciHits, datasets)
	if permHits > datasets*8/100 {
		t.Errorf("permutation test: %d of %d null datasets significant, want ≤ 8%%", permHits, datasets)
	}
	if ciHits > datasets*10/100 {
		t.Errorf("bootstrap interval: %d of %d null datasets exclude 0, want ≤ 10%%", ciHits, datasets)
	}
}

// With teams that keep their level from quarter to quarter, the pairs are
// not independent. Resampling and permuting whole teams keeps "significant"
// results near 5% where treating team-quarters as independent would not.
func TestClusteredCorrelationFalsePositiveRate(t *testing.T) {
	const datasets, teams, quarters = 200, 10, 4
	rng := NewRand(77)
	permHits, ciHits, naive := 0, 0, 0
	for d := range datasets {
		var p Pairs
		for tm := range teams {
			xLevel, yLevel := 2*rng.NormFloat64(), 2*rng.NormFloat64()
			for q := range quarters {
				p.X = append(p.X, xLevel+0.5*rng.NormFloat64())
				p.Y = append(p.Y, yLevel+0.5*rng.NormFloat64())
				p.Cluster = append(p.Cluster, fmt.Sprint("team", tm))
				p.Block = append(p.Block, fmt.Sprint("Q", q))
			}
		}
		o := Options{Resamples: 400, Permutations: 400, Seed: uint64(d)}
		c, err := Correlate(p, Spearman, o)
		if err != nil {
			t.Fatal(err)
		}
		if c.P < 0.05 {
			permHits++
		}
		if c.CI.ExcludesZero() {
			ciHits++
		}
		flat, _ := Correlate(Pairs{X: p.X, Y: p.Y}, Spearman, o)
		if flat.P < 0.05 {
			naive++
		}
	}
	t.Logf("null clustered datasets called significant: team permutation %d/%d, team bootstrap %d/%d; treating pairs as independent %d/%d",
		permHits, datasets, ciHits, datasets, naive, datasets)
	if permHits > datasets*8/100 {
		t.Errorf("team permutation: %d of %d null datasets significant, want ≤ 8%%", permHits, datasets)
	}
	if ciHits > datasets*10/100 {
		t.Errorf("team bootstrap: %d of %d null datasets exclude 0, want ≤ 10%%", ciHits, datasets)
	}
	if naive <= permHits {
		t.Errorf("the independent-pairs test (%d) should be fooled more often than the team test (%d)", naive, permHits)
	}
}

func TestArrangements(t *testing.T) {
	p := Pairs{X: make([]float64, 6), Y: make([]float64, 6),
		Cluster: []string{"a", "a", "b", "b", "c", "d"}, Block: []string{"1", "2", "1", "2", "1", "1"}}
	// a and b share quarters 1 and 2; c and d share quarter 1: 2!·2! = 4.
	if got := Arrangements(p); got != 4 {
		t.Errorf("Arrangements = %v, want 4", got)
	}
}

func TestMannWhitney(t *testing.T) {
	tests := []struct {
		name             string
		control, treated []float64
		want             MannWhitneyResult
	}{
		// 3 vs 3, complete separation: 2 of C(6,3)=20 orderings are as extreme.
		{"exact 3v3 separated", []float64{1, 2, 3}, []float64{4, 5, 6}, MannWhitneyResult{U: 9, P: 0.1, Exact: true}},
		// 4 vs 4 separated: 2/70.
		{"exact 4v4 separated", []float64{4, 3, 2, 1}, []float64{8, 7, 6, 5}, MannWhitneyResult{U: 16, P: 2.0 / 70, Exact: true}},
		{"exact interleaved", []float64{1, 3, 5}, []float64{2, 4, 6}, MannWhitneyResult{U: 6, P: 0.7, Exact: true}},
		// Ties: σ² = 9/12·(7 - 18/30) = 4.8, z = (4 - 0.5)/√4.8 = 1.5975.
		{"ties use the normal approximation", []float64{1, 1, 2}, []float64{2, 3, 3}, MannWhitneyResult{U: 8.5, P: 0.1101, Exact: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MannWhitney(tt.control, tt.treated)
			if err != nil {
				t.Fatal(err)
			}
			if got.U != tt.want.U || got.Exact != tt.want.Exact || !near(got.P, tt.want.P, 1e-3) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := MannWhitney(nil, []float64{1}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("empty group: err = %v, want invalid", err)
	}
}

func TestExactMannWhitneyMatchesNormalForModerateSamples(t *testing.T) {
	exact := exactMannWhitneyP(20, 20, 130) // z ≈ -2.0
	mu, sigma := 200.0, math.Sqrt(20*20*41/12.0)
	approx := 2 * stdNormal.CDF((130+0.5-mu)/sigma)
	if !near(exact, approx, 0.005) {
		t.Errorf("exact %v vs normal %v", exact, approx)
	}
}

func TestENPS(t *testing.T) {
	tests := []struct {
		name   string
		scores []int
		want   NetPromoter
	}{
		{"mixed", []int{10, 9, 8, 7, 6, 0, 9, 10, 3, 8}, NetPromoter{N: 10, Promoters: 4, Passives: 3, Detractors: 3, Score: 10}},
		{"all promoters", []int{9, 10, 9, 10, 9}, NetPromoter{N: 5, Promoters: 5, Score: 100}},
		{"boundaries 6 and 7 and 8 and 9", []int{6, 7, 8, 9}, NetPromoter{N: 4, Promoters: 1, Passives: 2, Detractors: 1, Score: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ENPS(tt.scores, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(NetPromoter{}, "CI")); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if !got.CI.Defined() || got.CI.Lo < -100 || got.CI.Hi > 100 || got.CI.Hi-got.CI.Lo < 10 {
				t.Errorf("interval %+v: want a real interval within [-100, 100]", got.CI)
			}
		})
	}
	for _, bad := range []int{11, -1} {
		_, err := ENPS([]int{9, bad}, 0.95)
		if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), "enps: answer 2") {
			t.Errorf("ENPS with %d: err = %v, want invalid naming enps", bad, err)
		}
	}
}

// The eNPS interval covers the true eNPS in close to 95% of simulated
// teams, even small ones with lopsided answers.
func TestENPSIntervalCoverage(t *testing.T) {
	rng := NewRand(11)
	for _, c := range []struct{ p, d float64 }{{0.4, 0.2}, {0.8, 0.05}, {0.2, 0.5}} {
		for _, n := range []int{5, 8, 15, 30} {
			const reps = 2000
			cover := 0
			truth := 100 * (c.p - c.d)
			for range reps {
				scores := make([]int, n)
				for i := range scores {
					switch u := rng.Float64(); {
					case u < c.p:
						scores[i] = 9 + rng.IntN(2)
					case u < c.p+c.d:
						scores[i] = rng.IntN(7)
					default:
						scores[i] = 7 + rng.IntN(2)
					}
				}
				r, _ := ENPS(scores, 0.95)
				if r.CI.Contains(truth) {
					cover++
				}
			}
			rate := float64(cover) / reps
			if rate < 0.90 || rate > 0.995 {
				t.Errorf("P=%.2f D=%.2f n=%d: coverage %.3f, want 0.90–0.995", c.p, c.d, n, rate)
			}
		}
	}
}

func TestBootstrapDiff(t *testing.T) {
	d, err := BootstrapDiff([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6}, Options{Resamples: 1000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d.Estimate != 2 || !d.CI.Contains(2) || d.NControl != 4 {
		t.Errorf("got %+v", d)
	}
	_, err = BootstrapDiff([]float64{1}, []float64{3, 4}, Options{})
	if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), "control:") {
		t.Errorf("one control value: err = %v, want invalid naming control", err)
	}
}

func TestHolm(t *testing.T) {
	got := Holm([]float64{0.01, 0.04, 0.03})
	want := []float64{0.03, 0.06, 0.06}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Holm:\n%s", diff)
	}
}

func TestMDE(t *testing.T) {
	// (t₀.₉₇₅,₁₈ + t₀.₈,₁₈)·√(1/10 + 1/10) = (2.1009 + 0.8620)·0.4472
	if got := MDE(10, 10, 0.05, 0.8); !near(got, 1.325, 0.002) {
		t.Errorf("MDE(10, 10) = %v, want 1.325", got)
	}
	if got := MDE(1, 10, 0.05, 0.8); !math.IsInf(got, 1) {
		t.Errorf("MDE(1, 10) = %v, want +Inf", got)
	}
}

func TestIntervalJSON(t *testing.T) {
	b, err := json.Marshal(Interval{Lo: math.NaN(), Hi: 2, Level: 0.95})
	if err != nil || string(b) != `{"lo":null,"hi":2,"level":0.95}` {
		t.Errorf("got %s, %v", b, err)
	}
	var iv Interval
	if err := json.Unmarshal(b, &iv); err != nil || !math.IsNaN(iv.Lo) || iv.Hi != 2 {
		t.Errorf("round trip: %+v, %v", iv, err)
	}
}
