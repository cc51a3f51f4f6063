package web

import (
	"net/http"
	"strconv"

	"github.com/rhythm-team/rhythm"
)

// API tokens in the JSON API.

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := s.app.Tokens(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"tokens": tokens})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, secret, err := s.app.CreateToken(r.Context(), s.actor(r), "", in.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, rhythm.Errorf(rhythm.ENOTFOUND, "token %q not found", r.PathValue("id")))
		return
	}
	if err := s.app.RevokeToken(r.Context(), s.actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
