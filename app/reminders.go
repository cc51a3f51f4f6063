package app

import (
	"context"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/store"
)

// Reminders lists a team's reminder deliveries that match f, for its leads.
func (a *App) Reminders(ctx context.Context, who Actor, teamRef string, f store.ReminderFilter) ([]remind.Reminder, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return nil, err
	}
	return a.db.Reminders(ctx, ta.TeamID, f)
}

// RetryReminder sends a failed reminder of a team again, at the next run
// of the worker.
func (a *App) RetryReminder(ctx context.Context, who Actor, teamRef string, id int64) (remind.Reminder, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return remind.Reminder{}, err
	}
	return a.db.RetryReminder(ctx, ta.TeamID, id, a.now())
}
