package stats

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/stat"
)

// correlateReference is Correlate as first written: every resample copies
// its values, ranks them by sorting and counts Kendall's pairs by
// comparing values. Correlate must give the same numbers, to the bit.
func correlateReference(p Pairs, m Method, o Options) Correlation {
	o = o.withDefaults()
	n := len(p.X)
	r := m.coefficient(p.X, p.Y)
	rng := NewRand(o.Seed)
	clusters := groupIndex(p.Cluster, n)
	draws := make([]float64, 0, o.Resamples)
	bx, by := make([]float64, 0, n), make([]float64, 0, n)
	for range o.Resamples {
		bx, by = bx[:0], by[:0]
		for range clusters {
			for _, i := range clusters[rng.IntN(len(clusters))] {
				bx = append(bx, p.X[i])
				by = append(by, p.Y[i])
			}
		}
		if v := m.coefficient(bx, by); !math.IsNaN(v) {
			draws = append(draws, v)
		}
	}
	ci := undefined(o.Level)
	if len(draws) >= o.Resamples/2 {
		ci = percentile(draws, 1-o.Level, o.Level)
	}
	groups := exchangeable(clusters, p.Block)
	px, y := p.X, p.Y
	coef := m.coefficient
	if m == Spearman {
		px, y = Ranks(p.X), Ranks(p.Y)
		coef = func(a, b []float64) float64 { return stat.Correlation(a, b, nil) }
	}
	py := slices.Clone(y)
	extreme := 0
	for range o.Permutations {
		for _, g := range groups {
			order := rng.Perm(len(g))
			for k, src := range order {
				for j, i := range g[k] {
					py[i] = y[g[src][j]]
				}
			}
		}
		v := coef(px, py)
		if !math.IsNaN(v) && math.Abs(v) >= math.Abs(r)-1e-12 {
			extreme++
		}
	}
	return Correlation{
		Method: m, N: n, Clusters: len(clusters), R: r, CI: ci,
		P:         float64(extreme+1) / float64(o.Permutations+1),
		Resamples: o.Resamples, Permutations: o.Permutations,
	}
}

// TestCorrelateMatchesReference compares Correlate with the reference
// over many data sets: with and without clusters (of equal and unequal
// sizes) and blocks, with many ties and none, both methods, several
// seeds. Every number must be identical, not merely close.
func TestCorrelateMatchesReference(t *testing.T) {
	for d := range 60 {
		rng := NewRand(uint64(1000 + d))
		n := 3 + rng.IntN(22)
		p := Pairs{X: make([]float64, n), Y: make([]float64, n)}
		levels := []int{2, 3, 5, 1000}[d%4] // ties: few distinct values, or almost none
		for i := range n {
			p.X[i] = float64(rng.IntN(levels))
			p.Y[i] = float64(rng.IntN(levels)) + 0.5*p.X[i]
		}
		switch d % 3 {
		case 1: // teams over quarters: equal clusters, blocks
			teams := 2 + rng.IntN(5)
			p.Cluster, p.Block = make([]string, n), make([]string, n)
			for i := range n {
				p.Cluster[i] = fmt.Sprint("team", i%teams)
				p.Block[i] = fmt.Sprint("q", i/teams)
			}
		case 2: // unequal clusters, no blocks
			p.Cluster = make([]string, n)
			for i := range n {
				p.Cluster[i] = fmt.Sprint("c", rng.IntN(4))
			}
		}
		if constant(p.X) || constant(p.Y) {
			continue
		}
		for _, m := range []Method{Spearman, Kendall} {
			o := Options{Resamples: 300, Permutations: 300, Seed: uint64(d)}
			t.Run(fmt.Sprintf("%d/n=%d/%s", d, n, m), func(t *testing.T) {
				got, err := Correlate(p, m, o)
				if err != nil {
					t.Fatal(err)
				}
				want := correlateReference(p, m, o)
				if diff := cmp.Diff(want, got, cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("Correlate differs from the reference (-want +got):\n%s", diff)
				}
			})
		}
	}
}
