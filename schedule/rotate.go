package schedule

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Series is the plan for a weekly meeting: a short cycle of slots
// (a rotation) and the instances it yields.
type Series struct {
	Zone     string        `json:"zone"` // the anchor zone of the slots' wall times
	Duration time.Duration `json:"-"`
	Weeks    int           `json:"weeks"`
	// Rotation lists the slots in cycle order: instance i uses slot
	// i mod len(Rotation).
	Rotation  []RotationSlot `json:"rotation"`
	Instances []Instance     `json:"-"`
	// Members holds each participant's accumulated burden.
	Members []Burden `json:"members"`
	// AllInside is true when every instance is inside everyone's hours.
	AllInside bool `json:"all_inside"`
	// Outside is the total time outside working hours over all members;
	// WorstShare the part of it carried by the member with the most.
	Outside    time.Duration `json:"-"`
	WorstShare float64       `json:"worst_share"`
	// Gini is the fairness index of the members' time outside working
	// hours: 0 when equal, towards 1 when one member carries it all.
	Gini float64 `json:"gini"`
	// Inconvenience is the total over instances and participants, Max
	// the largest participant's, and InconvenienceGini the Gini index
	// of the participants' inconvenience.
	Inconvenience     float64  `json:"inconvenience"`
	Max               float64  `json:"max_inconvenience"`
	InconvenienceGini float64  `json:"inconvenience_gini"`
	Candidates        int      `json:"candidates"` // slots considered
	Blocked           int      `json:"blocked"`    // of those, on a no-meeting day or busy time in some week
	Warnings          []string `json:"warnings,omitempty"`
}

// RotationSlot is a weekly wall-clock time in the anchor zone.
type RotationSlot struct {
	Weekday time.Weekday `json:"-"`
	Clock   string       `json:"clock"` // "14:30"
	// First is the slot's first instance, in the anchor zone.
	First     time.Time `json:"first"`
	Instances int       `json:"instances"`
}

// Instance is one meeting of a series.
type Instance struct {
	N    int `json:"n"`    // 1-based
	Turn int `json:"slot"` // index into Series.Rotation
	Slot
}

// Burden is a member's share of a series' time outside working hours and
// inconvenience.
type Burden struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Zone  string `json:"zone"`
	// Outside is the time spent in the series outside working hours;
	// Share its part of the total outside time of all members.
	Outside       time.Duration `json:"-"`
	Share         float64       `json:"share"`
	Inconvenience float64       `json:"inconvenience"`
	// InstancesOutside counts instances not wholly inside working hours.
	InstancesOutside int `json:"instances_outside"`
}

