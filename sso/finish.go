package sso

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/rhythm-team/rhythm"
)

// Claims is what rhythm takes from a verified ID token.
type Claims struct {
	Issuer        string
	Subject       string
	Email         string // as the provider gave it; trusted only when EmailVerified
	EmailVerified bool
	Name          string
	Groups        []string
}

// Login is a finished sign-in at the provider.
type Login struct {
	Claims Claims
	// Next is the local path to go to, from Begin.
	Next string
	// IDToken is the raw ID token, the hint for RP-initiated logout.
	IDToken string
}

// refuse returns an error a person sees as message (code), carrying cause
// for the log.
func refuse(code string, cause error, format string, args ...any) error {
	e := rhythm.Errorf(code, format, args...)
	if cause == nil {
		return e
	}
	return fmt.Errorf("%w: %w", e, cause)
}

// Finish completes a sign-in on the provider's redirect back to RedirectURL:
// it checks the state against the sign-in cookie (and clears the cookie,
// which serves once), then whether the provider sent an error; it exchanges
// the code with the PKCE verifier, verifies the ID token (signature,
// issuer, audience, authorized party, expiry, nonce) and records the state
// as used on this server. Every refusal is an EUNAUTHORIZED or EINVALID
// error with a plain message (EUNAVAILABLE, with Busy, while the record of
// used states is full); the provider's own words, when it refused, are in
// the message.
func (rp *RP) Finish(w http.ResponseWriter, r *http.Request) (Login, error) {
	q := r.URL.Query()
	f, err := rp.readFlow(w, r, q.Get("state"))
	if err != nil {
		return Login{}, err
	}
	// The state is checked before an error is shown: the provider sends
	// it back with an error too, and without it the error's words could
	// be anyone's link.
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return Login{}, refuse(rhythm.EUNAUTHORIZED, errors.New("state does not match the sign-in cookie"),
			"this sign-in was started in another window or has expired; sign in again")
	}
	if e := q.Get("error"); e != "" {
		return Login{}, providerError(rp.cfg.ProviderName, e, q.Get("error_description"))
	}
	if rp.used.seen(f.State) {
		return Login{}, errUsed
	}
	code := q.Get("code")
	if code == "" {
		return Login{}, rhythm.Errorf(rhythm.EINVALID, "%s sent no sign-in code back; sign in again", rp.cfg.ProviderName)
	}
	d, err := rp.discover(r.Context())
	if err != nil {
		return Login{}, err
	}
	raw, err := rp.exchange(r.Context(), d, code, f.Verifier)
	if err != nil {
		return Login{}, err
	}
	c, err := rp.verify(r.Context(), d, raw, f.Nonce)
	if err != nil {
		return Login{}, err
	}
	// Recorded only now that the provider has accepted it: a made-up
	// code costs the record nothing.
	if err := rp.used.use(f.State, time.Unix(f.Expires, 0), rp.now()); err != nil {
		return Login{}, err
	}
	return Login{Claims: c, Next: f.Next, IDToken: raw}, nil
}

// readFlow opens the sign-in cookie of the sign-in with state and clears
// it: it serves once. Cookies of other sign-ins stay, so that a callback
// with another state (a link from elsewhere) does not end them.
func (rp *RP) readFlow(w http.ResponseWriter, r *http.Request, state string) (flow, error) {
	name := rp.cookieName(r, state)
	ck, err := r.Cookie(name)
	if name == "" || err != nil || ck.Value == "" {
		for _, c := range r.Cookies() {
			if strings.HasPrefix(c.Name, rp.cookiePrefix(r)) {
				return flow{}, refuse(rhythm.EUNAUTHORIZED, errors.New("state does not match a sign-in cookie"),
					"this sign-in was started in another window or has expired; sign in again")
			}
		}
		return flow{}, refuse(rhythm.EUNAUTHORIZED, errors.New("no sign-in cookie"),
			"this sign-in was not started here, or the browser refused rhythm's cookie; sign in again")
	}
	http.SetCookie(w, rp.cookie(r, state, "", -1))
	f, err := rp.open(ck.Value)
	if err != nil {
		return flow{}, refuse(rhythm.EUNAUTHORIZED, fmt.Errorf("sign-in cookie does not open: %v", err),
			"this sign-in cannot be finished; sign in again")
	}
	if rp.now().Unix() > f.Expires {
		return flow{}, refuse(rhythm.EUNAUTHORIZED, errors.New("sign-in cookie expired"),
			"this sign-in took more than %d minutes; sign in again", int(FlowLifetime/time.Minute))
	}
	return f, nil
}

// open opens a sealed sign-in cookie value.
func (rp *RP) open(value string) (flow, error) {
	var f flow
	plain, err := rp.box.Open(value, sealContext)
	if err == nil {
		err = json.Unmarshal(plain, &f)
	}
	if err == nil && (f.State == "" || f.Nonce == "" || f.Verifier == "") {
		err = errors.New("a field is empty")
	}
	if err != nil {
		return flow{}, err
	}
	return f, nil
}

