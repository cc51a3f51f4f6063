package sso

import (
	"context"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
)

// Directory is where Resolve looks people up; the store implements it.
// Lookups that find nobody return an ENOTFOUND error.
type Directory interface {
	// UserByOIDCSubject returns the user linked to subject at issuer.
	UserByOIDCSubject(ctx context.Context, issuer, subject string) (account.User, error)
	// FindUserByEmail returns the user with the email, in any case.
	FindUserByEmail(ctx context.Context, email string) (account.User, error)
	// OnAnyRoster reports whether some team's roster lists the email.
	OnAnyRoster(ctx context.Context, email string) (bool, error)
	// CreateOIDCUser stores a user without a password, linked to subject.
	CreateOIDCUser(ctx context.Context, u account.User, issuer, subject string) (account.User, error)
	// LinkOIDCSubject links subject at issuer to an existing user.
	LinkOIDCSubject(ctx context.Context, userID int64, issuer, subject string) error
	// SetUserRole changes a user's role; the last admin keeps it (ECONFLICT).
	SetUserRole(ctx context.Context, userID int64, role account.Role) error
}

// Policy is who may sign in, from Config.
type Policy struct {
	AllowedDomains []string // lower case
	AdminGroup     string   // "" leaves roles to rhythm
	ProviderName   string
}

// Policy returns the sign-in policy of a validated configuration.
func (c Config) Policy() Policy {
	return Policy{AllowedDomains: c.AllowedDomains, AdminGroup: c.AdminGroup, ProviderName: c.ProviderName}
}

// Resolve decides which rhythm user a person signed in at the provider is:
//
//  1. the user linked to their subject at this issuer;
//  2. else, with a verified email, the user with that email, linked now;
//  3. else, with a verified email on a team roster, a new member;
//  4. else, with a verified email in an allowed domain, a new member;
//  5. else nobody: an EFORBIDDEN error that says why.
//
// With an admin group set, the groups claim decides who is admin: a person
// in the group becomes admin, an admin not in it becomes a member (the last
// admin stays). Leads are set in rhythm and kept.
func Resolve(ctx context.Context, p Policy, c Claims, dir Directory) (account.User, error) {
	if c.Issuer == "" || c.Subject == "" {
		return account.User{}, rhythm.Errorf(rhythm.EUNAUTHORIZED, "the sign-in names no account")
	}
	u, err := dir.UserByOIDCSubject(ctx, c.Issuer, c.Subject)
	if err == nil {
		return applyAdminGroup(ctx, p, c, dir, u)
	} else if rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return account.User{}, err
	}
	email := strings.TrimSpace(c.Email)
	if !c.EmailVerified || !strings.Contains(email, "@") {
		return account.User{}, rhythm.Errorf(rhythm.EFORBIDDEN,
			"your %s account has no verified email address, so rhythm cannot tell who you are; verify it there, or ask an admin", p.ProviderName)
	}
	u, err = dir.FindUserByEmail(ctx, email)
	if err == nil {
		if err := dir.LinkOIDCSubject(ctx, u.ID, c.Issuer, c.Subject); rhythm.ErrorCode(err) == rhythm.ECONFLICT {
			return account.User{}, rhythm.Errorf(rhythm.EFORBIDDEN,
				"the rhythm user %s signs in with another %s account; ask an admin", email, p.ProviderName)
		} else if err != nil {
			return account.User{}, err
		}
		return applyAdminGroup(ctx, p, c, dir, u)
	} else if rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return account.User{}, err
	}
	onRoster, err := dir.OnAnyRoster(ctx, email)
	if err != nil {
		return account.User{}, err
	}
	if !onRoster && !allowedDomain(email, p.AllowedDomains) {
		return account.User{}, rhythm.Errorf(rhythm.EFORBIDDEN,
			"%s is on no team roster in rhythm; ask a team lead or admin to add you", email)
	}
	nu := account.User{Email: email, Name: displayName(c.Name, email), Role: account.Member}
	if inGroup(p.AdminGroup, c.Groups) {
		nu.Role = account.Admin
	}
	u, err = dir.CreateOIDCUser(ctx, nu, c.Issuer, c.Subject)
	if rhythm.ErrorCode(err) == rhythm.ECONFLICT {
		// The same person finishing two sign-ins at once: the other made the user.
		if u, err = dir.UserByOIDCSubject(ctx, c.Issuer, c.Subject); err == nil {
			return u, nil
		}
	}
	return u, err
}

// applyAdminGroup makes u's role follow the admin group, when one is set.
func applyAdminGroup(ctx context.Context, p Policy, c Claims, dir Directory, u account.User) (account.User, error) {
	if p.AdminGroup == "" {
		return u, nil
	}
	role := u.Role
	switch {
	case inGroup(p.AdminGroup, c.Groups):
		role = account.Admin
	case u.Role == account.Admin && len(u.LeadOf) > 0:
		role = account.Lead
	case u.Role == account.Admin:
		role = account.Member
	}
	if role == u.Role {
		return u, nil
	}
	err := dir.SetUserRole(ctx, u.ID, role)
	if rhythm.ErrorCode(err) == rhythm.ECONFLICT {
		return u, nil // the last admin stays admin
	} else if err != nil {
		return account.User{}, err
	}
	u.Role = role
	return u, nil
}

func inGroup(group string, groups []string) bool {
	if group == "" {
		return false
	}
	for _, g := range groups {
		if g == group {
			return true
		}
	}
	return false
}

func displayName(name, email string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return email[:strings.LastIndexByte(email, '@')]
}
