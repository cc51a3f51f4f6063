package ical

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"
)

// DefaultMaxInstances bounds the instances one event may have in one
// expansion unless ExpandOptions says otherwise.
const DefaultMaxInstances = 50_000

// ExpandOptions controls Calendar.ExpandWith and Calendar.Each.
type ExpandOptions struct {
	// MaxInstances bounds the instances of one event in the window; an
	// event with more is an error. 0 means DefaultMaxInstances.
	MaxInstances int
}

// Expand returns the instances of all events that overlap [from, to),
// sorted by start, then UID, then original start. Cancelled instances and
// series are left out. An instance overlaps when it starts before to and
// ends after from (a zero-length one: starts at or after from).
func (c *Calendar) Expand(from, to time.Time) ([]Instance, error) {
	return c.ExpandWith(from, to, ExpandOptions{})
}

// ExpandWith is Expand with options.
func (c *Calendar) ExpandWith(from, to time.Time, opt ExpandOptions) ([]Instance, error) {
	out := make([]Instance, 0, 64)
	err := c.Each(from, to, opt, func(in *Instance) error {
		out = append(out, *in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortInstances(out)
	return out, nil
}

// SortInstances sorts by start, then UID, then original start.
func SortInstances(v []Instance) { sort.Sort(byStart(v)) }

type byStart []Instance

func (v byStart) Len() int      { return len(v) }
func (v byStart) Swap(i, j int) { v[i], v[j] = v[j], v[i] }
func (v byStart) Less(i, j int) bool {
	a, b := &v[i], &v[j]
	if c := a.Start.Compare(b.Start); c != 0 {
		return c < 0
	}
	if a.UID != b.UID {
		return a.UID < b.UID
	}
	return a.RecurrenceID.Before(b.RecurrenceID)
}

// Each calls fn for every instance overlapping [from, to), series by
// series in calendar order (not sorted). The Instance passed to fn is
// reused: copy it to keep it. An error from fn stops the expansion.
func (c *Calendar) Each(from, to time.Time, opt ExpandOptions, fn func(*Instance) error) error {
	x := &expander{
		cal:  c,
		from: from.Unix(),
		to:   to.Unix(),
		max:  opt.MaxInstances,
		tabs: map[*time.Location]*tzTable{},
		fn:   fn,
	}
	if x.max <= 0 {
		x.max = DefaultMaxInstances
	}
	x.fz = c.Zone
	if x.fz == nil {
		x.fz = time.UTC
	}
	x.fzTab = tableFor(x.fz, x.tabs)
	if !to.After(from) {
		return nil
	}
	for _, s := range groupSeries(c.Events) {
		if err := x.series(s); err != nil {
			return err
		}
	}
	return nil
}

type series struct {
	master    *Event
	overrides []*Event
}

// groupSeries groups events by UID. Of several masters (or several
// overrides of one instance) the highest SEQUENCE wins, then the last.
func groupSeries(events []*Event) []*series {
	idx := make(map[string]*series, len(events))
	out := make([]*series, 0, len(events))
	for _, e := range events {
		s := idx[e.UID]
		if s == nil {
			s = &series{}
			idx[e.UID] = s
			out = append(out, s)
		}
		if e.RecurrenceID.IsZero() {
			if s.master == nil || e.Sequence >= s.master.Sequence {
				s.master = e
			}
			continue
		}
		replaced := false
		for i, o := range s.overrides {
			if o.RecurrenceID.kind == e.RecurrenceID.kind && o.RecurrenceID.wall == e.RecurrenceID.wall && o.RecurrenceID.tzid == e.RecurrenceID.tzid {
				if e.Sequence >= o.Sequence {
					s.overrides[i] = e
				}
				replaced = true
				break
			}
		}
		if !replaced {
			s.overrides = append(s.overrides, e)
		}
	}
	return out
}

type expander struct {
	cal      *Calendar
	fz       *time.Location
	fzTab    *tzTable
	from, to int64
	max      int
	tabs     map[*time.Location]*tzTable
	fn       func(*Instance) error

	cands []cand
	exw   []int64 // EXRULE occurrences (walls)
	it    ruleIter
	inst  Instance
	count int
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
	return &Error{Name: "", Line: e.Line, UID: e.UID, Err: fmt.Errorf("more than %d instances in the window; recurrence rule too dense to expand", x.max)}
}

func (x *expander) series(s *series) error {
	x.count = 0
	m := s.master
	if m == nil {
		for _, ov := range s.overrides {
			if err := x.emitOverride(ov, nil, nil, span{}); err != nil {
				return err
			}
		}
		return nil
	}
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
	for _, ov := range s.overrides {
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
			f := future{key: key, ev: ov}
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
		lastKey := int64(minWall) - 1
		for _, c := range x.cands {
			w := c.wall
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
			src, d, w2 := m, dur, w
			if len(futures) > 0 {
				i, found := slices.BinarySearchFunc(futures, key, func(f future, k int64) int { return cmp.Compare(f.key, k) })
				if !found {
					i--
				}
				if i >= 0 {
					f := &futures[i]
					src, d, w2 = f.ev, f.dur, w+f.shift
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
				start = tab.toUTC(w2)
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
			if !x.overlaps(start, end) {
				continue
			}
			in := &x.inst
			*in = Instance{
				UID:         m.UID,
				Start:       time.Unix(start, 0).In(loc),
				End:         time.Unix(end, 0).In(loc),
				AllDay:      allDay,
				Summary:     src.Summary,
				Organizer:   src.Organizer,
				Attendees:   src.Attendees,
				Status:      src.Status,
				Transparent: src.Transparent,
				Recurring:   recurring,
				Line:        src.Line,
			}
			if w2 == w {
				in.RecurrenceID = in.Start
			} else if allDay {
				in.RecurrenceID = time.Unix(x.fzTab.toUTC(w), 0).In(loc)
			} else {
				in.RecurrenceID = time.Unix(tab.toUTC(w), 0).In(loc)
			}
			if err := x.emit(m); err != nil {
				return err
			}
		}
	}
	for _, ov := range s.overrides {
		if m.Status == StatusCancelled && (ov.Status == StatusNone || ov.Status == StatusCancelled) {
			continue
		}
		if err := x.emitOverride(ov, m, tab, dur); err != nil {
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

func (x *expander) overlaps(start, end int64) bool {
	return start < x.to && (end > x.from || end == start && start >= x.from)
}

func (x *expander) emit(e *Event) error {
	x.count++
	if x.count > x.max {
		return x.tooMany(e)
	}
	return x.fn(&x.inst)
}

// key maps an original start to the value instances are matched by: the
// UTC instant for timed series, the date's wall reading for all-day ones.
func (x *expander) key(d DateTime, allDay bool, loc *time.Location, tab *tzTable) int64 {
	if allDay {
		return floorDiv(x.wallIn(d, loc, tab), secondsPerDay) * secondsPerDay
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
		u := x.untilCheck(r, allDay, tab)
		x.it.init(r, dtstart, lo, hi)
		n := 1
		for {
			w, ok, err := x.it.next()
			if err != nil {
				return &Error{Line: m.Line, UID: m.UID, Err: err}
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
		u := x.untilCheck(r, allDay, tab)
		x.it.init(r, dtstart, lo, hi)
		n := 0
		for {
			w, ok, err := x.it.next()
			if err != nil {
				return &Error{Line: m.Line, UID: m.UID, Err: err}
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
func (x *expander) emitOverride(ov *Event, m *Event, mtab *tzTable, mdur span) error {
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
	if !x.overlaps(start, end) {
		return nil
	}
	in := &x.inst
	*in = Instance{
		UID:         ov.UID,
		Start:       time.Unix(start, 0).In(loc),
		End:         time.Unix(end, 0).In(loc),
		AllDay:      allDay,
		Summary:     ov.Summary,
		Organizer:   ov.Organizer,
		Attendees:   ov.Attendees,
		Status:      ov.Status,
		Transparent: ov.Transparent,
		Recurring:   true,
		Line:        ov.Line,
	}
	rid := ov.RecurrenceID
	ridLoc, ridTab := loc, tab
	if m != nil {
		ridLoc, ridTab = x.zoneOf(m.Start)
		if m.Start.IsDate() {
			ridLoc, ridTab = x.fz, x.fzTab
		}
	}
	if rid.kind == KindDate {
		in.RecurrenceID = time.Unix(x.fzTab.toUTC(rid.wall), 0).In(x.fz)
		if m != nil && !m.Start.IsDate() {
			// A DATE override of a timed series: the original start is on
			// that date at the series' time of day.
			in.RecurrenceID = time.Unix(ridTab.toUTC(rid.wall+floorMod(m.Start.wall, secondsPerDay)), 0).In(ridLoc)
		}
	} else {
		in.RecurrenceID = time.Unix(x.instant(rid, ridTab), 0).In(ridLoc)
		if m != nil && m.Start.IsDate() {
			in.RecurrenceID = time.Unix(x.fzTab.toUTC(floorDiv(x.wallIn(rid, ridLoc, ridTab), secondsPerDay)*secondsPerDay), 0).In(x.fz)
		}
	}
	_ = mtab
	return x.emit(ov)
}
