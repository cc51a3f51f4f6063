package schedule

import (
	"cmp"
	"math"
	"slices"
)

// searcher chooses the rotation of a series. For each group g of
// participants, candidate c and week residue r (weeks w ≡ r mod mod) it
// holds the accumulated minutes outside working hours (per member) and the
// accumulated inconvenience points.
type searcher struct {
	out     [][]float32 // out[r][g*C+c]
	pts     [][]float32 // pts[r][g*C+c]
	C, G    int
	mod     int
	weights []float64 // members per group
	ts0     []int64   // first instance of each candidate, for ties
}

// Search sizes: the cycle enumeration costs about budget operations at
// most.
const (
	maxPool = 160
	budget  = 3_000_000
	keep    = 256 // cycles kept from the enumeration for scoring with the Gini index
)

// score orders rotations: the largest member's time outside working hours,
// then the Gini index of that time over members, then the total
// inconvenience, then the largest member's inconvenience.
type score struct {
	hours, gini, total, worst float64
}

func (a score) cmp(b score) int {
	return cmp.Or(cmpFloat(a.hours, b.hours), cmpFloat(a.gini, b.gini), cmpFloat(a.total, b.total), cmpFloat(a.worst, b.worst))
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
	pool := s.pool(live, lmax, e)
	var bestCycle []int
	var bestScore score
	x, y := make([]float64, s.G), make([]float64, s.G)
	for _, cyc := range s.enumerate(pool, lmax) {
		sc := s.exact(cyc, x, y, bestCycle == nil, bestScore.hours)
		if bestCycle == nil || better(sc, cyc, bestScore, bestCycle, s.ts0) {
			bestCycle, bestScore = cyc, sc
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

// exact scores a cycle from the per-residue sums; x and y are scratch of
// size G. The Gini index, the costly part, is only computed when the
// largest time outside does not exceed bound (or always when any is true).
func (s *searcher) exact(cyc []int, x, y []float64, any bool, bound float64) score {
	L := len(cyc)
	clear(x)
	clear(y)
	for r := range s.mod {
		c := cyc[r%L]
		out, pts := s.out[r], s.pts[r]
		for g := range s.G {
			x[g] += float64(out[g*s.C+c])
			y[g] += float64(pts[g*s.C+c])
		}
	}
	var sc score
	for g := range s.G {
		sc.hours = max(sc.hours, x[g])
		sc.worst = max(sc.worst, y[g])
		sc.total += s.weights[g] * y[g]
	}
	if any || cmpFloat(sc.hours, bound) <= 0 {
		sc.gini = Gini(x, s.weights)
	} else {
		sc.gini = math.Inf(1)
	}
	return sc
}

// totals returns v summed over residues, indexed [g*C+c].
func (s *searcher) totals(v [][]float32) []float64 {
	out := make([]float64, s.G*s.C)
	for _, row := range v {
		for i, x := range row {
			out[i] += float64(x)
		}
	}
	return out
}

// pool picks the candidates worth combining: the best single slots by
// largest time outside and by total inconvenience, and for each zone (and,
// in small teams, each group) the slot that is best for everyone else.
func (s *searcher) pool(live []int, lmax int, e *engine) []int {
	size := 1
	for size < min(len(live), maxPool) && cycles(size+1, lmax)*s.G <= budget {
		size++
	}
	type agg struct {
		c            int
		hours, total float64
	}
	outT, ptsT := s.totals(s.out), s.totals(s.pts)
	out := make([][]float64, s.C) // out[c][g]
	aggs := make([]agg, 0, len(live))
	for _, c := range live {
		out[c] = make([]float64, s.G)
		a := agg{c: c}
		for g := range s.G {
			v := outT[g*s.C+c]
			out[c][g] = v
			a.hours = max(a.hours, v)
			a.total += s.weights[g] * ptsT[g*s.C+c]
		}
		aggs = append(aggs, a)
	}
	chosen := map[int]bool{}
	var pool []int
	add := func(c int) {
		if c >= 0 && !chosen[c] && len(pool) < size {
			chosen[c] = true
			pool = append(pool, c)
		}
	}
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
		// Per candidate, the largest time outside and the total time
		// outside in each cluster; the best slot for everyone but
		// cluster k then needs only the two largest cluster maxima.
		K := len(clusters)
		csum := make([]float64, K)
		bestC := make([]int, K)
		bestOther := make([]float64, K)
		bestOwn := make([]float64, K)
		for k := range bestC {
			bestC[k] = -1
		}
		for _, c := range live {
			v := out[c]
			m1, m2, k1 := -1.0, -1.0, -1
			for k, cl := range clusters {
				mx, sum := 0.0, 0.0
				for _, g := range cl {
					mx = max(mx, v[g])
					sum += s.weights[g] * v[g]
				}
				csum[k] = sum
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
	byHours := slices.Clone(aggs)
	slices.SortStableFunc(byHours, func(a, b agg) int { return cmp.Or(cmpFloat(a.hours, b.hours), cmpFloat(a.total, b.total)) })
	byTotal := slices.Clone(aggs)
	slices.SortStableFunc(byTotal, func(a, b agg) int { return cmp.Or(cmpFloat(a.total, b.total), cmpFloat(a.hours, b.hours)) })
	for i := 0; len(pool) < size && i < len(aggs); i++ {
		add(byHours[i].c)
		add(byTotal[i].c)
	}
	slices.SortFunc(pool, func(a, b int) int { return cmp.Compare(s.ts0[a], s.ts0[b]) })
	return pool
}

// cycles counts the ordered cycles of length 1..l over n items.
func cycles(n, l int) int {
	total, p := 0, 1
	for range l {
		p *= n
		total += p
	}
	return total
}

// enumerate scores every ordered cycle of up to lmax pool slots exactly,
// from the sums of the weeks each position of the cycle takes, and returns
// the best by largest time outside, then its variance over members (a
// cheap stand-in for the Gini index), then total inconvenience; the caller
// ranks those by the full score.
func (s *searcher) enumerate(pool []int, lmax int) [][]int {
	G, P := s.G, len(pool)
	// Groups in decreasing order of time outside, so that a cycle over
	// the cut-off is usually abandoned after a few groups.
	order := make([]int, G)
	avg := make([]float64, G)
	for g := range G {
		order[g] = g
		for _, c := range pool {
			for r := range s.mod {
				avg[g] += float64(s.out[r][g*s.C+c])
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(avg[b], avg[a]) })
	w := make([]float64, G)
	var W float64
	for k, g := range order {
		w[k] = s.weights[g]
		W += w[k]
	}
	// part[L-1][j][i*G+k]: minutes outside for group order[k] in the
	// weeks that position j of an L-cycle takes, with pool slot i there;
	// total[L-1][j][i]: the points of everyone in those weeks.
	part := make([][][]float64, lmax)
	total := make([][][]float64, lmax)
	for L := 1; L <= lmax; L++ {
		part[L-1] = make([][]float64, L)
		total[L-1] = make([][]float64, L)
		for j := range L {
			v := make([]float64, P*G)
			t := make([]float64, P)
			for r := j; r < s.mod; r += L {
				out, pts := s.out[r], s.pts[r]
				for i, c := range pool {
					for k, g := range order {
						v[i*G+k] += float64(out[g*s.C+c])
						t[i] += s.weights[g] * float64(pts[g*s.C+c])
					}
				}
			}
			part[L-1][j], total[L-1][j] = v, t
		}
	}
	h := &cycleHeap{}
	idx := make([]int, lmax)
	sums := make([][]float64, lmax)
	for d := range sums {
		sums[d] = make([]float64, G)
	}
	var rec func(L, depth int, pts float64)
	rec = func(L, depth int, pts float64) {
		v, tv := part[L-1][depth], total[L-1][depth]
		for i := range P {
			idx[depth] = i
			r := v[i*G : (i+1)*G]
			if depth < L-1 {
				cur := sums[depth]
				if depth == 0 {
					copy(cur, r)
				} else {
					prev := sums[depth-1]
					for k := range cur {
						cur[k] = prev[k] + r[k]
					}
				}
				rec(L, depth+1, pts+tv[i])
				continue
			}
			if L > 1 && allSame(idx[:L]) {
				continue // the same slot every week: seen as a 1-cycle
			}
			cut := math.Inf(1)
			if h.full() {
				cut = h.worst().hours * (1 + 1e-9)
			}
			var prev []float64
			if depth > 0 {
				prev = sums[depth-1]
			}
			mx, tot, sq := 0.0, 0.0, 0.0
			over := false
			for k, x := range r {
				if prev != nil {
					x += prev[k]
				}
				if x > mx {
					mx = x
					if mx > cut {
						over = true
						break
					}
				}
				tot += w[k] * x
				sq += w[k] * x * x
			}
			if over {
				continue
			}
			mean := tot / W
			e := cycleEntry{hours: mx, spread: sq/W - mean*mean, points: pts + tv[i]}
			if h.full() && e.cmp(h.worst()) >= 0 {
				continue
			}
			e.cyc = make([]int, L)
			for k := range L {
				e.cyc[k] = pool[idx[k]]
			}
			h.add(e)
		}
	}
	for L := 1; L <= lmax; L++ {
		rec(L, 0, 0)
	}
	out := make([][]int, len(h.items))
	for i, e := range h.items {
		out[i] = e.cyc
	}
	return out
}

func allSame(a []int) bool {
	for _, x := range a[1:] {
		if x != a[0] {
			return false
		}
	}
	return true
}

type cycleEntry struct {
	cyc                   []int
	hours, spread, points float64
}

func (a cycleEntry) cmp(b cycleEntry) int {
	return cmp.Or(cmpFloat(a.hours, b.hours), cmpFloat(a.spread, b.spread), cmpFloat(a.points, b.points))
}

// cycleHeap keeps the best keep cycles, the worst of them on top.
type cycleHeap struct{ items []cycleEntry }

func (h *cycleHeap) full() bool        { return len(h.items) >= keep }
func (h *cycleHeap) worst() cycleEntry { return h.items[0] }

func (h *cycleHeap) add(e cycleEntry) {
	if h.full() {
		h.items[0] = e
		h.down(0)
		return
	}
	h.items = append(h.items, e)
	for i := len(h.items) - 1; i > 0; {
		p := (i - 1) / 2
		if h.items[i].cmp(h.items[p]) <= 0 {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *cycleHeap) down(i int) {
	n := len(h.items)
	for {
		l, big := 2*i+1, i
		if l < n && h.items[l].cmp(h.items[big]) > 0 {
			big = l
		}
		if r := l + 1; r < n && h.items[r].cmp(h.items[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		h.items[i], h.items[big] = h.items[big], h.items[i]
		i = big
	}
}
