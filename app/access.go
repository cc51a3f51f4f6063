package app

import (
	"context"
	"fmt"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
)

// Access is who may run a use case. The web route table declares one per
// route; Authorize enforces it.
type Access int

const (
	Public     Access = iota // anyone, signed in or not
	SignedIn                 // any signed-in user, API token or the command line
	TeamMember               // a member of the team, its leads, admins
	TeamLead                 // a lead of the team, admins
	AdminOnly                // admins
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "team member", "team lead", "admin"}[a]
}

// Authorize checks that who has access level need, for the team named by
// teamRef (a name or an id) where need is TeamMember or TeamLead. It
// returns who's relation to that team. Nobody signed in is EUNAUTHORIZED;
// signed in without the access is EFORBIDDEN; an unknown team is
// ENOTFOUND.
func (a *App) Authorize(ctx context.Context, who Actor, need Access, teamRef string) (store.TeamAccess, error) {
	if need == Public {
		return store.TeamAccess{}, nil
	}
	if !who.SignedIn() {
		return store.TeamAccess{}, rhythm.Errorf(rhythm.EUNAUTHORIZED, "sign in or send an API token")
	}
	switch need {
	case AdminOnly:
		if !who.Admin() {
			return store.TeamAccess{}, rhythm.Errorf(rhythm.EFORBIDDEN, "only an admin may do this")
		}
	case TeamMember, TeamLead:
		ta, err := a.db.Access(ctx, teamRef, who.User)
		if err != nil {
			return ta, err
		}
		if who.Admin() || ta.IsLead || (need == TeamMember && ta.IsMember) {
			return ta, nil
		}
		what := "a member"
		if need == TeamLead {
			what = "a lead"
		}
		return ta, rhythm.Errorf(rhythm.EFORBIDDEN, "only %s of %s may do this", what, teamLabel(ta))
	}
	return store.TeamAccess{}, nil
}

// teamLabel names a team in a refusal: by name to its members and leads,
// as "this team" to others, so a refusal does not tell an outsider what a
// team id is called.
func teamLabel(ta store.TeamAccess) string {
	if ta.IsMember || ta.IsLead {
		return fmt.Sprintf("team %q", ta.TeamName)
	}
	return "this team"
}
