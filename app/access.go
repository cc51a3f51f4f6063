package app

import (
	"context"
	"fmt"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
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
	// SlackSigned is a request signed with the Slack app's signing
	// secret: the Slack app itself, for the workspace the request names.
	SlackSigned
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "team member", "team lead", "admin", "signed by Slack"}[a]
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
	if who.Slack != "" {
		return a.authorizeSlack(ctx, who, need, teamRef)
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
	case SlackSigned:
		return store.TeamAccess{}, rhythm.Errorf(rhythm.EFORBIDDEN, "only requests signed by the Slack app may do this")
	}
	return store.TeamAccess{}, nil
}

// authorizeSlack decides for who acting from Slack: the Slack app itself
// (SlackSigned use cases only), or a Slack user mapped to a roster member,
// who may do what a member may on the teams linked to their workspace and
// nothing that needs an account (a lead's or an admin's work).
func (a *App) authorizeSlack(ctx context.Context, who Actor, need Access, teamRef string) (store.TeamAccess, error) {
	switch {
	case need == SlackSigned && who.Email == "":
		return store.TeamAccess{}, nil
	case need == TeamMember && who.Email != "":
		ta, err := a.db.Access(ctx, teamRef, account.User{Email: who.Email, Role: account.Member})
		if err != nil {
			return ta, err
		}
		if ta.IsMember && ta.SlackWorkspace == who.Slack {
			return ta, nil
		}
		return ta, rhythm.Errorf(rhythm.EFORBIDDEN, "only a member of %s, in the Slack workspace it is linked to, may do this", teamLabel(ta))
	}
	return store.TeamAccess{}, rhythm.Errorf(rhythm.EFORBIDDEN, "this cannot be done from Slack; use the rhythm web app")
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
