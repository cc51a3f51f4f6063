package ical

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Freq is the FREQ of a recurrence rule.
type Freq uint8

// Recurrence frequencies, coarsest first.
const (
	Yearly Freq = iota + 1
	Monthly
	Weekly
	Daily
	Hourly
	Minutely
	Secondly
)

var freqNames = [...]string{"", "YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"}

// String returns the iCalendar name of f.
func (f Freq) String() string {
	if int(f) < len(freqNames) {
		return freqNames[f]
	}
	return "Freq(" + strconv.Itoa(int(f)) + ")"
}

// Weekday is an iCalendar weekday; the zero value means "not set" (for
// WKST, Monday).
type Weekday uint8

// Weekdays as written in BYDAY and WKST.
const (
	MO Weekday = iota + 1
	TU
	WE
	TH
	FR
	SA
	SU
)

var dayNames = [...]string{"", "MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// String returns the two-letter iCalendar name of d.
func (d Weekday) String() string {
	if int(d) < len(dayNames) && d != 0 {
		return dayNames[d]
	}
	return "MO"
}

// Std returns d as a time.Weekday (Monday for the zero value).
func (d Weekday) Std() time.Weekday {
	if d == 0 || d > SU {
		return time.Monday
	}
	return time.Weekday(d % 7)
}

// WeekdayOf converts a time.Weekday.
func WeekdayOf(w time.Weekday) Weekday {
	if w == time.Sunday {
		return SU
	}
	return Weekday(w)
}

// WeekdayNum is one BYDAY entry: a weekday, optionally the Nth (negative:
// from the end) within the month or year.
type WeekdayNum struct {
	N   int
	Day Weekday
}

// Recur is an RRULE value (RFC 5545 §3.3.10).
type Recur struct {
	Freq       Freq
	Interval   int      // 0 means 1
	Count      int      // 0 means no COUNT
	Until      DateTime // zero means no UNTIL
	BySecond   []int
	ByMinute   []int
	ByHour     []int
	ByDay      []WeekdayNum
	ByMonthDay []int
	ByYearDay  []int
	ByWeekNo   []int
	ByMonth    []int
	BySetPos   []int
	WeekStart  Weekday // 0 means Monday
}

// ParseRecur reads an RRULE value such as "FREQ=WEEKLY;BYDAY=MO,WE".
// A DATE-TIME UNTIL without "Z" is returned as KindFloating; the event's
// zone applies to it.
func ParseRecur(s string) (*Recur, error) {
	return parseRecur([]byte(s))
}

func parseRecur(b []byte) (*Recur, error) {
	r := &Recur{}
	for len(b) > 0 {
		var part []byte
		if i := indexByte(b, ';'); i >= 0 {
			part, b = b[:i], b[i+1:]
		} else {
			part, b = b, nil
		}
		if len(part) == 0 {
			continue
		}
		eq := indexByte(part, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("invalid RRULE part %q", clip(part))
		}
		name, val := strings.ToUpper(string(part[:eq])), part[eq+1:]
		var err error
		switch name {
		case "FREQ":
			r.Freq = 0
			for f := Yearly; f <= Secondly; f++ {
				if strings.EqualFold(string(val), freqNames[f]) {
					r.Freq = f
				}
			}
			if r.Freq == 0 {
				err = fmt.Errorf("unknown FREQ %q", clip(val))
			}
		case "INTERVAL":
			r.Interval, err = atoiRange(val, 1, 1_000_000)
		case "COUNT":
			r.Count, err = atoiRange(val, 1, 1_000_000_000)
		case "UNTIL":
			var wall int64
			var date, utc bool
			wall, date, utc, err = parseDateTime(val)
			switch {
			case err != nil:
			case date:
				r.Until = DateTime{wall: wall, kind: KindDate}
			case utc:
				r.Until = DateTime{wall: wall, kind: KindUTC}
			default:
				r.Until = DateTime{wall: wall, kind: KindFloating}
			}
		case "BYSECOND":
			r.BySecond, err = intList(val, 0, 60, false)
		case "BYMINUTE":
			r.ByMinute, err = intList(val, 0, 59, false)
		case "BYHOUR":
			r.ByHour, err = intList(val, 0, 23, false)
		case "BYMONTHDAY":
			r.ByMonthDay, err = intList(val, 1, 31, true)
		case "BYYEARDAY":
			r.ByYearDay, err = intList(val, 1, 366, true)
		case "BYWEEKNO":
			r.ByWeekNo, err = intList(val, 1, 53, true)
		case "BYMONTH":
			r.ByMonth, err = intList(val, 1, 12, false)
		case "BYSETPOS":
			r.BySetPos, err = intList(val, 1, 366, true)
		case "BYDAY":
			r.ByDay, err = weekdayList(val)
		case "WKST":
			r.WeekStart = weekdayNamed(val)
			if r.WeekStart == 0 {
				err = fmt.Errorf("invalid WKST %q", clip(val))
			}
		case "RSCALE":
			if !strings.EqualFold(string(val), "GREGORIAN") {
				err = fmt.Errorf("unsupported RSCALE %q", clip(val))
			}
		default:
			// SKIP (RFC 7529, only meaningful with other scales) and
			// x-name parts are ignored.
		}
		if err != nil {
			return nil, err
		}
	}
	if r.Freq == 0 {
		return nil, errors.New("RRULE without FREQ")
	}
	return r, nil
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func atoiRange(b []byte, lo, hi int) (int, error) {
	s := strings.TrimPrefix(string(b), "+")
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("invalid number %q (want %d to %d)", clip(b), lo, hi)
	}
	return n, nil
}

// intList reads "1,-1,15". With signed, values may be negative (but not 0)
// within ±[lo,hi].
func intList(b []byte, lo, hi int, signed bool) ([]int, error) {
	var out []int
	for _, f := range strings.Split(string(b), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(f, "+"))
		ok := err == nil && (n >= lo && n <= hi || signed && n <= -lo && n >= -hi && n != 0)
		if !ok {
			return nil, fmt.Errorf("invalid value %q in %q", f, clip(b))
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list %q", clip(b))
	}
	return out, nil
}

func weekdayNamed(b []byte) Weekday {
	if len(b) != 2 {
		return 0
	}
	s := strings.ToUpper(string(b))
	for d := MO; d <= SU; d++ {
		if dayNames[d] == s {
			return d
		}
	}
	return 0
}

func weekdayList(b []byte) ([]WeekdayNum, error) {
	var out []WeekdayNum
	for _, f := range strings.Split(string(b), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("invalid BYDAY value %q", f)
		}
		d := weekdayNamed([]byte(f[len(f)-2:]))
		n := 0
		if num := strings.TrimPrefix(f[:len(f)-2], "+"); num != "" {
			var err error
			n, err = strconv.Atoi(num)
			if err != nil || n == 0 || n > 53 || n < -53 {
				d = 0
			}
		}
		if d == 0 {
			return nil, fmt.Errorf("invalid BYDAY value %q", f)
		}
		out = append(out, WeekdayNum{N: n, Day: d})
	}
	if len(out) == 0 {
		return nil, errors.New("empty BYDAY")
	}
	return out, nil
}

