// Package audit measures how a team communicates: the balance of sync and
// async work and what it costs people (meeting load, focus time, after-hours
// work, response times, the time-zone burden), per person-week and
// team-week, from the stream of ingest.Interaction records.
//
// An Auditor takes interactions one at a time, in any order, keeping small
// state (per person: meeting intervals and daily counters; per thread: its
// start and first replies; per direct message: its time and author, three
// words; never text), so audits of large exports run in modest memory.
// Result turns that state into a Report of group figures that pass the
// team's privacy threshold, and into each member's own figures, which only
// that member may see.
//
// The metric definitions follow DESIGN.md §6 (Viva Insights, Clockwise,
// Worklytics); Definitions lists them as implemented.
package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Thresholds of the metric definitions.
const (
	// FocusBlock is the shortest free stretch of working time that counts
	// as focus time.
	FocusBlock = 2 * time.Hour
	// ShortFocusBlock is the shortest free stretch reported as short focus
	// time; free time in shorter stretches is fragmented.
	ShortFocusBlock = time.Hour
	// LongMeeting: meetings longer than this are long.
	LongMeeting = 60 * time.Minute
	// LargeMeeting: meetings with more attendees than this are large.
	LargeMeeting = 8
	// BackToBackGap: a meeting that starts less than this after the
	// person's previous meeting ended is back-to-back.
	BackToBackGap = 5 * time.Minute
	// MaxEventLength: timed events this long or longer are treated like
	// all-day events (out-of-office blocks, conferences) and left out.
	MaxEventLength = 24 * time.Hour
	// MaxWindowDays is the longest window an audit takes.
	MaxWindowDays = 400
	// ReplyHorizon is how long after a window a reply still counts as the
	// answer to a message sent inside it.
	ReplyHorizon = 30 * 24 * time.Hour
)

// Window is a span of whole days, both ends included. Each person's days
// are taken in their own time zone.
type Window struct {
	From team.Date `json:"from"`
	To   team.Date `json:"to"`
}

// IsZero reports whether the window is unset.
func (w Window) IsZero() bool { return w.From.IsZero() && w.To.IsZero() }

// Days returns the number of days in the window.
func (w Window) Days() int {
	return int(w.To.In(time.UTC).Sub(w.From.In(time.UTC)).Hours()/24) + 1
}

// Weeks returns the number of weeks in the window; the last may be partial.
func (w Window) Weeks() int { return (w.Days() + 6) / 7 }

// String formats the window as "2026-02-02..2026-05-03".
func (w Window) String() string { return w.From.String() + ".." + w.To.String() }

// validate checks the window; name is the flag or field it came from.
func (w Window) validate(from, to string) error {
	switch {
	case w.From.IsZero():
		return rhythm.Errorf(rhythm.EINVALID, "%s: a start date (YYYY-MM-DD) is required", from)
	case w.To.IsZero():
		return rhythm.Errorf(rhythm.EINVALID, "%s: an end date (YYYY-MM-DD) is required", to)
	case w.To.Before(w.From):
		return rhythm.Errorf(rhythm.EINVALID, "%s %s is after %s %s", from, w.From, to, w.To)
	case w.Days() > MaxWindowDays:
		return rhythm.Errorf(rhythm.EINVALID, "%s %s to %s %s spans %d days; an audit window has at most %d", from, w.From, to, w.To, w.Days(), MaxWindowDays)
	}
	return nil
}

// Costs are the assumed times an async message takes, from which the time
// side of the sync:async ratio is estimated.
type Costs struct {
	// Chat is the time to write one chat message or thread reply.
	Chat time.Duration `json:"chat"`
	// Email is the time to write one email.
	Email time.Duration `json:"email"`
	// Read is the time to read one message addressed to the person (a
	// mention, a direct message, a mail to them).
	Read time.Duration `json:"read"`
}

// DefaultCosts are the assumed times unless configured otherwise.
func DefaultCosts() Costs {
	return Costs{Chat: 3 * time.Minute, Email: 10 * time.Minute, Read: time.Minute}
}

// Config says what an audit measures.
type Config struct {
	// Window is the period audited.
	Window Window
	// Compare, when set, is a baseline period (e.g. the previous quarter)
	// that the report compares the window with.
	Compare Window
	// MinGroup is the smallest group figures are shown for; 0 means the
	// team's norm. It may not be below the team's norm nor below
	// team.MinimumMinGroupSize.
	MinGroup int
	// Costs are the per-message time assumptions; zero fields take the
	// defaults.
	Costs Costs
}

