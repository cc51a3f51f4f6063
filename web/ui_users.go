package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
)

type usersView struct {
	formView
	Users []account.User
	Teams []store.TeamSummary
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	var err error
	if v.Users, err = s.app.Users(r.Context(), s.actor(r)); err == nil {
		v.Teams, err = s.app.Teams(r.Context(), s.actor(r))
	}
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, status, "users", "Users", v)
}

func (s *Server) uiUsers(w http.ResponseWriter, r *http.Request) {
	s.usersPage(w, r, http.StatusOK, usersView{})
}

// readRoleAndTeams reads the role and lead-of checkboxes of a user form.
func readRoleAndTeams(r *http.Request) (account.Role, []int64, error) {
	role, err := account.ParseRole(r.PostFormValue("role"))
	if err != nil {
		return "", nil, err
	}
	var teams []int64
	for _, v := range r.PostForm["lead_of"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", nil, rhythm.Errorf(rhythm.EINVALID, "lead_of: %q is not a team id", v)
		}
		teams = append(teams, id)
	}
	if role != account.Lead && len(teams) > 0 {
		return "", nil, rhythm.Errorf(rhythm.EINVALID, "lead_of: only a lead leads teams")
	}
	return role, teams, nil
}

func (s *Server) uiCreateUser(w http.ResponseWriter, r *http.Request) {
	n := formNewUser(r)
	n.Role = r.PostFormValue("role")
	_, leadOf, err := readRoleAndTeams(r)
	if err == nil {
		n.LeadOf = leadOf
		_, err = s.app.CreateUser(r.Context(), s.actor(r), n)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			s.usersPage(w, r, status, usersView{formView: formView{Error: msg,
				Fields: map[string]string{"email": strings.TrimSpace(n.Email), "name": strings.TrimSpace(n.Name), "role": n.Role}}})
		})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) uiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	role, leadOf, err := readRoleAndTeams(r)
	if err == nil {
		err = s.app.UpdateUser(r.Context(), s.actor(r), id, r.PostFormValue("name"), role, leadOf)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			s.usersPage(w, r, status, usersView{formView: formView{Error: msg}})
		})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) uiDeleteUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.app.DeleteUser(r.Context(), s.actor(r), id); err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			s.usersPage(w, r, status, usersView{formView: formView{Error: msg}})
		})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
