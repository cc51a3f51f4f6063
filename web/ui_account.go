package web

import (
	"net/http"
	"strconv"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
)

// accountView is the account page: password form and API tokens.
type accountView struct {
	formView
	Tokens   []account.Token
	NewToken string // shown once, right after it is made
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, status int, v accountView) {
	tokens, err := s.app.Tokens(r.Context(), s.actor(r))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.Tokens = tokens
	v.Extra = s.loginView()
	s.render(w, r, status, "account", "Your account", v)
}

func (s *Server) uiAccount(w http.ResponseWriter, r *http.Request) {
	s.accountPage(w, r, http.StatusOK, accountView{})
}

// uiChangePassword changes the signed-in user's password. The current
// password is checked under the sign-in limits; API tokens may not do it.
func (s *Server) uiChangePassword(w http.ResponseWriter, r *http.Request) {
	u, _ := currentUser(r)
	if viaToken(r) {
		s.uiFail(w, r, rhythm.Errorf(rhythm.EFORBIDDEN, "an API token cannot change a password; sign in with the browser"))
		return
	}
	if !s.passwordLogin {
		s.uiFail(w, r, s.passwordRefused())
		return
	}
	var v accountView
	newPW := r.PostFormValue("new_password")
	_, ok, err := s.checkPassword(r.Context(), r, u.Email, r.PostFormValue("current_password"))
	switch {
	case rhythm.ErrorCode(err) == rhythm.ETOOMANY:
		retryAfter(w, err)
		s.accountPage(w, r, http.StatusTooManyRequests, accountView{formView: formView{Error: "current password: " + rhythm.ErrorMessage(err)}})
		return
	case err != nil:
		s.uiFail(w, r, err)
		return
	case !ok:
		v.Error = "current password: that is not your password"
	case newPW != r.PostFormValue("confirm_password"):
		v.Error = "confirm password: the two new passwords differ"
	default:
		if err := account.CheckNewPassword(newPW); err != nil {
			v.Error = rhythm.ErrorMessage(err)
			break
		}
		h, err := account.HashPassword(newPW)
		if err == nil {
			err = s.db.SetPassword(r.Context(), u.ID, h) // ends every session …
		}
		if err == nil {
			err = s.startSession(w, r, u) // … but this one goes on
		}
		if err != nil {
			s.uiFail(w, r, err)
			return
		}
		v.Notice = "Password changed. Other sessions have been signed out and your API tokens revoked."
	}
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusBadRequest
	}
	s.accountPage(w, r, status, v)
}

func (s *Server) uiCreateToken(w http.ResponseWriter, r *http.Request) {
	_, secret, err := s.app.CreateToken(r.Context(), s.actor(r), "", r.PostFormValue("name"))
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			s.accountPage(w, r, status, accountView{formView: formView{Error: msg}})
		})
		return
	}
	s.accountPage(w, r, http.StatusOK, accountView{NewToken: secret, formView: formView{Notice: "Copy the token now: it is not shown again."}})
}

func (s *Server) uiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.app.RevokeToken(r.Context(), s.actor(r), id); err != nil {
		s.uiFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