// check fills defaults and validates cfg against the team's norms.
func (cfg *Config) check(t *team.Team) error {
	if err := cfg.Window.validate("--from", "--to"); err != nil {
		return err
	}
	if !cfg.Compare.IsZero() {
		if err := cfg.Compare.validate("--compare-from", "--compare-to"); err != nil {
			return err
		}
	}
	norm := max(t.Norms.MinGroupSize, team.MinimumMinGroupSize)
	switch {
	case cfg.MinGroup == 0:
		cfg.MinGroup = norm
	case cfg.MinGroup < team.MinimumMinGroupSize:
		return rhythm.Errorf(rhythm.EINVALID, "--min-group %d: groups of fewer than %d people are never shown", cfg.MinGroup, team.MinimumMinGroupSize)
	case cfg.MinGroup < norm:
		return rhythm.Errorf(rhythm.EINVALID, "--min-group %d is below team %q's min_group_size %d; raise it or change the team's norms", cfg.MinGroup, t.Name, norm)
	}
	d := DefaultCosts()
	for _, c := range []struct {
		v    *time.Duration
		def  time.Duration
		name string
	}{{&cfg.Costs.Chat, d.Chat, "chat"}, {&cfg.Costs.Email, d.Email, "email"}, {&cfg.Costs.Read, d.Read, "read"}} {
		switch {
		case *c.v == 0:
			*c.v = c.def
		case *c.v < 0 || *c.v > 8*time.Hour:
			return rhythm.Errorf(rhythm.EINVALID, "%s time per message must be between 0 and 8h, got %s", c.name, *c.v)
		}
	}
	if len(t.Members) == 0 {
		return rhythm.Errorf(rhythm.EINVALID, "team %q has no members", t.Name)
	}
	return nil
}

// Definition states how one metric is computed.
type Definition struct {
	Metric string `json:"metric"`
	Text   string `json:"text"`
}

// Definitions returns the metric definitions as implemented, with the
// assumptions of costs, for reports to state.
func Definitions(c Costs) []Definition {
	return []Definition{
		{"meeting hours", "Time in meetings and calls with at least 2 people that the person did not decline; all-day events, events of 24 h or more and 1-person events are left out; overlapping meetings count once."},
		{"focus hours", fmt.Sprintf("Working time in free stretches of %s or more without meetings (short focus: %s or more; fragmented: free working time in shorter stretches). Messages do not break focus.", hm(FocusBlock), hm(ShortFocusBlock))},
		{"after hours", "Meeting time outside the person's own working hours (their zone, days, holidays), and messages they sent outside them; weekends and holidays are after hours."},
		{"sync:async ratio", fmt.Sprintf("By count: meetings attended / messages written or addressed to the person. By time: meeting hours / estimated async hours, assuming %s to write a chat message, %s to write an email and %s to read a message addressed to the person.", hm(c.Chat), hm(c.Email), hm(c.Read))},
		{"response time", "From a message or thread start to the first reply by someone else, for replies by team members: in the responder's working hours and in wall-clock hours. In a direct conversation (a DM or a group DM) the first unthreaded message by anyone else answers the unthreaded messages one person wrote before it, timed from the first of them; a thread there has its own first reply."},
		{"within response window", "A first reply is within the team's response window when it comes no later than the window after the message, or, when the responder had less than an hour of working time in that span, by the end of their next working stretch."},
		{"meeting shapes", fmt.Sprintf("Long: longer than %s. Large: more than %d attendees. Back-to-back: starting less than %s after the person's previous meeting ended. Double-booked: starting before an earlier meeting of the person has ended. Recurring: an instance of a series.", hm(LongMeeting), LargeMeeting, hm(BackToBackGap))},
		{"time-zone burden", "Each zone group's share of the team's after-hours meeting time against its share of the headcount; burden index = the first over the second (1 is a fair share). Fairness over people: the Gini coefficient of after-hours meeting hours (0 equal, 1 one person carries all)."},
		{"periods", "Days are each person's own local days; weeks start on the window's first day. Figures per person-week average over weeks a person was on the team and had working time."},
		{"privacy", "Group figures only for groups of at least the minimum group size; zones smaller than that are pooled or suppressed, and say so. No person is named in a group report."},
	}
}

// hm formats a duration as "2 h", "45 min" or "1 h 30 min".
func hm(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

func durationMinutes(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }

// costsJSON is the file form of Costs, in minutes.
type costsJSON struct {
	Chat  float64 `json:"chat_minutes"`
	Email float64 `json:"email_minutes"`
	Read  float64 `json:"read_minutes"`
}

// MarshalJSON writes the costs in minutes.
func (c Costs) MarshalJSON() ([]byte, error) {
	return json.Marshal(costsJSON{c.Chat.Minutes(), c.Email.Minutes(), c.Read.Minutes()})
}

// UnmarshalJSON reads costs written by MarshalJSON.
func (c *Costs) UnmarshalJSON(b []byte) error {
	var v costsJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Costs{durationMinutes(v.Chat), durationMinutes(v.Email), durationMinutes(v.Read)}
	return nil
}
