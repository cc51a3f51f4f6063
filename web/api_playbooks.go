package web

import (
	"github.com/rhythm-team/rhythm/app"
	"net/http"

	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/thread"
)

// apiBuiltinPlaybooks lists the built-in playbooks.
func (s *Server) apiBuiltinPlaybooks(w http.ResponseWriter, r *http.Request) {
	s.json(w, http.StatusOK, map[string]any{"playbooks": playbook.Builtins()})
}

func (s *Server) apiTeamPlaybooks(w http.ResponseWriter, r *http.Request) {
	ts, err := s.app.Playbooks(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"playbooks": ts})
}

func (s *Server) apiGetPlaybook(w http.ResponseWriter, r *http.Request) {
	t, err := s.app.Playbook(r.Context(), s.actor(r), r.PathValue("team"), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "yaml" {
		b, err := playbook.Marshal(t)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Write(b)
		return
	}
	s.json(w, http.StatusOK, t)
}

func (s *Server) apiPutPlaybook(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.app.SavePlaybook(r.Context(), s.actor(r), r.PathValue("team"), r.PathValue("name"), body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, t)
}

func (s *Server) apiDeletePlaybook(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeletePlaybook(r.Context(), s.actor(r), r.PathValue("team"), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiRunPlaybook(w http.ResponseWriter, r *http.Request) {
	var b app.PlaybookRun
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	plan, ths, err := s.app.RunPlaybook(r.Context(), s.actor(r), r.PathValue("team"), r.PathValue("name"), b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if b.Create {
		status = http.StatusCreated
	}
	if ths == nil {
		ths = []thread.Thread{}
	}
	s.json(w, status, map[string]any{"plan": plan, "threads": ths})
}
