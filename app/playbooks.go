package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// WithScheduler sets what places the live sessions of playbook runs; with
// none, runs that need one are refused. It returns a.
func (a *App) WithScheduler(s playbook.Scheduler) *App {
	a.scheduler = s
	return a
}

// Playbooks returns the built-in playbooks and the team's own: its
// members, leads and admins.
func (a *App) Playbooks(ctx context.Context, who Actor, teamRef string) ([]playbook.Template, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return nil, err
	}
	return a.teamTemplates(ctx, ta.TeamID)
}

// TeamPlaybooks returns a team with its own stored playbooks (not the
// built-in ones): its members, leads and admins.
func (a *App) TeamPlaybooks(ctx context.Context, who Actor, teamRef string) (TeamOf, []playbook.Template, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	own, err := a.ownTemplates(ctx, t.ID)
	return t, own, err
}

// teamTemplates are the built-in playbooks and the team's own.
func (a *App) teamTemplates(ctx context.Context, teamID int64) ([]playbook.Template, error) {
	own, err := a.ownTemplates(ctx, teamID)
	if err != nil {
		return nil, err
	}
	return append(playbook.Builtins(), own...), nil
}

// ownTemplates parses the team's stored playbooks.
func (a *App) ownTemplates(ctx context.Context, teamID int64) ([]playbook.Template, error) {
	stored, err := a.db.TeamPlaybooks(ctx, teamID)
	if err != nil {
		return nil, err
	}
	var own []playbook.Template
	for _, p := range stored {
		t, err := playbook.Parse(p.Name+".yaml", []byte(p.YAML))
		if err != nil {
			return nil, fmt.Errorf("stored playbook %s: %w", p.Name, err)
		}
		own = append(own, t)
	}
	return own, nil
}

// Playbook returns one playbook the team may run, by name, or ENOTFOUND.
func (a *App) Playbook(ctx context.Context, who Actor, teamRef, name string) (playbook.Template, error) {
	return a.findPlaybook(ctx, who, teamRef, name, nil)
}

// findPlaybook returns the playbook name among the built-in ones, extra
// and the team's own, or ENOTFOUND; extra may not reuse a name.
func (a *App) findPlaybook(ctx context.Context, who Actor, teamRef, name string, extra []playbook.Template) (playbook.Template, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return playbook.Template{}, err
	}
	ts, err := a.ownTemplates(ctx, ta.TeamID)
	if err != nil {
		return playbook.Template{}, err
	}
	if len(extra) > 0 {
		ts = append(slices.Clone(extra), ts...)
		if err := playbook.CheckNames(ts); err != nil {
			return playbook.Template{}, err
		}
	}
	t, err := playbook.Find(name, ts)
	if err != nil {
		return t, rhythm.Errorf(rhythm.ENOTFOUND, "%s", rhythm.ErrorMessage(err))
	}
	return t, nil
}

// PlaybookRun is what one run of a playbook asks for.
type PlaybookRun struct {
	Date   string              `json:"date"`
	Topic  string              `json:"topic,omitempty"`
	Roles  map[string][]string `json:"roles,omitempty"`
	Create bool                `json:"create,omitempty"`
	// Templates are playbooks to run besides the built-in ones and the
	// team's stored ones (the command line's --templates folder); never
	// read from a request.
	Templates []playbook.Template `json:"-"`
	// PreviewPast lets a run that stores nothing start in the past, as the
	// command line's previews may; never read from a request.
	PreviewPast bool `json:"-"`
}

// RunPlaybook plans one run of the named playbook for the team and, with
// Create, stores its threads (who is their creator): its members, leads
// and admins.
func (a *App) RunPlaybook(ctx context.Context, who Actor, teamRef, name string, run PlaybookRun) (*playbook.Plan, []thread.Thread, error) {
	tp, err := a.findPlaybook(ctx, who, teamRef, name, run.Templates)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		// The run names a playbook that does not exist: bad input.
		return nil, nil, rhythm.Errorf(rhythm.EINVALID, "playbook: %s", rhythm.ErrorMessage(err))
	} else if err != nil {
		return nil, nil, err
	}
	date, err := team.ParseDate(run.Date)
	if err != nil {
		return nil, nil, rhythm.Errorf(rhythm.EINVALID, "date: %v", err)
	}
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return nil, nil, err
	}
	now := a.now()
	plan, err := playbook.Instantiate(tp, playbook.Request{Team: &t.Team, Date: date, Topic: run.Topic, Roles: run.Roles, Now: now,
		Preview: run.PreviewPast && !run.Create, Scheduler: a.withCalendarBusy(ctx, &t.Team)})
	if err != nil || !run.Create {
		return plan, nil, err
	}
	var ths []thread.Thread
	for _, n := range plan.NewThreads() {
		th, err := n.Validate(&t.Team, who.Email, now)
		if err != nil {
			return plan, nil, err
		}
		ths = append(ths, th)
	}
	ths, err = a.db.CreateThreads(ctx, ths)
	return plan, ths, err
}

// SavePlaybook stores one of the team's own playbooks from its YAML: its
// leads and admins.
func (a *App) SavePlaybook(ctx context.Context, who Actor, teamRef, name string, yaml []byte) (playbook.Template, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return playbook.Template{}, err
	}
	t, err := playbook.Parse("body", yaml)
	if err != nil {
		return t, err
	}
	if t.Name != name {
		return t, rhythm.Errorf(rhythm.EINVALID, "name: %q does not match the playbook named in the path (%q)", t.Name, name)
	}
	if _, ok := playbook.Builtin(name); ok {
		return t, rhythm.Errorf(rhythm.EINVALID, "name: %q is a built-in playbook; choose another name", name)
	}
	_, err = a.db.SaveTeamPlaybook(ctx, ta.TeamID, store.TeamPlaybook{Name: name, YAML: string(yaml), UpdatedBy: who.Email})
	return t, err
}

// DeletePlaybook removes one of the team's own playbooks: its leads and
// admins.
func (a *App) DeletePlaybook(ctx context.Context, who Actor, teamRef, name string) error {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return err
	}
	return a.db.DeleteTeamPlaybook(ctx, ta.TeamID, name)
}

// withCalendarBusy returns the session scheduler, reading the busy time of
// members' connected calendars when it is the fair scheduler.
func (a *App) withCalendarBusy(ctx context.Context, t *team.Team) playbook.Scheduler {
	fs, ok := a.scheduler.(playbook.FairScheduler)
	if !ok {
		return a.scheduler
	}
	fs.Busy = func(from, to time.Time) map[string][]team.Interval {
		busy, _, err := a.db.CalendarBusy(ctx, t.ID, from, to)
		if err != nil {
			return nil // a session is still planned, without calendars
		}
		for email := range busy {
			if _, ok := t.Member(email); !ok {
				delete(busy, email) // a connection of someone who left the roster
			}
		}
		return busy
	}
	return fs
}
