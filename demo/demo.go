// Package demo seeds a database with a realistic demo organisation, so
// that `rhythm serve --demo` opens on something to look at: four teams
// with a year of generated chat, mail and calendars, quarterly audits,
// pulse rounds and churn, threads, decisions, a playbook run and a running
// experiment. Everything is made through the generator (gen/) and the
// same use cases the command line and the web app call. Each part adds its
// own step to Steps.
package demo

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

//go:embed team.yaml
var rosterYAML []byte

//go:embed teams/*.yaml
var teamsFS embed.FS

// TeamName is the name of the demo's main team, the one Seed returns.
const TeamName = "Platform"

// otherTeams are the rosters of the organisation's other teams, in order.
var otherTeams = []string{"teams/mobile.yaml", "teams/data.yaml", "teams/support.yaml"}

// Step seeds one part of the demo data. It runs after the rosters are
// stored; org holds the teams, Platform first.
type Step struct {
	Name string
	Run  func(ctx context.Context, db *store.DB, org []team.Team) error
}

// Steps are run in order by Seed after the rosters are stored.
var Steps []Step

// Roster returns the demo's main team's roster, as written.
func Roster() (team.Team, error) { return team.ParseRoster("demo/team.yaml", rosterYAML) }

// changes are the organisation's joiners and leavers, in weeks before the
// Monday of the week the demo is seeded, so churn varies by team and
// quarter. Platform has joiners only: everyone on its roster is there now.
var changes = []struct {
	email        string
	start, leave int
}{
	{email: "diego@example.com", start: 30}, {email: "sam@example.com", start: 18},
	{email: "ben@example.com", leave: 34}, {email: "tariq@example.com", start: 31},
	{email: "omar@example.com", leave: 9}, {email: "wei@example.com", start: 40},
	{email: "lars@example.com", leave: 45}, {email: "noah@example.com", leave: 21}, {email: "fatima@example.com", start: 16},
}

// Org returns the rosters of the demo organisation, Platform first, with
// the start and leave dates of its joiners and leavers set relative to now.
func Org(now time.Time) ([]team.Team, error) {
	t, err := Roster()
	if err != nil {
		return nil, err
	}
	org := []team.Team{t}
	for _, name := range otherTeams {
		b, err := teamsFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		t, err := team.ParseRoster("demo/"+name, b)
		if err != nil {
			return nil, err
		}
		org = append(org, t)
	}
	monday := thisMonday(now)
	weeksAgo := func(w int) team.Date { return team.DateOf(monday.AddDate(0, 0, -7*w)) }
	for i := range org {
		for j := range org[i].Members {
			m := &org[i].Members[j]
			for _, c := range changes {
				if c.email != m.Email {
					continue
				}
				if c.start > 0 {
					m.Start = weeksAgo(c.start)
				}
				if c.leave > 0 {
					m.Leave = team.DateOf(monday.AddDate(0, 0, -7*c.leave-3)) // the Friday before
				}
			}
		}
	}
	return org, nil
}

// Seed stores the demo organisation's teams and runs every step. It
// returns the main team, Platform. Seeding again adds nothing new.
func Seed(ctx context.Context, db *store.DB) (team.Team, error) {
	org, err := Org(db.Now())
	if err != nil {
		return team.Team{}, err
	}
	for i := range org {
		if org[i], _, err = db.SaveRoster(ctx, org[i]); err != nil {
			return org[0], fmt.Errorf("demo roster %s: %w", org[i].Name, err)
		}
	}
	for _, s := range Steps {
		if err := s.Run(ctx, db, org); err != nil {
			return org[0], fmt.Errorf("demo %s: %w", s.Name, err)
		}
	}
	return org[0], nil
}

// thisMonday is midnight UTC of the Monday of now's week.
func thisMonday(now time.Time) time.Time {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
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
func TeamNames() []string {
	names := []string{TeamName}
	for _, f := range otherTeams {
		b, _ := teamsFS.ReadFile(f)
		if t, err := team.ParseRoster(f, b); err == nil {
			names = append(names, t.Name)
		}
	}
	return names
}

// CheckOnlyDemo refuses a database that holds anything but demo data — a
// team Seed does not make or a user other than the demo admin — so that
// `serve --demo` never opens an anonymous admin sign-in over real data.
func CheckOnlyDemo(ctx context.Context, db *store.DB) error {
	teams, err := db.ListTeams(ctx)
	if err != nil {
		return err
	}
	names := TeamNames()
	for _, t := range teams {
		if !slices.Contains(names, t.Name) {
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
