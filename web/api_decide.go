package web

import (
	"net/http"

	gojson "github.com/goccy/go-json"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// apiDecide answers POST /api/v1/decide: the body is a decide.Request (a
// roster may come inline), the answer a decide.Decision.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var req decide.Request
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerDecide(w, r, &req, nil)
}

// apiTeamDecide answers POST /api/v1/teams/{team}/decide with the stored
// team's norms and roster; "with" names its members.
func (s *Server) apiTeamDecide(w http.ResponseWriter, r *http.Request) {
	var req decide.Request
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Roster != nil {
		s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "roster: the team's stored roster is used here; send no roster"))
		return
	}
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.TeamFigures == nil { // the team's measured figures, from its latest audit
		if req.TeamFigures, err = s.app.AuditFigures(r.Context(), s.actor(r), r.PathValue("team")); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.answerDecide(w, r, &req, &t)
}

func (s *Server) answerDecide(w http.ResponseWriter, r *http.Request, req *decide.Request, t *team.Team) {
	p, err := decide.DefaultPolicy()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := p.DecideRequest(req, t, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// This is the hot path of the API: go-json encodes a decision in less
	// than half the time of encoding/json (BenchmarkAPIDecide).
	b, err := gojson.Marshal(d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(b, '\n'))
}