// Rotate plans a weekly meeting of r.Weeks instances. Each slot is a wall
// time of the anchor zone, so an instance is computed in the real local time
// of its week and every member's time is right across clock changes. When no
// slot is inside everyone's hours in every week, Rotate cycles through up to
// r.Rotation slots. Of all cycles it chooses the one that minimises the
// largest member's accumulated time outside working hours, then the Gini
// index of that time over members, then the total inconvenience (which
// prefers evenings and mornings to nights and days off), then the largest
// member's inconvenience, then the number of slots. Slots on the
// no-meeting day or a busy time in any week are never used.
func Rotate(r Request) (*Series, error) {
	p, err := prepare(r, true)
	if err != nil {
		return nil, err
	}
	d0, cands := p.candidates(true)
	if len(cands) == 0 {
		return nil, invalid("between: the window holds no start time for a %v meeting", r.Duration)
	}
	pl, err := p.accumulate(d0, cands)
	if err != nil {
		return nil, err
	}
	e, ts, n, C := pl.e, pl.ts, r.Weeks, len(cands)
	best := pl.s.search(pl.live, pl.outside, pl.lmax, e)

	res := &Series{Zone: p.anchor.String(), Duration: r.Duration, Weeks: n, Candidates: C, Blocked: C - len(pl.live), Warnings: p.warnings(), AllInside: true}
	for j, c := range best {
		first := time.Unix(ts[j][c]*60, 0).In(p.anchor)
		res.Rotation = append(res.Rotation, RotationSlot{Weekday: first.Weekday(), Clock: fmt.Sprintf("%02d:%02d", cands[c].clock/60, cands[c].clock%60), First: first})
	}
	burden := make([]Burden, len(p.members))
	points := make([]float64, len(p.members))
	for i, m := range p.members {
		burden[i] = Burden{Email: m.Email, Name: m.Name, Zone: m.Zone}
	}
	for w := range n {
		j := w % len(best)
		res.Rotation[j].Instances++
		sl, pts := p.slot(e, ts[w][best[j]])
		res.Instances = append(res.Instances, Instance{N: w + 1, Turn: j, Slot: sl})
		res.AllInside = res.AllInside && sl.AllInside
		for i, a := range sl.Attendees {
			b := &burden[i]
			b.Outside += a.Outside
			if !a.Inside {
				b.InstancesOutside++
			}
			res.Outside += a.Outside
		}
		for i, x := range pts {
			points[i] += x
		}
	}
	var worst time.Duration
	hrs := make([]float64, len(burden))
	for i := range burden {
		b := &burden[i]
		b.Inconvenience = round(points[i])
		res.Inconvenience += points[i]
		res.Max = max(res.Max, points[i])
		if res.Outside > 0 {
			b.Share = round(float64(b.Outside) / float64(res.Outside))
		}
		worst = max(worst, b.Outside)
		hrs[i] = b.Outside.Hours()
	}
	if res.Outside > 0 {
		res.WorstShare = round(float64(worst) / float64(res.Outside))
	}
	res.Inconvenience, res.Max = round(res.Inconvenience), round(res.Max)
	res.Gini = round(Gini(hrs, nil))
	res.InconvenienceGini = round(Gini(points, nil))
	res.Members = burden
	return res, nil
}

// lcm returns the least common multiple of 1..n.
func lcm(n int) int {
	m := 1
	for k := 2; k <= n; k++ {
		a, b := m, k
		for b != 0 {
			a, b = b, a%b
		}
		m = m / a * k
	}
	return m
}

// Gini returns the Gini index of values x, each counted weights[i] times
// (once when weights is nil): 0 when all are equal, (n-1)/n when one holds
// everything. It is 0 when the values sum to 0 or are empty.
func Gini(x, weights []float64) float64 {
	type item struct{ x, w float64 }
	items := make([]item, len(x))
	for i := range x {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		items[i] = item{x[i], w}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.x, b.x) })
	var W, S, num float64
	for _, it := range items {
		num += it.w * (it.x*W - S)
		W += it.w
		S += it.w * it.x
	}
	if W == 0 || S <= 0 {
		return 0
	}
	return num / (W * S)
}

// plan holds a series' candidates with their accumulated costs.
type plan struct {
	e       *engine
	ts      [][]int64 // ts[w][c]: instance w of candidate c, Unix minutes
	s       *searcher
	live    []int   // candidates never blocked
	outside []int64 // member-minutes outside working hours over all weeks
	lmax    int     // longest rotation cycle
}

