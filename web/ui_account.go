package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
)

// accountView is the account page: time zone, how the user signs in (the
// password form, when they have a password) and API tokens.
type accountView struct {
	formView
	Tokens   []account.Token
	NewToken string // shown once, right after it is made
	// HasPassword is whether the user has a rhythm password; a user made
	// by single sign-on has none and signs in only at the provider.
	HasPassword bool
	// Zone is the user's zone (app.ZoneOf); ZoneField what the zone
	// field shows (what they typed when it was refused); ZoneError the
	// refusal, shown next to the field.
	Zone      app.Zone
	ZoneField string
	ZoneError string
	Zones     []string // suggestions for the zone field
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, status int, v accountView) {
	tokens, err := s.app.Tokens(r.Context(), s.actor(r))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.Tokens = tokens
	if v.Zone, err = s.app.ZoneOf(r.Context(), s.actor(r)); err != nil {
		s.uiFail(w, r, err)
		return
	}
	if v.ZoneError == "" {
		u, _ := currentUser(r)
		v.ZoneField = u.Zone
	}
	v.Zones = zoneSuggestions(v.Zone.Name)
	u, _ := currentUser(r)
	if v.HasPassword, err = s.hasPassword(r.Context(), u); err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.Extra = s.loginView()
	s.render(w, r, status, "account", "Your account", v)
}

func (s *Server) uiAccount(w http.ResponseWriter, r *http.Request) {
	s.accountPage(w, r, http.StatusOK, accountView{})
}

// hasPassword reports whether u has a rhythm password.
func (s *Server) hasPassword(ctx context.Context, u account.User) (bool, error) {
	_, hash, err := s.db.UserByEmail(ctx, u.Email)
	return hash != "", err
}

// uiChangePassword changes the signed-in user's password. The current
// password is checked under the sign-in limits; API tokens may not do it.
// A user without a password (made by single sign-on) gets none: the
// provider stays their only way in, so that disabling them there, or its
// two-step sign-in, cannot be gone around with a password.
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
	if has, err := s.hasPassword(r.Context(), u); err != nil || !has {
		if err == nil {
			err = s.noPassword()
		}
		s.uiFail(w, r, err)
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

// Local formats an instant in the user's zone, naming it.
func (v accountView) Local(t time.Time) string {
	return t.In(v.Zone.Location()).Format("2006-01-02 15:04 ") + v.Zone.Name
}

// uiSetZone sets the zone the signed-in user reads and types times in; a
// name that is not an IANA zone is refused next to the field, and nothing
// is stored.
func (s *Server) uiSetZone(w http.ResponseWriter, r *http.Request) {
	typed := r.PostFormValue("zone")
	z, err := s.app.SetZone(r.Context(), s.actor(r), typed)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			s.accountPage(w, r, status, accountView{ZoneError: msg, ZoneField: typed})
		})
		return
	}
	// The rest of this answer is on the new clock.
	u, _ := currentUser(r)
	u.Zone = strings.TrimSpace(typed)
	r = r.WithContext(context.WithValue(r.Context(), userKey, u))
	msg := "Times are now read and shown in " + z.Name + "."
	if z.Source == "roster" {
		msg = "Times are now read and shown in your roster zone, " + z.Name + "."
	} else if z.Source == "default" {
		msg = "Times are now read and shown in UTC (no roster lists you)."
	}
	s.accountPage(w, r, http.StatusOK, accountView{formView: formView{Notice: msg}})
}

// commonZones are suggested on the account page beside the user's own;
// any IANA name may be typed.
var commonZones = []string{"UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
	"Europe/London", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw", "Europe/Helsinki", "Europe/Istanbul",
	"Africa/Lagos", "Africa/Nairobi", "Asia/Dubai", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo",
	"Australia/Sydney", "Pacific/Auckland"}

func zoneSuggestions(own string) []string {
	if slices.Contains(commonZones, own) {
		return commonZones
	}
	return append([]string{own}, commonZones...)
}

// apiMe answers the signed-in user and their zone.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	z, err := s.app.ZoneOf(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	s.json(w, http.StatusOK, meAnswer{User: u, Zone: z.Name, ZoneSource: z.Source})
}

// meAnswer is GET /api/v1/me: the account, with zone the one its times are
// read and shown in and zone_source where it comes from ("account",
// "roster" or "default").
type meAnswer struct {
	account.User
	Zone       string `json:"zone"`
	ZoneSource string `json:"zone_source"`
}

// apiPatchMe changes the signed-in user's zone: {"zone": "Europe/Berlin"},
// or "" for their roster zone.
func (s *Server) apiPatchMe(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Zone *string `json:"zone"`
	}
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Zone == nil {
		s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "zone: give an IANA zone such as Europe/Berlin, or \"\" for your roster zone"))
		return
	}
	z, err := s.app.SetZone(r.Context(), s.actor(r), *in.Zone)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	u.Zone = strings.TrimSpace(*in.Zone)
	s.json(w, http.StatusOK, meAnswer{User: u, Zone: z.Name, ZoneSource: z.Source})
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
