// Package sso signs people in to rhythm with their company account through
// OpenID Connect: rhythm is the relying party of one OpenID Provider
// (Google, Microsoft Entra ID, Okta, Keycloak, Authentik, Zitadel…). It
// runs the Authorization Code flow with PKCE, verifies the ID token and
// decides which rhythm user, if any, the person is (Resolve).
package sso

import (
	"net"
	"net/url"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// Config is what an admin sets to turn single sign-on on. Each field names
// the setting it comes from in its validation errors.
type Config struct {
	Issuer         string   // --oidc-issuer: the provider's issuer URL
	ClientID       string   // --oidc-client-id
	ClientSecret   string   // --oidc-client-secret; never logged
	RedirectURL    string   // derived from --public-url: <public-url>/auth/oidc/callback
	AllowedDomains []string // --oidc-allowed-domains: email domains whose people may sign in without a roster
	AdminGroup     string   // --oidc-admin-group: a groups claim value that makes an admin
	ProviderName   string   // shown as "Sign in with <ProviderName>"; defaults to the issuer's host
	// Scopes are asked for besides openid, email and profile (for example
	// "groups" at Okta). Most providers refuse a scope they do not know.
	Scopes []string
}

// Enabled reports whether any OpenID Connect setting is given.
func (c Config) Enabled() bool {
	return c.Issuer != "" || c.ClientID != "" || c.ClientSecret != ""
}

// String describes the configuration without the client secret.
func (c Config) String() string {
	secret := "unset"
	if c.ClientSecret != "" {
		secret = "set"
	}
	return "oidc issuer=" + c.Issuer + " client_id=" + c.ClientID + " client_secret=" + secret +
		" redirect_url=" + c.RedirectURL + " allowed_domains=" + strings.Join(c.AllowedDomains, ",") +
		" admin_group=" + c.AdminGroup
}

// Validate returns an EINVALID error naming the first setting that is
// missing or wrong, and tidies the rest: domains in lower case, the provider
// name filled in. The issuer is kept exactly as given: the provider's
// discovery document must name the same string.
func (c *Config) Validate() error {
	switch {
	case c.Issuer == "":
		return rhythm.Errorf(rhythm.EINVALID, "--oidc-issuer: set the provider's issuer URL to use single sign-on")
	case c.ClientID == "":
		return rhythm.Errorf(rhythm.EINVALID, "--oidc-client-id: set the client id registered at %s", c.Issuer)
	case c.ClientSecret == "":
		return rhythm.Errorf(rhythm.EINVALID, "--oidc-client-secret: set the client secret registered at %s (or RHYTHM_OIDC_CLIENT_SECRET_FILE)", c.Issuer)
	}
	if err := checkURL("--oidc-issuer", c.Issuer, false); err != nil {
		return err
	}
	if c.RedirectURL == "" {
		return rhythm.Errorf(rhythm.EINVALID, "--public-url: set the address people open rhythm at; the sign-in redirect URL is made from it")
	}
	if err := checkURL("--public-url", c.RedirectURL, true); err != nil {
		return err
	}
	domains := make([]string, 0, len(c.AllowedDomains))
	for _, d := range c.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@")))
		if d == "" {
			continue
		}
		if !validDomain(d) {
			return rhythm.Errorf(rhythm.EINVALID, "--oidc-allowed-domains: %q is not a domain name (write example.com)", d)
		}
		domains = append(domains, d)
	}
	c.AllowedDomains = domains
	c.AdminGroup = strings.TrimSpace(c.AdminGroup)
	c.ProviderName = strings.TrimSpace(c.ProviderName)
	if c.ProviderName == "" {
		c.ProviderName = DefaultProviderName(c.Issuer)
	}
	return nil
}

// DefaultProviderName is the name a sign-in button shows for an issuer:
// the company for the well-known ones ("Google" for accounts.google.com,
// "Microsoft" for login.microsoftonline.com, "Okta" for *.okta.com), else
// the issuer's host.
func DefaultProviderName(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return issuer
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "accounts.google.com":
		return "Google"
	case host == "login.microsoftonline.com" || host == "sts.windows.net":
		return "Microsoft"
	case strings.HasSuffix(host, ".okta.com"):
		return "Okta"
	}
	return host
}

// checkURL accepts an absolute https URL, or http on a loopback host (for
// trying rhythm out on one machine). A redirect URL may not carry a
// fragment; an issuer may carry neither query nor fragment.
func checkURL(setting, raw string, redirect bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return rhythm.Errorf(rhythm.EINVALID, "%s: %q is not an absolute http(s) URL", setting, raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return rhythm.Errorf(rhythm.EINVALID, "%s: %q must use https (plain http only on localhost)", setting, raw)
	}
	if u.Fragment != "" || (!redirect && u.RawQuery != "") || u.User != nil {
		return rhythm.Errorf(rhythm.EINVALID, "%s: %q may not carry a user, query or fragment", setting, raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// allowedDomain reports whether email's domain is one of domains.
func allowedDomain(email string, domains []string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := strings.ToLower(email[at+1:])
	for _, d := range domains {
		if domain == d {
			return true
		}
	}
	return false
}
