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
	if v.Users, err = s.db.ListUsers(r.Context()); err == nil {
		v.Teams, err = s.db.ListTeams(r.Context())
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
	u, hash, err := readNewUser(r)
	if err == nil {
		u.Role, u.LeadOf, err = readRoleAndTeams(r)
	}
	if err == nil {
		_, err = s.db.CreateUser(r.Context(), u, hash)
	}
	if err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.usersPage(w, r, ErrorStatus(rhythm.ErrorCode(err)), usersView{formView: formView{Error: rhythm.ErrorMessage(err),
			Fields: map[string]string{"email": u.Email, "name": u.Name, "role": r.PostFormValue("role")}}})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) uiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u, err := s.db.User(r.Context(), id)
	if err == nil {
		u.Role, u.LeadOf, err = readRoleAndTeams(r)
	}
	if name := strings.TrimSpace(r.PostFormValue("name")); name != "" {
		u.Name = name
	}
	if err == nil {
		err = s.db.UpdateUser(r.Context(), u)
	}
	if err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.usersPage(w, r, ErrorStatus(rhythm.ErrorCode(err)), usersView{formView: formView{Error: rhythm.ErrorMessage(err)}})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) uiDeleteUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.db.DeleteUser(r.Context(), id); err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.usersPage(w, r, ErrorStatus(rhythm.ErrorCode(err)), usersView{formView: formView{Error: rhythm.ErrorMessage(err)}})
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// Users in the JSON API (admins).

type userInput struct {
	Email    string  `json:"email"`
	Name     string  `json:"name"`
	Password string  `json:"password"`
	Role     string  `json:"role"`
	LeadOf   []int64 `json:"lead_of"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.db.ListUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if users == nil {
		users = []account.User{}
	}
	s.json(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u, hash, err := newUser(in)
	if err == nil {
		u, err = s.db.CreateUser(r.Context(), u, hash)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, u)
}

// newUser validates API input for a new user and hashes the password.
func newUser(in userInput) (account.User, string, error) {
	u := account.User{Email: strings.TrimSpace(in.Email), Name: strings.TrimSpace(in.Name), LeadOf: in.LeadOf}
	if !strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " \t") {
		return u, "", rhythm.Errorf(rhythm.EINVALID, "email: %q is not an email address", in.Email)
	}
	if u.Name == "" {
		u.Name = strings.Split(u.Email, "@")[0]
	}
	role, err := account.ParseRole(in.Role)
	if err != nil {
		return u, "", err
	}
	u.Role = role
	if role != account.Lead && len(u.LeadOf) > 0 {
		return u, "", rhythm.Errorf(rhythm.EINVALID, "lead_of: only a lead leads teams")
	}
	if err := account.CheckNewPassword(in.Password); err != nil {
		return u, "", err
	}
	hash, err := account.HashPassword(in.Password)
	return u, hash, err
}
