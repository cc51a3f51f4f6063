package web

import (
	"fmt"
	"net/http"
	"os"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// importsView is the data of the imports page.
type importsView struct {
	Team      team.Team
	Imports   []store.Import
	CanImport bool
	Error     string
}

func (s *Server) importsPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	t, imps, err := s.app.Imports(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	v := importsView{Team: t.Team, Imports: imps, CanImport: u.Role == account.Admin || t.Access.IsLead, Error: errMsg}
	s.render(w, r, status, "imports", "Imports · "+t.Name, v)
}

func (s *Server) uiImports(w http.ResponseWriter, r *http.Request) {
	s.importsPage(w, r, http.StatusOK, "")
}

// uiImport stores the files of the upload form and shows the list.
func (s *Server) uiImport(w http.ResponseWriter, r *http.Request) {
	fail := func(err error) {
		s.formFail(w, r, err, func(status int, msg string) { s.importsPage(w, r, status, msg) })
	}
	dir, err := s.spool.MkdirTemp()
	if err != nil {
		fail(err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := s.receiveUploads(w, r, dir)
	if err != nil {
		fail(err)
		return
	}
	imports, err := s.app.Import(r.Context(), s.actor(r), r.PathValue("team"), files)
	if err != nil {
		if len(imports) > 0 {
			err = withPrefix(err, fmt.Sprintf("%d earlier file(s) were imported; ", len(imports)))
		}
		fail(err)
		return
	}
	ta, _ := teamAccess(r)
	http.Redirect(w, r, fmt.Sprintf("/teams/%d/imports", ta.TeamID), http.StatusSeeOther)
}
