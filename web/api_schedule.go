package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/schedule"
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
	if strings.TrimSpace(body.Zone) == "" {
		// Days and times without an offset are on the requester's clock.
		body.Zone = s.zone(r).Name
	}
	t, res, err := s.app.Schedule(r.Context(), s.actor(r), body.Team, body.Query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "text/calendar") {
		var buf bytes.Buffer
		if err := res.WriteICS(&buf, t.Name+" sync", s.now()); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Write(buf.Bytes())
		return
	}
	s.json(w, http.StatusOK, res)
}

// apiOverlap returns a team's weekly overlap heat map:
// ?week=YYYY-MM-DD (default this week), ?zone=IANA (default the
// requester's zone), ?with=a,b (default everyone). The answer's zone is the
// one used and zone_source says why: "query", or the requester's
// "account", "roster" or "default" (UTC).
func (s *Server) apiOverlap(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	zone, source := strings.TrimSpace(q.Get("zone")), "query"
	if zone == "" {
		z := s.zone(r)
		zone, source = z.Name, z.Source
	}
	_, h, err := s.app.Overlap(r.Context(), s.actor(r), r.PathValue("team"), app.OverlapQuery{Zone: zone, Week: q.Get("week"), With: splitValues(q["with"])})
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
