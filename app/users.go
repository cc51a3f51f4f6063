package app

import (
	"context"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
)

// TokenPrefix starts every API token, so a token is told from a password
// or a session at a glance.
const TokenPrefix = "rhy_"

// NewUser is what makes an account.
type NewUser struct {
	Email    string  `json:"email"`
	Name     string  `json:"name"`
	Role     string  `json:"role"`
	LeadOf   []int64 `json:"lead_of"`
	Password string  `json:"password"`
}

// check validates n and hashes its password.
func (n NewUser) check() (account.User, string, error) {
	u := account.User{Email: strings.TrimSpace(n.Email), Name: strings.TrimSpace(n.Name), LeadOf: n.LeadOf}
	if !strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " \t") || len(u.Email) > 254 {
		return u, "", rhythm.Errorf(rhythm.EINVALID, "email: %q is not an email address", n.Email)
	}
	if u.Name == "" {
		u.Name = strings.Split(u.Email, "@")[0]
	}
	role, err := account.ParseRole(n.Role)
	if err != nil {
		return u, "", err
	}
	u.Role = role
	if role != account.Lead && len(u.LeadOf) > 0 {
		return u, "", rhythm.Errorf(rhythm.EINVALID, "lead_of: only a lead leads teams")
	}
	if err := account.CheckNewPassword(n.Password); err != nil {
		return u, "", err
	}
	hash, err := account.HashPassword(n.Password)
	return u, hash, err
}

// CreateUser adds an account: admins only.
func (a *App) CreateUser(ctx context.Context, who Actor, n NewUser) (account.User, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return account.User{}, err
	}
	u, hash, err := n.check()
	if err != nil {
		return u, err
	}
	return a.db.CreateUser(ctx, u, hash)
}

// SetUp makes the first admin of a new server; anyone may, once: when any
// user exists it is a conflict.
func (a *App) SetUp(ctx context.Context, n NewUser) (account.User, error) {
	n.Role, n.LeadOf = string(account.Admin), nil
	u, hash, err := n.check()
	if err != nil {
		return u, err
	}
	return a.db.CreateFirstAdmin(ctx, u, hash)
}

// Users lists every account: admins only.
func (a *App) Users(ctx context.Context, who Actor) ([]account.User, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return nil, err
	}
	users, err := a.db.ListUsers(ctx)
	if users == nil && err == nil {
		users = []account.User{}
	}
	return users, err
}

// UpdateUser changes an account's name (when not empty), role and the
// teams it leads: admins only.
func (a *App) UpdateUser(ctx context.Context, who Actor, id int64, name string, role account.Role, leadOf []int64) error {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return err
	}
	u, err := a.db.User(ctx, id)
	if err != nil {
		return err
	}
	if role != account.Lead && len(leadOf) > 0 {
		return rhythm.Errorf(rhythm.EINVALID, "lead_of: only a lead leads teams")
	}
	u.Role, u.LeadOf = role, leadOf
	if name = strings.TrimSpace(name); name != "" {
		u.Name = name
	}
	return a.db.UpdateUser(ctx, u)
}

// DeleteUser removes an account: admins only.
func (a *App) DeleteUser(ctx context.Context, who Actor, id int64) error {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return err
	}
	return a.db.DeleteUser(ctx, id)
}

// CreateToken makes an API token for who's own account, or, for an admin,
// for the account with email forEmail. It returns the secret, shown once.
func (a *App) CreateToken(ctx context.Context, who Actor, forEmail, name string) (account.Token, string, error) {
	u, err := a.tokenOwner(ctx, who, forEmail)
	if err != nil {
		return account.Token{}, "", err
	}
	if name = strings.TrimSpace(name); name == "" || len(name) > 100 {
		return account.Token{}, "", rhythm.Errorf(rhythm.EINVALID, "name: give the token a name of 1 to 100 characters, e.g. \"CI import\"")
	}
	secret, hash := account.NewSecret(TokenPrefix)
	t, err := a.db.CreateToken(ctx, u.ID, name, hash)
	return t, secret, err
}

// tokenOwner is the account whose tokens who manages: their own, or any
// for an admin that names one.
func (a *App) tokenOwner(ctx context.Context, who Actor, forEmail string) (account.User, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return account.User{}, err
	}
	if forEmail == "" || strings.EqualFold(forEmail, who.User.Email) && who.User.ID != 0 {
		if who.User.ID == 0 {
			return account.User{}, rhythm.Errorf(rhythm.EINVALID, "name the user whose token this is")
		}
		return who.User, nil
	}
	if !who.Admin() {
		return account.User{}, rhythm.Errorf(rhythm.EFORBIDDEN, "only an admin may manage another user's tokens")
	}
	u, _, err := a.db.UserByEmail(ctx, forEmail)
	return u, err
}

// Tokens lists who's own API tokens.
func (a *App) Tokens(ctx context.Context, who Actor) ([]account.Token, error) {
	return a.TokensOf(ctx, who, "")
}

// TokensOf lists the API tokens of the account with email forEmail (who's
// own when empty; another's only for an admin).
func (a *App) TokensOf(ctx context.Context, who Actor, forEmail string) ([]account.Token, error) {
	u, err := a.tokenOwner(ctx, who, forEmail)
	if err != nil {
		return nil, err
	}
	return a.db.ListTokens(ctx, u.ID)
}

// RevokeToken revokes one of who's own API tokens.
func (a *App) RevokeToken(ctx context.Context, who Actor, id int64) error {
	return a.RevokeTokenOf(ctx, who, "", id)
}

// RevokeTokenOf revokes token id of the account with email forEmail (who's
// own when empty; another's only for an admin).
func (a *App) RevokeTokenOf(ctx context.Context, who Actor, forEmail string, id int64) error {
	u, err := a.tokenOwner(ctx, who, forEmail)
	if err != nil {
		return err
	}
	return a.db.RevokeToken(ctx, u.ID, id)
}

// Teams lists the teams who leads or belongs to (every team for admins).
func (a *App) Teams(ctx context.Context, who Actor) ([]store.TeamSummary, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	if who.Admin() {
		return a.db.ListTeams(ctx)
	}
	return a.db.TeamsOf(ctx, who.User)
}
