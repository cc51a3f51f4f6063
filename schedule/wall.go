package schedule

import "time"

// wallTime returns the instant at which the wall clock of loc reads clock
// minutes after midnight on the given date (day may overflow the month, as
// in time.Date). As in RFC 5545, a time inside a DST gap moves forward by
// the gap, and an ambiguous time takes its first occurrence; time.Date
// leaves both unspecified.
func wallTime(year int, month time.Month, day, clock int, loc *time.Location) time.Time {
	want := time.Date(year, month, day, 0, clock, 0, 0, time.UTC)
	t := time.Date(year, month, day, 0, clock, 0, 0, loc)
	_, o0 := t.Zone()
	_, o1 := t.Add(-3 * time.Hour).Zone()
	_, o2 := t.Add(3 * time.Hour).Zone()
	var best time.Time
	for _, o := range [3]int{o0, o1, o2} {
		c := want.Add(-time.Duration(o) * time.Second).In(loc)
		if sameWall(c, want) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if best.IsZero() { // in a gap: read the time with the offset before it
		best = want.Add(-time.Duration(min(o1, o2)) * time.Second).In(loc)
	}
	return best
}

// sameWall reports whether local time t reads the same as u in UTC.
func sameWall(t, u time.Time) bool {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	y2, mo2, d2 := u.Date()
	h2, mi2, s2 := u.Clock()
	return y == y2 && mo == mo2 && d == d2 && h == h2 && mi == mi2 && s == s2
}