func providerError(provider, code, description string) error {
	cause := fmt.Errorf("provider error %q: %q", code, description)
	switch code {
	case "access_denied":
		return refuse(rhythm.EUNAUTHORIZED, cause, "%s did not let you sign in (the sign-in was cancelled or refused)", provider)
	case "login_required", "interaction_required", "consent_required", "account_selection_required":
		return refuse(rhythm.EUNAUTHORIZED, cause, "%s needs you to sign in there first; sign in again", provider)
	}
	msg := fmt.Sprintf("%s refused the sign-in (%s)", provider, clip(code, 60))
	if description != "" {
		msg += ": " + clip(description, 200)
	}
	return refuse(rhythm.EINVALID, cause, "%s; if this persists, the admin should check rhythm's client settings there", msg)
}

// clip shortens s to n bytes on a character boundary, without control
// characters.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// exchange trades the code for tokens and returns the raw ID token.
func (rp *RP) exchange(ctx context.Context, d *discovered, code, verifier string) (string, error) {
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, rp.client), discoveryTimeout)
	defer cancel()
	tok, err := d.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500:
		return "", refuse(rhythm.EUNAUTHORIZED, err,
			"%s refused the sign-in code (it was used already or has expired); sign in again", rp.cfg.ProviderName)
	case err != nil:
		return "", refuse(rhythm.EUNAVAILABLE, err, "%s cannot be reached for sign-in just now; try again in a minute", rp.cfg.ProviderName)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", refuse(rhythm.EUNAUTHORIZED, errors.New("no id_token in the token response"),
			"%s sent no ID token; the admin should check that rhythm's client there uses OpenID Connect", rp.cfg.ProviderName)
	}
	return raw, nil
}

// idClaims are the ID token claims rhythm reads beyond the standard ones.
type idClaims struct {
	Email         string          `json:"email"`
	EmailVerified json.RawMessage `json:"email_verified"`
	Name          string          `json:"name"`
	Groups        json.RawMessage `json:"groups"`
	AZP           *string         `json:"azp"`
}

// checkAZP checks the authorized party (OpenID Connect Core 3.1.3.7,
// points 4 and 5), which go-oidc leaves to its caller: a token for several
// audiences must name rhythm as the party it was issued to, and a token
// that names a party must name rhythm. Otherwise a token another
// application of the same provider asked for, listing rhythm among its
// audiences, would sign in here.
func (rp *RP) checkAZP(audience []string, azp *string) error {
	switch {
	case azp == nil && len(audience) > 1:
		return refuse(rhythm.EUNAUTHORIZED, fmt.Errorf("ID token for %d audiences has no azp", len(audience)),
			"the sign-in from %s was not issued to rhythm; sign in again", rp.cfg.ProviderName)
	case azp != nil && *azp != rp.cfg.ClientID:
		return refuse(rhythm.EUNAUTHORIZED, fmt.Errorf("ID token azp %q is not the client id", clip(*azp, 100)),
			"the sign-in from %s was not issued to rhythm; sign in again", rp.cfg.ProviderName)
	}
	return nil
}

// verify checks the ID token with the provider's keys and the nonce.
func (rp *RP) verify(ctx context.Context, d *discovered, raw, nonce string) (Claims, error) {
	tok, err := d.verifier.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return Claims{}, refuse(rhythm.EUNAUTHORIZED, err, "the sign-in from %s has expired; sign in again", rp.cfg.ProviderName)
		}
		return Claims{}, refuse(rhythm.EUNAUTHORIZED, err, "the sign-in from %s did not verify; sign in again", rp.cfg.ProviderName)
	}
	if subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(nonce)) != 1 {
		return Claims{}, refuse(rhythm.EUNAUTHORIZED, errors.New("nonce does not match"),
			"the sign-in from %s does not belong to this browser's sign-in; sign in again", rp.cfg.ProviderName)
	}
	var ic idClaims
	if err := tok.Claims(&ic); err != nil {
		return Claims{}, refuse(rhythm.EUNAUTHORIZED, err, "the sign-in from %s could not be read", rp.cfg.ProviderName)
	}
	if err := rp.checkAZP(tok.Audience, ic.AZP); err != nil {
		return Claims{}, err
	}
	if tok.Subject == "" {
		return Claims{}, refuse(rhythm.EUNAUTHORIZED, errors.New("empty sub"), "the sign-in from %s names nobody", rp.cfg.ProviderName)
	}
	return Claims{
		Issuer:        rp.cfg.Issuer, // tok.Issuer may be Google's scheme-less variant
		Subject:       tok.Subject,
		Email:         strings.TrimSpace(ic.Email),
		EmailVerified: readBool(ic.EmailVerified),
		Name:          strings.TrimSpace(ic.Name),
		Groups:        readStrings(ic.Groups),
	}, nil
}

// readBool reads true or "true" (some providers send a string).
func readBool(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && strings.EqualFold(s, "true")
}

// readStrings reads a list of strings or one string.
func readStrings(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	return nil
}

// LogoutURL returns the provider's address that ends the person's session
// there too (RP-initiated logout) and then sends them to postLogout, or ""
// when the provider advertises no end_session_endpoint. idTokenHint is the
// ID token from the sign-in, when kept; without it client_id says who asks.
func (rp *RP) LogoutURL(ctx context.Context, idTokenHint, postLogout string) (string, error) {
	d, err := rp.discover(ctx)
	if err != nil || d.endSession == "" {
		return "", err
	}
	u, err := url.Parse(d.endSession)
	if err != nil {
		return "", refuse(rhythm.EINTERNAL, err, "the provider's end_session_endpoint is not a URL")
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", rp.cfg.ClientID)
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
