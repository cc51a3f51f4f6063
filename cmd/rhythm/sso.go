package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/web"
)

// ssoFlags are the single sign-on settings of `rhythm serve`. The
// redirect URL is made from --public-url, which reminders share.
type ssoFlags struct {
	issuer, clientID, clientSecret, clientSecretFile string
	name, allowedDomains, adminGroup, scopes         string
	passwordLogin                                    bool
}

func (f *ssoFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.issuer, "oidc-issuer", "", "OpenID Provider's issuer URL for single sign-on, e.g. https://accounts.google.com (env RHYTHM_OIDC_ISSUER)")
	fl.StringVar(&f.clientID, "oidc-client-id", "", "client id of rhythm at the provider (env RHYTHM_OIDC_CLIENT_ID)")
	fl.StringVar(&f.clientSecret, "oidc-client-secret", "", "client secret of rhythm at the provider; prefer the environment (env RHYTHM_OIDC_CLIENT_SECRET)")
	fl.StringVar(&f.clientSecretFile, "oidc-client-secret-file", "", "read the client secret from this file (env RHYTHM_OIDC_CLIENT_SECRET_FILE)")
	fl.StringVar(&f.name, "oidc-name", "", `provider name on the "Sign in with …" button; default from the issuer (Google, Microsoft, Okta, else its host)`)
	fl.StringVar(&f.allowedDomains, "oidc-allowed-domains", "", "email domains (comma-separated) whose people may sign in although on no roster; they become members (env RHYTHM_OIDC_ALLOWED_DOMAINS)")
	fl.StringVar(&f.adminGroup, "oidc-admin-group", "", "value of the ID token's groups claim that makes an admin; admins signing in without it become members (env RHYTHM_OIDC_ADMIN_GROUP)")
	fl.StringVar(&f.scopes, "oidc-scopes", "", `scopes asked for besides "openid email profile", comma-separated, e.g. groups at Okta`)
	fl.BoolVar(&f.passwordLogin, "password-login", true, "offer signing in with a rhythm password; false leaves single sign-on, API tokens and the command line (env RHYTHM_PASSWORD_LOGIN)")
}

// enabled reports whether any single sign-on setting is given.
func (f *ssoFlags) enabled() bool {
	return f.issuer != "" || f.clientID != "" || f.clientSecret != "" || f.clientSecretFile != ""
}

// config returns the validated single sign-on settings, nil when none is
// given, or a usage error naming the setting that is missing or wrong.
// It reads no database, so that serve checks it before opening one.
func (f *ssoFlags) config(publicURL string) (*sso.Config, error) {
	if !f.enabled() {
		if !f.passwordLogin {
			return nil, usagef("--password-login=false: set up single sign-on (--oidc-issuer, --oidc-client-id, --oidc-client-secret) so that people can sign in")
		}
		return nil, nil
	}
	secretValue, err := secretFrom(f.clientSecret, f.clientSecretFile, "--oidc-client-secret")
	if err != nil {
		return nil, err
	}
	cfg := sso.Config{
		Issuer: strings.TrimSpace(f.issuer), ClientID: strings.TrimSpace(f.clientID), ClientSecret: secretValue,
		AllowedDomains: splitList(f.allowedDomains), AdminGroup: f.adminGroup, ProviderName: f.name, Scopes: splitList(f.scopes),
	}
	if publicURL != "" {
		cfg.RedirectURL = strings.TrimSuffix(publicURL, "/") + sso.CallbackPath
	}
	if err := cfg.Validate(); err != nil {
		return nil, usageError{err}
	}
	return &cfg, nil
}

// needsSharedKey refuses single sign-on over PostgreSQL without a secret
// key given (--secret-key or --secret-key-file): each server would seal
// the sign-in cookie with a key of its own, and a sign-in begun on one
// could not finish on another. It reads no database, so that serve checks
// it before opening one.
func needsSharedKey(cfg *sso.Config, dsn string, cf *calendarFlags) error {
	if cfg != nil && store.IsPostgresDSN(dsn) && cf.secretKey == "" && cf.secretKeyFile == "" {
		return usagef("--oidc-issuer with PostgreSQL needs --secret-key-file or RHYTHM_SECRET_KEY: every server must open the sign-in cookie another began")
	}
	return nil
}

// newSignOn returns single sign-on for the web server, or nil when cfg is
// nil, and logs how people sign in. The sign-in cookie is sealed with the
// server's secret key (box), which servers sharing PostgreSQL must share
// (needsSharedKey).
func (a *app) newSignOn(cfg *sso.Config, passwordLogin bool, publicURL string, box func() (*secret.Box, error)) (*web.SignOn, error) {
	if cfg == nil {
		a.log.Info("sign-in", "single_sign_on", "off", "password_login", passwordLogin)
		return nil, nil
	}
	b, err := box()
	if err != nil {
		return nil, err
	}
	rp, err := sso.New(*cfg, b)
	if err != nil {
		return nil, err
	}
	a.log.Info("sign-in", "single_sign_on", "on", "issuer", cfg.Issuer, "provider", cfg.ProviderName, "redirect_url", cfg.RedirectURL,
		"allowed_domains", strings.Join(cfg.AllowedDomains, ","), "admin_group", cfg.AdminGroup, "password_login", passwordLogin)
	return &web.SignOn{RP: rp, Policy: cfg.Policy(), PublicURL: strings.TrimSuffix(publicURL, "/")}, nil
}
