package web

import (
	"net/http"

	gojson "github.com/goccy/go-json"

	"github.com/rhythm-team/rhythm/decide"
)

// apiDecide answers POST /api/v1/decide: the body is a decide.Request (a
// roster may come inline), the answer a decide.Decision.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var req decide.Request
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.app.Decide(r.Context(), s.actor(r), &req)
	s.answerDecide(w, r, d, err)
}

// apiTeamDecide answers POST /api/v1/teams/{team}/decide with the stored
// team's norms and roster; "with" names its members.
func (s *Server) apiTeamDecide(w http.ResponseWriter, r *http.Request) {
	var req decide.Request
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.app.DecideForTeam(r.Context(), s.actor(r), r.PathValue("team"), &req)
	s.answerDecide(w, r, d, err)
}

func (s *Server) answerDecide(w http.ResponseWriter, r *http.Request, d decide.Decision, err error) {
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
