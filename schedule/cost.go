package schedule

import (
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// A table holds, per local minute, the prefix sums of a member's rate
// (points) and of their minutes inside working hours. Local minutes count
// wall-clock minutes since 1970-01-01 00:00 in the member's zone.
type table struct {
	cost   []float64 // cost[i] = points in minutes [base, base+i)
	inside []int32   // inside[i] = working minutes in [base, base+i)
	base   int64     // local minute of index 0
	weekly bool      // the table covers one week, Sunday 00:00 first, and repeats
}

// templates holds, for one daily range of hours, the rate and working flag of
// each minute of a day, for each of the eight combinations of whether the
// previous day, the day itself and the next day are working days.
type templates struct {
	rate   [8][minutesPerDay]float64
	inside [8][minutesPerDay]bool
}

func newTemplates(m Model, h team.Hours) *templates {
	tp := new(templates)
	for p := range 8 {
		works := func(d int64) bool { return p&(1<<uint(d+1)) != 0 } // bit 0: day -1, 1: day 0, 2: day +1
		for x := range minutesPerDay {
			tp.rate[p][x], tp.inside[p][x] = classify(m, h, x, 0, works)
		}
	}
	return tp
}

// fill writes the prefix sums for days [day0, day0+n) into t.
func (tp *templates) fill(t *table, day0 int64, n int, works func(int64) bool) {
	var sum float64
	var in int32
	i := 0
	prev, cur := works(day0-1), works(day0)
	for d := range int64(n) {
		next := works(day0 + d + 1)
		p := 0
		if prev {
			p |= 1
		}
		if cur {
			p |= 2
		}
		if next {
			p |= 4
		}
		rate, inside := &tp.rate[p], &tp.inside[p]
		for x := range minutesPerDay {
			sum += rate[x]
			if inside[x] {
				in++
			}
			i++
			t.cost[i] = sum
			t.inside[i] = in
		}
		prev, cur = cur, next
	}
}

// newWeekly builds the repeating weekly table for days, ignoring dated
// exceptions (holidays, start and leave dates).
func (tp *templates) newWeekly(days team.Days) *table {
	t := &table{cost: make([]float64, minutesPerWeek+1), inside: make([]int32, minutesPerWeek+1), weekly: true}
	tp.fill(t, 0, 7, func(d int64) bool { return days.Has(time.Weekday(((d % 7) + 7) % 7)) })
	return t
}

// span returns the points and working minutes of n local minutes starting at
// local minute lw. n is at most one day, and for a dated table the span lies
// inside it.
func (t *table) span(lw int64, n int) (float64, int) {
	if !t.weekly {
		a := int(lw - t.base)
		return t.cost[a+n] - t.cost[a], int(t.inside[a+n] - t.inside[a])
	}
	a := int((lw - epochSunday) % minutesPerWeek)
	if a < 0 {
		a += minutesPerWeek
	}
	b := a + n
	if b <= minutesPerWeek {
		return t.cost[b] - t.cost[a], int(t.inside[b] - t.inside[a])
	}
	b -= minutesPerWeek
	return t.cost[minutesPerWeek] - t.cost[a] + t.cost[b], int(t.inside[minutesPerWeek] - t.inside[a] + t.inside[b])
}

// covers reports whether n minutes from lw lie inside t.
func (t *table) covers(lw int64, n int) bool {
	return t.weekly || (lw >= t.base && lw+int64(n) <= t.base+int64(len(t.cost)-1))
}

// epochDay returns the day number (since 1970-01-01) of local minute lw.
func epochDay(lw int64) int64 {
	d := lw / minutesPerDay
	if lw%minutesPerDay < 0 {
		d--
	}
	return d
}

// epochDate returns the calendar date of day number d.
func epochDate(d int64) team.Date {
	return team.DateOf(time.Unix(d*86400, 0).UTC())
}

// dayNumber returns the day number of a calendar date.
func dayNumber(d team.Date) int64 {
	return d.In(time.UTC).Unix() / 86400
}

// unixMinute returns t in whole minutes since the Unix epoch, rounding down.
func unixMinute(t time.Time) int64 {
	s := t.Unix()
	m := s / 60
	if s%60 < 0 {
		m--
	}
	return m
}
