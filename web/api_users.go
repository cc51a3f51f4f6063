package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm/app"
)

// Users in the JSON API (admins).

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.app.Users(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in app.NewUser
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.app.CreateUser(r.Context(), s.actor(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, u)
}
