package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/store"
)

// apiGetAudit answers the team's latest saved audit report (group
// figures only).
func (s *Server) apiGetAudit(w http.ResponseWriter, r *http.Request) {
	info, rep, err := s.app.LatestAudit(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, struct {
		store.AuditInfo
		Report audit.Report `json:"report"`
	}{info, rep})
}

// apiMyAudit answers the signed-in person's own figures.
func (s *Server) apiMyAudit(w http.ResponseWriter, r *http.Request) {
	mine, err := s.app.MyAudits(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]store.PersonAudit, len(mine))
	for i, ma := range mine {
		out[i] = ma.PersonAudit
	}
	s.json(w, http.StatusOK, out)
}
