package ical

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// DefaultMaxInstances bounds the instances one event may have in one
// expansion unless ExpandOptions says otherwise.
const DefaultMaxInstances = 50_000

// DefaultMaxTotal bounds the instances of one expansion unless
// ExpandOptions says otherwise.
const DefaultMaxTotal = 1_000_000

// DefaultMaxWork bounds the work of one expansion, shared by all its
// recurrence rules, unless ExpandOptions says otherwise: one unit per
// period a rule steps through, per day it examines and per occurrence it
// lists (about 5 ns each here).
const DefaultMaxWork = 5_000_000

// DefaultMaxEventWork bounds the work of one event's recurrence rules when
// ExpandOptions.SkipBroken is set, unless ExpandOptions says otherwise: a
// fifth of DefaultMaxWork, ten times what an event of DefaultMaxInstances
// minutely instances takes, so that four events that need more leave the
// others enough.
const DefaultMaxEventWork = DefaultMaxWork / 5

// ErrTooExpensive is matched (errors.Is) by the error of an expansion
// whose recurrence rules need more work than allowed.
var ErrTooExpensive = errTooExpensive

// ExpandOptions controls Calendar.ExpandWith and Calendar.Each.
type ExpandOptions struct {
	// MaxWork bounds the work of all recurrence rules together (see
	// DefaultMaxWork); more is an error naming the event and rule. 0
	// means DefaultMaxWork.
	MaxWork int64
	// MaxInstances bounds the instances of one event in the window; an
	// event with more is an error. 0 means DefaultMaxInstances.
	MaxInstances int
	// MaxTotal bounds the instances of all events together; more is an
	// error. 0 means DefaultMaxTotal.
	MaxTotal int
	// SkipBroken, when set, leaves out whole an event (a series with its
	// overrides) that is too expensive to expand on its own — more than
	// MaxInstances instances, or rules that need more than MaxEventWork —
	// and calls SkipBroken with a Warning naming its file, line and UID
	// and why, instead of failing the expansion. The other events are
	// listed as if it were not there. The bounds of the whole expansion
	// stay errors: MaxTotal, and MaxWork, which the work of a left-out
	// event counts towards. It is for callers that read calendars as data
	// (imports, live calendars, audits), where one broken event must not
	// hide a whole calendar; an explicit request to expand a calendar
	// leaves it unset and gets the error.
	SkipBroken func(Warning)
	// MaxEventWork bounds the work of one event's rules under SkipBroken,
	// so that one event cannot use up MaxWork on its own; an event that
	// needs more is left out. 0 means DefaultMaxEventWork.
	MaxEventWork int64
}

// Expand returns the instances of all events in [from, to), sorted by
// start, then UID, then original start. Cancelled instances and series
// are left out. A timed instance is in the window when it overlaps it:
// starts before to and ends after from (a zero-length one: starts at or
// after from). An all-day instance is in the window when its start is,
// its date read in the zone of from (dates are floating): the all-day
// event of December 31st is not in a window from January 1st.
func (c *Calendar) Expand(from, to time.Time) ([]Instance, error) {
	return c.ExpandWith(from, to, ExpandOptions{})
}

// ExpandWith is Expand with options.
func (c *Calendar) ExpandWith(from, to time.Time, opt ExpandOptions) ([]Instance, error) {
	rs, err := c.Rows(from, to, opt)
	if err != nil {
		return nil, err
	}
	out := make([]Instance, len(rs.order))
	for i, j := range rs.order {
		rs.x.fill(&out[i], &rs.recs[j])
	}
	return out, nil
}

// Rows is an expanded window whose instances are listed without keeping
// them all as Instances: in Expand's order, as Instances one at a time
// (Each) or as NDJSON rows (WriteNDJSON).
type Rows struct {
	x     *expander
	recs  []rec
	order []int32
}

// Rows expands the window. The whole window is expanded here, so an
// expansion error comes before any instance is listed.
func (c *Calendar) Rows(from, to time.Time, opt ExpandOptions) (*Rows, error) {
	x, recs, order, err := c.sorted(from, to, opt)
	if err != nil {
		return nil, err
	}
	return &Rows{x: x, recs: recs, order: order}, nil
}

// Len is the number of instances.
func (rs *Rows) Len() int { return len(rs.order) }

