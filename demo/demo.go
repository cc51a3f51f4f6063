// Package demo seeds a database with a realistic demo team, so that
// `rhythm serve --demo` opens on something to look at. Each capability adds
// its own step to Steps.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

//go:embed team.yaml
var rosterYAML []byte

// TeamName is the name of the demo team.
const TeamName = "Platform"

// Step seeds one part of the demo data. It runs after the roster is stored.
type Step struct {
	Name string
	Run  func(ctx context.Context, db *store.DB, t team.Team) error
}

// Steps are run in order by Seed after the roster is stored.
var Steps []Step

// Roster returns the demo team's roster.
func Roster() (team.Team, error) { return team.ParseRoster("demo/team.yaml", rosterYAML) }

// Seed stores the demo team and runs every step.
func Seed(ctx context.Context, db *store.DB) (team.Team, error) {
	t, err := Roster()
	if err != nil {
		return t, err
	}
	if t, _, err = db.SaveRoster(ctx, t); err != nil {
		return t, fmt.Errorf("demo roster: %w", err)
	}
	for _, s := range Steps {
		if err := s.Run(ctx, db, t); err != nil {
			return t, fmt.Errorf("demo %s: %w", s.Name, err)
		}
	}
	return t, nil
}

// AdminEmail is the demo admin's sign-in.
const AdminEmail = "admin@demo.example"

// Admin makes sure the demo admin exists with a fresh random password and
// returns the credentials to print.
func Admin(ctx context.Context, db *store.DB) (email, password string, err error) {
	password, _ = account.NewSecret("demo-")
	password = password[:17]
	hash, err := account.HashPassword(password)
	if err != nil {
		return "", "", err
	}
	u, _, err := db.UserByEmail(ctx, AdminEmail)
	switch {
	case err == nil:
		err = db.SetPassword(ctx, u.ID, hash)
	case rhythm.ErrorCode(err) == rhythm.ENOTFOUND:
		_, err = db.CreateUser(ctx, account.User{Email: AdminEmail, Name: "Demo Admin", Role: account.Admin}, hash)
	}
	return AdminEmail, password, err
}

// TeamNames are the teams Seed stores.
func TeamNames() []string { return []string{TeamName} }

// CheckOnlyDemo refuses a database that holds anything but demo data — a
// team Seed does not make or a user other than the demo admin — so that
// `serve --demo` never opens an anonymous admin sign-in over real data.
func CheckOnlyDemo(ctx context.Context, db *store.DB) error {
	teams, err := db.ListTeams(ctx)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if !slices.Contains(TeamNames(), t.Name) {
			return rhythm.Errorf(rhythm.EINVALID, "the database holds team %q, which is not demo data; --demo needs a new database (leave out --db for a temporary one)", t.Name)
		}
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Email != AdminEmail {
			return rhythm.Errorf(rhythm.EINVALID, "the database holds user %s, who is not the demo admin; --demo needs a new database (leave out --db for a temporary one)", u.Email)
		}
	}
	return nil
}
