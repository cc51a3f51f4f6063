package app

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// ScheduleResult is the answer of a schedule query: the summary, and the
// ranked slots (one-off) or the instances (weekly), in the record forms
// that `rhythm schedule --json` prints.
type ScheduleResult struct {
	Summary   any                       `json:"summary"`
	Slots     []schedule.SlotRecord     `json:"slots,omitempty"`
	Instances []schedule.InstanceRecord `json:"instances,omitempty"`

	// Ranking is the one-off search, Series the weekly plan: one is set.
	Ranking *schedule.Ranking `json:"-"`
	Series  *schedule.Series  `json:"-"`
}

// Schedule ranks one-off times, or plans a weekly series, for members of
// a team; one-off searches add the busy time of connected calendars.
func (a *App) Schedule(ctx context.Context, who Actor, teamRef string, q schedule.Query) (TeamOf, *ScheduleResult, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	req, err := q.Request(&t.Team, a.now())
	if err != nil {
		return t, nil, err
	}
	if q.Weekly != 0 {
		s, err := schedule.Rotate(req)
		if err != nil {
			return t, nil, err
		}
		res := &ScheduleResult{Summary: s.Summary(), Series: s}
		for _, rec := range s.Records() {
			if in, ok := rec.(schedule.InstanceRecord); ok {
				res.Instances = append(res.Instances, in)
			}
		}
		return t, res, nil
	}
	noCalendar, err := a.addCalendarBusy(ctx, &t.Team, &req)
	if err != nil {
		return t, nil, err
	}
	rk, err := schedule.Find(req)
	if err != nil {
		return t, nil, err
	}
	if len(noCalendar) > 0 {
		rk.Warnings = append(rk.Warnings, "no calendar connected for "+strings.Join(noCalendar, ", ")+": their busy time is not known")
	}
	res := &ScheduleResult{Summary: rk.Summary(), Ranking: rk}
	for _, rec := range rk.Records() {
		if sl, ok := rec.(schedule.SlotRecord); ok {
			res.Slots = append(res.Slots, sl)
		}
	}
	return t, res, nil
}

// addCalendarBusy adds the busy time of the participants' connected
// calendars to a one-off request, and returns the participants who have
// none (only when someone in the team has one: a team without live
// calendars is not told about them on every search).
func (a *App) addCalendarBusy(ctx context.Context, t *team.Team, req *schedule.Request) ([]string, error) {
	busy, connected, err := a.db.CalendarBusy(ctx, t.ID, req.From.Add(-24*time.Hour), req.To.Add(24*time.Hour))
	if err != nil || len(connected) == 0 {
		return nil, err
	}
	members, err := schedule.Participants(t, req.With)
	if err != nil {
		return nil, err
	}
	if req.Busy == nil {
		req.Busy = map[string][]team.Interval{}
	}
	var none []string
	for _, m := range members {
		if !connected[m.Email] {
			none = append(none, m.Name)
			continue
		}
		req.Busy[m.Email] = append(req.Busy[m.Email], busy[m.Email]...)
	}
	return none, nil
}

// OverlapQuery asks for a team's weekly overlap heat map.
type OverlapQuery struct {
	Zone string   // IANA zone the map is drawn in (required)
	Week string   // a date in the week (default: this week in Zone)
	With []string // members by email, name or alias (default: everyone)
}

// Overlap returns a team's weekly overlap heat map.
func (a *App) Overlap(ctx context.Context, who Actor, teamRef string, q OverlapQuery) (TeamOf, *schedule.Heatmap, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	loc, err := team.LoadZone(strings.TrimSpace(q.Zone))
	if err != nil {
		return t, nil, rhythm.Errorf(rhythm.EINVALID, "zone: %s", rhythm.ErrorMessage(err))
	}
	week := team.DateOf(a.now().In(loc))
	if v := strings.TrimSpace(q.Week); v != "" {
		if week, err = team.ParseDate(v); err != nil {
			return t, nil, rhythm.Errorf(rhythm.EINVALID, "week: %v", err)
		}
	}
	h, err := schedule.Overlap(&t.Team, q.With, loc, week)
	return t, h, err
}

// WriteICS writes the weekly series, or the best one-off time, as an
// iCalendar file of events titled title.
func (r *ScheduleResult) WriteICS(w io.Writer, title string, stamp time.Time) error {
	opts := schedule.ICSOptions{Summary: title, Name: title, Stamp: stamp}
	if r.Series != nil {
		return r.Series.WriteICS(w, opts)
	}
	return r.Ranking.WriteICS(w, opts)
}