// Each calls fn for every instance in order. The Instance passed to fn is
// reused: copy it to keep it. An error from fn stops.
func (rs *Rows) Each(fn func(*Instance) error) error {
	var in Instance
	for _, j := range rs.order {
		rs.x.fill(&in, &rs.recs[j])
		if err := fn(&in); err != nil {
			return err
		}
	}
	return nil
}

// WriteNDJSON writes every instance as AppendRow's line, through a buffer,
// straight from the compact records (no Instance is built).
func (rs *Rows) WriteNDJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var b []byte
	for _, j := range rs.order {
		r := rs.x.rowOf(&rs.recs[j])
		b = appendRow(b[:0], &r)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// rowOf is the NDJSON row of r, as fill's Instance would give it.
func (x *expander) rowOf(r *rec) ndjsonRow {
	e := x.cal.Events[r.ev]
	loc := x.locs[r.loc]
	ridLoc := loc
	if r.ridDate {
		ridLoc = x.fz
	}
	return ndjsonRow{uid: e.UID, summary: e.Summary, rid: r.rid, start: r.start, end: r.end,
		ridLoc: ridLoc, loc: loc, ridDate: r.ridDate, allDay: r.allDay}
}

// sorted expands the window into compact records and returns their order
// by start, UID (compared by rank) and original start.
func (c *Calendar) sorted(from, to time.Time, opt ExpandOptions) (*expander, []rec, []int32, error) {
	x := newExpander(c, from, to, opt)
	var recs []rec
	x.sink = func(r *rec) error {
		recs = append(recs, *r)
		return nil
	}
	if err := x.run(); err != nil {
		return nil, nil, nil, err
	}
	uids := make([]string, len(x.series))
	for i, s := range x.series {
		uids[i] = x.uid(s)
	}
	byUID := make([]int32, len(uids))
	for i := range byUID {
		byUID[i] = int32(i)
	}
	slices.SortFunc(byUID, func(a, b int32) int { return strings.Compare(uids[a], uids[b]) })
	rank := make([]int32, len(uids))
	for r, i := range byUID {
		rank[i] = int32(r)
	}
	return x, recs, sortRecs(recs, rank), nil
}

// SortInstances sorts by start, then UID, then original start, as Expand
// returns them.
func SortInstances(v []Instance) {
	slices.SortStableFunc(v, func(a, b Instance) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.UID, b.UID); c != 0 {
			return c
		}
		return a.RecurrenceID.Compare(b.RecurrenceID)
	})
}

// Each calls fn for every instance overlapping [from, to), series by
// series in calendar order (not sorted). The Instance passed to fn is
// reused: copy it to keep it. An error from fn stops the expansion.
func (c *Calendar) Each(from, to time.Time, opt ExpandOptions, fn func(*Instance) error) error {
	x := newExpander(c, from, to, opt)
	var in Instance
	x.sink = func(r *rec) error {
		x.fill(&in, r)
		return fn(&in)
	}
	return x.run()
}

func newExpander(c *Calendar, from, to time.Time, opt ExpandOptions) *expander {
	x := &expander{
		cal:    c,
		from:   from.Unix(),
		to:     to.Unix(),
		empty:  !to.After(from),
		max:    opt.MaxInstances,
		tabs:   map[*time.Location]*tzTable{},
		locIdx: map[*time.Location]uint32{},
	}
	if x.max <= 0 {
		x.max = DefaultMaxInstances
	}
	x.work = opt.MaxWork
	if x.work <= 0 {
		x.work = DefaultMaxWork
	}
	x.maxWork = x.work
	x.maxTotal = opt.MaxTotal
	if x.maxTotal <= 0 {
		x.maxTotal = DefaultMaxTotal
	}
	x.skip = opt.SkipBroken
	x.maxEventWork = opt.MaxEventWork
	if x.maxEventWork <= 0 {
		x.maxEventWork = DefaultMaxEventWork
	}
	x.fz = c.Zone
	if x.fz == nil {
		x.fz = time.UTC
	}
	x.fzTab = tableFor(x.fz, x.tabs)
	x.winTab = tableFor(from.Location(), x.tabs)
	return x
}

func (x *expander) run() error {
	if x.empty {
		return nil
	}
	x.series = groupSeries(x.cal.Events)
	if x.skip != nil {
		return x.runSkipping()
	}
	for i, s := range x.series {
		x.si = int32(i)
		if err := x.expandSeries(s); err != nil {
			return err
		}
	}
	return nil
}

