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
			sc := s.exact(cyc, x, bestCycle == nil, bestScore.max)
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
// The Gini index, the costly part, is only computed when the largest
// burden does not exceed bound (or always when any is true).
func (s *searcher) exact(cyc []int, x []float64, any bool, bound float64) score {
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
		sc.max = max(sc.max, v)
		sc.total += s.weights[g] * v
	}
	if any || cmpFloat(sc.max, bound) <= 0 {
		sc.gini = Gini(x, s.weights)
	} else {
		sc.gini = math.Inf(1)
	}
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
			a.max = max(a.max, v)
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
		// Per candidate, the largest burden and the weighted total in
		// each cluster; the best slot for everyone but cluster k then
		// needs only the two largest cluster maxima.
		K := len(clusters)
		cmax := make([]float64, K)
		csum := make([]float64, K)
		bestC := make([]int, K)
		bestOther := make([]float64, K)
		bestOwn := make([]float64, K)
		for k := range bestC {
			bestC[k] = -1
		}
		for _, c := range live {
			v := all[c]
			m1, m2, k1 := -1.0, -1.0, -1
			for k, cl := range clusters {
				mx, sum := 0.0, 0.0
				for _, g := range cl {
					mx = max(mx, v[g])
					sum += s.weights[g] * v[g]
				}
				cmax[k], csum[k] = mx, sum
				if mx > m1 {
					m2, m1, k1 = m1, mx, k
				} else if mx > m2 {
					m2 = mx
				}
			}
			for k := range clusters {
				other := m1
				if k == k1 {
					other = max(m2, 0)
				}
				if bestC[k] < 0 || cmp.Or(cmpFloat(other, bestOther[k]), cmpFloat(csum[k], bestOwn[k])) < 0 {
					bestC[k], bestOther[k], bestOwn[k] = c, other, csum[k]
				}
			}
		}
		for _, c := range bestC {
			add(c)
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
	G := s.G
	rows := make([]float64, len(pool)*G) // rows[i*G+g]: pool slot i, group g
	totals := make([]float64, len(pool))
	for i, c := range pool {
		copy(rows[i*G:], all[c])
		for g, v := range all[c] {
			totals[i] += s.weights[g] * v
		}
	}
	type entry struct {
		ms         []int
		max, total float64
	}
	var top []entry
	// consider scores the multiset idx whose summed rows are sum; sums
	// above the current cut-off are abandoned early.
	consider := func(idx []int, sum []float64, extra []float64) {
		if len(idx) > 1 && idx[0] == idx[len(idx)-1] {
			return // the same slot every week: already seen alone
		}
		L := float64(len(idx))
		tot := 0.0
		for _, i := range idx {
			tot += totals[i]
		}
		tot /= L
		limit := math.Inf(1)
		if len(top) == keep {
			limit = top[keep-1].max * L * (1 + 1e-9)
		}
		mx := 0.0
		if extra == nil {
			for _, v := range sum {
				mx = max(mx, v)
			}
		} else {
			for g, v := range sum {
				mx = max(mx, v+extra[g])
				if mx > limit {
					return
				}
			}
		}
		mx /= L
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
	row := func(i int) []float64 { return rows[i*G : (i+1)*G] }
	// sums[d] holds the summed rows of the first d+1 elements.
	sums := make([][]float64, lmax)
	for d := range sums {
		sums[d] = make([]float64, G)
	}
	idx := make([]int, 0, lmax)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		for i := start; i < len(pool); i++ {
			idx = append(idx, i)
			if depth == 0 {
				copy(sums[0], row(i))
				consider(idx, sums[0], nil)
			} else {
				consider(idx, sums[depth-1], row(i))
				if depth+1 < lmax {
					prev, cur, r := sums[depth-1], sums[depth], row(i)
					for g := range cur {
						cur[g] = prev[g] + r[g]
					}
				}
			}
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