// Validate reports whether r is a usable rule (as ParseRecur would accept).
func (r *Recur) Validate() error {
	if r == nil {
		return errors.New("nil rule")
	}
	_, err := parseRecur([]byte(r.String()))
	if err != nil {
		return err
	}
	if r.Freq < Yearly || r.Freq > Secondly {
		return fmt.Errorf("invalid FREQ %d", r.Freq)
	}
	return nil
}

// String returns r as an RRULE value.
func (r *Recur) String() string {
	var b strings.Builder
	b.WriteString("FREQ=")
	b.WriteString(r.Freq.String())
	if !r.Until.IsZero() {
		b.WriteString(";UNTIL=")
		b.WriteString(r.Until.String())
	}
	if r.Count > 0 {
		b.WriteString(";COUNT=")
		b.WriteString(strconv.Itoa(r.Count))
	}
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=")
		b.WriteString(strconv.Itoa(r.Interval))
	}
	list := func(name string, v []int) {
		if len(v) == 0 {
			return
		}
		b.WriteString(";" + name + "=")
		for i, n := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
	}
	list("BYSECOND", r.BySecond)
	list("BYMINUTE", r.ByMinute)
	list("BYHOUR", r.ByHour)
	if len(r.ByDay) > 0 {
		b.WriteString(";BYDAY=")
		for i, d := range r.ByDay {
			if i > 0 {
				b.WriteByte(',')
			}
			if d.N != 0 {
				b.WriteString(strconv.Itoa(d.N))
			}
			b.WriteString(d.Day.String())
		}
	}
	list("BYMONTHDAY", r.ByMonthDay)
	list("BYYEARDAY", r.ByYearDay)
	list("BYWEEKNO", r.ByWeekNo)
	list("BYMONTH", r.ByMonth)
	list("BYSETPOS", r.BySetPos)
	if r.WeekStart != 0 && r.WeekStart != MO {
		b.WriteString(";WKST=")
		b.WriteString(r.WeekStart.String())
	}
	return b.String()
}

