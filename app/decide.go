package app

import (
	"context"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
)

// Decide answers one decide request with the default policy; anyone may
// ask (a roster may come inline).
func (a *App) Decide(ctx context.Context, who Actor, req *decide.Request) (decide.Decision, error) {
	if _, err := a.Authorize(ctx, who, Public, ""); err != nil {
		return decide.Decision{}, err
	}
	p, err := decide.DefaultPolicy()
	if err != nil {
		return decide.Decision{}, err
	}
	return p.DecideRequest(req, nil, a.now())
}

// DecideForTeam answers a decide request for a stored team: its norms and
// roster ("with" names its members), and unless the request brings its
// own, the figures of its latest audit.
func (a *App) DecideForTeam(ctx context.Context, who Actor, teamRef string, req *decide.Request) (decide.Decision, error) {
	if req.Roster != nil {
		return decide.Decision{}, rhythm.Errorf(rhythm.EINVALID, "roster: the team's stored roster is used here; send no roster")
	}
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return decide.Decision{}, err
	}
	if req.TeamFigures == nil {
		if req.TeamFigures, err = a.AuditFigures(ctx, who, teamRef); err != nil {
			return decide.Decision{}, err
		}
	}
	p, err := decide.DefaultPolicy()
	if err != nil {
		return decide.Decision{}, err
	}
	return p.DecideRequest(req, &t.Team, a.now())
}
