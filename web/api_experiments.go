package web

import (
	"io"
	"mime"
	"net/http"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/experiment"
)

func (s *Server) apiListExperiments(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Experiments(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiments": list})
}

func (s *Server) apiCreateExperiment(w http.ResponseWriter, r *http.Request) {
	var in app.ExperimentInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.app.CreateExperiment(r.Context(), s.actor(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, map[string]any{"experiment": e, "power": experiment.Power(e, nil)})
}

func (s *Server) apiGetExperiment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, _, err := s.app.Experiment(r.Context(), s.actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiment": e, "status": s.app.ExperimentStatus(e), "power": experiment.Power(e, nil)})
}

func (s *Server) apiAssignExperiment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A CSV body is an existing assignment to adopt; none draws one.
	var csv io.Reader
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "text/csv" {
		csv = r.Body
	}
	e, err := s.app.AssignExperiment(r.Context(), s.actor(r), id, "body", csv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiment": e})
}

func (s *Server) apiExperimentReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, rep, err := s.app.ExperimentReport(r.Context(), s.actor(r), id, nil, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, rep)
}
