package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/rhythm-team/rhythm"
)

// Method is a rank correlation method.
type Method string

// The rank correlation methods.
const (
	Spearman Method = "spearman"
	Kendall  Method = "kendall"
)

// Ranks returns the 1-based ranks of x; tied values share the average of
// the ranks they span.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SpearmanRho returns Spearman's ρ: the Pearson correlation of the average
// ranks of x and y. It is NaN when x and y differ in length, hold fewer
// than 2 pairs, or either is constant.
func SpearmanRho(x, y []float64) float64 {
	if len(x) != len(y) || len(x) < 2 {
		return math.NaN()
	}
	rx, ry := Ranks(x), Ranks(y)
	if constant(rx) || constant(ry) {
		return math.NaN()
	}
	return stat.Correlation(rx, ry, nil)
}

// KendallTauB returns Kendall's τ-b, which corrects for ties in either
// variable (gonum's stat.Kendall is τ-a and counts ties as concordant,
// which survey scores, full of ties, cannot use). It is NaN in the same
// cases as SpearmanRho.
func KendallTauB(x, y []float64) float64 {
	n := len(x)
	if len(y) != n || n < 2 {
		return math.NaN()
	}
	var conc, disc, tx, ty float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			dx, dy := cmpFloat(x[i], x[j]), cmpFloat(y[i], y[j])
			switch {
			case dx == 0 && dy == 0:
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case dx == dy:
				conc++
			default:
				disc++
			}
		}
	}
	den := math.Sqrt((conc + disc + tx) * (conc + disc + ty))
	if den == 0 {
		return math.NaN()
	}
	return (conc - disc) / den
}

func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

func (m Method) coefficient(x, y []float64) float64 {
	if m == Kendall {
		return KendallTauB(x, y)
	}
	return SpearmanRho(x, y)
}

// MinPairs is the fewest pairs a correlation is computed from.
const MinPairs = 3

// Correlation is a rank correlation with its uncertainty.
type Correlation struct {
	Method Method `json:"method"`
	// N is the number of pairs; Clusters the number of independent groups
	// (e.g. teams) the bootstrap resampled.
	N        int `json:"n"`
	Clusters int `json:"clusters"`
	// R is the coefficient, in [-1, 1].
	R float64 `json:"r"`
	// CI is the percentile bootstrap interval of R.
	CI Interval `json:"ci"`
	// P is the two-sided permutation p-value of "no association".
	P float64 `json:"p"`
	// Resamples and Permutations are the counts that were used.
	Resamples    int `json:"resamples"`
	Permutations int `json:"permutations"`
}

// Pairs are paired observations. Cluster, when set, labels the group each
// pair belongs to (such as its team, when a team appears in several
// periods); Block labels the period of each pair. Pairs from one cluster
// are not independent, so the bootstrap resamples whole clusters, and the
// permutation test moves a cluster's y values as a whole onto another
// cluster with the same blocks (matched block by block): the persistence
// within a team and the shape of each period are kept, and only the
// pairing of teams is shuffled. Without clusters each pair is its own
// cluster, so pairs are shuffled within blocks.
type Pairs struct {
	X, Y    []float64
	Cluster []string
	Block   []string
}

// Correlate returns the rank correlation of p with a bootstrap interval
// and a permutation p-value. It fails with EINVALID when there are fewer
// than MinPairs pairs or either variable is constant.
func Correlate(p Pairs, m Method, o Options) (Correlation, error) {
	o = o.withDefaults()
	if m != Spearman && m != Kendall {
		return Correlation{}, rhythm.Errorf(rhythm.EINVALID, "method: %q is not spearman or kendall", m)
	}
	n := len(p.X)
	if len(p.Y) != n || (p.Cluster != nil && len(p.Cluster) != n) || (p.Block != nil && len(p.Block) != n) {
		return Correlation{}, rhythm.Errorf(rhythm.EINVALID, "pairs: x, y, cluster and block differ in length")
	}
	if n < MinPairs {
		return Correlation{}, rhythm.Errorf(rhythm.EINVALID, "n: %d pairs; a correlation needs at least %d", n, MinPairs)
	}
	for _, v := range slices.Concat(p.X, p.Y) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Correlation{}, rhythm.Errorf(rhythm.EINVALID, "pairs: values must be finite numbers")
		}
	}
	if constant(p.X) || constant(p.Y) {
		return Correlation{}, rhythm.Errorf(rhythm.EINVALID, "pairs: one variable has the same value for every pair; there is nothing to correlate")
	}
	r := m.coefficient(p.X, p.Y)
	rng := NewRand(o.Seed)

	// Bootstrap over clusters (each pair is its own cluster by default).
	// A resample is a multiset of the original pairs, so its coefficient
	// comes from tables made once (see resampler) rather than by copying,
	// sorting and comparing values each time; the draws are the same.
	// With few clusters the same draws come again and again (4 teams have
	// 256 orders of 4 draws), and their coefficient is remembered.
	clusters := groupIndex(p.Cluster, n)
	coefOf := newResampler(p, m, clusters)
	seen := newMemo(len(clusters))
	draws := make([]float64, 0, o.Resamples)
	idx := make([]int, 0, n)
	times := make([]int, len(clusters))
	picks := make([]int, len(clusters))
	for range o.Resamples {
		for k := range picks {
			picks[k] = rng.IntN(len(clusters))
		}
		v, ok := seen.get(picks)
		if !ok {
			idx = idx[:0]
			clear(times)
			for _, c := range picks {
				times[c]++
				idx = append(idx, clusters[c]...)
			}
			v = coefOf(idx, times)
			seen.put(picks, v)
		}
		if !math.IsNaN(v) {
			draws = append(draws, v)
		}
	}
	ci := undefined(o.Level)
	// An interval from few usable resamples would be false precision.
	if len(draws) >= o.Resamples/2 {
		ci = percentile(draws, 1-o.Level, o.Level)
	}

	extreme := permutationTest(p, m, r, clusters, rng, o.Permutations)
	return Correlation{
		Method: m, N: n, Clusters: len(clusters), R: r, CI: ci,
		P:         float64(extreme+1) / float64(o.Permutations+1),
		Resamples: o.Resamples, Permutations: o.Permutations,
	}, nil
}

