package main

import (
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/team"
)

// sessionScheduler returns what places the live sessions of playbook runs.
func sessionScheduler() playbook.Scheduler { return firstFit{} }

// firstFit places a session at the first quarter hour of the window when
// every attendee is at work, avoiding the team's no-meeting day in every
// attendee's zone; when there is none, at the quarter hour when most
// attendees are at work.
type firstFit struct{}

func (firstFit) Slot(t *team.Team, with []string, d time.Duration, from, to time.Time) (time.Time, error) {
	const step = 15 * time.Minute
	var ms []*team.Member
	for _, e := range with {
		if m, ok := t.Member(e); ok {
			ms = append(ms, m)
		}
	}
	start := from.Truncate(step)
	if start.Before(from) {
		start = start.Add(step)
	}
	best, bestN := time.Time{}, -1
	for at := start; !at.Add(d).After(to); at = at.Add(step) {
		n, blocked := 0, false
		for _, m := range ms {
			if t.Norms.NoMeetingDay.Is(at.In(m.Location()).Weekday()) {
				blocked = true
				break
			}
			if m.InWorkingHours(at) && m.InWorkingHours(at.Add(d-time.Minute)) {
				n++
			}
		}
		if blocked {
			continue
		}
		if n == len(ms) {
			return at, nil
		}
		if n > bestN {
			best, bestN = at, n
		}
	}
	if bestN < 0 {
		return time.Time{}, rhythm.Errorf(rhythm.ENOTFOUND, "no meeting time in %s–%s outside the no-meeting day", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return best, nil
}
