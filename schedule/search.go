package schedule

import (
	"cmp"
	"math"
	"slices"
)

// searcher chooses the rotation of a series.
type searcher struct {
	acc     [][]float64 // acc[r][g*C+c]: group g's points at candidate c over weeks ≡ r (mod mod)
	C, G    int
	mod     int
	n       int
	weights []float64 // members per group
	ts0     []int64   // first instance of each candidate, for ties
}

// Pool and search sizes: the multiset enumeration costs about
// budget operations at most.
const (
	maxPool = 160
	budget  = 4_000_000
	keep    = 48 // cycles kept from the approximate pass for exact scoring
)

// score orders rotations: largest member burden, then Gini, then total.
type score struct {
	max, gini, total float64
}

func (a score) cmp(b score) int {
	return cmp.Or(cmpFloat(a.max, b.max), cmpFloat(a.gini, b.gini), cmpFloat(a.total, b.total))
}

// search returns the chosen cycle of candidate indices.
func (s *searcher) search(live []int, outside []int64, lmax int, e *engine) []int {
	// A slot inside everyone's hours in every week needs no rotation.
	best := -1
	for _, c := range live {
		if outside[c] == 0 && (best < 0 || s.ts0[c] < s.ts0[best]) {
			best = c
		}
	}
	if best >= 0 {
		return []int{best}
	}
	// all[c][g]: group g's points if every instance were at candidate c.
	all := make([][]float64, s.C)
	for _, c := range live {
		v := make([]float64, s.G)
		for r := range s.mod {
			row := s.acc[r]
			for g := range s.G {
				v[g] += row[g*s.C+c]
			}
		}
		all[c] = v
	}
	pool := s.pool(live, all, lmax, e)
	cycles := s.approximate(pool, all, lmax)
	var bestCycle []int
	var bestScore score
	x := make([]float64, s.G)
	for _, ms := range cycles {
		for _, cyc := range permutations(ms) {
			sc := s.exact(cyc, x)
			if bestCycle == nil || better(sc, cyc, bestScore, bestCycle, s.ts0) {
				bestCycle, bestScore = slices.Clone(cyc), sc
			}
		}
	}
	return bestCycle
}

