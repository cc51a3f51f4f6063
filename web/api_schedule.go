package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// scheduleBody is the body of POST /api/v1/schedule: the team (id or name)
// and the query.
type scheduleBody struct {
	Team string `json:"team"`
	schedule.Query
}

// apiSchedule ranks one-off times or plans a weekly series for members of
// a team the requester may see. With Accept: text/calendar it answers the
// series (or the best time) as an iCalendar file.
func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request) {
	var body scheduleBody
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(body.Team) == "" {
		s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "team is required (an id or a name)"))
		return
	}
	t, err := s.visibleTeam(r, body.Team)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(body.Zone) == "" {
		// Days and times without an offset are on the requester's clock.
		body.Zone = s.zone(r).Name
	}
	res, err := s.runQuery(r.Context(), &t, body.Query, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "text/calendar") {
		var buf bytes.Buffer
		title := t.Name + " sync"
		opts := schedule.ICSOptions{Summary: title, Name: title, Stamp: s.now()}
		if res.series != nil {
			err = res.series.WriteICS(&buf, opts)
		} else {
			err = res.ranking.WriteICS(&buf, opts)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Write(buf.Bytes())
		return
	}
	s.json(w, http.StatusOK, res)
}

// visibleTeam returns the team with ref when the requester is an admin, a
// lead of it or on its roster.
func (s *Server) visibleTeam(r *http.Request, ref string) (team.Team, error) {
	u, _ := currentUser(r)
	ta, err := s.db.Access(r.Context(), ref, u)
	if err != nil {
		return team.Team{}, err
	}
	if u.Role != account.Admin && !ta.IsLead && !ta.IsMember {
		return team.Team{}, rhythm.Errorf(rhythm.EFORBIDDEN, "only a member of %s may do this", teamLabel(ta))
	}
	return s.db.Team(r.Context(), ref)
}

// scheduleResult is the JSON answer of a schedule query: the summary, and
// the ranked slots (one-off) or the instances (weekly), in the record forms
// that `rhythm schedule --json` prints.
type scheduleResult struct {
	Summary   any                       `json:"summary"`
	Slots     []schedule.SlotRecord     `json:"slots,omitempty"`
	Instances []schedule.InstanceRecord `json:"instances,omitempty"`

	ranking *schedule.Ranking
	series  *schedule.Series
}

func (s *Server) runQuery(ctx context.Context, t *team.Team, q schedule.Query, now time.Time) (*scheduleResult, error) {
	req, err := q.Request(t, now)
	if err != nil {
		return nil, err
	}
	var noCalendar []string
	if q.Weekly == 0 {
		if noCalendar, err = s.addCalendarBusy(ctx, t, &req); err != nil {
			return nil, err
		}
	}
	if q.Weekly != 0 {
		s, err := schedule.Rotate(req)
		if err != nil {
			return nil, err
		}
		res := &scheduleResult{Summary: s.Summary(), series: s}
		for _, rec := range s.Records() {
			if in, ok := rec.(schedule.InstanceRecord); ok {
				res.Instances = append(res.Instances, in)
			}
		}
		return res, nil
	}
	rk, err := schedule.Find(req)
	if err != nil {
		return nil, err
	}
	if len(noCalendar) > 0 {
		rk.Warnings = append(rk.Warnings, "no calendar connected for "+strings.Join(noCalendar, ", ")+": their busy time is not known")
	}
	res := &scheduleResult{Summary: rk.Summary(), ranking: rk}
	for _, rec := range rk.Records() {
		if sl, ok := rec.(schedule.SlotRecord); ok {
			res.Slots = append(res.Slots, sl)
		}
	}
	return res, nil
}

// apiOverlap returns a team's weekly overlap heat map:
// ?week=YYYY-MM-DD (default this week), ?zone=IANA (default the
// requester's zone), ?with=a,b (default everyone). The answer's zone is the
// one used and zone_source says why: "query", or the requester's
// "account", "roster" or "default" (UTC).
func (s *Server) apiOverlap(w http.ResponseWriter, r *http.Request) {
	t, err := s.db.Team(r.Context(), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	z, source := s.zone(r), "query"
	if strings.TrimSpace(r.URL.Query().Get("zone")) == "" {
		source = z.Source
	}
	h, err := s.overlap(r, &t, z.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, overlapAnswer{Heatmap: h, ZoneSource: source})
}

// overlapAnswer is the heat map with where its zone came from.
type overlapAnswer struct {
	*schedule.Heatmap
	ZoneSource string `json:"zone_source"`
}

// overlap computes the heat map a request asks for, in the zone of the
// zone parameter or else defaultZone.
func (s *Server) overlap(r *http.Request, t *team.Team, defaultZone string) (*schedule.Heatmap, error) {
	q := r.URL.Query()
	zoneName := strings.TrimSpace(q.Get("zone"))
	if zoneName == "" {
		zoneName = defaultZone
	}
	loc, err := team.LoadZone(zoneName)
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "zone: %s", rhythm.ErrorMessage(err))
	}
	week := team.DateOf(s.now().In(loc))
	if v := strings.TrimSpace(q.Get("week")); v != "" {
		if week, err = team.ParseDate(v); err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "week: %v", err)
		}
	}
	var with []string
	for _, v := range q["with"] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				with = append(with, part)
			}
		}
	}
	return schedule.Overlap(t, with, loc, week)
}

// addCalendarBusy adds the busy time of the participants' connected
// calendars to a one-off request, and returns the participants who have
// none (only when someone in the team has one: a team without live
// calendars is not told about them on every search).
func (s *Server) addCalendarBusy(ctx context.Context, t *team.Team, req *schedule.Request) ([]string, error) {
	busy, connected, err := s.db.CalendarBusy(ctx, t.ID, req.From.Add(-24*time.Hour), req.To.Add(24*time.Hour))
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
