package schedule

import (
	"sort"
	"time"
)

// offsets lists the UTC offsets of one zone over a span of time, as periods
// of constant offset, so that the offset at an instant is a short search
// rather than a time.Time conversion.
type offsets struct {
	start []int64 // first minute of each period; start[0] is the span's start
	off   []int64 // offset in minutes east of UTC
	end   int64   // end of the span
	loc   *time.Location
}

// newOffsets covers the minutes [from, to) of loc.
func newOffsets(loc *time.Location, from, to int64) *offsets {
	z := &offsets{end: to, loc: loc}
	t := from
	for t < to {
		tt := time.Unix(t*60, 0).In(loc)
		_, sec := tt.Zone()
		off := int64(sec) / 60
		if sec%60 < 0 {
			off--
		}
		if n := len(z.off); n == 0 || z.off[n-1] != off {
			z.start = append(z.start, t)
			z.off = append(z.off, off)
		}
		_, e := tt.ZoneBounds()
		if e.IsZero() {
			break
		}
		next := unixMinute(e)
		if next <= t { // a period shorter than a minute; step over it
			next = t + 1
		}
		t = next
	}
	if len(z.off) == 0 {
		z.start, z.off = []int64{from}, []int64{0}
	}
	return z
}

// at returns the index of the period holding minute t (the first or last
// period when t is out of range). hint is a likely index, such as the
// answer for an earlier, nearby minute.
func (z *offsets) at(t int64, hint int) int {
	if hint >= 0 && hint < len(z.start) && z.start[hint] <= t && t < z.next(hint) {
		return hint
	}
	if h := hint + 1; h > 0 && h < len(z.start) && z.start[h] <= t && t < z.next(h) {
		return h
	}
	i := sort.Search(len(z.start), func(i int) bool { return z.start[i] > t }) - 1
	return max(i, 0)
}

// next returns the start of the period after period i, or the end of span.
func (z *offsets) next(i int) int64 {
	if i+1 < len(z.start) {
		return z.start[i+1]
	}
	return z.end
}