// better reports whether cycle a with score sa beats cycle b with score sb:
// lower score, then fewer distinct slots, then earlier slots.
func better(sa score, a []int, sb score, b []int, ts0 []int64) bool {
	if c := sa.cmp(sb); c != 0 {
		return c < 0
	}
	if da, db := distinct(a), distinct(b); da != db {
		return da < db
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	for i := range a {
		if ts0[a[i]] != ts0[b[i]] {
			return ts0[a[i]] < ts0[b[i]]
		}
	}
	return false
}

func distinct(a []int) int {
	n := 0
	for i, x := range a {
		if !slices.Contains(a[:i], x) {
			n++
		}
	}
	return n
}

// exact scores a cycle from the per-residue sums; x is scratch of size G.
func (s *searcher) exact(cyc []int, x []float64) score {
	L := len(cyc)
	clear(x)
	for r := range s.mod {
		c := cyc[r%L]
		row := s.acc[r]
		for g := range s.G {
			x[g] += row[g*s.C+c]
		}
	}
	var sc score
	for g, v := range x {
		sc.max = math.Max(sc.max, v)
		sc.total += s.weights[g] * v
	}
	sc.gini = Gini(x, s.weights)
	return sc
}

// pool picks the candidates worth combining: the best single slots by
// largest burden and by total, and for each zone (and, in small teams, each
// group) the slot that is best for everyone else.
func (s *searcher) pool(live []int, all [][]float64, lmax int, e *engine) []int {
	size := 1
	for size < min(len(live), maxPool) && multisets(size+1, lmax)*s.G <= budget {
		size++
	}
	type agg struct {
		c          int
		max, total float64
	}
	aggs := make([]agg, 0, len(live))
	for _, c := range live {
		a := agg{c: c}
		for g, v := range all[c] {
			a.max = math.Max(a.max, v)
			a.total += s.weights[g] * v
		}
		aggs = append(aggs, a)
	}
	chosen := map[int]bool{}
	var pool []int
	add := func(c int) {
		if !chosen[c] && len(pool) < size {
			chosen[c] = true
			pool = append(pool, c)
		}
	}
	// Best for everyone but one zone or group.
	var clusters [][]int // group indices per cluster
	zoneOf := map[int]int{}
	for g, gr := range e.groups {
		k, ok := zoneOf[gr.zone]
		if !ok {
			k = len(clusters)
			zoneOf[gr.zone] = k
			clusters = append(clusters, nil)
		}
		clusters[k] = append(clusters[k], g)
	}
	if s.G <= 32 && s.G > len(clusters) {
		for g := range s.G {
			clusters = append(clusters, []int{g})
		}
	}
	if len(clusters) > 1 {
		in := make([]bool, s.G)
		for _, cl := range clusters {
			for _, g := range cl {
				in[g] = true
			}
			bestC, bestOther, bestOwn := -1, 0.0, 0.0
			for _, c := range live {
				var other, own float64
				for g, v := range all[c] {
					if in[g] {
						own += s.weights[g] * v
					} else {
						other = math.Max(other, v)
					}
				}
				if bestC < 0 || cmp.Or(cmpFloat(other, bestOther), cmpFloat(own, bestOwn)) < 0 {
					bestC, bestOther, bestOwn = c, other, own
				}
			}
			add(bestC)
			for _, g := range cl {
				in[g] = false
			}
		}
	}
	byMax := slices.Clone(aggs)
	slices.SortStableFunc(byMax, func(a, b agg) int { return cmp.Or(cmpFloat(a.max, b.max), cmpFloat(a.total, b.total)) })
	byTotal := slices.Clone(aggs)
	slices.SortStableFunc(byTotal, func(a, b agg) int { return cmp.Or(cmpFloat(a.total, b.total), cmpFloat(a.max, b.max)) })
	for i := 0; len(pool) < size && (i < len(byMax) || i < len(byTotal)); i++ {
		if i < len(byMax) {
			add(byMax[i].c)
		}
		if i < len(byTotal) {
			add(byTotal[i].c)
		}
	}
	slices.SortFunc(pool, func(a, b int) int { return cmp.Compare(s.ts0[a], s.ts0[b]) })
	return pool
}

// multisets counts the multisets of size 1..l drawn from n items.
func multisets(n, l int) int {
	total := 0
	for k := 1; k <= l; k++ {
		// C(n+k-1, k)
		c := 1
		for i := 1; i <= k; i++ {
			c = c * (n + i - 1) / i
		}
		total += c
	}
	return total
}

// approximate scores every multiset of up to lmax pool slots as if each
// slot's instances were spread evenly over the weeks, and returns the best
// few (as candidate indices, non-decreasing pool order).
func (s *searcher) approximate(pool []int, all [][]float64, lmax int) [][]int {
	type entry struct {
		ms         []int
		max, total float64
	}
	var top []entry
	x := make([]float64, s.G)
	idx := make([]int, 0, lmax)
	var rec func(start, depth int)
	consider := func() {
		if len(idx) > 1 && idx[0] == idx[len(idx)-1] {
			return // the same slot every week: already seen alone
		}
		L := float64(len(idx))
		clear(x)
		for _, i := range idx {
			for g, v := range all[pool[i]] {
				x[g] += v
			}
		}
		var mx, tot float64
		for g, v := range x {
			v /= L
			mx = math.Max(mx, v)
			tot += s.weights[g] * v
		}
		if len(top) == keep && cmp.Or(cmpFloat(mx, top[keep-1].max), cmpFloat(tot, top[keep-1].total)) >= 0 {
			return
		}
		ms := make([]int, len(idx))
		for k, i := range idx {
			ms[k] = pool[i]
		}
		en := entry{ms, mx, tot}
		at, _ := slices.BinarySearchFunc(top, en, func(a, b entry) int {
			return cmp.Or(cmpFloat(a.max, b.max), cmpFloat(a.total, b.total), -1)
		})
		top = slices.Insert(top, at, en)
		if len(top) > keep {
			top = top[:keep]
		}
	}
	rec = func(start, depth int) {
		for i := start; i < len(pool); i++ {
			idx = append(idx, i)
			consider()
			if depth+1 < lmax {
				rec(i, depth+1)
			}
			idx = idx[:len(idx)-1]
		}
	}
	rec(0, 0)
	out := make([][]int, len(top))
	for i, en := range top {
		out[i] = en.ms
	}
	return out
}

// permutations returns the distinct orderings of a multiset.
func permutations(ms []int) [][]int {
	var out [][]int
	a := slices.Clone(ms)
	slices.Sort(a)
	for {
		out = append(out, slices.Clone(a))
		// next lexicographic permutation
		i := len(a) - 2
		for i >= 0 && a[i] >= a[i+1] {
			i--
		}
		if i < 0 {
			return out
		}
		j := len(a) - 1
		for a[j] <= a[i] {
			j--
		}
		a[i], a[j] = a[j], a[i]
		slices.Reverse(a[i+1:])
	}
}
