package team

import (
	"slices"
	"time"
)

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start, End time.Time
}

// Duration returns the length of the interval.
func (iv Interval) Duration() time.Duration { return iv.End.Sub(iv.Start) }

// WorksOn reports whether the member works on the local date: a working
// weekday that is not a holiday and lies within the member's start and
// leave dates.
func (m *Member) WorksOn(d Date) bool {
	wd := d.In(time.UTC).Weekday()
	if !m.Days.Has(wd) {
		return false
	}
	if !m.Start.IsZero() && d.Before(m.Start) {
		return false
	}
	if !m.Leave.IsZero() && m.Leave.Before(d) {
		return false
	}
	return !slices.Contains(m.Holidays, d)
}

// shift returns the working interval that starts on local date d.
// Local times that do not exist (a DST gap) move forward by the gap.
func (m *Member) shift(d Date, loc *time.Location) Interval {
	start := time.Date(d.Year, d.Month, d.Day, 0, m.Hours.Start, 0, 0, loc)
	endDay := d.Day
	if m.Hours.Overnight() {
		endDay++
	}
	end := time.Date(d.Year, d.Month, endDay, 0, m.Hours.End, 0, 0, loc)
	return Interval{start, end}
}

// WorkingIntervals returns the member's working time that overlaps
// [from, to), clipped to it, in order.
func (m *Member) WorkingIntervals(from, to time.Time) []Interval {
	if !from.Before(to) {
		return nil
	}
	loc := m.Location()
	var out []Interval
	// A shift that starts the day before from may still be running.
	day := DateOf(from.In(loc).AddDate(0, 0, -1))
	last := DateOf(to.In(loc))
	for t := day.In(time.UTC); !DateOf(t).After(last); t = t.AddDate(0, 0, 1) {
		d := DateOf(t)
		if !m.WorksOn(d) {
			continue
		}
		iv := m.shift(d, loc)
		if iv.Start.Before(from) {
			iv.Start = from
		}
		if iv.End.After(to) {
			iv.End = to
		}
		if iv.Start.Before(iv.End) {
			out = append(out, iv)
		}
	}
	return out
}

// InWorkingHours reports whether instant t falls inside the member's
// working time.
func (m *Member) InWorkingHours(t time.Time) bool {
	loc := m.Location()
	lt := t.In(loc)
	today := DateOf(lt)
	for _, d := range []Date{today, DateOf(lt.AddDate(0, 0, -1))} {
		if !m.WorksOn(d) {
			continue
		}
		iv := m.shift(d, loc)
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return true
		}
		if !m.Hours.Overnight() {
			break
		}
	}
	return false
}

// WorkingDuration returns how much of [from, to) is the member's working time.
func (m *Member) WorkingDuration(from, to time.Time) time.Duration {
	var sum time.Duration
	for _, iv := range m.WorkingIntervals(from, to) {
		sum += iv.Duration()
	}
	return sum
}

// After reports whether d is after e.
func (d Date) After(e Date) bool { return e.Before(d) }