// errTooExpensive is returned when a rule needs more work than allowed.
var errTooExpensive = errors.New("recurrence rule too expensive to expand")

// maxPeriods bounds the periods one rule may step through in one expansion.
const maxPeriods = 2_000_000

// maxPeriodCandidates bounds the candidates one period of a rule may have
// when they must all be listed (no BYSETPOS): 8 bytes each.
const maxPeriodCandidates = 1 << 19

// ownWork is the work budget of an iterator that shares none (VTIMEZONE
// rules).
const ownWork = 20_000_000

// ruleIter enumerates the occurrences of a rule, as wall clock readings in
// ascending order, from a starting period onwards. COUNT, UNTIL and DTSTART
// handling are left to the caller.
type ruleIter struct {
	freq     Freq
	interval int64
	dtstart  int64
	hi       int64 // stop after this wall reading

	monthMask  uint16
	hourMask   uint32
	minuteMask uint64
	secondMask uint64
	mdayPos    uint32 // bit d: day d of the month
	mdayNeg    uint32 // bit d: d-th last day of the month
	ydays      []int
	weeknos    []int
	wdayMask   uint8 // bit w (Sunday = 0): any such weekday matches
	nth        []WeekdayNum
	hasByDay   bool
	nthInMonth bool
	setpos     []int
	wkst       int

	times   []int32 // seconds of day, for Yearly..Daily, once listed
	ntimes  int     // how many times of day, for Yearly..Daily
	hours   []int   // for Yearly..Daily
	minutes []int   // for Hourly
	seconds []int   // for Hourly and Minutely

	period int64 // current period: year, month index, week/day number, or wall second
	steps  int
	buf    []int64
	days   []int64 // days of the current period that match, for Yearly..Daily
	pos    int
	done   bool

	// work is the budget left, shared by every rule of one expansion:
	// one unit per period, day examined and candidate listed.
	work *int64
	own  int64

	// week-year cache for BYWEEKNO
	wyYear         int
	wyW1, wyW1Next int64
	wyW1Prev       int64
}

func bitsOf(v []int) (m uint64) {
	for _, n := range v {
		if n >= 0 && n < 64 {
			m |= 1 << uint(n)
		}
	}
	return m
}

