package slack

import "net/http"

func (h *Handler) Commands(w http.ResponseWriter, r *http.Request)     { h.verify(w, r) }
func (h *Handler) Interactions(w http.ResponseWriter, r *http.Request) { h.verify(w, r) }
