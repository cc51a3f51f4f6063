package app

import (
	"context"
	"strconv"

	"github.com/rhythm-team/rhythm/team"
)

// CreateTeam stores a new team from its roster: admins only.
func (a *App) CreateTeam(ctx context.Context, who Actor, t team.Team) (team.Team, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return team.Team{}, err
	}
	return a.db.CreateTeam(ctx, t)
}

// SaveRoster stores a roster, replacing the team of the same name or
// creating it (created says which): admins only.
func (a *App) SaveRoster(ctx context.Context, who Actor, t team.Team) (saved team.Team, created bool, err error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return team.Team{}, false, err
	}
	return a.db.SaveRoster(ctx, t)
}

// ReplaceTeam replaces a team's norms and roster: its leads and admins.
func (a *App) ReplaceTeam(ctx context.Context, who Actor, teamRef string, t team.Team) (team.Team, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return team.Team{}, err
	}
	return a.db.ReplaceTeam(ctx, strconv.FormatInt(ta.TeamID, 10), t)
}

// DeleteTeam removes a team and everything stored about it: admins only.
func (a *App) DeleteTeam(ctx context.Context, who Actor, teamRef string) error {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return err
	}
	return a.db.DeleteTeam(ctx, teamRef)
}

// Member returns one member of a team: its members, leads and admins.
func (a *App) Member(ctx context.Context, who Actor, teamRef string, id int64) (team.Member, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return team.Member{}, err
	}
	return a.db.Member(ctx, strconv.FormatInt(ta.TeamID, 10), id)
}

// AddMember adds a member to a team's roster: its leads and admins.
func (a *App) AddMember(ctx context.Context, who Actor, teamRef string, m team.Member) (team.Member, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return team.Member{}, err
	}
	return a.db.AddMember(ctx, strconv.FormatInt(ta.TeamID, 10), m)
}

// UpdateMember replaces a member of a team's roster: its leads and admins.
func (a *App) UpdateMember(ctx context.Context, who Actor, teamRef string, id int64, m team.Member) (team.Member, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return team.Member{}, err
	}
	return a.db.UpdateMember(ctx, strconv.FormatInt(ta.TeamID, 10), id, m)
}

// DeleteMember removes a member from a team's roster: its leads and admins.
func (a *App) DeleteMember(ctx context.Context, who Actor, teamRef string, id int64) error {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return err
	}
	return a.db.DeleteMember(ctx, strconv.FormatInt(ta.TeamID, 10), id)
}
