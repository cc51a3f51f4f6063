package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/sso"
)

// SignOn is single sign-on through an OpenID Provider (package sso).
type SignOn struct {
	// RP is rhythm as the provider's relying party.
	RP *sso.RP
	// Policy decides who may sign in and who is admin.
	Policy sso.Policy
	// PublicURL is the address people open rhythm at; after signing out at
	// the provider they are sent to PublicURL/login, which must be
	// registered there as a post-logout redirect URI.
	PublicURL string
}

// signOnCookie marks a browser session started through the provider, so
// that signing out also signs out there. It holds no secret: the session
// cookie is the credential.
const signOnCookie = "rhythm_signon"

// loginView is what the sign-in and setup pages show besides the form.
type loginView struct {
	Provider string // "Sign in with <Provider>"; "" without single sign-on
	Password bool   // the password form is offered
}

func (s *Server) loginView() loginView {
	v := loginView{Password: s.passwordLogin}
	if s.signOn != nil {
		v.Provider = s.signOn.RP.ProviderName()
	}
	return v
}

// passwordRefused is the refusal of a password sign-in or setup while
// password sign-in is off.
func (s *Server) passwordRefused() error {
	how := "ask the server's admin"
	if s.signOn != nil {
		how = "sign in with " + s.signOn.RP.ProviderName()
	}
	return rhythm.Errorf(rhythm.EFORBIDDEN, "password sign-in is off on this server; %s", how)
}

// noPassword is the refusal to set a password for a user who has none.
func (s *Server) noPassword() error {
	if s.signOn == nil {
		return rhythm.Errorf(rhythm.EFORBIDDEN, "you have no rhythm password, and this page does not make one; ask the server's admin")
	}
	return rhythm.Errorf(rhythm.EFORBIDDEN, "you sign in with %s; rhythm keeps no password for you, and this page does not make one", s.signOn.RP.ProviderName())
}

// uiSignOnBegin sends the browser to the provider to sign in.
func (s *Server) uiSignOnBegin(w http.ResponseWriter, r *http.Request) {
	if s.signOn == nil {
		s.signOnFailed(w, r, rhythm.Errorf(rhythm.ENOTFOUND, "single sign-on is not set up on this server"))
		return
	}
	to, err := s.signOn.RP.Begin(w, r, safeNext(r.URL.Query().Get("next")))
	if err != nil {
		s.signOnFailed(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// uiSignOnCallback finishes a sign-in at the provider: the identity is
// checked, resolved to a rhythm user and a session started as a password
// sign-in would.
func (s *Server) uiSignOnCallback(w http.ResponseWriter, r *http.Request) {
	if s.signOn == nil {
		s.signOnFailed(w, r, rhythm.Errorf(rhythm.ENOTFOUND, "single sign-on is not set up on this server"))
		return
	}
	login, err := s.signOn.RP.Finish(w, r)
	if err != nil {
		s.signOnFailed(w, r, err)
		return
	}
	u, err := s.app.SignInWithIdentity(r.Context(), s.actor(r), login.Claims)
	if err == nil {
		err = s.beginSession(w, r, u, true)
	}
	if err != nil {
		s.signOnFailed(w, r, err)
		return
	}
	s.log.Info("signed in with single sign-on", "request_id", requestID(r), "user", u.ID)
	http.Redirect(w, r, safeNext(login.Next), http.StatusSeeOther)
}

// beginSession starts u's session after a sign-in: atProvider says
// whether it was single sign-on. Every sign-in comes through here, so that
// the mark that sends signing out through the provider is set by single
// sign-on alone, and cleared by any other sign-in in the same browser.
func (s *Server) beginSession(w http.ResponseWriter, r *http.Request, u account.User, atProvider bool) error {
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.markSignOn(w, r, atProvider)
	return nil
}

// markSignOn sets (or clears) the cookie that says the browser's session
// began at the provider. Clearing sends nothing to a browser without it.
func (s *Server) markSignOn(w http.ResponseWriter, r *http.Request, on bool) {
	if !on {
		s.clearCookie(w, r, signOnCookie)
		return
	}
	s.setCookie(w, r, signOnCookie, "1", s.now().Add(sessionLifetime))
	s.clearOldName(w, r, signOnCookie)
}

// signOnFailed shows why a sign-in at the provider did not work: a plain
// page with a way back to the sign-in page, never a redirect (which could
// loop through the provider). The cause goes to the log.
func (s *Server) signOnFailed(w http.ResponseWriter, r *http.Request, err error) {
	code := rhythm.ErrorCode(err)
	level := s.log.Info
	if code == rhythm.EINTERNAL || code == rhythm.EUNAVAILABLE {
		level = s.log.Warn
	}
	level("single sign-on refused", "request_id", requestID(r), "code", code, "err", err)
	s.unavailable(w, r, err)
	if secs, ok := sso.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	msg := rhythm.ErrorMessage(err)
	if code == rhythm.EINTERNAL {
		msg = "internal error; the server log has the details."
	}
	s.render(w, r, rhythm.HTTPStatus(code), "signin_error", "Sign-in did not work", msg)
}

// signOnLogoutURL is where signing out sends a browser whose session began
// at the provider: the provider's end-session address (RP-initiated
// logout), which returns to the sign-in page, or "" to stay here. Only an
// address on the issuer's origin is used: the sign-out form's redirect
// must pass the pages' form-action policy, which allows that origin.
func (s *Server) signOnLogoutURL(r *http.Request) string {
	if s.signOn == nil {
		return ""
	}
	if c, err := r.Cookie(s.cookieName(r, signOnCookie)); err != nil || c.Value == "" {
		return ""
	}
	to, err := s.signOn.RP.LogoutURL(r.Context(), "", strings.TrimSuffix(s.signOn.PublicURL, "/")+"/login")
	if err != nil {
		s.log.Warn("single sign-on: no sign-out at the provider", "request_id", requestID(r), "err", err)
		return ""
	}
	if to == "" || origin(to) != origin(s.signOn.RP.Issuer()) {
		return ""
	}
	return to
}

// origin returns scheme://host of an absolute URL, or "".
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// contentSecurityPolicy is the pages' policy. Forms post only to this
// site, and with single sign-on also to the provider's origin, where
// signing out redirects.
func contentSecurityPolicy(signOn *SignOn) string {
	formAction := "'self'"
	if signOn != nil {
		if o := origin(signOn.RP.Issuer()); o != "" {
			formAction += " " + o
		}
	}
	return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action " +
		formAction + "; base-uri 'none'"
}
