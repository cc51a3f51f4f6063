package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/store"
)

const (
	sessionCookie       = "rhythm_session"
	sessionLifetime     = 14 * 24 * time.Hour
	tokenPrefix         = app.TokenPrefix
	sessionSecretPrefix = "rs_"
)

type ctxKey int

const (
	userKey ctxKey = iota
	accessKey
	bearerKey // the request was authenticated by an API token
)

// viaToken reports whether the request's user came from an API token.
func viaToken(r *http.Request) bool {
	b, _ := r.Context().Value(bearerKey).(bool)
	return b
}

// currentUser returns the signed-in user of the request, if any.
func currentUser(r *http.Request) (account.User, bool) {
	u, ok := r.Context().Value(userKey).(account.User)
	return u, ok
}

// teamAccess returns the requester's relation to the {team} of the path,
// set by the guard of teamMember and teamLead routes.
func teamAccess(r *http.Request) (store.TeamAccess, bool) {
	a, ok := r.Context().Value(accessKey).(store.TeamAccess)
	return a, ok
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// authenticate finds the user behind a bearer token or a session cookie.
// No credentials at all is (User{}, false, nil).
func (s *Server) authenticate(r *http.Request) (account.User, bool, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !strings.HasPrefix(token, app.TokenPrefix) {
			return account.User{}, false, rhythm.Errorf(rhythm.EUNAUTHORIZED, "Authorization must be \"Bearer rhy_…\" with an API token")
		}
		u, err := s.db.TokenUser(r.Context(), account.HashSecret(token))
		return u, err == nil, err
	}
	c, err := r.Cookie(s.cookieName(r, sessionCookie))
	if err != nil || c.Value == "" {
		return account.User{}, false, nil
	}
	u, err := s.db.SessionUser(r.Context(), account.HashSecret(c.Value))
	if rhythm.ErrorCode(err) == rhythm.EUNAUTHORIZED {
		return account.User{}, false, nil // a stale cookie is the same as none
	}
	return u, err == nil, err
}

// badBearerPage reports whether err is authenticate refusing the
// Authorization header of a page (not API) request.
func badBearerPage(r *http.Request, err error) bool {
	return !isAPI(r) && r.Header.Get("Authorization") != "" && rhythm.ErrorCode(err) == rhythm.EUNAUTHORIZED
}

// guard wraps h with authentication and the access check of its route.
func (s *Server) guard(a access, h http.HandlerFunc) http.Handler {
	if a == unguarded || a == slackSigned {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok, err := s.authenticate(r)
		if err != nil && badBearerPage(r, err) {
			// The browser sends the same header again to /login, so a
			// redirect there would loop: public pages treat the request
			// as anonymous, others answer 401 with an error page.
			if a != public {
				s.uiFail(w, r, err)
				return
			}
			u, ok, err = account.User{}, false, nil
		}
		if err != nil {
			s.deny(w, r, err)
			return
		}
		ctx := r.Context()
		if ok {
			ctx = context.WithValue(ctx, userKey, u)
			ctx = context.WithValue(ctx, bearerKey, r.Header.Get("Authorization") != "")
		}
		if a == public {
			h(w, r.WithContext(ctx))
			return
		}
		who := app.Anonymous()
		if ok {
			who = app.As(u)
		}
		ta, err := s.app.Authorize(ctx, who, a, r.PathValue("team"))
		if err != nil {
			s.deny(w, r, err)
			return
		}
		if a == teamMember || a == teamLead {
			ctx = context.WithValue(ctx, accessKey, ta)
		}
		h(w, r.WithContext(ctx))
	})
}

// deny answers an authentication or authorization failure: JSON for the
// API; for pages, a redirect to sign in or an error page. (guard answers a
// bad Authorization header on a page itself: see badBearerPage.)
func (s *Server) deny(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.fail(w, r, err)
		return
	}
	if rhythm.ErrorCode(err) == rhythm.EUNAUTHORIZED {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.uiFail(w, r, err)
}

// startSession signs u in: a new session row and its cookie. The session
// the browser had before ends at once, whoever it was of: a session cookie
// planted in the browser, or copied from it, does not outlive the sign-in.
// A request carrying an API token never gets a browser session.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u account.User) error {
	if r.Header.Get("Authorization") != "" {
		return rhythm.Errorf(rhythm.EFORBIDDEN, "an API token cannot start a browser session; sign in without the Authorization header")
	}
	if err := s.deleteSessions(r); err != nil {
		return err
	}
	secret, hash := account.NewSecret(sessionSecretPrefix)
	expires := s.now().Add(sessionLifetime)
	if err := s.db.CreateSession(r.Context(), hash, u.ID, expires); err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, secret, expires)
	s.clearOldName(w, r, sessionCookie)
	return nil
}

