package playbook

import (
	"time"

	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// FairScheduler places live sessions with the schedule package's fair slot
// finder: everyone inside working hours when possible, else the least
// total and largest individual inconvenience; never on the team's
// no-meeting day. The wall clock is the first attendee's (the step's
// owner in the built-in templates).
type FairScheduler struct {
	// Model weighs time outside working hours; zero is the default model.
	Model schedule.Model
	// Busy, when set, returns the members' busy time between from and
	// to (from their connected calendars), keyed by email.
	Busy func(from, to time.Time) map[string][]team.Interval
}

// Slot implements Scheduler.
func (f FairScheduler) Slot(t *team.Team, with []string, d time.Duration, from, to time.Time) (time.Time, error) {
	req := schedule.Request{Team: t, With: with, Duration: d, From: from, To: to, Top: 1, Model: f.Model}
	if f.Busy != nil {
		req.Busy = f.Busy(from, to)
	}
	r, err := schedule.Find(req)
	if err != nil {
		return time.Time{}, err
	}
	return r.Slots[0].Start, nil
}
