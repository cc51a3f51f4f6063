package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Limits on a request.
const (
	// Step is the spacing of candidate start times.
	Step = 15 * time.Minute
	// MaxDuration is the longest meeting that can be scheduled.
	MaxDuration = 24 * time.Hour
	// MaxWindow is the longest window a one-off search may cover.
	MaxWindow = 366 * 24 * time.Hour
	// MaxWeeks is the longest recurring series.
	MaxWeeks = 260
	// MaxRotation is the most slots a rotation may cycle through.
	MaxRotation = 4
	// DefaultRotation is the number of slots a rotation may cycle through
	// when a request does not say.
	DefaultRotation = 3
	// DefaultTop is the number of slots a one-off search returns by default.
	DefaultTop = 10
)

// Request asks for meeting times for some members of a team.
type Request struct {
	Team *team.Team
	// With names the participants by email, name or alias; empty means
	// the whole team.
	With []string
	// Duration of the meeting, a whole number of minutes up to 24h.
	Duration time.Duration
	// From and To bound the search: meetings start at or after From, on
	// the Step grid of the anchor zone's wall clock. A one-off meeting
	// ends by To; a series takes its slots from the first week of the
	// window.
	From, To time.Time
	// Zone anchors the wall clock: a weekly slot keeps its local time in
	// this zone from week to week. Nil means the first participant's zone.
	Zone *time.Location
	// Weeks is the number of weekly instances of a series (Rotate).
	Weeks int
	// Model weighs time outside working hours; the zero Model means
	// DefaultModel().
	Model Model
	// Busy holds times each member cannot meet, keyed by email, name or
	// alias. Any overlap blocks a slot.
	Busy map[string][]team.Interval
	// Top is how many slots Find returns (DefaultTop when 0).
	Top int
	// Rotation is the most slots Rotate may cycle through
	// (DefaultRotation when 0, at most MaxRotation).
	Rotation int
}

// prepared is a validated request.
type prepared struct {
	req     Request
	model   Model
	members []*team.Member
	locs    []*time.Location
	anchor  *time.Location
	dur     int // minutes
}

func invalid(format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, format, args...)
}

// prepare validates r; series tells whether it is for Rotate.
func prepare(r Request, series bool) (*prepared, error) {
	p := &prepared{req: r, model: r.Model}
	if p.model.isZero() {
		p.model = DefaultModel()
	}
	if err := p.model.Validate(); err != nil {
		return nil, err
	}
	if r.Team == nil || len(r.Team.Members) == 0 {
		return nil, invalid("team: the team has no members")
	}
	if r.Duration <= 0 || r.Duration > MaxDuration {
		return nil, invalid("duration must be more than 0 and at most 24h, got %v", r.Duration)
	}
	if r.Duration%time.Minute != 0 {
		return nil, invalid("duration must be a whole number of minutes, got %v", r.Duration)
	}
	p.dur = int(r.Duration / time.Minute)
	var err error
	if p.members, err = Participants(r.Team, r.With); err != nil {
		return nil, err
	}
	for _, m := range p.members {
		loc, err := team.LoadZone(m.Zone)
		if err != nil {
			return nil, invalid("with: member %s: %s", m.Email, rhythm.ErrorMessage(err))
		}
		p.locs = append(p.locs, loc)
	}
	p.anchor = r.Zone
	if p.anchor == nil {
		p.anchor = p.locs[0]
	}
	if r.From.IsZero() || r.To.IsZero() {
		return nil, invalid("between: a start and an end are required")
	}
	if !r.From.Before(r.To) {
		return nil, invalid("between: the end %s is not after the start %s", r.To.In(p.anchor).Format(time.DateTime), r.From.In(p.anchor).Format(time.DateTime))
	}
	if r.From.Year() < 1971 || r.To.Year() > 2199 {
		return nil, invalid("between: dates must lie between 1971 and 2199")
	}
	if series {
		if r.Weeks < 1 || r.Weeks > MaxWeeks {
			return nil, invalid("weekly must be between 1 and %d, got %d", MaxWeeks, r.Weeks)
		}
		if r.Rotation < 0 || r.Rotation > MaxRotation {
			return nil, invalid("rotation must be between 1 and %d, got %d", MaxRotation, r.Rotation)
		}
	} else {
		if r.To.Sub(r.From) > MaxWindow {
			return nil, invalid("between: the window is longer than 366 days")
		}
		if r.Top < 0 || r.Top > 1000 {
			return nil, invalid("top must be between 1 and 1000, got %d", r.Top)
		}
	}
	if r.To.Sub(r.From) < r.Duration && (!series || r.To.Sub(r.From) < 7*24*time.Hour) {
		return nil, invalid("between: the window (%v) is shorter than the meeting (%v)", r.To.Sub(r.From), r.Duration)
	}
	for k, ivs := range r.Busy {
		if _, ok := r.Team.Member(k); !ok {
			return nil, invalid("busy: unknown member %q", k)
		}
		for i, iv := range ivs {
			if !iv.Start.Before(iv.End) {
				return nil, invalid("busy: %s: interval %d ends before it starts", k, i+1)
			}
		}
	}
	return p, nil
}

