package web

import (
	"github.com/rhythm-team/rhythm/app"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// formView is a form page: what was typed, and what was wrong with it.
type formView struct {
	Error  string
	Notice string
	Fields map[string]string
	Extra  any
}

// safeNext keeps a post-sign-in redirect on this site. It checks the path
// the redirect will send, cleaned of dot segments, and refuses backslashes
// (raw or encoded), doubled slashes and control characters, which some
// browsers read as the start of another host.
func safeNext(next string) string {
	const home = "/teams"
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.Contains(next, "//") ||
		strings.ContainsAny(next, "\\") || strings.Contains(strings.ToLower(next), "%5c") {
		return home
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || u.Opaque != "" || u.User != nil {
		return home
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") || strings.Contains(clean, "\\") {
		return home
	}
	u.Path, u.RawPath = clean, ""
	return u.String()
}

func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) {
	n, err := s.db.CountUsers(r.Context())
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	switch _, signed := currentUser(r); {
	case n == 0:
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
	case signed:
		http.Redirect(w, r, "/teams", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	}
}

func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request) {
	// Without passwords the first admin comes through the provider or the
	// command line, so the sign-in page stays.
	if n, err := s.db.CountUsers(r.Context()); err == nil && n == 0 && s.passwordLogin {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, formView{Fields: map[string]string{"next": safeNext(r.URL.Query().Get("next"))}})
}

// renderLogin shows the sign-in page: the provider's button first, when
// single sign-on is set up, then the password form, when it is on.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v formView) {
	v.Extra = s.loginView()
	s.render(w, r, status, "login", "Sign in", v)
}

func (s *Server) uiLoginPost(w http.ResponseWriter, r *http.Request) {
	email, password, next := r.PostFormValue("email"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	if !s.passwordLogin {
		s.renderLogin(w, r, http.StatusForbidden, formView{Error: rhythm.ErrorMessage(s.passwordRefused()), Fields: map[string]string{"next": next}})
		return
	}
	u, err := s.signIn(r.Context(), r, email, password)
	if err == nil {
		err = s.beginSession(w, r, u, false)
	}
	if err != nil {
		code := rhythm.ErrorCode(err)
		if code == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		retryAfter(w, err)
		s.renderLogin(w, r, rhythm.HTTPStatus(code), formView{Error: rhythm.ErrorMessage(err), Fields: map[string]string{"email": email, "next": next}})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) uiDemoLogin(w http.ResponseWriter, r *http.Request) {
	if s.demo == nil {
		s.uiFail(w, r, rhythm.Errorf(rhythm.ENOTFOUND, "this server is not a demo"))
		return
	}
	u, _, err := s.db.UserByEmail(r.Context(), s.demo.Email)
	if err == nil {
		err = s.beginSession(w, r, u, false)
	}
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/teams", http.StatusSeeOther)
}

func (s *Server) uiLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.endSession(w, r); err != nil {
		s.uiFail(w, r, err)
		return
	}
	to := s.signOnLogoutURL(r)
	s.markSignOn(w, r, false)
	if to == "" {
		to = "/login"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) uiSetup(w http.ResponseWriter, r *http.Request) {
	if n, err := s.db.CountUsers(r.Context()); err != nil || n > 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "setup", "Set up rhythm", formView{Extra: s.loginView()})
}

// formNewUser reads the fields of a user form.
func formNewUser(r *http.Request) app.NewUser {
	return app.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Password: r.PostFormValue("password")}
}

func (s *Server) uiSetupPost(w http.ResponseWriter, r *http.Request) {
	if !s.passwordLogin {
		s.render(w, r, http.StatusForbidden, "setup", "Set up rhythm", formView{Error: rhythm.ErrorMessage(s.passwordRefused()), Extra: s.loginView()})
		return
	}
	u, err := s.app.SetUp(r.Context(), formNewUser(r))
	if err == nil {
		err = s.beginSession(w, r, u, false)
	}
	if err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.render(w, r, rhythm.HTTPStatus(rhythm.ErrorCode(err)), "setup", "Set up rhythm",
			formView{Error: rhythm.ErrorMessage(err), Fields: map[string]string{"email": u.Email, "name": u.Name}, Extra: s.loginView()})
		return
	}
	s.log.Info("first admin created", "user", u.ID)
	http.Redirect(w, r, "/teams", http.StatusSeeOther)
}
