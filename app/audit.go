package app

import (
	"context"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// AuditStored audits the team's stored imports over cfg's window: a lead's
// or an admin's work, as it reads every member's interactions. progress,
// when set, is called once per interaction read. The team is returned with
// the result.
func (a *App) AuditStored(ctx context.Context, who Actor, teamRef string, cfg audit.Config, progress func(int)) (team.Team, *audit.Result, error) {
	t, err := a.teamFor(ctx, who, TeamLead, teamRef)
	if err != nil {
		return t.Team, nil, err
	}
	au, err := audit.New(&t.Team, cfg)
	if err != nil {
		return t.Team, nil, err
	}
	from, to := au.Span()
	if err := a.db.Interactions(ctx, t.ID, from, to, func(in ingest.Interaction) error {
		au.Add(&in)
		if progress != nil {
			progress(1)
		}
		return nil
	}); err != nil {
		return t.Team, nil, err
	}
	c := au.Counts()
	switch {
	case c.Read == 0:
		return t.Team, nil, rhythm.Errorf(rhythm.EINVALID, "team %q has no stored imports (no imported meetings or messages to audit); import files first (rhythm import --team %q FILE..., or the Imports page)", t.Name, t.Name)
	case c.Counted == 0:
		return t.Team, nil, rhythm.Errorf(rhythm.EINVALID, "no imported meetings or messages of team %q fall in %s to %s with a team member taking part (%d read, %s to %s); choose other dates or import more files",
			t.Name, cfg.Window.From, cfg.Window.To, c.Read, c.First.Format(time.DateOnly), c.Last.Format(time.DateOnly))
	}
	return t.Team, au.Result(), nil
}

// SaveAudit stores an audit result as the team's latest: leads and admins.
func (a *App) SaveAudit(ctx context.Context, who Actor, teamRef string, r *audit.Result) (int64, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return 0, err
	}
	return a.db.SaveAudit(ctx, ta.TeamID, r)
}

// RunStoredAudit audits the team's stored imports and saves the result.
func (a *App) RunStoredAudit(ctx context.Context, who Actor, teamRef string, cfg audit.Config) (int64, error) {
	t, r, err := a.AuditStored(ctx, who, teamRef, cfg, nil)
	if err != nil {
		return 0, err
	}
	return a.db.SaveAudit(ctx, t.ID, r)
}

// LatestAudit returns the team's latest saved audit (group figures only):
// its members, leads and admins may read it.
func (a *App) LatestAudit(ctx context.Context, who Actor, teamRef string) (store.AuditInfo, audit.Report, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return store.AuditInfo{}, audit.Report{}, err
	}
	return a.db.LatestAudit(ctx, ta.TeamID)
}

// AuditFigures returns the measured figures of the team's latest saved
// audit for the decision engine, or nil when there are none to use.
func (a *App) AuditFigures(ctx context.Context, who Actor, teamRef string) (*decide.TeamFigures, error) {
	_, rep, err := a.LatestAudit(ctx, who, teamRef)
	switch {
	case rhythm.ErrorCode(err) == rhythm.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case !rep.TeamFigures.Measured:
		return nil, nil
	}
	tf := rep.TeamFigures
	return &tf, nil
}

// MyAudit is one saved audit's figures of the actor, with the team's
// group figures for comparison when the team's latest report shows them.
type MyAudit struct {
	store.PersonAudit
	Team *audit.Figures
}

// MyAudits returns the actor's own figures from every saved audit that
// counted them: nobody else's.
func (a *App) MyAudits(ctx context.Context, who Actor) ([]MyAudit, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	mine, err := a.db.PersonAudits(ctx, who.User.Email)
	if err != nil {
		return nil, err
	}
	out := make([]MyAudit, len(mine))
	for i, pa := range mine {
		out[i].PersonAudit = pa
		if info, rep, err := a.db.LatestAudit(ctx, pa.TeamID); err == nil && info.ID == pa.ID && !rep.Current.Team.Suppressed {
			out[i].Team = &rep.Current.Team
		}
	}
	return out, nil
}