// permutationTest counts the permutations, of the given number, whose
// coefficient is at least as far from zero as r.
func permutationTest(p Pairs, m Method, r float64, clusters [][]int, rng *rand.Rand, permutations int) int {
	// Permutation test: exchange whole clusters with the same blocks.
	// from[i] is the pair whose y goes with pair i's x; source[c] is the
	// place, in its group, of the cluster whose ys go to the c-th cluster
	// (counting the clusters of every group in turn).
	n := len(p.X)
	groups := exchangeable(clusters, p.Block)
	permuted := newPermuter(p, m, groups, permutations)
	from := make([]int, n)
	source := make([]int, len(clusters))
	order := make([]int, 0, n)
	seen := newMemo(len(clusters)) // few clusters have few arrangements
	extreme := 0
	for range permutations {
		c := 0
		for _, g := range groups {
			// rng.Perm(len(g)), without a new slice each time.
			order = order[:len(g)]
			for k := range order {
				order[k] = k
			}
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			c += copy(source[c:], order)
		}
		v, ok := seen.get(source)
		if !ok {
			c := 0
			for _, g := range groups {
				for k := range g {
					for j, i := range g[k] {
						from[i] = g[source[c]][j]
					}
					c++
				}
			}
			v = permuted(from, source)
			seen.put(source, v)
		}
		if !math.IsNaN(v) && math.Abs(v) >= math.Abs(r)-1e-12 {
			extreme++
		}
	}
	return extreme
}

// exchangeable groups clusters that may trade y values: those whose pairs
// fall in the same blocks. Each cluster's indexes come sorted by block, so
// that position j of one cluster matches position j of another.
func exchangeable(clusters [][]int, block []string) [][][]int {
	label := func(i int) string {
		if block == nil {
			return ""
		}
		return block[i]
	}
	bySig := map[string]int{}
	var out [][][]int
	for _, c := range clusters {
		c = slices.Clone(c)
		slices.SortStableFunc(c, func(a, b int) int { return strings.Compare(label(a), label(b)) })
		var sig strings.Builder
		for _, i := range c {
			sig.WriteString(label(i))
			sig.WriteByte(0)
		}
		k, ok := bySig[sig.String()]
		if !ok {
			k = len(out)
			bySig[sig.String()] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], c)
	}
	return out
}

// Arrangements returns how many distinct ways the permutation test can
// pair the clusters of p (capped at 1e9): the p-value cannot go below one
// over this number.
func Arrangements(p Pairs) float64 {
	groups := exchangeable(groupIndex(p.Cluster, len(p.X)), p.Block)
	n := 1.0
	for _, g := range groups {
		for k := 2; k <= len(g); k++ {
			n *= float64(k)
			if n > 1e9 {
				return 1e9
			}
		}
	}
	return n
}

// groupIndex returns the indexes of each distinct label, in order of first
// appearance; nil labels make each index its own group.
func groupIndex(labels []string, n int) [][]int {
	if labels == nil {
		out := make([][]int, n)
		for i := range out {
			out[i] = []int{i}
		}
		return out
	}
	pos := map[string]int{}
	var out [][]int
	for i, l := range labels {
		k, ok := pos[l]
		if !ok {
			k = len(out)
			pos[l] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}

// String describes the correlation in one line.
func (c Correlation) String() string {
	return fmt.Sprintf("%s %.2f (%.0f%% CI %s), p = %s, n = %d", c.Method, c.R, c.CI.Level*100, c.CI.Format("%.2f"), FormatP(c.P), c.N)
}

// Format writes the interval as "[lo, hi]" with the given verb, or "n/a".
func (iv Interval) Format(verb string) string {
	if !iv.Defined() {
		return "n/a"
	}
	return fmt.Sprintf("["+verb+", "+verb+"]", iv.Lo, iv.Hi)
}

// FormatP writes a p-value with two significant digits, "< 0.001" below that.
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "n/a"
	case p < 0.001:
		return "< 0.001"
	case p < 0.01:
		return fmt.Sprintf("%.3f", p)
	}
	return fmt.Sprintf("%.2f", p)
}