// accumulate computes every candidate's instances and the groups' costs.
func (p *prepared) accumulate(d0 team.Date, cands []cand) (*plan, error) {
	n := p.req.Weeks
	ts := make([][]int64, n)
	anchorOff := make([]int64, n)
	steady := make([]bool, n)
	for w := range n {
		ts[w], anchorOff[w], steady[w] = p.instants(d0, cands, w, nil)
	}
	e := p.engine(ts[0], ts[n-1])
	lmax := min(cmp.Or(p.req.Rotation, DefaultRotation), n)
	mod := lcm(lmax)

	// Accumulate each group's inconvenience per candidate and per week
	// residue modulo mod, so that any cycle of length up to lmax can be
	// evaluated exactly from sums. In a week with no clock change for the
	// anchor or the group's zone and no dated exception, a group's costs
	// depend only on the difference between the two offsets: such weeks
	// are computed once and counted.
	C, G := len(cands), len(e.groups)
	pts := make([][]float32, mod) // pts[r][g*C+c]
	outs := make([][]float32, mod)
	for i := range pts {
		pts[i] = make([]float32, G*C)
		outs[i] = make([]float32, G*C)
	}
	outside := make([]int64, C)
	blocked := make([]bool, C)
	hints := make([]int, len(e.zones))
	type repeat struct {
		week  int   // a week to compute the costs from
		count []int // weeks per residue
	}
	noMeeting := map[[2]int64][]bool{}
	repeats := make([]map[int64]*repeat, G)
	for g := range repeats {
		repeats[g] = map[int64]*repeat{}
	}
	costs, ins := make([]float64, C), make([]int32, C)
	add := func(gi int, costs []float64, ins []int32, r, times int) {
		dst, out := pts[r][gi*C:(gi+1)*C], outs[r][gi*C:(gi+1)*C]
		f := float64(times)
		d := float64(p.dur)
		for c := range dst {
			dst[c] += float32(f * costs[c])
			out[c] += float32(f * (d - float64(ins[c])))
		}
	}
	for w := range n {
		tw := ts[w]
		lo, hi := tw[0], tw[len(tw)-1]
		for zi, z := range e.zones {
			if e.noMeeting == team.NoDay {
				break
			}
			i := z.at(lo, 0)
			if steady[w] && z.at(hi+int64(p.dur), i) == i {
				// As for costs: a steady week depends on the offsets only.
				key := [2]int64{int64(zi), z.off[i] - anchorOff[w]}
				nm := noMeeting[key]
				if nm == nil {
					nm = make([]bool, C)
					for c, t := range tw {
						nm[c] = e.onNoMeetingDay(zi, t, &hints[zi])
					}
					noMeeting[key] = nm
				}
				for c, b := range nm {
					blocked[c] = blocked[c] || b
				}
				continue
			}
			for c, t := range tw {
				if !blocked[c] && e.onNoMeetingDay(zi, t, &hints[zi]) {
					blocked[c] = true
				}
			}
		}
		for c, t := range tw {
			if !blocked[c] && e.busyAt(t) {
				blocked[c] = true
			}
		}
		for gi, g := range e.groups {
			z := e.zones[g.zone]
			i := z.at(lo, 0)
			if dated, _, _ := e.dated(g, lo, hi); steady[w] && z.at(hi+int64(p.dur), i) == i && !dated {
				delta := z.off[i] - anchorOff[w]
				rp := repeats[gi][delta]
				if rp == nil {
					rp = &repeat{week: w, count: make([]int, mod)}
					repeats[gi][delta] = rp
				}
				rp.count[w%mod]++
				continue
			}
			e.row(g, tw, costs, ins)
			add(gi, costs, ins, w%mod, 1)
		}
	}
	for gi, g := range e.groups {
		// In a fixed order: sums of floats depend on it.
		for _, delta := range slices.Sorted(maps.Keys(repeats[gi])) {
			rp := repeats[gi][delta]
			e.row(g, ts[rp.week], costs, ins)
			for r, k := range rp.count {
				if k > 0 {
					add(gi, costs, ins, r, k)
				}
			}
		}
	}
	for r := range outs {
		for gi, g := range e.groups {
			k := int64(len(g.members))
			for c, o := range outs[r][gi*C : (gi+1)*C] {
				outside[c] += k * int64(o)
			}
		}
	}
	var live []int
	for c := range cands {
		if !blocked[c] {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return nil, rhythm.Errorf(rhythm.ENOTFOUND, "no meeting time left: all %d weekly slots fall on the no-meeting day or a busy time in some week", C)
	}
	weights := make([]float64, G)
	for gi, g := range e.groups {
		weights[gi] = float64(len(g.members))
	}
	s := &searcher{out: outs, pts: pts, C: C, G: G, mod: mod, weights: weights, ts0: ts[0]}
	return &plan{e: e, ts: ts, s: s, live: live, outside: outside, lmax: lmax}, nil

}