// init prepares the iteration of r from dtstart. lo is the earliest wall
// reading the caller needs (rules with COUNT always start at dtstart); hi
// the latest.
func (it *ruleIter) init(r *Recur, dtstart, lo, hi int64, work *int64) {
	*it = ruleIter{buf: it.buf[:0], times: it.times[:0], days: it.days[:0], work: work}
	if it.work == nil {
		it.own = ownWork
		it.work = &it.own
	}
	it.freq = r.Freq
	it.interval = int64(max(r.Interval, 1))
	it.dtstart = dtstart
	it.hi = hi
	it.wkst = int(r.WeekStart.Std())
	y, mo, d, h, mi, s := civilOfWall(dtstart)

	// What the rule does not say is taken from DTSTART (RFC 5545
	// §3.3.10): the weekday of BYWEEKNO weeks, the month of a yearly
	// BYMONTHDAY.
	byMonth, byMonthDay, byDay := r.ByMonth, r.ByMonthDay, r.ByDay
	wd0 := []WeekdayNum{{Day: WeekdayOf(time.Weekday(weekdayOf(floorDiv(dtstart, secondsPerDay))))}}
	if it.freq == Yearly && len(r.ByWeekNo) > 0 && len(byDay) == 0 && len(byMonthDay) == 0 && len(r.ByYearDay) == 0 {
		byDay = wd0
	}
	if it.freq == Yearly && len(byMonthDay) > 0 && len(byMonth) == 0 && len(r.ByWeekNo) == 0 && len(r.ByYearDay) == 0 {
		byMonth = []int{mo}
	}
	if len(r.ByWeekNo) == 0 && len(r.ByYearDay) == 0 && len(byMonthDay) == 0 && len(byDay) == 0 {
		switch it.freq {
		case Yearly:
			if len(byMonth) == 0 {
				byMonth = []int{mo}
			}
			byMonthDay = []int{d}
		case Monthly:
			byMonthDay = []int{d}
		case Weekly:
			byDay = wd0
		}
	}
	it.monthMask = uint16(bitsOf(byMonth))
	for _, n := range byMonthDay {
		if n > 0 {
			it.mdayPos |= 1 << uint(n)
		} else {
			it.mdayNeg |= 1 << uint(-n)
		}
	}
	it.ydays = r.ByYearDay
	if it.freq == Yearly {
		it.weeknos = r.ByWeekNo
	}
	it.hasByDay = len(byDay) > 0
	nthOK := (it.freq == Monthly || it.freq == Yearly) && len(it.weeknos) == 0
	it.nthInMonth = it.freq == Monthly || it.monthMask != 0
	for _, wd := range byDay {
		if wd.N == 0 || !nthOK {
			it.wdayMask |= 1 << uint(wd.Day.Std())
		} else {
			it.nth = append(it.nth, wd)
		}
	}
	it.setpos = r.BySetPos

	hours, minutes, seconds := r.ByHour, r.ByMinute, r.BySecond
	if len(r.ByHour) > 0 {
		it.hourMask = uint32(bitsOf(r.ByHour))
	}
	if len(r.ByMinute) > 0 {
		it.minuteMask = bitsOf(r.ByMinute)
	}
	if len(seconds) > 0 {
		it.secondMask = bitsOf(seconds)
	}
	seconds = sortedUnique(seconds, s, 59)
	minutes = sortedUnique(minutes, mi, 59)
	hours = sortedUnique(hours, h, 23)
	switch {
	case it.freq <= Daily:
		// The times of a day are listed when first needed (BYSETPOS
		// computes the ones it picks).
		it.hours, it.minutes, it.seconds = hours, minutes, seconds
		it.ntimes = len(hours) * len(minutes) * len(seconds)
	case it.freq == Hourly:
		it.minutes, it.seconds = minutes, seconds
	case it.freq == Minutely:
		it.seconds = seconds
	}

	// The first period, skipping ahead to lo when there is no COUNT.
	skip := r.Count == 0 && lo > dtstart
	day0 := floorDiv(dtstart, secondsPerDay)
	switch it.freq {
	case Yearly:
		it.period = int64(y)
		if len(it.weeknos) > 0 { // the week-numbering year of DTSTART
			if day0 < it.week1(y) {
				it.period--
			} else if day0 >= it.week1(y+1) {
				it.period++
			}
		}
		if skip {
			ly, _, _, _, _, _ := civilOfWall(lo)
			if n := int64(ly-1) - it.period; n > 0 {
				it.period += n / it.interval * it.interval
			}
		}
	case Monthly:
		it.period = int64(y)*12 + int64(mo-1)
		if skip {
			ly, lm, _, _, _, _ := civilOfWall(lo)
			if n := int64(ly)*12 + int64(lm-1) - 1 - it.period; n > 0 {
				it.period += n / it.interval * it.interval
			}
		}
	case Weekly:
		it.period = day0 - int64((weekdayOf(day0)-it.wkst+7)%7)
		if skip {
			if n := floorDiv(lo, secondsPerDay) - 7 - it.period; n > 0 {
				it.period += n / (7 * it.interval) * (7 * it.interval)
			}
		}
	case Daily:
		it.period = day0
		if skip {
			if n := floorDiv(lo, secondsPerDay) - 1 - it.period; n > 0 {
				it.period += n / it.interval * it.interval
			}
		}
	default:
		p := it.step()
		it.period = dtstart - floorMod(dtstart, p/it.interval)
		if skip {
			if n := lo - p - it.period; n > 0 {
				it.period += n / p * p
			}
		}
	}
}

