package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// A resample of Correlate's bootstrap is a multiset of the original pairs:
// idx lists them in the order drawn and times[c] says how often cluster c
// was drawn. The tables below are made once per Correlate, so a resample
// costs no sorting, no comparing of values and no allocation, and gives
// exactly the number SpearmanRho or KendallTauB gives for the copied values.

// newResampler returns the coefficient of m for a resample.
func newResampler(p Pairs, m Method, clusters [][]int) func(idx, times []int) float64 {
	if m == Kendall {
		cc := newClusterCounts(p, clusters)
		return func(_, times []int) float64 { return cc.tauB(times) }
	}
	tx, ty := newRankTable(p.X), newRankTable(p.Y)
	var rx, ry []float64
	return func(idx, _ []int) float64 {
		if len(idx) < 2 {
			return math.NaN()
		}
		if cap(rx) < len(idx) {
			rx, ry = make([]float64, len(idx)), make([]float64, len(idx))
		}
		rx, ry = rx[:len(idx)], ry[:len(idx)]
		if tx.ranks(idx, rx) || ty.ranks(idx, ry) {
			return math.NaN()
		}
		return stat.Correlation(rx, ry, nil)
	}
}

// rankTable ranks any multiset of x's values without sorting: id[i] is the
// place of x[i] among the distinct values of x, smallest first.
type rankTable struct {
	id    []int
	count []int     // how often each distinct value is in the multiset
	avg   []float64 // the average rank of each distinct value
}

func newRankTable(x []float64) *rankTable {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpFloat(x[a], x[b]) })
	id := make([]int, len(x))
	d := -1
	for k, i := range order {
		if k == 0 || x[i] != x[order[k-1]] {
			d++
		}
		id[i] = d
	}
	return &rankTable{id: id, count: make([]int, d+1), avg: make([]float64, d+1)}
}

// ranks writes to out[k] the rank of x[idx[k]] among the values
// x[idx[0]], x[idx[1]], …, as Ranks of those values would, and reports
// whether they are all equal.
func (t *rankTable) ranks(idx []int, out []float64) (constant bool) {
	clear(t.count)
	for _, i := range idx {
		t.count[t.id[i]]++
	}
	at, distinct := 0, 0
	for v, c := range t.count {
		if c == 0 {
			continue
		}
		distinct++
		// Ties span ranks at+1 … at+c and share their average, written
		// as Ranks writes it so that the floating-point result is the same.
		first, last := at, at+c-1
		t.avg[v] = float64(first+last)/2 + 1
		at += c
	}
	for k, i := range idx {
		out[k] = t.avg[t.id[i]]
	}
	return distinct < 2
}

// pairCounts are Kendall's counts over pairs of observations: concordant,
// discordant, tied in x only, tied in y only.
type pairCounts struct{ conc, disc, tx, ty int }

func (c *pairCounts) add(dx, dy int) {
	switch {
	case dx == 0 && dy == 0:
	case dx == 0:
		c.tx++
	case dy == 0:
		c.ty++
	case dx == dy:
		c.conc++
	default:
		c.disc++
	}
}

// tau returns τ-b from the counts, as KendallTauB computes it (the counts
// are whole numbers, exact in a float64).
func (c pairCounts) tau() float64 {
	den := math.Sqrt(float64(c.conc+c.disc+c.tx) * float64(c.conc+c.disc+c.ty))
	if den == 0 {
		return math.NaN()
	}
	return float64(c.conc-c.disc) / den
}

// clusterCounts hold Kendall's counts between the pairs of every two
// clusters, and within each. A resample that draws cluster a t[a] times
// has, between copies of a and b, t[a]·t[b] times the counts of a and b,
// and t[a]² times a's own counts among its copies (a pair with itself is
// tied in both, which counts for nothing). So τ-b of a resample takes
// clusters² steps instead of n².
type clusterCounts struct {
	k   int
	tab []pairCounts // tab[a*k+b], a ≤ b
}

func newClusterCounts(p Pairs, clusters [][]int) *clusterCounts {
	k := len(clusters)
	cc := &clusterCounts{k: k, tab: make([]pairCounts, k*k)}
	for a, ca := range clusters {
		for b := a; b < k; b++ {
			c := &cc.tab[a*k+b]
			for u, i := range ca {
				cb := clusters[b]
				if a == b {
					cb = ca[u+1:]
				}
				for _, j := range cb {
					c.add(cmpFloat(p.X[i], p.X[j]), cmpFloat(p.Y[i], p.Y[j]))
				}
			}
		}
	}
	return cc
}

// tauB returns τ-b of the resample that draws cluster a times[a] times.
func (cc *clusterCounts) tauB(times []int) float64 {
	var sum pairCounts
	for a, ta := range times {
		if ta == 0 {
			continue
		}
		for b := a; b < cc.k; b++ {
			w := ta * times[b]
			if w == 0 {
				continue
			}
			c := cc.tab[a*cc.k+b]
			sum.conc += w * c.conc
			sum.disc += w * c.disc
			sum.tx += w * c.tx
			sum.ty += w * c.ty
		}
	}
	return sum.tau()
}