// endSession signs the request's session out.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.deleteSessions(r); err != nil {
		return err
	}
	s.clearCookie(w, r, sessionCookie)
	return nil
}

// deleteSessions deletes the session rows of the request's session
// cookies, of either name.
func (s *Server) deleteSessions(r *http.Request) error {
	for _, c := range r.Cookies() {
		if (c.Name == sessionCookie || c.Name == hostPrefix+sessionCookie) && c.Value != "" {
			if err := s.db.DeleteSession(r.Context(), account.HashSecret(c.Value)); err != nil {
				return err
			}
		}
	}
	return nil
}

// secureCookie reports whether rhythm's cookies get the Secure flag, by
// the rule single sign-on's cookies follow too (account.SecureCookies):
// over TLS, directly or through a proxy that says so, or when single
// sign-on names an https public URL.
func (s *Server) secureCookie(r *http.Request) bool {
	public := ""
	if s.signOn != nil {
		public = s.signOn.PublicURL
	}
	return account.SecureCookies(r, public)
}

// hostPrefix starts the names of rhythm's cookies when they are Secure: a
// browser takes a cookie so named only from this host over https, with
// Path=/ and no Domain, so a site on a sibling subdomain cannot set it
// (and so plant a session of its choosing).
const hostPrefix = "__Host-"

// cookieName is the name of rhythm's cookie base on r: with hostPrefix
// when the cookie is Secure (secureCookie). The unprefixed name is not
// read then, whoever set it: a browser that holds a session cookie from
// before the prefix is asked to sign in again, which clears it.
func (s *Server) cookieName(r *http.Request, base string) string {
	if s.secureCookie(r) {
		return hostPrefix + base
	}
	return base
}

// setCookie sets rhythm's cookie base to value until expires.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, base, value string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r, base), Value: value, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(r),
	})
}

// clearCookie clears rhythm's cookie base, under its name of before too
// (clearOldName); it sends nothing to a browser without it.
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, base string) {
	if name := s.cookieName(r, base); hasCookie(r, name) {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(r)})
	}
	s.clearOldName(w, r, base)
}

// clearOldName clears the unprefixed cookie base, which is not read where
// the cookie is named with hostPrefix, when the browser sends it.
func (s *Server) clearOldName(w http.ResponseWriter, r *http.Request, base string) {
	if s.cookieName(r, base) != base && hasCookie(r, base) {
		http.SetCookie(w, &http.Cookie{Name: base, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: true})
	}
}

func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}

// overTLS reports whether the client reached us over TLS: directly, or
// through a trusted proxy that says so. (account.SecureCookies, for the
// cookies' Secure flag, believes any proxy: a needless Secure flag does no
// harm, a needless HSTS header can lock a plain-HTTP site out of browsers.)
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || (account.IsTrustedPeer(r.RemoteAddr, s.trustedProxies) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// clientIP is the address sign-in limits count against: the peer, or the
// client a trusted proxy forwarded the request for.
func (s *Server) clientIP(r *http.Request) string {
	return account.ClientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.trustedProxies)
}

// checkPassword checks the password of u (known by email) under the
// sign-in limits of the account and the client's address: the attempt is
// counted before the check, and given back when the password is right.
func (s *Server) checkPassword(ctx context.Context, r *http.Request, email, password string) (account.User, bool, error) {
	keys := account.SignInKeys(email, s.clientIP(r))
	if err := s.db.ReserveAttempt(ctx, keys); err != nil {
		return account.User{}, false, err
	}
	u, hash, err := s.db.UserByEmail(ctx, email)
	if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return u, false, err
	}
	if err != nil || hash == "" {
		// The same time whether the account does not exist, has a
		// password or has none (made by single sign-on).
		s.checkHash(dummyHash(), password)
		return account.User{}, false, nil
	}
	if !s.checkHash(hash, password) {
		return account.User{}, false, nil
	}
	return u, true, s.db.AttemptSucceeded(ctx, keys)
}

// signIn checks a password with per-account and per-address limits.
func (s *Server) signIn(ctx context.Context, r *http.Request, email, password string) (account.User, error) {
	u, ok, err := s.checkPassword(ctx, r, email, password)
	if err != nil {
		return u, err
	}
	if !ok {
		s.log.Info("sign-in failed", "ip", s.clientIP(r))
		return account.User{}, rhythm.Errorf(rhythm.EUNAUTHORIZED, "wrong email or password")
	}
	return u, nil
}

// retryAfter tells the client how long to wait when err is a sign-in
// backoff.
func retryAfter(w http.ResponseWriter, err error) {
	if secs, ok := account.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
}

// dummyHash is hashed once, by New, rather than when the package loads:
// every command of the binary loads it, and hashing costs tens of
// milliseconds and megabytes.
var dummyHash = sync.OnceValue(func() string {
	h, _ := account.HashPassword("a password nobody has")
	return h
})