// Participants resolves identifiers (email, name or alias) to members of t,
// in the order given and without repeats; no identifiers means every member.
func Participants(t *team.Team, with []string) ([]*team.Member, error) {
	if t == nil || len(t.Members) == 0 {
		return nil, invalid("team: the team has no members")
	}
	var out []*team.Member
	seen := map[*team.Member]bool{}
	for _, id := range with {
		if strings.TrimSpace(id) == "" {
			continue
		}
		m, err := t.Resolve(id)
		if err != nil {
			return nil, invalid("with: %s", rhythm.ErrorMessage(err))
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		if len(with) > 0 {
			return nil, invalid("with: no members named")
		}
		for i := range t.Members {
			out = append(out, &t.Members[i])
		}
	}
	return out, nil
}

// busy returns the busy intervals of the participants, their days off
// (holidays, their region's public holidays) among them: a day off is
// never proposed.
func (p *prepared) busy() []team.Interval {
	var out []team.Interval
	for i := range p.members {
		out = append(out, p.memberBusy(i)...)
	}
	return out
}

// memberBusy returns participant i's busy intervals and days off.
func (p *prepared) memberBusy(i int) []team.Interval {
	m, loc := p.members[i], p.locs[i]
	var out []team.Interval
	if len(m.Holidays) > 0 || m.HolidayRegion != "" {
		first := team.DateOf(p.req.From.In(loc).AddDate(0, 0, -1))
		last := team.DateOf(p.req.To.In(loc).AddDate(0, 0, 1))
		for d := first; !last.Before(d); d = team.DateOf(d.In(time.UTC).AddDate(0, 0, 1)) {
			if m.IsHoliday(d) {
				next := team.DateOf(d.In(time.UTC).AddDate(0, 0, 1))
				out = append(out, team.Interval{Start: d.In(loc), End: next.In(loc)})
			}
		}
	}
	for k, ivs := range p.req.Busy {
		if bm, _ := p.req.Team.Member(k); bm == m {
			out = append(out, ivs...)
		}
	}
	return out
}

// takenWarning says why the best times proposed leave someone outside
// working hours when times with everyone inside existed: they were taken
// by busy time or days off, whose, and how many.
func (p *prepared) takenWarning(ts []int64, blocked []bool, outside func(c int) int) string {
	taken := 0
	whose := make([]int, len(p.members))
	busy := make([][]team.Interval, len(p.members))
	for i := range p.members {
		busy[i] = p.memberBusy(i)
	}
	for c, t := range ts {
		if !blocked[c] || outside(c) != 0 {
			continue
		}
		start := time.Unix(t*60, 0)
		end := start.Add(p.req.Duration)
		any := false
		for i := range p.members {
			for _, iv := range busy[i] {
				if iv.Start.Before(end) && start.Before(iv.End) {
					whose[i]++
					any = true
					break
				}
			}
		}
		if any {
			taken++
		}
	}
	if taken == 0 {
		return ""
	}
	var names []string
	for i, n := range whose {
		if n > 0 {
			names = append(names, p.members[i].Email)
		}
	}
	return fmt.Sprintf("%d times with everyone inside working hours are taken by the busy time or days off of %s; these are the next best",
		taken, strings.Join(names, ", "))
}

// A cand is a candidate start: a wall-clock time on a date of the anchor
// zone. Instance w of a series is the same wall time w weeks later.
type cand struct {
	day   int // days after the window's first date
	clock int // minutes after local midnight
}

// candidates lists the Step-grid wall times of the anchor zone whose first
// instance starts in the window (a series: its first week) and, for a
// one-off or a window shorter than a week, ends by To.
func (p *prepared) candidates(series bool) (team.Date, []cand) {
	from, to := p.req.From, p.req.To
	startBy := to
	endBy := to
	if series && to.Sub(from) >= 7*24*time.Hour {
		startBy = from.Add(7 * 24 * time.Hour)
		endBy = time.Time{}
	}
	d0 := team.DateOf(from.In(p.anchor))
	last := team.DateOf(startBy.In(p.anchor))
	step := int(Step / time.Minute)
	var out []cand
	for day := 0; ; day++ {
		date := team.DateOf(time.Date(d0.Year, d0.Month, d0.Day+day, 12, 0, 0, 0, time.UTC))
		if last.Before(date) {
			break
		}
		for clock := 0; clock < minutesPerDay; clock += step {
			t := wallTime(date.Year, date.Month, date.Day, clock, p.anchor)
			if !sameWall(t, time.Date(date.Year, date.Month, date.Day, 0, clock, 0, 0, time.UTC)) {
				continue // skipped by a clock change
			}
			if t.Before(from) || !t.Before(startBy) {
				continue
			}
			if !endBy.IsZero() && t.Add(p.req.Duration).After(endBy) {
				continue
			}
			out = append(out, cand{day, clock})
		}
	}
	return d0, out
}

// instants returns the Unix minutes of instance w of every candidate: the
// same wall time w weeks after the first, in the anchor zone's real local
// time of that week. steady reports whether the anchor's UTC offset, off
// (minutes), held for all of them.
func (p *prepared) instants(d0 team.Date, cands []cand, w int, out []int64) (ts []int64, off int64, steady bool) {
	out = out[:0]
	base := wallTime(d0.Year, d0.Month, d0.Day+7*w, 0, p.anchor)
	steady = base.Hour() == 0 && base.Minute() == 0
	baseMin := unixMinute(base)
	_, sec := base.Zone()
	_, ze := base.ZoneBounds()
	limit := int64(1) << 62
	if !ze.IsZero() {
		limit = unixMinute(ze)
	}
	for _, c := range cands {
		t := baseMin + int64(c.day*minutesPerDay+c.clock)
		if !steady || t >= limit {
			steady = false
			t = unixMinute(wallTime(d0.Year, d0.Month, d0.Day+7*w+c.day, c.clock, p.anchor))
		}
		out = append(out, t)
	}
	return out, int64(sec) / 60, steady
}