// newPermuter returns the coefficient of m for the data with pair i's x
// matched with pair from[i]'s y, after the permutation of groups that
// gives the c-th cluster the ys of the source[c]-th of its group.
func newPermuter(p Pairs, m Method, groups [][][]int, permutations int) func(from, source []int) float64 {
	n := len(p.X)
	if m == Kendall {
		if cp := newClusterPerm(p, groups, permutations*n*n/4); cp != nil {
			return func(_, source []int) float64 { return cp.tauB(source) }
		}
		// The order of every two xs and of every two ys, made once.
		sx, sy := make([]int8, n*n), make([]int8, n*n)
		for i := range n {
			for j := range n {
				sx[i*n+j] = int8(cmpFloat(p.X[i], p.X[j]))
				sy[i*n+j] = int8(cmpFloat(p.Y[i], p.Y[j]))
			}
		}
		return func(from, _ []int) float64 {
			var c pairCounts
			for i := range n {
				row, yrow := sx[i*n:i*n+n], sy[from[i]*n:from[i]*n+n]
				for j := i + 1; j < n; j++ {
					c.add(int(row[j]), int(yrow[from[j]]))
				}
			}
			if n < 2 {
				return math.NaN()
			}
			return c.tau()
		}
	}
	// Spearman's ρ of permuted y is Pearson's r of the permuted ranks, so
	// ranks are computed once.
	rx, ry := Ranks(p.X), Ranks(p.Y)
	py := make([]float64, n)
	return func(from, _ []int) float64 {
		for i, f := range from {
			py[i] = ry[f]
		}
		return stat.Correlation(rx, py, nil)
	}
}

// clusterPerm holds Kendall's counts of the permutation test by cluster:
// the pairs within cluster c when it has the ys of the s-th cluster of its
// group, and the pairs between clusters c < d when they have the ys of the
// s-th and t-th of theirs. A permutation's τ-b is then a sum over pairs of
// clusters instead of pairs of observations.
type clusterPerm struct {
	k       int
	within  [][]pairCounts // [c][s]
	between [][]pairCounts // [c*k+d][s*groupSize(d)+t]
}

// newClusterPerm makes the tables, or returns nil when making them would
// take more than budget comparisons (many small clusters).
func newClusterPerm(p Pairs, groups [][][]int, budget int) *clusterPerm {
	var mem [][]int     // every cluster, group by group
	var peers [][][]int // the clusters of each one's group
	for _, g := range groups {
		for _, c := range g {
			mem = append(mem, c)
			peers = append(peers, g)
		}
	}
	k := len(mem)
	cost := 0
	for c := range k {
		for d := c; d < k; d++ {
			cost += len(peers[c]) * len(peers[d]) * len(mem[c]) * len(mem[d])
			if cost > budget {
				return nil
			}
		}
	}
	cp := &clusterPerm{k: k, within: make([][]pairCounts, k), between: make([][]pairCounts, k*k)}
	for c, xs := range mem {
		cp.within[c] = make([]pairCounts, len(peers[c]))
		for s, ys := range peers[c] {
			w := &cp.within[c][s]
			for u := range xs {
				for v := u + 1; v < len(xs); v++ {
					w.add(cmpFloat(p.X[xs[u]], p.X[xs[v]]), cmpFloat(p.Y[ys[u]], p.Y[ys[v]]))
				}
			}
		}
		for d := c + 1; d < k; d++ {
			xd := mem[d]
			tab := make([]pairCounts, len(peers[c])*len(peers[d]))
			for s, yc := range peers[c] {
				for t, yd := range peers[d] {
					b := &tab[s*len(peers[d])+t]
					for u, i := range xs {
						for v, j := range xd {
							b.add(cmpFloat(p.X[i], p.X[j]), cmpFloat(p.Y[yc[u]], p.Y[yd[v]]))
						}
					}
				}
			}
			cp.between[c*k+d] = tab
		}
	}
	return cp
}

// tauB returns τ-b of the permutation that gives cluster c the ys of the
// source[c]-th cluster of its group.
func (cp *clusterPerm) tauB(source []int) float64 {
	var sum pairCounts
	plus := func(c pairCounts) {
		sum.conc += c.conc
		sum.disc += c.disc
		sum.tx += c.tx
		sum.ty += c.ty
	}
	for c := range cp.k {
		plus(cp.within[c][source[c]])
		for d := c + 1; d < cp.k; d++ {
			tab := cp.between[c*cp.k+d]
			plus(tab[source[c]*(len(tab)/len(cp.within[c]))+source[d]])
		}
	}
	return sum.tau()
}

// memoSize is the most codes a memo keeps: k^k for k up to 5 clusters.
const memoSize = 1 << 12

// memo remembers a coefficient by a sequence of k numbers below k (the
// clusters a resample draws, or the sources a permutation gives each
// cluster): the same sequence gives the same value, to the bit, so it is
// computed once. It is off (nil) when k^k is too many to keep.
type memo struct {
	k   int
	v   []float64
	set []bool
}

func newMemo(k int) *memo {
	size := 1
	for range k {
		if size *= k; size > memoSize {
			return nil
		}
	}
	return &memo{k: k, v: make([]float64, size), set: make([]bool, size)}
}

func (m *memo) code(seq []int) int {
	c := 0
	for _, x := range seq {
		c = c*m.k + x
	}
	return c
}

func (m *memo) get(seq []int) (float64, bool) {
	if m == nil {
		return 0, false
	}
	c := m.code(seq)
	return m.v[c], m.set[c]
}

func (m *memo) put(seq []int, v float64) {
	if m != nil {
		c := m.code(seq)
		m.v[c], m.set[c] = v, true
	}
}
