package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm/app"
)

func (s *Server) apiListCalendars(w http.ResponseWriter, r *http.Request) {
	out, err := s.app.Calendars(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"calendars": out})
}

func (s *Server) apiConnectCalendar(w http.ResponseWriter, r *http.Request) {
	var in app.CalendarInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.app.ConnectCalendar(r.Context(), s.actor(r), r.PathValue("team"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, v)
}

func (s *Server) apiRemoveCalendar(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "calendar")
	if err == nil {
		err = s.app.RemoveCalendar(r.Context(), s.actor(r), r.PathValue("team"), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSyncCalendar(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "calendar")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.app.SyncCalendar(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, v)
}
