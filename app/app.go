// Package app holds rhythm's use cases, each written once for every
// surface: the JSON API, the pages, the CLI and the Slack app. A use case
// takes a context, the acting identity and plain inputs; it checks what
// that identity may do, then runs the domain packages over the store, and
// returns domain values or a coded rhythm error (EUNAUTHORIZED,
// EFORBIDDEN, EINVALID, …).
//
// Surfaces parse and render, nothing else. The web route table declares
// each route's access as a first gate; this package is the one place that
// enforces it, so a new surface cannot forget a check.
package app

import (
	"time"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/store"
)

// App runs the use cases over one database.
type App struct {
	db        *store.DB
	now       func() time.Time
	scheduler playbook.Scheduler
	calendars *CalendarConfig // nil: live calendars are off
	signOn    *sso.Policy     // nil: no single sign-on
	resolvers resolverCache   // teams' identity resolvers for live chat
	// correlations keeps the last correlation reports by their inputs.
	correlations correlationCache
}

// New returns the use cases over db; now is the clock (time.Now when nil).
func New(db *store.DB, now func() time.Time) *App {
	if now == nil {
		now = time.Now
	}
	return &App{db: db, now: now}
}

// DB returns the store under the use cases, for surfaces that still read
// it directly (see docs/architecture.md).
func (a *App) DB() *store.DB { return a.db }

// Actor is who acts: a signed-in user, an API token's user, a Slack user
// mapped to their account, the local command line, or nobody.
type Actor struct {
	// User is the account acting; its zero value is nobody.
	User account.User
	// System marks the command line run on the server's own machine: a
	// local admin. Email, when set, is who it acts as ("--as").
	System bool
	Email  string
	// Slack is the workspace of a request verified as coming from the
	// Slack app; with Email set, the roster member its Slack user maps to.
	Slack string
}

// Anonymous is nobody signed in.
func Anonymous() Actor { return Actor{} }

// As acts as the signed-in user u.
func As(u account.User) Actor { return Actor{User: u, Email: u.Email} }

// System is the local command line, acting as an admin; email is who it
// acts for where a use case records a person ("cli" when empty).
func System(email string) Actor {
	if email == "" {
		email = "cli"
	}
	return Actor{System: true, Email: email, User: account.User{Email: email, Role: account.Admin}}
}

// SlackApp is the Slack app itself, for a request verified with the
// signing secret and naming workspace (a Slack team ID).
func SlackApp(workspace string) Actor { return Actor{Slack: workspace} }

// SlackMember is a Slack user of workspace mapped to the roster member
// with email: a member, never a lead or an admin, whatever their account.
func SlackMember(workspace, email string) Actor {
	return Actor{Slack: workspace, Email: email, User: account.User{Email: email, Role: account.Member}}
}

// SignedIn reports whether anyone acts.
func (a Actor) SignedIn() bool { return a.System || a.User.ID != 0 || a.Slack != "" }

// Admin reports whether the actor is an admin (the command line is).
func (a Actor) Admin() bool { return a.System || (a.User.ID != 0 && a.User.Role == account.Admin) }
