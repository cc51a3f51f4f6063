package web

import (
	"io/fs"
	"net/http"
)

// access is who may use a route. Every route declares one.
type access int

const (
	public     access = iota // anyone, signed in or not
	signedIn                 // any signed-in user or API token
	teamMember               // a member of the {team} in the path, its leads, admins
	teamLead                 // a lead of the {team} in the path, admins
	adminOnly                // admins
)

// handle registers h for pattern, reachable only with the given access.
func (s *Server) handle(pattern string, a access, h http.HandlerFunc) {
	s.mux.Handle(pattern, s.guard(a, h))
}

// routes registers every route of the server, one table per surface,
// readable top to bottom.
func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.handle("GET /healthz", public, s.healthz)

	// JSON API.
	s.handle("GET /api/v1/teams", signedIn, s.apiListTeams)
	s.handle("POST /api/v1/teams", adminOnly, s.apiCreateTeam)
	s.handle("POST /api/v1/rosters", adminOnly, s.apiImportRoster)
	s.handle("GET /api/v1/teams/{team}", teamMember, s.apiGetTeam)
	s.handle("PUT /api/v1/teams/{team}", teamLead, s.apiReplaceTeam)
	s.handle("DELETE /api/v1/teams/{team}", adminOnly, s.apiDeleteTeam)
	s.handle("GET /api/v1/teams/{team}/members", teamMember, s.apiListMembers)
	s.handle("POST /api/v1/teams/{team}/members", teamLead, s.apiAddMember)
	s.handle("GET /api/v1/teams/{team}/members/{member}", teamMember, s.apiGetMember)
	s.handle("PUT /api/v1/teams/{team}/members/{member}", teamLead, s.apiUpdateMember)
	s.handle("DELETE /api/v1/teams/{team}/members/{member}", teamLead, s.apiDeleteMember)
	s.handle("/api/", public, s.apiNotFound)

	// Pages.
	s.handle("GET /{$}", public, s.uiHome)
	s.handle("GET /teams", signedIn, s.uiTeams)
	s.handle("GET /teams/{team}", teamMember, s.uiTeam)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
