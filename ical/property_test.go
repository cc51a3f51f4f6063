package ical

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The property test: random rules expanded by the real expander and by a
// slow reference written here from RFC 5545 §3.3.10, which walks each
// period of the rule day by day (and time by time) and keeps what every
// BYxxx part allows. Wall clock readings are time.Time values in UTC.

// propertyRules is how many random rules TestRRuleProperty checks; the
// long build tag raises it (property_long_test.go).
var propertyRules = 2000

// refRule is a rule as the reference reads it.
type refRule struct {
	freq                           Freq
	interval, count                int
	until                          time.Time // instant (timed) or date (all-day); zero: none
	months, weeknos, ydays, mdays  []int
	hours, minutes, seconds        []int
	days                           []WeekdayNum
	setpos                         []int
	wkst                           time.Weekday
	allDay                         bool
	dtstart                        time.Time // wall reading
	loc                            *time.Location
	nthInMonth, weekYear, defaults bool
}

func has(v []int, n int) bool { return slices.Contains(v, n) }

// dayOK reports whether day d (a midnight wall reading) passes the day
// parts of the rule; periodYear is the (week-numbering) year of the period.
func (r *refRule) dayOK(d time.Time, periodYear int) bool {
	y, m, md := d.Date()
	yday := d.YearDay()
	ylen := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
	mlen := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if len(r.months) > 0 && !has(r.months, int(m)) {
		return false
	}
	if len(r.weeknos) > 0 {
		w1 := isoWeek1(periodYear, r.wkst)
		weeks := int(isoWeek1(periodYear+1, r.wkst).Sub(w1).Hours()/24) / 7
		wn := int(d.Sub(w1).Hours()/24)/7 + 1
		if !has(r.weeknos, wn) && !has(r.weeknos, wn-weeks-1) {
			return false
		}
	}
	if len(r.ydays) > 0 && !has(r.ydays, yday) && !has(r.ydays, yday-ylen-1) {
		return false
	}
	if len(r.mdays) > 0 && !has(r.mdays, md) && !has(r.mdays, md-mlen-1) {
		return false
	}
	if len(r.days) > 0 {
		ok := false
		for _, wd := range r.days {
			if wd.Day.Std() != d.Weekday() {
				continue
			}
			if wd.N == 0 {
				ok = true
				continue
			}
			// The how-many-th such weekday, from the start and the end.
			pos, neg := (md-1)/7+1, -((mlen-md)/7 + 1)
			if !r.nthInMonth {
				pos, neg = (yday-1)/7+1, -((ylen-yday)/7 + 1)
			}
			if wd.N == pos || wd.N == neg {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// timeOK reports whether a time of day passes the time parts.
func (r *refRule) timeOK(h, mi, s int) bool {
	return (len(r.hours) == 0 || has(r.hours, h)) && (len(r.minutes) == 0 || has(r.minutes, mi)) &&
		(len(r.seconds) == 0 || has(r.seconds, s))
}

// period returns the candidates of the k-th period, in order, before
// BYSETPOS.
func (r *refRule) period(k int) (cands []time.Time, start time.Time) {
	ds := r.dtstart
	y, m, d := ds.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var first time.Time
	var n int // days in the period (day-based frequencies)
	py := 0
	switch r.freq {
	case Yearly:
		py = y + k*r.interval
		first, n = time.Date(py, 1, 1, 0, 0, 0, 0, time.UTC), 0
		end := time.Date(py+1, 1, 1, 0, 0, 0, 0, time.UTC)
		if r.weekYear {
			wy := y // the week-numbering year of DTSTART
			if midnight.Before(isoWeek1(y, r.wkst)) {
				wy--
			} else if !midnight.Before(isoWeek1(y+1, r.wkst)) {
				wy++
			}
			py = wy + k*r.interval
			first, end = isoWeek1(py, r.wkst), isoWeek1(py+1, r.wkst)
		}
		n = int(end.Sub(first).Hours() / 24)
	case Monthly:
		first = time.Date(y, m+time.Month(k*r.interval), 1, 0, 0, 0, 0, time.UTC)
		n = time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	case Weekly:
		back := (int(midnight.Weekday()) - int(r.wkst) + 7) % 7
		first, n = midnight.AddDate(0, 0, 7*k*r.interval-back), 7
	case Daily:
		first, n = midnight.AddDate(0, 0, k*r.interval), 1
	default:
		step := map[Freq]time.Duration{Hourly: time.Hour, Minutely: time.Minute, Secondly: time.Second}[r.freq]
		p0 := ds.Truncate(step).Add(time.Duration(k*r.interval) * step)
		if !r.dayOK(time.Date(p0.Year(), p0.Month(), p0.Day(), 0, 0, 0, 0, time.UTC), p0.Year()) {
			return nil, p0
		}
		for t := p0; t.Before(p0.Add(step)); t = t.Add(time.Second) {
			h, mi, s := t.Clock()
			if r.timeOK(h, mi, s) && (r.freq >= Minutely || len(r.minutes) > 0 || mi == ds.Minute()) &&
				(r.freq == Secondly || len(r.seconds) > 0 || s == ds.Second()) {
				cands = append(cands, t)
			}
		}
		return cands, p0
	}
	if py == 0 {
		py = first.Year()
	}
	for i := range n {
		day := first.AddDate(0, 0, i)
		if !r.dayOK(day, py) {
			continue
		}
		if r.allDay {
			cands = append(cands, day)
			continue
		}
		for h := range 24 {
			if !(has(r.hours, h) || len(r.hours) == 0 && h == ds.Hour()) {
				continue
			}
			for mi := range 60 {
				if !(has(r.minutes, mi) || len(r.minutes) == 0 && mi == ds.Minute()) {
					continue
				}
				for s := range 60 {
					if has(r.seconds, s) || len(r.seconds) == 0 && s == ds.Second() {
						cands = append(cands, day.Add(time.Duration(h*3600+mi*60+s)*time.Second))
					}
				}
			}
		}
	}
	return cands, first
}

// instant reads a wall reading in the rule's zone: a reading in a DST gap
// moves forward by the gap, an ambiguous one takes the first instant.
func (r *refRule) instant(w time.Time) time.Time {
	y, m, d := w.Date()
	h, mi, s := w.Clock()
	offAt := func(t time.Time) int { _, off := t.In(r.loc).Zone(); return off }
	naive := time.Date(y, m, d, h, mi, s, 0, time.UTC)
	before, after := offAt(naive.Add(-36*time.Hour)), offAt(naive.Add(36*time.Hour))
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second)
		if offAt(t) == off {
			return t
		}
	}
	return naive.Add(-time.Duration(before) * time.Second) // in a gap
}

// expand returns the rule's original starts up to end (walls), DTSTART
// first, as instants (timed) or dates (all-day), formatted.
func (r *refRule) expand(end time.Time) []string {
	var walls []time.Time
	walls = append(walls, r.dtstart)
	n := 1
	passed := func(w time.Time) bool {
		if r.until.IsZero() {
			return false
		}
		if r.allDay {
			return w.After(r.until)
		}
		return r.instant(w).After(r.until)
	}
periods:
	for k := 0; k < 5000; k++ {
		cands, start := r.period(k)
		if start.After(end.Add(48 * time.Hour)) {
			break
		}
		if len(r.setpos) > 0 {
			var keep []time.Time
			for i, c := range cands {
				if has(r.setpos, i+1) || has(r.setpos, i-len(cands)) {
					keep = append(keep, c)
				}
			}
			cands = keep
		}
		for _, c := range cands {
			if !c.After(r.dtstart) {
				continue
			}
			if r.count > 0 && n >= r.count || passed(c) {
				break periods
			}
			n++
			walls = append(walls, c)
		}
	}
	var out []string
	var last time.Time
	for _, w := range walls {
		if r.allDay {
			out = append(out, w.Format(time.DateOnly))
			continue
		}
		t := r.instant(w)
		if t.Equal(last) {
			continue // two readings, one instant
		}
		last = t
		out = append(out, t.UTC().Format(time.RFC3339))
	}
	slices.Sort(out)
	return out
}

// randomRule makes a rule the RFC allows, and the RRULE text of it.
func randomRule(rng *rand.Rand, zones []*time.Location) (*refRule, string) {
	r := &refRule{interval: 1, wkst: time.Monday}
	r.allDay = rng.IntN(10) < 3
	if r.allDay {
		r.freq = Freq(1 + rng.IntN(4))
	} else {
		r.freq = Freq(1 + rng.IntN(7))
	}
	r.loc = zones[rng.IntN(len(zones))]
	r.dtstart = time.Date(2024+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
	if !r.allDay {
		r.dtstart = r.dtstart.Add(time.Duration(rng.IntN(24))*time.Hour + time.Duration(rng.IntN(4)*15)*time.Minute)
		if rng.IntN(4) == 0 {
			r.dtstart = r.dtstart.Add(time.Duration(rng.IntN(60)) * time.Second)
		}
	}
	var b strings.Builder
	b.WriteString("FREQ=" + r.freq.String())
	if rng.IntN(10) < 4 {
		r.interval = 2 + rng.IntN(3)
		fmt.Fprintf(&b, ";INTERVAL=%d", r.interval)
	}
	list := func(name string, p int, lo, hi int, signed bool) []int {
		if rng.IntN(100) >= p {
			return nil
		}
		var v []int
		for range 1 + rng.IntN(3) {
			n := lo + rng.IntN(hi-lo+1)
			if signed && rng.IntN(3) == 0 {
				n = -n
			}
			if !slices.Contains(v, n) {
				v = append(v, n)
			}
		}
		strs := make([]string, len(v))
		for i, n := range v {
			strs[i] = fmt.Sprint(n)
		}
		b.WriteString(";" + name + "=" + strings.Join(strs, ","))
		return v
	}
	r.months = list("BYMONTH", 25, 1, 12, false)
	if r.freq == Yearly {
		r.weeknos = list("BYWEEKNO", 15, 1, 53, true)
		r.ydays = list("BYYEARDAY", 10, 1, 366, true)
	}
	if r.freq != Weekly {
		r.mdays = list("BYMONTHDAY", 25, 1, 31, true)
	}
	if rng.IntN(100) < 35 {
		nth := (r.freq == Monthly || r.freq == Yearly && len(r.weeknos) == 0) && rng.IntN(3) == 0
		var strs []string
		for range 1 + rng.IntN(3) {
			wd := WeekdayNum{Day: Weekday(1 + rng.IntN(7))}
			if nth {
				most := 5
				if r.freq == Yearly && len(r.months) == 0 {
					most = 53
				}
				wd.N = 1 + rng.IntN(most)
				if rng.IntN(3) == 0 {
					wd.N = -wd.N
				}
			}
			r.days = append(r.days, wd)
			s := wd.Day.String()
			if wd.N != 0 {
				s = fmt.Sprint(wd.N) + s
			}
			strs = append(strs, s)
		}
		b.WriteString(";BYDAY=" + strings.Join(strs, ","))
	}
	if !r.allDay {
		r.hours = list("BYHOUR", 20, 0, 23, false)
		r.minutes = list("BYMINUTE", 20, 0, 59, false)
		r.seconds = list("BYSECOND", 10, 0, 59, false)
	}
	if rng.IntN(100) < 20 {
		r.setpos = list("BYSETPOS", 100, 1, 6, true)
	}
	if rng.IntN(3) == 0 {
		r.wkst = time.Weekday(rng.IntN(7))
		b.WriteString(";WKST=" + WeekdayOf(r.wkst).String())
	}
	switch rng.IntN(10) {
	case 0, 1, 2, 3:
		r.count = 1 + rng.IntN(25)
		fmt.Fprintf(&b, ";COUNT=%d", r.count)
	case 4, 5, 6:
		u := r.dtstart.Add(time.Duration(rng.Int64N(int64(propertySpan(r.freq)))))
		if r.allDay {
			r.until = time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
			b.WriteString(";UNTIL=" + r.until.Format("20060102"))
		} else {
			r.until = r.instant(u)
			b.WriteString(";UNTIL=" + r.until.UTC().Format("20060102T150405Z"))
		}
	}
	// What the rule leaves out comes from DTSTART.
	y := r.freq == Yearly
	if y && len(r.weeknos) > 0 && len(r.days) == 0 && len(r.mdays) == 0 && len(r.ydays) == 0 {
		r.days = []WeekdayNum{{Day: WeekdayOf(r.dtstart.Weekday())}}
	}
	if y && len(r.mdays) > 0 && len(r.months) == 0 && len(r.weeknos) == 0 && len(r.ydays) == 0 {
		r.months = []int{int(r.dtstart.Month())}
	}
	if len(r.weeknos) == 0 && len(r.ydays) == 0 && len(r.mdays) == 0 && len(r.days) == 0 {
		switch r.freq {
		case Yearly:
			if len(r.months) == 0 {
				r.months = []int{int(r.dtstart.Month())}
			}
			r.mdays = []int{r.dtstart.Day()}
		case Monthly:
			r.mdays = []int{r.dtstart.Day()}
		case Weekly:
			r.days = []WeekdayNum{{Day: WeekdayOf(r.dtstart.Weekday())}}
		}
	}
	r.nthInMonth = r.freq == Monthly || len(r.months) > 0
	r.weekYear = y && len(r.weeknos) > 0
	return r, b.String()
}

// propertySpan is how far after DTSTART the windows of a frequency reach.
func propertySpan(f Freq) time.Duration {
	switch f {
	case Yearly:
		return 8 * 366 * 24 * time.Hour
	case Monthly:
		return 3 * 366 * 24 * time.Hour
	case Weekly:
		return 366 * 24 * time.Hour
	case Daily:
		return 120 * 24 * time.Hour
	case Hourly:
		return 4 * 24 * time.Hour
	case Minutely:
		return 6 * time.Hour
	}
	return 20 * time.Minute
}

// TestRRuleProperty compares the expander with the reference on random
// rules: every FREQ, BYxxx combinations, COUNT/UNTIL, INTERVAL, WKST,
// DATE and DATE-TIME DTSTART in several zones.
func TestRRuleProperty(t *testing.T) {
	n := propertyRules
	if testing.Short() {
		n /= 10
	}
	var zones []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"} {
		zones = append(zones, mustLoad(t, name))
	}
	rng := rand.New(rand.NewPCG(18, 5545))
	failures := 0
	for i := range n {
		r, rule := randomRule(rng, zones)
		var start string
		if r.allDay {
			start = "DTSTART;VALUE=DATE:" + r.dtstart.Format("20060102")
		} else {
			start = "DTSTART;TZID=" + r.loc.String() + ":" + r.dtstart.Format("20060102T150405")
		}
		c, warns, err := Parse(strings.NewReader(crlf(wrapEvent("UID:p", start, "RRULE:"+rule))), Options{DefaultZone: r.loc})
		if err != nil || len(warns) > 0 || len(c.Events) != 1 {
			t.Fatalf("rule %d %s %s: parse: %v %v", i, rule, start, err, warns)
		}
		// The window: the day before DTSTART to the end of the span, in
		// the zone of the event (dates for all-day).
		d0 := time.Date(r.dtstart.Year(), r.dtstart.Month(), r.dtstart.Day()-1, 0, 0, 0, 0, r.loc)
		to := d0.Add(propertySpan(r.freq))
		ins, err := c.ExpandWith(d0, to, ExpandOptions{MaxInstances: 1 << 20})
		if err != nil {
			t.Fatalf("rule %d RRULE:%s %s: %v", i, rule, start, err)
		}
		got := make([]string, len(ins))
		for j, in := range ins {
			if in.AllDay {
				got[j] = in.RecurrenceID.Format(time.DateOnly)
			} else {
				got[j] = in.RecurrenceID.UTC().Format(time.RFC3339)
			}
		}
		var want []string
		wallTo := time.Date(to.Year(), to.Month(), to.Day(), to.Hour(), to.Minute(), to.Second(), 0, time.UTC)
		for _, s := range r.expand(wallTo) {
			var at time.Time
			if r.allDay {
				d, _ := time.Parse(time.DateOnly, s)
				at = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, r.loc)
			} else {
				at, _ = time.Parse(time.RFC3339, s)
			}
			if !at.Before(d0) && at.Before(to) {
				want = append(want, s)
			}
		}
		if !slices.Equal(got, want) {
			failures++
			t.Errorf("rule %d: RRULE:%s with %s (window %s to %s)\n got %d: %s\nwant %d: %s", i, rule, start,
				d0.Format(time.DateOnly), to.Format(time.DateOnly), len(got), clipList(got), len(want), clipList(want))
			if failures >= 10 {
				t.Fatal("stopping after 10 disagreements")
			}
		}
	}
	t.Logf("%d random rules agree with the reference", n-failures)
}

func clipList(v []string) string {
	if len(v) > 12 {
		return strings.Join(v[:12], " ") + " …"
	}
	return strings.Join(v, " ")
}
