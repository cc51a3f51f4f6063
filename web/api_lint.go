package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/lint"
)

// apiLint checks planned meetings (one JSON object or an array) against
// the meeting checklist with the team's roster and norms. Starts without
// an offset are read in the requester's zone; findings name it.
func (s *Server) apiLint(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := lint.ParsePlanned(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Times typed without an offset, and the times findings give, are on
	// the requester's clock.
	zone := s.zone(r).Location()
	var ms []lint.Meeting
	for i, p := range ps {
		p.Zone = zone
		m, err := p.Meeting(&t)
		if err != nil {
			if len(ps) > 1 {
				err = rhythm.Errorf(rhythm.EINVALID, "[%d].%s", i, rhythm.ErrorMessage(err))
			}
			s.fail(w, r, err)
			return
		}
		ms = append(ms, m)
	}
	fs := lint.Check(ms, lint.Options{Team: &t, Advisor: s.advisor, Zone: zone})
	if fs == nil {
		fs = []lint.Finding{}
	}
	s.json(w, http.StatusOK, map[string]any{"meetings": len(ms), "errors": lint.HasErrors(fs), "findings": fs})
}