// runSkipping is run under SkipBroken: each series gets at most
// maxEventWork of the work left, and its instances are held back until it
// is whole, so that a series too expensive on its own is left out whole.
func (x *expander) runSkipping() error {
	out := x.sink
	x.sink = func(r *rec) error {
		x.pending = append(x.pending, *r)
		return nil
	}
	for i, s := range x.series {
		x.si = int32(i)
		left, total := x.work, x.total
		budget := min(x.maxEventWork, left)
		x.ownBudget = budget == x.maxEventWork
		x.work, x.broken, x.pending = budget, false, x.pending[:0]
		err := x.expandSeries(s)
		x.work = left - (budget - x.work)
		if err != nil {
			var e *Error
			if !x.broken || !errors.As(err, &e) {
				return err
			}
			x.total = total
			x.skip(Warning{Name: e.Name, Line: e.Line, UID: e.UID, Msg: e.Err.Error() + "; event skipped", Skipped: true})
			continue
		}
		for j := range x.pending {
			if err := out(&x.pending[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *expander) uid(s *series) string {
	if s.master >= 0 {
		return x.cal.Events[s.master].UID
	}
	return x.cal.Events[s.overrides[0]].UID
}

// rec is a compact, pointer-free instance.
type rec struct {
	start, end, rid int64 // UTC seconds
	series          int32
	ev              int32 // index of the source event in Calendar.Events
	loc             uint32
	allDay          bool
	ridDate         bool // the original start is a date
	recurring       bool
}

// fill builds the Instance of r.
func (x *expander) fill(in *Instance, r *rec) {
	e := x.cal.Events[r.ev]
	loc := x.locs[r.loc]
	ridLoc := loc
	if r.ridDate {
		ridLoc = x.fz
	}
	*in = Instance{
		UID:                e.UID,
		RecurrenceID:       time.Unix(r.rid, 0).In(ridLoc),
		RecurrenceIDAllDay: r.ridDate,
		Start:              time.Unix(r.start, 0).In(loc),
		End:                time.Unix(r.end, 0).In(loc),
		AllDay:             r.allDay,
		Summary:            e.Summary,
		Organizer:          e.Organizer,
		Attendees:          e.Attendees,
		Status:             e.Status,
		Transparent:        e.Transparent,
		Recurring:          r.recurring,
		Line:               e.Line,
	}
}

func (x *expander) locIndex(loc *time.Location) uint32 {
	if i, ok := x.locIdx[loc]; ok {
		return i
	}
	i := uint32(len(x.locs))
	x.locs = append(x.locs, loc)
	x.locIdx[loc] = i
	return i
}

// series is a master and its overrides, as indices in Calendar.Events.
type series struct {
	master    int32 // -1 when there is none
	overrides []int32
}

// groupSeries groups events by UID. Of several masters (or several
// overrides of one instance) the highest SEQUENCE wins, then the last.
func groupSeries(events []*Event) []*series {
	idx := make(map[string]*series, len(events))
	out := make([]*series, 0, len(events))
	for i, e := range events {
		s := idx[e.UID]
		if s == nil {
			s = &series{master: -1}
			idx[e.UID] = s
			out = append(out, s)
		}
		if e.RecurrenceID.IsZero() {
			if s.master < 0 || e.Sequence >= events[s.master].Sequence {
				s.master = int32(i)
			}
			continue
		}
		replaced := false
		for j, oi := range s.overrides {
			o := events[oi]
			if o.RecurrenceID.kind == e.RecurrenceID.kind && o.RecurrenceID.wall == e.RecurrenceID.wall && o.RecurrenceID.tzid == e.RecurrenceID.tzid {
				if e.Sequence >= o.Sequence {
					s.overrides[j] = int32(i)
				}
				replaced = true
				break
			}
		}
		if !replaced {
			s.overrides = append(s.overrides, int32(i))
		}
	}
	return out
}

type expander struct {
	cal      *Calendar
	fz       *time.Location
	fzTab    *tzTable
	winTab   *tzTable // the zone of the window, which reads all-day dates
	from, to int64
	empty    bool
	max      int
	tabs     map[*time.Location]*tzTable
	sink     func(*rec) error
	series   []*series
	si       int32 // current series
	locs     []*time.Location
	locIdx   map[*time.Location]uint32

	cands    []cand
	exw      []int64 // EXRULE occurrences (walls)
	it       ruleIter
	r        rec
	count    int // instances of the current series
	total    int // instances of all series
	maxTotal int
	work     int64 // work left for all rules (see DefaultMaxWork)
	maxWork  int64

	// Under SkipBroken (skip != nil):
	skip         func(Warning)
	maxEventWork int64
	ownBudget    bool  // the current series' work is bounded by maxEventWork, not by what is left
	broken       bool  // the current series failed on its own bounds
	pending      []rec // instances of the current series
}

// cand is a candidate original start: a wall clock reading in the
// series' zone, and the RDATE period it comes from (-1 if none).
type cand struct {
	wall int64
	per  int32
}

// span is how long instances last: nominal days plus exact seconds.
type span struct {
	days  int64
	exact int64
}

// future is a RANGE=THISANDFUTURE override.
type future struct {
	key   int64
	shift int64 // wall clock seconds the instances move
	dur   span
	ev    *Event
	idx   int32
}

// zoneOf returns the zone and table a value is read in.
func (x *expander) zoneOf(d DateTime) (*time.Location, *tzTable) {
	switch d.kind {
	case KindUTC:
		return time.UTC, tableFor(time.UTC, x.tabs)
	case KindZoned:
		if d.loc != nil {
			return d.loc, tableFor(d.loc, x.tabs)
		}
	}
	return x.fz, x.fzTab
}

// instant returns the UTC instant of a DATE-TIME value (DATE: midnight in
// the calendar zone). Floating values are read in tab.
func (x *expander) instant(d DateTime, tab *tzTable) int64 {
	switch d.kind {
	case KindUTC:
		return d.wall
	case KindZoned:
		if d.loc != nil {
			return tableFor(d.loc, x.tabs).toUTC(d.wall)
		}
		return x.fzTab.toUTC(d.wall)
	case KindDate:
		return x.fzTab.toUTC(d.wall)
	}
	return tab.toUTC(d.wall)
}

// wallIn returns the wall clock reading of d in the zone of tab, keeping
// readings that are already in that zone as written.
func (x *expander) wallIn(d DateTime, loc *time.Location, tab *tzTable) int64 {
	switch d.kind {
	case KindFloating, KindDate:
		return d.wall
	case KindZoned:
		if d.loc == loc || d.loc == nil && loc == x.fz {
			return d.wall
		}
	case KindUTC:
		if loc == time.UTC {
			return d.wall
		}
	}
	return tab.wallOfUTC(x.instant(d, tab))
}

// spanOf returns the length of an event's instances.
func (x *expander) spanOf(e *Event, tab *tzTable, fallback span) span {
	allDay := e.Start.IsDate()
	switch {
	case !e.End.IsZero():
		if allDay {
			days := floorDiv(e.End.wall, secondsPerDay) - floorDiv(e.Start.wall, secondsPerDay)
			if days < 1 {
				days = 1
			}
			return span{days: days}
		}
		d := x.instant(e.End, tab) - x.instant(e.Start, tab)
		if d < 0 {
			d = 0
		}
		return span{exact: d}
	case e.Duration != nil:
		if allDay {
			days := int64(e.Duration.Days) + int64(e.Duration.Time/(24*time.Hour))
			if days < 1 {
				days = 1
			}
			return span{days: days}
		}
		s := span{days: int64(e.Duration.Days), exact: int64(e.Duration.Time / time.Second)}
		if s.days < 0 || s.exact < 0 {
			return span{}
		}
		return s
	}
	if fallback != (span{}) {
		return fallback
	}
	if allDay {
		return span{days: 1}
	}
	return span{}
}

func (s span) maxSeconds() int64 { return s.days*secondsPerDay + s.exact + 3600 }

func (x *expander) tooMany(e *Event) error {
	x.broken = true
	return &Error{Name: x.cal.input, Line: e.Line, UID: e.UID, Err: fmt.Errorf("more than %d instances in the window; recurrence rule too dense to expand", x.max)}
}

func (x *expander) expandSeries(s *series) error {
	x.count = 0
	evs := x.cal.Events
	if s.master < 0 {
		for _, oi := range s.overrides {
			if err := x.emitOverride(oi, nil, span{}); err != nil {
				return err
			}
		}
		return nil
	}
	m := evs[s.master]
	loc, tab := x.zoneOf(m.Start)
	allDay := m.Start.IsDate()
	if allDay {
		loc, tab = x.fz, x.fzTab
	}
	dur := x.spanOf(m, tab, span{})

	// Overrides: exact ones by key, THISANDFUTURE ones in order.
	var exact map[int64]*Event
	var exactDays map[int64]*Event
	var futures []future
	padLo, padHi := 2*secondsPerDay+dur.maxSeconds(), int64(2*secondsPerDay)
	for _, oi := range s.overrides {
		ov := evs[oi]
		rid := ov.RecurrenceID
		if rid.kind == KindDate && !allDay {
			if exactDays == nil {
				exactDays = map[int64]*Event{}
			}
			exactDays[floorDiv(rid.wall, secondsPerDay)] = ov
			continue
		}
		key := x.key(rid, allDay, loc, tab)
		if exact == nil {
			exact = map[int64]*Event{}
		}
		exact[key] = ov
		if ov.ThisAndFuture && ov.Start.IsDate() == allDay {
			f := future{key: key, ev: ov, idx: oi}
			f.shift = x.wallIn(ov.Start, loc, tab) - x.wallIn(rid, loc, tab)
			f.dur = x.spanOf(ov, tab, dur)
			futures = append(futures, f)
			padLo += abs64(f.shift) + f.dur.maxSeconds()
			padHi += abs64(f.shift)
		}
	}
	slices.SortFunc(futures, func(a, b future) int { return cmp.Compare(a.key, b.key) })

	if m.Status != StatusCancelled {
		if err := x.collect(m, loc, tab, allDay, x.from-padLo, x.to+padHi); err != nil {
			return err
		}
		recurring := m.IsRecurring() || len(s.overrides) > 0
		exKeys, exDays := x.exclusions(m, allDay, loc, tab)
		li := x.locIndex(loc)
		lastKey := int64(minWall) - 1
		for _, c := range x.cands {
			w := c.wall
			if allDay {
				w = floorDiv(w, secondsPerDay) * secondsPerDay // all-day stays dates
			}
			key := w
			if !allDay {
				key = tab.toUTC(w)
			}
			if key == lastKey {
				continue // two readings, one instant (a DST gap)
			}
			lastKey = key
			if _, ok := slices.BinarySearch(exKeys, key); ok {
				continue
			}
			if len(exDays) > 0 {
				if _, ok := slices.BinarySearch(exDays, floorDiv(w, secondsPerDay)); ok {
					continue
				}
			}
			if len(x.exw) > 0 {
				if _, ok := slices.BinarySearch(x.exw, w); ok {
					continue
				}
			}
			if exact[key] != nil {
				continue
			}
			if exactDays[floorDiv(w, secondsPerDay)] != nil {
				continue
			}
			src, srcIdx, d, w2 := m, s.master, dur, w
			if len(futures) > 0 {
				i, found := slices.BinarySearchFunc(futures, key, func(f future, k int64) int { return cmp.Compare(f.key, k) })
				if !found {
					i--
				}
				if i >= 0 {
					f := &futures[i]
					src, srcIdx, d, w2 = f.ev, f.idx, f.dur, w+f.shift
					if src.Status == StatusCancelled {
						continue
					}
				}
			}
			var start, end int64
			if allDay {
				start = x.fzTab.toUTC(w2)
				end = x.fzTab.toUTC(w2 + d.days*secondsPerDay)
			} else {
				start = key
				if w2 != w {
					start = tab.toUTC(w2)
				}
				end = start + d.exact
				if d.days != 0 {
					end = tab.toUTC(w2+d.days*secondsPerDay) + d.exact
				}
				if c.per >= 0 {
					per := &m.RDates[c.per]
					if !per.End.IsZero() {
						end = max(start, x.instant(per.End, tab))
					} else if !per.Duration.IsZero() && per.Duration.Days >= 0 && per.Duration.Time >= 0 {
						end = start + int64(per.Duration.Time/time.Second)
						if per.Duration.Days != 0 {
							end = tab.toUTC(w2+int64(per.Duration.Days)*secondsPerDay) + int64(per.Duration.Time/time.Second)
						}
					}
				}
			}
			if allDay && !x.dateIn(w2) || !allDay && !x.overlaps(start, end) {
				continue
			}
			r := &x.r
			*r = rec{start: start, end: end, rid: start, series: x.si, ev: srcIdx, loc: li, allDay: allDay, ridDate: allDay, recurring: recurring}
			if w2 != w {
				if allDay {
					r.rid = x.fzTab.toUTC(w)
				} else {
					r.rid = key
				}
			}
			if err := x.emit(m); err != nil {
				return err
			}
		}
	}
	for _, oi := range s.overrides {
		ov := evs[oi]
		if m.Status == StatusCancelled && (ov.Status == StatusNone || ov.Status == StatusCancelled) {
			continue
		}
		if err := x.emitOverride(oi, m, dur); err != nil {
			return err
		}
	}
	return nil
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// dateIn reports whether an all-day instance starting on the date of
// wall reading w is in the window: dates are floating, so its midnight is
// read in the window's zone (that of from).
func (x *expander) dateIn(w int64) bool {
	at := x.winTab.toUTC(w)
	return at >= x.from && at < x.to
}

func (x *expander) overlaps(start, end int64) bool {
	return start < x.to && (end > x.from || end == start && start >= x.from)
}

func (x *expander) emit(e *Event) error {
	x.count++
	x.total++
	if x.count > x.max {
		return x.tooMany(e)
	}
	if x.total > x.maxTotal {
		return &Error{Name: x.cal.input, Err: fmt.Errorf("more than %d instances in the window; ask for a shorter one", x.maxTotal)}
	}
	return x.sink(&x.r)
}

// key maps an original start to the value instances are matched by: the
// UTC instant for timed series, the date's wall reading for all-day ones.
func (x *expander) key(d DateTime, allDay bool, loc *time.Location, tab *tzTable) int64 {
	if allDay {
		// A date, or a reading whose own date counts (Outlook writes
		// all-day exceptions as midnight in a zone); UTC is read in the
		// calendar zone.
		w := d.wall
		if d.kind == KindUTC {
			w = x.fzTab.wallOfUTC(d.wall)
		}
		return floorDiv(w, secondsPerDay) * secondsPerDay
	}
	if d.kind == KindDate {
		return tab.toUTC(d.wall)
	}
	return x.instant(d, tab)
}

// exclusions returns the sorted EXDATE keys of m, and the day numbers
// excluded by DATE-valued EXDATEs of a timed series.
func (x *expander) exclusions(m *Event, allDay bool, loc *time.Location, tab *tzTable) (keys, days []int64) {
	for _, d := range m.ExDates {
		if d.kind == KindDate && !allDay {
			days = append(days, floorDiv(d.wall, secondsPerDay))
			continue
		}
		keys = append(keys, x.key(d, allDay, loc, tab))
	}
	slices.Sort(keys)
	slices.Sort(days)
	return keys, days
}

// collect fills x.cands with the original starts of m (DTSTART, RRULE and
// RDATE) whose wall reading lies in [lo, hi], sorted and unique, and x.exw
// with EXRULE occurrences.
func (x *expander) collect(m *Event, loc *time.Location, tab *tzTable, allDay bool, lo, hi int64) error {
	x.cands = x.cands[:0]
	x.exw = x.exw[:0]
	dtstart := m.Start.wall
	limit := 2*x.max + len(m.ExDates) + 64
	if dtstart >= lo && dtstart <= hi {
		x.cands = append(x.cands, cand{wall: dtstart, per: -1})
	}
	for _, r := range m.Rules {
		if allDay {
			r = dateRule(r)
		}
		u := x.untilCheck(r, allDay, tab)
		x.it.init(r, dtstart, lo, hi, &x.work)
		n := 1
		for {
			w, ok, err := x.it.next()
			if err != nil {
				return x.ruleError(m, r, err)
			}
			if !ok {
				break
			}
			if w <= dtstart {
				continue
			}
			if r.Count > 0 && n >= r.Count {
				break
			}
			if u.passed(w) {
				break
			}
			n++
			if w >= lo {
				x.cands = append(x.cands, cand{wall: w, per: -1})
				if len(x.cands) > limit {
					return x.tooMany(m)
				}
			}
		}
	}
	for i, p := range m.RDates {
		var w int64
		switch {
		case allDay:
			w = floorDiv(x.wallIn(p.Start, loc, tab), secondsPerDay) * secondsPerDay
		case p.Start.kind == KindDate:
			w = p.Start.wall + floorMod(dtstart, secondsPerDay)
		default:
			w = x.wallIn(p.Start, loc, tab)
		}
		if w >= lo && w <= hi {
			per := int32(-1)
			if !allDay && (!p.End.IsZero() || !p.Duration.IsZero()) {
				per = int32(i)
			}
			x.cands = append(x.cands, cand{wall: w, per: per})
		}
	}
	if len(m.Rules) > 1 || len(m.RDates) > 0 {
		slices.SortStableFunc(x.cands, func(a, b cand) int { return cmp.Compare(a.wall, b.wall) })
		x.cands = slices.CompactFunc(x.cands, func(a, b cand) bool { return a.wall == b.wall })
	}
	for _, r := range m.ExRules {
		if allDay {
			r = dateRule(r)
		}
		u := x.untilCheck(r, allDay, tab)
		x.it.init(r, dtstart, lo, hi, &x.work)
		n := 0
		for {
			w, ok, err := x.it.next()
			if err != nil {
				return x.ruleError(m, r, err)
			}
			if !ok || r.Count > 0 && n >= r.Count || u.passed(w) {
				break
			}
			if w < dtstart {
				continue
			}
			n++
			if w >= lo {
				x.exw = append(x.exw, w)
				if len(x.exw) > limit {
					return x.tooMany(m)
				}
			}
		}
	}
	if len(m.ExRules) > 1 {
		slices.Sort(x.exw)
	}
	return nil
}

// ruleError names the event and rule an expansion error comes from.
func (x *expander) ruleError(m *Event, r *Recur, err error) error {
	rule := r.String()
	if len(rule) > 120 {
		rule = rule[:117] + "..."
	}
	switch {
	case err == errTooExpensive && x.skip != nil && x.ownBudget:
		x.broken = true
		err = fmt.Errorf("%w (more than %d steps for the rules of one event)", err, x.maxEventWork)
	case err == errTooExpensive:
		err = fmt.Errorf("%w (more than %d steps for the rules of this expansion)", err, x.maxWork)
	case errors.Is(err, errTooExpensive):
		x.broken = true // too much in one period, whatever the budget
	}
	return &Error{Name: x.cal.input, Line: m.Line, UID: m.UID, Err: fmt.Errorf("rule %s: %w", rule, err)}
}

// dateRule returns r without the parts finer than a day (BYHOUR,
// BYMINUTE, BYSECOND), which an all-day series ignores.
func dateRule(r *Recur) *Recur {
	if r.Freq > Daily || len(r.ByHour)+len(r.ByMinute)+len(r.BySecond) == 0 {
		return r
	}
	c := *r
	c.ByHour, c.ByMinute, c.BySecond = nil, nil, nil
	return &c
}

// until decides whether an occurrence (a wall reading) is past UNTIL.
type until struct {
	kind  uint8 // 0 none, 1 wall compare, 2 instant compare, 3 all-day vs instant
	wall  int64
	utc   int64
	tab   *tzTable
	fzTab *tzTable
}

func (x *expander) untilCheck(r *Recur, allDay bool, tab *tzTable) until {
	u := r.Until
	switch {
	case u.IsZero():
		return until{}
	case allDay && u.kind == KindUTC:
		return until{kind: 3, utc: u.wall, fzTab: x.fzTab}
	case allDay:
		return until{kind: 1, wall: floorDiv(u.wall, secondsPerDay) * secondsPerDay}
	case u.kind == KindDate:
		return until{kind: 1, wall: u.wall + secondsPerDay - 1}
	case u.kind == KindUTC || u.kind == KindZoned && u.loc != nil:
		utc := x.instant(u, tab)
		return until{kind: 2, utc: utc, wall: tab.wallOfUTC(utc), tab: tab}
	}
	return until{kind: 1, wall: u.wall}
}

func (u *until) passed(w int64) bool {
	switch u.kind {
	case 1:
		return w > u.wall
	case 2:
		if w < u.wall-2*secondsPerDay {
			return false
		}
		if w > u.wall+2*secondsPerDay {
			return true
		}
		return u.tab.toUTC(w) > u.utc
	case 3:
		// An all-day occurrence is within a UTC UNTIL if its midnight is,
		// read either in UTC or in the calendar zone (exports differ).
		return w > u.utc && u.fzTab.toUTC(w) > u.utc
	}
	return false
}

// emitOverride emits an override (or a lone instance of a series whose
// master is missing). m is the master, or nil.
func (x *expander) emitOverride(oi int32, m *Event, mdur span) error {
	ov := x.cal.Events[oi]
	if ov.Status == StatusCancelled {
		return nil
	}
	allDay := ov.Start.IsDate()
	loc, tab := x.zoneOf(ov.Start)
	if allDay {
		loc, tab = x.fz, x.fzTab
	}
	fallback := span{}
	if m != nil && m.Start.IsDate() == allDay {
		fallback = mdur
	}
	d := x.spanOf(ov, tab, fallback)
	w := ov.Start.wall
	var start, end int64
	if allDay {
		start = x.fzTab.toUTC(w)
		end = x.fzTab.toUTC(w + d.days*secondsPerDay)
	} else {
		start = x.instant(ov.Start, tab)
		end = start + d.exact
		if d.days != 0 {
			end = tab.toUTC(tab.wallOfUTC(start)+d.days*secondsPerDay) + d.exact
		}
	}
	if allDay && !x.dateIn(w) || !allDay && !x.overlaps(start, end) {
		return nil
	}
	// The original start, read as the master reads its instances.
	rid := ov.RecurrenceID
	var ridAt int64
	switch {
	case m != nil && m.Start.IsDate():
		ridAt = x.fzTab.toUTC(x.key(rid, true, x.fz, x.fzTab))
	case m != nil:
		_, mtab := x.zoneOf(m.Start)
		if rid.kind == KindDate {
			ridAt = mtab.toUTC(rid.wall + floorMod(m.Start.wall, secondsPerDay))
		} else {
			ridAt = x.instant(rid, mtab)
		}
	case rid.kind == KindDate:
		ridAt = x.fzTab.toUTC(rid.wall)
	default:
		ridAt = x.instant(rid, tab)
	}
	ridDate := rid.kind == KindDate
	if m != nil {
		ridDate = m.Start.IsDate()
	}
	x.r = rec{start: start, end: end, rid: ridAt, series: x.si, ev: oi, loc: x.locIndex(loc), allDay: allDay, ridDate: ridDate, recurring: true}
	return x.emit(ov)
}

// sortRecs returns the order of recs by start, then UID rank, then
// original start. It radix-sorts packed keys when they fit in 64 bits.
func sortRecs(recs []rec, rank []int32) []int32 {
	order := make([]int32, len(recs))
	for i := range order {
		order[i] = int32(i)
	}
	if len(recs) < 2 {
		return order
	}
	lo, hi := recs[0].start, recs[0].start
	for i := range recs {
		lo, hi = min(lo, recs[i].start), max(hi, recs[i].start)
	}
	rankBits := bits.Len(uint(len(rank)))
	if bits.Len64(uint64(hi-lo))+rankBits > 64 {
		slices.SortStableFunc(order, func(a, b int32) int {
			ra, rb := &recs[a], &recs[b]
			if ra.start != rb.start {
				return cmp.Compare(ra.start, rb.start)
			}
			if c := cmp.Compare(rank[ra.series], rank[rb.series]); c != 0 {
				return c
			}
			return cmp.Compare(ra.rid, rb.rid)
		})
		return order
	}
	keys := make([]uint64, len(recs))
	for i := range recs {
		keys[i] = uint64(recs[i].start-lo)<<rankBits | uint64(rank[recs[i].series])
	}
	radixSort(keys, order)
	// Equal keys (one series, one start): order by original start.
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && keys[j] == keys[i] {
			j++
		}
		if j-i > 1 {
			run := order[i:j]
			slices.SortStableFunc(run, func(a, b int32) int { return cmp.Compare(recs[a].rid, recs[b].rid) })
		}
		i = j
	}
	return order
}

// radixSort sorts keys ascending, stably, permuting vals alongside.
func radixSort(keys []uint64, vals []int32) {
	const digit = 11
	const buckets = 1 << digit
	n := len(keys)
	srcK, srcV := keys, vals
	dstK, dstV := make([]uint64, n), make([]int32, n)
	var all uint64
	for _, k := range keys {
		all |= k
	}
	var count [buckets]int
	for shift := 0; shift < 64 && all>>shift != 0; shift += digit {
		count = [buckets]int{}
		for _, k := range srcK {
			count[(k>>shift)&(buckets-1)]++
		}
		if count[(srcK[0]>>shift)&(buckets-1)] == n {
			continue // every key has this digit
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i, k := range srcK {
			d := (k >> shift) & (buckets - 1)
			dstK[count[d]] = k
			dstV[count[d]] = srcV[i]
			count[d]++
		}
		srcK, dstK = dstK, srcK
		srcV, dstV = dstV, srcV
	}
	if &srcK[0] != &keys[0] {
		copy(keys, srcK)
		copy(vals, srcV)
	}
}
