package app

import (
	"context"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/sso"
)

// WithSignOn turns on signing in with an identity from the OpenID Provider
// whose sign-in policy is p.
func (a *App) WithSignOn(p sso.Policy) *App {
	a.signOn = &p
	return a
}

// SignInWithIdentity returns the rhythm user that a person signed in at
// the OpenID Provider is (claims from a verified ID token), linking or
// making the account as the policy allows (sso.Resolve). Anyone may try:
// the identity is the credential. A refused identity is EFORBIDDEN and
// changes nothing; without single sign-on set up it is ENOTFOUND.
func (a *App) SignInWithIdentity(ctx context.Context, who Actor, c sso.Claims) (account.User, error) {
	if _, err := a.Authorize(ctx, who, Public, ""); err != nil {
		return account.User{}, err
	}
	if a.signOn == nil {
		return account.User{}, rhythm.Errorf(rhythm.ENOTFOUND, "single sign-on is not set up on this server")
	}
	return sso.Resolve(ctx, *a.signOn, c, a.db)
}
