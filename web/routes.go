package web

import (
	"io/fs"
	"net/http"
)

// routes registers every route of the server, one table per surface.
func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", s.healthz)

	// JSON API.
	s.mux.HandleFunc("GET /api/v1/teams", s.apiListTeams)
	s.mux.HandleFunc("POST /api/v1/teams", s.apiCreateTeam)
	s.mux.HandleFunc("GET /api/v1/teams/{team}", s.apiGetTeam)
	s.mux.HandleFunc("PUT /api/v1/teams/{team}", s.apiReplaceTeam)
	s.mux.HandleFunc("DELETE /api/v1/teams/{team}", s.apiDeleteTeam)
	s.mux.HandleFunc("GET /api/v1/teams/{team}/members", s.apiListMembers)
	s.mux.HandleFunc("POST /api/v1/teams/{team}/members", s.apiAddMember)
	s.mux.HandleFunc("GET /api/v1/teams/{team}/members/{member}", s.apiGetMember)
	s.mux.HandleFunc("PUT /api/v1/teams/{team}/members/{member}", s.apiUpdateMember)
	s.mux.HandleFunc("DELETE /api/v1/teams/{team}/members/{member}", s.apiDeleteMember)
	s.mux.HandleFunc("POST /api/v1/rosters", s.apiImportRoster)
	s.mux.HandleFunc("/api/", s.apiNotFound)

	// Pages.
	s.mux.HandleFunc("GET /{$}", s.uiHome)
	s.mux.HandleFunc("GET /teams", s.uiTeams)
	s.mux.HandleFunc("GET /teams/{team}", s.uiTeam)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
