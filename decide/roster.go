package decide

import (
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// referenceWeek is used when no time is given: a week without DST changes
// in either hemisphere's usual transition dates.
var referenceWeek = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// ReferenceWeek returns Monday 00:00 UTC of the week containing t, or of a
// fixed week in January 2026 when t is zero.
func ReferenceWeek(t time.Time) time.Time {
	if t.IsZero() {
		return referenceWeek
	}
	t = t.UTC()
	wd := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-wd, 0, 0, 0, 0, time.UTC)
}

// ZonesAndOverlap returns how many time zones the members are in and how
// many hours of the week starting at week they are all at work together.
// Zones are counted by UTC offset at the middle of the week, so Lisbon and
// London count as one.
func ZonesAndOverlap(members []team.Member, week time.Time) (zones int, overlapHours float64) {
	if len(members) == 0 {
		return 0, 0
	}
	mid := week.Add(84 * time.Hour)
	offsets := make([]int, 0, len(members))
	for i := range members {
		_, off := mid.In(members[i].Location()).Zone()
		if !slices.Contains(offsets, off) {
			offsets = append(offsets, off)
		}
	}
	end := week.Add(7 * 24 * time.Hour)
	common := members[0].WorkingIntervals(week, end)
	for i := 1; i < len(members) && len(common) > 0; i++ {
		common = intersect(common, members[i].WorkingIntervals(week, end))
	}
	var sum time.Duration
	for _, iv := range common {
		sum += iv.Duration()
	}
	return len(offsets), sum.Hours()
}

// intersect returns the overlap of two sorted lists of disjoint intervals.
func intersect(a, b []team.Interval) []team.Interval {
	var out []team.Interval
	for i, j := 0, 0; i < len(a) && j < len(b); {
		s, e := a[i].Start, a[i].End
		if b[j].Start.After(s) {
			s = b[j].Start
		}
		if b[j].End.Before(e) {
			e = b[j].End
		}
		if s.Before(e) {
			out = append(out, team.Interval{Start: s, End: e})
		}
		if a[i].End.Before(b[j].End) {
			i++
		} else {
			j++
		}
	}
	return out
}

// Participants looks up the named people (email, name or alias, any case)
// on the team's roster, in the order given; a name given twice counts once.
// An unknown name is an EINVALID error on the field "with" listing the
// members.
func Participants(t *team.Team, names []string) ([]team.Member, error) {
	var out []team.Member
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		m, err := t.Resolve(n)
		if err != nil {
			return nil, invalid("with", "%s", rhythm.ErrorMessage(err))
		}
		if !slices.ContainsFunc(out, func(o team.Member) bool { return o.Email == m.Email }) {
			out = append(out, *m)
		}
	}
	if len(out) == 0 {
		return nil, invalid("with", "name at least one member")
	}
	return out, nil
}

// dueBy returns the participant's deadline for work due by deadline: the
// end of their last working stretch before it (or the deadline itself when
// it falls in their working hours), leaving them at least an hour of
// working time on that stretch when an earlier stretch exists. With no
// working time before the deadline it is the end of their next stretch, and
// Late is set. ok is false when they do not work in the next two weeks.
func dueBy(m *team.Member, now, deadline time.Time) (Due, bool) {
	due := Due{Name: m.Name, Zone: m.Zone}
	ivs := m.WorkingIntervals(now, deadline)
	if n := len(ivs); n > 0 {
		last := ivs[n-1]
		if last.Duration() < time.Hour && n > 1 {
			last = ivs[n-2]
		}
		due.At = last.End
	} else {
		next := m.WorkingIntervals(deadline, deadline.Add(14*24*time.Hour))
		if len(next) == 0 {
			return due, false
		}
		due.At, due.Late = next[0].End, true
	}
	due.At = due.At.UTC()
	due.Local = due.At.In(m.Location()).Format("Mon 2 Jan 15:04") + " " + m.Zone
	return due, true
}