// step returns the length of one sub-daily period in seconds.
func (it *ruleIter) step() int64 {
	switch it.freq {
	case Hourly:
		return 3600 * it.interval
	case Minutely:
		return 60 * it.interval
	}
	return it.interval
}

func sortedUnique(v []int, def, maxv int) []int {
	if len(v) == 0 {
		return []int{def}
	}
	out := make([]int, 0, len(v))
	for _, n := range v {
		if n <= maxv {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// next returns the next occurrence, or ok=false when past hi.
func (it *ruleIter) next() (wall int64, ok bool, err error) {
	for it.pos >= len(it.buf) {
		if it.done {
			return 0, false, nil
		}
		if err := it.fill(); err != nil {
			it.done = true
			return 0, false, err
		}
	}
	w := it.buf[it.pos]
	it.pos++
	if w > it.hi {
		it.done = true
		it.buf = it.buf[:0]
		it.pos = 0
		return 0, false, nil
	}
	return w, true, nil
}

// fill computes the occurrences of the current period and advances.
func (it *ruleIter) fill() error {
	it.buf = it.buf[:0]
	it.pos = 0
	it.days = it.days[:0]
	it.steps++
	*it.work--
	if it.steps > maxPeriods || *it.work < 0 {
		return errTooExpensive
	}
	switch it.freq {
	case Yearly:
		y := int(it.period)
		if len(it.weeknos) > 0 {
			// A year of BYWEEKNO is the week-numbering year: from its
			// week 1 (which may start in December) to the next one.
			w1, w1Next := it.week1(y), it.week1(y+1)
			if y > 9999 || w1*secondsPerDay > it.hi {
				it.done = true
				return nil
			}
			it.addDays(w1, int(w1Next-w1))
			it.period += it.interval
			break
		}
		if y > 9999 || daysFromCivil(y, 1, 1)*secondsPerDay > it.hi {
			it.done = true
			return nil
		}
		if it.monthMask != 0 {
			for m := 1; m <= 12; m++ {
				if it.monthMask&(1<<uint(m)) != 0 {
					it.addDays(daysFromCivil(y, m, 1), daysInMonth(y, m))
				}
			}
		} else {
			it.addDays(daysFromCivil(y, 1, 1), daysInYear(y))
		}
		it.period += it.interval
	case Monthly:
		y, m := int(floorDiv(it.period, 12)), int(floorMod(it.period, 12))+1
		first := daysFromCivil(y, m, 1)
		if y > 9999 || first*secondsPerDay > it.hi {
			it.done = true
			return nil
		}
		if it.monthMask == 0 || it.monthMask&(1<<uint(m)) != 0 {
			it.addDays(first, daysInMonth(y, m))
		}
		it.period += it.interval
	case Weekly:
		if it.period*secondsPerDay > it.hi || it.period*secondsPerDay > maxWall {
			it.done = true
			return nil
		}
		it.addDays(it.period, 7)
		it.period += 7 * it.interval
	case Daily:
		if it.period*secondsPerDay > it.hi || it.period*secondsPerDay > maxWall {
			it.done = true
			return nil
		}
		it.addDays(it.period, 1)
		it.period += it.interval
	default:
		it.fillSubDaily()
		it.applySetPos()
		*it.work -= int64(len(it.buf))
		return nil
	}
	return it.listDays()
}

// timeAt returns the i-th time of day (seconds) of a Yearly..Daily rule.
func (it *ruleIter) timeAt(i int) int64 {
	ns, nm := len(it.seconds), len(it.minutes)
	return int64(it.hours[i/(ns*nm)]*3600 + it.minutes[i/ns%nm]*60 + it.seconds[i%ns])
}

// listDays turns the matching days of a period into occurrences. With
// BYSETPOS the chosen ones are picked by position (the n-th candidate is
// day n/len(times) at time n%len(times)) without listing the others.
func (it *ruleIter) listDays() error {
	nt := it.ntimes
	n := len(it.days) * nt
	if len(it.setpos) > 0 {
		var keep [8]int
		idx := keep[:0]
		for _, p := range it.setpos {
			i := p - 1
			if p < 0 {
				i = n + p
			}
			if i >= 0 && i < n {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		for _, i := range idx {
			it.buf = append(it.buf, it.days[i/nt]*secondsPerDay+it.timeAt(i%nt))
		}
		*it.work -= int64(len(idx))
		return nil
	}
	if n > maxPeriodCandidates {
		return fmt.Errorf("%w: more than %d occurrences in one %s period", errTooExpensive, maxPeriodCandidates, it.freq)
	}
	if *it.work -= int64(n); *it.work < 0 {
		return errTooExpensive
	}
	if len(it.times) == 0 && n > 0 {
		*it.work -= int64(nt)
		for _, hh := range it.hours {
			for _, mm := range it.minutes {
				for _, ss := range it.seconds {
					it.times = append(it.times, int32(hh*3600+mm*60+ss))
				}
			}
		}
	}
	for _, day := range it.days {
		base := day * secondsPerDay
		for _, t := range it.times {
			it.buf = append(it.buf, base+int64(t))
		}
	}
	return nil
}

func (it *ruleIter) fillSubDaily() {
	p := it.period
	if p > it.hi || p > maxWall {
		it.done = true
		return
	}
	step := it.step()
	day := floorDiv(p, secondsPerDay)
	sec := p - day*secondsPerDay
	h, mi, s := int(sec/3600), int(sec/60%60), int(sec%60)
	skipTo := func(boundary int64) {
		k := (boundary - p + step - 1) / step
		if k < 1 {
			k = 1
		}
		it.period = p + k*step
	}
	if !it.dayOK(day) {
		skipTo((day + 1) * secondsPerDay)
		return
	}
	if it.hourMask != 0 && it.hourMask&(1<<uint(h)) == 0 {
		skipTo(day*secondsPerDay + int64(h+1)*3600)
		return
	}
	it.period = p + step
	switch it.freq {
	case Hourly:
		base := day*secondsPerDay + int64(h)*3600
		for _, mm := range it.minutes {
			for _, ss := range it.seconds {
				it.buf = append(it.buf, base+int64(mm*60+ss))
			}
		}
	case Minutely:
		if it.minuteMask != 0 && it.minuteMask&(1<<uint(mi)) == 0 {
			return
		}
		base := day*secondsPerDay + int64(h)*3600 + int64(mi)*60
		for _, ss := range it.seconds {
			it.buf = append(it.buf, base+int64(ss))
		}
	case Secondly:
		if it.minuteMask != 0 && it.minuteMask&(1<<uint(mi)) == 0 ||
			it.secondMask != 0 && it.secondMask&(1<<uint(s)) == 0 {
			return
		}
		it.buf = append(it.buf, p)
	}
}

func (it *ruleIter) dayOK(day int64) bool {
	y, m, d := civilFromDays(day)
	yday := int(day-daysFromCivil(y, 1, 1)) + 1
	return it.match(day, y, m, d, yday, weekdayOf(day), daysInYear(y), daysInMonth(y, m))
}

// addDays appends the matching days among the n from day number first.
func (it *ruleIter) addDays(first int64, n int) {
	y, m, d := civilFromDays(first)
	ylen, mlen := daysInYear(y), daysInMonth(y, m)
	yday := int(first-daysFromCivil(y, 1, 1)) + 1
	wd := weekdayOf(first)
	day := first
	*it.work -= int64(n)
	for i := 0; i < n; i++ {
		if it.match(day, y, m, d, yday, wd, ylen, mlen) {
			it.days = append(it.days, day)
		}
		day++
		d++
		yday++
		wd++
		if wd == 7 {
			wd = 0
		}
		if d > mlen {
			d = 1
			m++
			if m > 12 {
				m = 1
				y++
				yday = 1
				ylen = daysInYear(y)
			}
			mlen = daysInMonth(y, m)
		}
	}
}

func (it *ruleIter) match(day int64, y, m, d, yday, wd, ylen, mlen int) bool {
	if it.monthMask != 0 && it.monthMask&(1<<uint(m)) == 0 {
		return false
	}
	if len(it.weeknos) > 0 && !it.weekMatch(day, y) {
		return false
	}
	if len(it.ydays) > 0 {
		ok := false
		for _, n := range it.ydays {
			if n == yday || n == yday-ylen-1 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if it.mdayPos|it.mdayNeg != 0 && it.mdayPos&(1<<uint(d)) == 0 && it.mdayNeg&(1<<uint(mlen-d+1)) == 0 {
		return false
	}
	if it.hasByDay {
		if it.wdayMask&(1<<uint(wd)) != 0 {
			return true
		}
		for _, n := range it.nth {
			if int(n.Day.Std()) != wd {
				continue
			}
			var pos, neg int
			if it.nthInMonth {
				pos, neg = (d-1)/7+1, -((mlen-d)/7 + 1)
			} else {
				pos, neg = (yday-1)/7+1, -((ylen-yday)/7 + 1)
			}
			if n.N == pos || n.N == neg {
				return true
			}
		}
		return false
	}
	return true
}

// week1 returns the day number on which week 1 of week-year y starts.
func (it *ruleIter) week1(y int) int64 {
	jan1 := daysFromCivil(y, 1, 1)
	off := int64((weekdayOf(jan1) - it.wkst + 7) % 7)
	start := jan1 - off
	if off > 3 {
		start += 7
	}
	return start
}

func (it *ruleIter) weekMatch(day int64, y int) bool {
	if it.wyYear != y {
		it.wyYear = y
		it.wyW1Prev, it.wyW1, it.wyW1Next = it.week1(y-1), it.week1(y), it.week1(y+1)
	}
	var start, next int64
	switch {
	case day < it.wyW1:
		start, next = it.wyW1Prev, it.wyW1
	case day >= it.wyW1Next:
		start, next = it.wyW1Next, it.week1(y+2)
	default:
		start, next = it.wyW1, it.wyW1Next
	}
	wn := int((day-start)/7) + 1
	nw := int((next - start) / 7)
	for _, n := range it.weeknos {
		if n == wn || n == wn-nw-1 {
			return true
		}
	}
	return false
}

func (it *ruleIter) applySetPos() {
	if len(it.setpos) == 0 || len(it.buf) == 0 {
		return
	}
	n := len(it.buf)
	var keep [8]int
	idx := keep[:0]
	for _, p := range it.setpos {
		i := p - 1
		if p < 0 {
			i = n + p
		}
		if i >= 0 && i < n {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := it.buf[:0]
	for _, i := range idx {
		out = append(out, it.buf[i])
	}
	it.buf = out
}
