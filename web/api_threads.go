package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/thread"
)

func (s *Server) apiListThreads(w http.ResponseWriter, r *http.Request) {
	f, err := threadFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, out, err := s.app.Threads(r.Context(), s.actor(r), r.PathValue("team"), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"threads": out})
}

func (s *Server) apiCreateThread(w http.ResponseWriter, r *http.Request) {
	var n thread.NewThread
	err := s.decodeJSON(w, r, &n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A due_by without an offset is on the requester's clock.
	z := s.zone(r)
	n.DueBy, err = typedDue("due_by", n.DueBy, z.Location())
	var th app.ThreadView
	if err == nil {
		th, err = s.app.CreateThread(r.Context(), s.actor(r), r.PathValue("team"), n)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, th)
}

func (s *Server) apiGetThread(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "thread")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, th, _, err := s.app.Thread(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, th)
}

// responseBody is the JSON body of a response.
type responseBody struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

func (s *Server) apiRespond(w http.ResponseWriter, r *http.Request) {
	var b responseBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r, "thread")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := s.app.Respond(r.Context(), s.actor(r), r.PathValue("team"), id, b.Kind, b.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, th)
}

func (s *Server) apiCloseThread(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "thread")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := s.app.CloseThread(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, th)
}

func (s *Server) apiWaiting(w http.ResponseWriter, r *http.Request) {
	email, items, err := s.app.Waiting(r.Context(), s.actor(r), r.PathValue("team"), r.URL.Query().Get("member"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"member": email, "waiting": items})
}

func (s *Server) apiListDecisions(w http.ResponseWriter, r *http.Request) {
	q, err := decisionQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, ds, err := s.app.Decisions(r.Context(), s.actor(r), r.PathValue("team"), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"decisions": ds})
}

func (s *Server) apiCreateDecision(w http.ResponseWriter, r *http.Request) {
	var n thread.NewDecision
	if err := s.decodeJSON(w, r, &n); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.app.RecordDecision(r.Context(), s.actor(r), r.PathValue("team"), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, d)
}

func (s *Server) apiGetDecision(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "decision")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.app.Decision(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, d)
}
