package schedule

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Attendee is one participant's side of a meeting time.
type Attendee struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Zone  string `json:"zone"`
	// Start and End are in the member's zone, so they read as local time.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Inside is true when the whole meeting is inside working hours.
	Inside bool `json:"inside"`
	// Outside is the part of the meeting outside working hours.
	Outside time.Duration `json:"-"`
	// Inconvenience is in points of the Model.
	Inconvenience float64 `json:"inconvenience"`
}

// Slot is one candidate meeting time with its cost to each participant.
type Slot struct {
	Start time.Time `json:"start"` // UTC
	End   time.Time `json:"end"`   // UTC
	// AllInside is true when every participant is inside working hours.
	AllInside bool `json:"all_inside"`
	// Inconvenience is the sum over participants; Max the largest one.
	Inconvenience float64    `json:"inconvenience"`
	Max           float64    `json:"max_inconvenience"`
	Attendees     []Attendee `json:"attendees"`
}

// Ranking is the answer to a one-off request: the best slots, best first.
type Ranking struct {
	Zone       string        `json:"zone"` // the anchor zone
	Duration   time.Duration `json:"-"`
	Candidates int           `json:"candidates"` // slots considered
	Blocked    int           `json:"blocked"`    // of those, on a no-meeting day or busy time
	Slots      []Slot        `json:"slots"`
	Warnings   []string      `json:"warnings,omitempty"`
}

// Find ranks the one-off meeting times in the request's window: slots with
// everyone inside working hours first, then least total inconvenience, then
// least largest individual inconvenience, then earliest. Slots on the
// team's no-meeting day (in any participant's zone) or overlapping a busy
// time are never proposed.
func Find(r Request) (*Ranking, error) {
	p, err := prepare(r, false)
	if err != nil {
		return nil, err
	}
	d0, cands := p.candidates(false)
	ts, _, _ := p.instants(d0, cands, 0, nil)
	e := p.engine(ts, ts)
	type score struct {
		i          int
		out        int
		total, max float64
	}
	scores := make([]score, len(cands))
	blocked := make([]bool, len(cands))
	hints := make([]int, len(e.zones))
	for c, t := range ts {
		scores[c].i = c
		blocked[c] = e.blocked(t, hints)
	}
	costs := make([]float64, len(cands))
	ins := make([]int32, len(cands))
	for _, g := range e.groups {
		e.row(g, ts, costs, ins)
		n := float64(len(g.members))
		for c := range cands {
			s := &scores[c]
			s.total += n * costs[c]
			s.max = max(s.max, costs[c])
			s.out += len(g.members) * (p.dur - int(ins[c]))
		}
	}
	var live []score
	for c, s := range scores {
		if !blocked[c] {
			// Rank on the figures shown, so that the order reads right.
			s.total, s.max = round(s.total), round(s.max)
			live = append(live, s)
		}
	}
	res := &Ranking{Zone: p.anchor.String(), Duration: r.Duration, Candidates: len(cands), Blocked: len(cands) - len(live), Warnings: p.warnings()}
	if len(live) == 0 {
		return nil, rhythm.Errorf(rhythm.ENOTFOUND, "no meeting time left: all %d slots in the window fall on the no-meeting day or a busy time", len(cands))
	}
	if !slices.ContainsFunc(live, func(s score) bool { return s.out == 0 }) {
		if w := p.takenWarning(ts, blocked, func(c int) int { return scores[c].out }); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	slices.SortFunc(live, func(a, b score) int {
		if (a.out == 0) != (b.out == 0) {
			if a.out == 0 {
				return -1
			}
			return 1
		}
		return cmp.Or(cmpFloat(a.total, b.total), cmpFloat(a.max, b.max), cmp.Compare(ts[a.i], ts[b.i]))
	})
	top := cmp.Or(r.Top, DefaultTop)
	for _, s := range live[:min(top, len(live))] {
		sl, _ := p.slot(e, ts[s.i])
		res.Slots = append(res.Slots, sl)
	}
	return res, nil
}

// cmpFloat compares inconvenience totals, treating values closer than a
// rounding error (of the float32 sums the rotation search keeps) as equal.
func cmpFloat(a, b float64) int {
	if math.Abs(a-b) <= 1e-6*max(1, math.Abs(a), math.Abs(b)) {
		return 0
	}
	return cmp.Compare(a, b)
}

// engine prepares an engine for meetings starting at the Unix minutes in
// first (the first instances) to last (the last instances).
func (p *prepared) engine(first, last []int64) *engine {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, t := range first {
		lo = min(lo, t)
	}
	for _, t := range last {
		hi = max(hi, t)
	}
	if lo > hi {
		lo, hi = unixMinute(p.req.From), unixMinute(p.req.To)
	}
	e := newEngine(p.model, p.members, p.locs, p.dur, p.req.Team.Norms.NoMeetingDay, lo, hi+int64(p.dur))
	e.setBusy(p.busy())
	return e
}

// row writes the cost and working minutes of group g for meetings at the
// Unix minutes ts, which are in increasing order.
func (e *engine) row(g *group, ts []int64, costs []float64, ins []int32) {
	hint := 0
	for i := 0; i < len(ts); {
		// A dated member gets a table per week of meetings at most.
		j := i + 1
		if g.dated {
			for j < len(ts) && ts[j]-ts[i] < minutesPerWeek {
				j++
			}
		} else {
			j = len(ts)
		}
		tab := e.datedTable(g, ts[i], ts[j-1])
		for c := i; c < j; c++ {
			x, n := e.cost(g, tab, ts[c], &hint)
			costs[c], ins[c] = x, int32(n)
		}
		i = j
	}
}

// slot describes a meeting at Unix minute t, and returns each participant's
// unrounded inconvenience.
func (p *prepared) slot(e *engine, t int64) (Slot, []float64) {
	start := time.Unix(t*60, 0).UTC()
	end := start.Add(p.req.Duration)
	s := Slot{Start: start, End: end, AllInside: true}
	pts := make([]float64, len(p.members))
	for i, m := range p.members {
		x, in := e.memberCost(i, t)
		pts[i] = x
		a := Attendee{Email: m.Email, Name: m.Name, Zone: m.Zone, Start: start.In(p.locs[i]), End: end.In(p.locs[i]),
			Inside: in == p.dur, Outside: time.Duration(p.dur-in) * time.Minute, Inconvenience: round(x)}
		s.AllInside = s.AllInside && a.Inside
		s.Inconvenience += x
		s.Max = max(s.Max, x)
		s.Attendees = append(s.Attendees, a)
	}
	s.Inconvenience, s.Max = round(s.Inconvenience), round(s.Max)
	return s, pts
}

// round keeps three decimals, enough for points and stable in JSON.
func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// warnings notes request choices that go against the team's norms.
func (p *prepared) warnings() []string {
	var w []string
	if mx := p.req.Team.Norms.MeetingMax.D(); mx > 0 && p.req.Duration > mx {
		w = append(w, fmt.Sprintf("the meeting (%v) is longer than the team's meeting_max (%v)", team.Duration(p.req.Duration), team.Duration(mx)))
	}
	return w
}
