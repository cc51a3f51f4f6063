package team

import (
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
	return !m.IsHoliday(d)
}

// shift returns the working interval that starts on local date d.
func (m *Member) shift(d Date, loc *time.Location) Interval {
	start := LocalTime(d, m.Hours.Start, loc)
	end := d
	if m.Hours.Overnight() {
		end = DateOf(d.In(time.UTC).AddDate(0, 0, 1))
	}
	return Interval{start, LocalTime(end, m.Hours.End, loc)}
}

// LocalTime returns the instant of a wall-clock time (minutes after
// midnight, up to 24:00) on date d in loc, resolved as RFC 5545 §3.3.5
// says: a time in a DST gap moves forward by the length of the gap, and an
// ambiguous time takes its first occurrence. (time.Date leaves both
// unspecified.)
func LocalTime(d Date, minutes int, loc *time.Location) time.Time {
	wall := time.Date(d.Year, d.Month, d.Day, 0, minutes, 0, 0, time.UTC)
	guess := time.Date(d.Year, d.Month, d.Day, 0, minutes, 0, 0, loc)
	_, before := guess.Add(-24 * time.Hour).Zone()
	_, after := guess.Add(24 * time.Hour).Zone()
	if before == after {
		return guess
	}
	first := wall.Add(-time.Duration(before) * time.Second)
	second := wall.Add(-time.Duration(after) * time.Second)
	if first.After(second) {
		first, second = second, first
	}
	for _, t := range []time.Time{first, second} {
		if sameWall(t.In(loc), wall) {
			return t.In(loc)
		}
	}
	// In the gap: the offset before the change carries the time forward.
	return wall.Add(-time.Duration(before) * time.Second).In(loc)
}

func sameWall(t, wall time.Time) bool {
	y, m, d := t.Date()
	wy, wm, wd := wall.Date()
	return y == wy && m == wm && d == wd && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
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
