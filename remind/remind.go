// Package remind sends due-soon and overdue reminders for async threads:
// by Slack-compatible incoming webhook, by generic JSON webhook signed with
// HMAC-SHA256, and by email. A Worker runs inside `rhythm serve`; several
// servers over one database deliver each reminder at most once, because a
// reminder is claimed in one transaction (FOR UPDATE SKIP LOCKED on
// PostgreSQL, SQLite's single writer) before it is sent.
package remind

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// Kind is what a reminder is about.
type Kind string

// Reminder kinds.
const (
	DueSoon Kind = "due_soon"
	Overdue Kind = "overdue"
)

// State is where a reminder is in its delivery.
type State string

// Reminder states. A reminder is pending until a worker claims it
// (sending); then it is sent, pending again for a retry, failed after the
// last attempt (or when its sender stopped mid-delivery), or cancelled
// when it no longer applies.
const (
	Pending   State = "pending"
	Sending   State = "sending"
	Sent      State = "sent"
	Failed    State = "failed"
	Cancelled State = "cancelled"
)

// ParseState reads a state name.
func ParseState(s string) (State, error) {
	switch st := State(strings.ToLower(strings.TrimSpace(s))); st {
	case Pending, Sending, Sent, Failed, Cancelled:
		return st, nil
	}
	return "", fmt.Errorf("%q is not one of pending, sending, sent, failed, cancelled", s)
}

// Reminder is one message to one member about one thread on one channel.
type Reminder struct {
	ID       int64  `json:"id"`
	TeamID   int64  `json:"team_id"`
	ThreadID int64  `json:"thread_id"`
	Member   string `json:"member"` // email
	Kind     Kind   `json:"kind"`
	Channel  string `json:"channel"`
	State    State  `json:"state"`
	// SendAt is the earliest time to send: inside the member's working
	// hours, so reminders do not arrive at night.
	SendAt        time.Time `json:"send_at"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	Attempts      int       `json:"attempts"`
	ClaimedBy     string    `json:"claimed_by,omitempty"`
	ClaimedAt     time.Time `json:"claimed_at,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// Title is the thread's title, filled when listing.
	Title string `json:"title,omitempty"`
}

// DefaultBefore is how long before a thread's due-by the due-soon
// reminder is sent.
const DefaultBefore = 4 * time.Hour

// maxHold is the longest a reminder waits for its member's working hours.
const maxHold = 4 * 24 * time.Hour

// Plan returns the reminders thread th calls for at now, one per member
// and kind on each channel: due-soon to participants who have not
// responded, from before ahead of the due-by; overdue to them and to the
// owner, who owes closing the loop, once it has passed. Each is held until
// its member's working hours.
func Plan(th *thread.Thread, t *team.Team, now time.Time, before time.Duration, channels []string) []Reminder {
	if th.State != thread.Open || len(channels) == 0 {
		return nil
	}
	var out []Reminder
	add := func(member string, kind Kind, trigger time.Time) {
		at := trigger
		if m, ok := t.Member(member); ok {
			at = nextWorking(m, trigger)
		}
		if kind == DueSoon && !at.Before(th.DueBy) {
			return // the member's next working time is after the due-by: the overdue reminder will do
		}
		for _, ch := range channels {
			out = append(out, Reminder{TeamID: th.TeamID, ThreadID: th.ID, Member: member, Kind: kind, Channel: ch, State: Pending,
				SendAt: at, NextAttemptAt: at, CreatedAt: now.UTC().Truncate(time.Second)})
		}
	}
	soon := th.DueBy.Add(-before)
	for _, d := range th.Owed(now) {
		switch {
		case d.Overdue:
			add(d.Member, Overdue, th.DueBy)
		case d.What == thread.OweRespond && !now.Before(soon):
			add(d.Member, DueSoon, soon)
		}
	}
	return out
}

// nextWorking returns the first instant at or after t inside m's working
// hours, or t when none comes within maxHold.
func nextWorking(m *team.Member, t time.Time) time.Time {
	if m.InWorkingHours(t) {
		return t
	}
	if ivs := m.WorkingIntervals(t, t.Add(maxHold)); len(ivs) > 0 {
		return ivs[0].Start
	}
	return t
}

// Applies reports whether reminder r still makes sense for thread th at
// now: the thread is open and the member still owes what it reminds of.
func Applies(r *Reminder, th *thread.Thread, now time.Time) bool {
	d, ok := th.Owes(r.Member, now)
	if !ok {
		return false
	}
	if r.Kind == DueSoon {
		return d.What == thread.OweRespond && now.Before(th.DueBy)
	}
	return true
}

// Message is what a Sender delivers.
type Message struct {
	// ID identifies the reminder; receivers may use it to drop repeats.
	ID       int64     `json:"id"`
	Kind     Kind      `json:"kind"`
	Team     string    `json:"team"`
	TeamID   int64     `json:"team_id"`
	ThreadID int64     `json:"thread_id"`
	Title    string    `json:"title"`
	Link     string    `json:"link,omitempty"`
	URL      string    `json:"url,omitempty"` // the thread's page in rhythm
	Member   string    `json:"member"`
	Name     string    `json:"name"`
	Owes     string    `json:"owes"` // "respond" or "close"
	DueBy    time.Time `json:"due_by"`
	DueLocal string    `json:"due_local"` // the due-by on the member's clock
	Text     string    `json:"text"`
}

// NewMessage composes the message of reminder r about thread th of team t.
// baseURL, when set, is where rhythm's pages are served.
func NewMessage(r *Reminder, th *thread.Thread, t *team.Team, now time.Time, baseURL string) Message {
	m := Message{ID: r.ID, Kind: r.Kind, Team: t.Name, TeamID: t.ID, ThreadID: th.ID, Title: th.Title, Link: th.Link, Member: r.Member,
		Name: r.Member, DueBy: th.DueBy, DueLocal: th.DueBy.UTC().Format("Mon 2 Jan 15:04 UTC"), Owes: thread.OweRespond}
	if d, ok := th.Owes(r.Member, now); ok {
		m.Owes = d.What
	}
	if mb, ok := t.Member(r.Member); ok {
		m.Name = mb.Name
		m.DueLocal = th.DueBy.In(mb.Location()).Format("Mon 2 Jan 15:04") + " " + mb.Zone
	}
	if baseURL != "" {
		m.URL = fmt.Sprintf("%s/teams/%d/threads/%d", strings.TrimSuffix(baseURL, "/"), t.ID, th.ID)
	}
	what := "respond to"
	if m.Owes == thread.OweClose {
		what = "close the loop on"
	}
	var b strings.Builder
	if r.Kind == DueSoon {
		fmt.Fprintf(&b, "Due soon: %s, please %s %q (%s) by %s.", m.Name, what, th.Title, t.Name, m.DueLocal)
	} else {
		fmt.Fprintf(&b, "Overdue: %s, please %s %q (%s); it was due %s.", m.Name, what, th.Title, t.Name, m.DueLocal)
	}
	if m.Link != "" {
		fmt.Fprintf(&b, " Discussion: %s", m.Link)
	}
	if m.URL != "" {
		fmt.Fprintf(&b, " Answer: %s", m.URL)
	}
	m.Text = b.String()
	return m
}

// Sender delivers messages on one channel.
type Sender interface {
	// Channel names the channel in stored reminders, e.g. "slack".
	Channel() string
	Send(ctx context.Context, m Message) error
}
