package schedule

import (
	"slices"
	"sort"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// A participant is one member taking part in a meeting.
type participant struct {
	m     *team.Member
	loc   *time.Location
	zone  int // index into engine.zones
	group int // index into engine.groups
}

// A group is a set of participants whose inconvenience is the same at every
// instant: same zone, hours and working days, and no dated exception
// (holiday, start or leave date) in the span being planned. A participant
// with such an exception is a group of its own.
type group struct {
	rep     *team.Member
	zone    int
	tp      *templates
	weekly  *table
	dated   bool    // rep has exceptions within the span
	except  []int64 // the days (since 1970-01-01) on which rep's dates change whether rep works
	members []int
}

// engine evaluates the inconvenience of meeting instants for a fixed set of
// participants, duration and model.
type engine struct {
	model     Model
	dur       int // minutes
	zones     []*offsets
	parts     []participant
	groups    []*group
	noMeeting team.Weekday
	busy      []span // union of the participants' busy times, sorted
	scratch   *table // reused by datedTable
}

// span is a half-open range of Unix minutes.
type span struct{ start, end int64 }

// newEngine prepares participants for instants in the Unix minutes
// [from, to); instants outside it are still evaluated, only slower.
func newEngine(model Model, members []*team.Member, locs []*time.Location, dur int, noMeeting team.Weekday, from, to int64) *engine {
	e := &engine{model: model, dur: dur, noMeeting: noMeeting}
	// Margins: a meeting may run a day past its start, and local dates
	// reach 14 hours either side of UTC.
	lo, hi := from-2*minutesPerDay, to+3*minutesPerDay
	zoneIdx := map[*time.Location]int{}
	tps := map[team.Hours]*templates{}
	type key struct {
		zone  int
		hours team.Hours
		days  team.Days
	}
	groupIdx := map[key]int{}
	weeklies := map[key]*table{}
	dayLo, dayHi := epochDay(lo), epochDay(hi)
	for i, m := range members {
		z, ok := zoneIdx[locs[i]]
		if !ok {
			z = len(e.zones)
			zoneIdx[locs[i]] = z
			e.zones = append(e.zones, newOffsets(locs[i], lo, hi))
		}
		tp := tps[m.Hours]
		if tp == nil {
			tp = newTemplates(model, m.Hours)
			tps[m.Hours] = tp
		}
		k := key{z, m.Hours, m.Days}
		except := exceptions(m, dayLo, dayHi)
		dated := len(except) > 0
		g, ok := groupIdx[k]
		if !ok || dated {
			wk := weeklies[key{0, m.Hours, m.Days}]
			if wk == nil {
				wk = tp.newWeekly(m.Days)
				weeklies[key{0, m.Hours, m.Days}] = wk
			}
			g = len(e.groups)
			e.groups = append(e.groups, &group{rep: m, zone: z, tp: tp, weekly: wk, dated: dated, except: except})
			if !dated {
				groupIdx[k] = g
			}
		}
		e.groups[g].members = append(e.groups[g].members, i)
		e.parts = append(e.parts, participant{m: m, loc: locs[i], zone: z, group: g})
	}
	return e
}

// exceptions lists the days in [lo, hi] (numbered since 1970-01-01) on
// which a holiday, start or leave date of m changes whether m works.
func exceptions(m *team.Member, lo, hi int64) []int64 {
	if len(m.Holidays) == 0 && m.HolidayRegion == "" && (m.Start.IsZero() || dayNumber(m.Start) <= lo) && (m.Leave.IsZero() || dayNumber(m.Leave) >= hi) {
		return nil
	}
	var out []int64
	for d := lo; d <= hi; d++ {
		if m.WorksOn(epochDate(d)) != m.Days.Has(time.Weekday((d%7+7+4)%7)) {
			out = append(out, d)
		}
	}
	return out
}

// dated reports whether g needs a dated table for meetings that start at
// Unix minutes [first, last], and the local days such a table covers. An
// exception on day h changes the rates of days h-1 to h+1; the table
// reaches a day further so that any meeting touching those days lies
// inside it, and meetings outside it use the weekly table.
func (e *engine) dated(g *group, first, last int64) (bool, int64, int) {
	if !g.dated {
		return false, 0, 0
	}
	lo, hi := epochDay(first)-2, epochDay(last+int64(e.dur))+2
	i, _ := slices.BinarySearch(g.except, lo)
	if i == len(g.except) || g.except[i] > hi {
		return false, 0, 0
	}
	j := i
	for j+1 < len(g.except) && g.except[j+1] <= hi {
		j++
	}
	day0 := g.except[i] - 2
	return true, day0, int(g.except[j] + 2 - day0 + 1)
}

// datedTable returns a table of g's representative covering the meetings
// that start at Unix minutes [first, last], or nil when the weekly table
// holds for them. The table is only valid until the next call.
func (e *engine) datedTable(g *group, first, last int64) *table {
	ok, day0, n := e.dated(g, first, last)
	if !ok {
		return nil
	}
	size := n*minutesPerDay + 1
	if e.scratch == nil || cap(e.scratch.cost) < size {
		e.scratch = &table{cost: make([]float64, size), inside: make([]int32, size)}
	}
	t := e.scratch
	t.cost, t.inside, t.base = t.cost[:size], t.inside[:size], day0*minutesPerDay
	g.tp.fill(t, day0, n, func(d int64) bool { return g.rep.WorksOn(epochDate(d)) })
	return t
}

// cost returns the points and the working minutes of a meeting starting at
// Unix minute t for group g, using table tab (weekly or dated). hint is the
// zone period index of an earlier call and is updated.
func (e *engine) cost(g *group, tab *table, t int64, hint *int) (float64, int) {
	z := e.zones[g.zone]
	i := z.at(t, *hint)
	*hint = i
	end := t + int64(e.dur)
	if nx := z.next(i); end <= nx || i+1 >= len(z.off) {
		return e.span(g, tab, t+z.off[i], e.dur)
	}
	// The meeting crosses a change of offset: add the pieces.
	var pts float64
	var in int
	for t < end {
		nx := min(z.next(i), end)
		p, n := e.span(g, tab, t+z.off[i], int(nx-t))
		pts += p
		in += n
		t = nx
		if i+1 < len(z.off) {
			i++
		}
	}
	return pts, in
}

func (e *engine) span(g *group, tab *table, lw int64, n int) (float64, int) {
	if tab == nil || !tab.covers(lw, n) {
		tab = g.weekly
	}
	return tab.span(lw, n)
}

// blocked reports whether a meeting at Unix minute t falls on the
// no-meeting day of some participant's zone or on a busy time. hints holds
// one zone period hint per zone and is updated.
func (e *engine) blocked(t int64, hints []int) bool {
	for zi := range e.zones {
		if e.onNoMeetingDay(zi, t, &hints[zi]) {
			return true
		}
	}
	return e.busyAt(t)
}

// onNoMeetingDay reports whether a meeting at Unix minute t touches the
// no-meeting day in zone zi.
func (e *engine) onNoMeetingDay(zi int, t int64, hint *int) bool {
	if e.noMeeting == team.NoDay {
		return false
	}
	z := e.zones[zi]
	end := t + int64(e.dur)
	i := z.at(t, *hint)
	*hint = i
	j := z.at(end-1, i)
	first, last := epochDay(t+z.off[i]), epochDay(end-1+z.off[j])
	for d := first; d <= last; d++ {
		if e.noMeeting.Is(time.Weekday((d%7 + 7 + 4) % 7)) { // day 0 was a Thursday
			return true
		}
	}
	return false
}

// busyAt reports whether a meeting at Unix minute t overlaps a busy time.
func (e *engine) busyAt(t int64) bool {
	if len(e.busy) == 0 {
		return false
	}
	k := sort.Search(len(e.busy), func(k int) bool { return e.busy[k].end > t })
	return k < len(e.busy) && e.busy[k].start < t+int64(e.dur)
}

// setBusy merges busy intervals into e.busy.
func (e *engine) setBusy(ivs []team.Interval) {
	var s []span
	for _, iv := range ivs {
		a, b := unixMinute(iv.Start), unixMinute(iv.End.Add(time.Minute-time.Nanosecond))
		if b > a {
			s = append(s, span{a, b})
		}
	}
	slices.SortFunc(s, func(x, y span) int {
		if x.start != y.start {
			return int(x.start - y.start)
		}
		return int(x.end - y.end)
	})
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	e.busy = out
}

// memberCost returns the points and working minutes of a meeting starting at
// Unix minute t for participant p, honouring p's dated exceptions.
func (e *engine) memberCost(p int, t int64) (float64, int) {
	g := e.groups[e.parts[p].group]
	hint := 0
	return e.cost(g, e.datedTable(g, t, t), t, &hint)
}
