package thread

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Limits on a decision.
const (
	MaxWhat    = 500
	MaxWhy     = 4000
	MaxMeeting = 300
	MaxQuery   = 200
)

// Decision is one entry of a team's decision log.
type Decision struct {
	ID     int64  `json:"id"`
	TeamID int64  `json:"team_id"`
	What   string `json:"what"`
	Why    string `json:"why"`
	// Owner is the email of the member who owns carrying it out.
	Owner string `json:"owner"`
	// Date is the day the decision was taken.
	Date team.Date `json:"date"`
	// ThreadID links the thread it came from; 0 when none.
	ThreadID int64 `json:"thread_id,omitempty"`
	// Meeting names the meeting it was taken in (its calendar UID or
	// title), if any.
	Meeting   string    `json:"meeting,omitempty"`
	Link      string    `json:"link,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// NewDecision is the input that records a decision.
type NewDecision struct {
	What  string `json:"what"`
	Why   string `json:"why"`
	Owner string `json:"owner"`
	// Date is YYYY-MM-DD; empty means today in the owner's zone.
	Date     string `json:"date,omitempty"`
	ThreadID int64  `json:"thread_id,omitempty"`
	Meeting  string `json:"meeting,omitempty"`
	Link     string `json:"link,omitempty"`
	// Close closes the linked thread as the decision is recorded.
	Close bool `json:"close,omitempty"`
}

// Validate checks n against the team's roster and returns the decision it
// describes. Whether ThreadID names a thread of the team is checked where
// threads are stored. Errors are EINVALID and start with the field.
func (n NewDecision) Validate(t *team.Team, createdBy string, now time.Time) (Decision, error) {
	d := Decision{TeamID: t.ID, What: strings.TrimSpace(n.What), Why: strings.TrimSpace(n.Why), ThreadID: n.ThreadID,
		Meeting: strings.TrimSpace(n.Meeting), Link: strings.TrimSpace(n.Link), CreatedBy: createdBy, CreatedAt: now.UTC().Truncate(time.Second)}
	if err := firstErr(rhythm.CheckText("what", n.What), rhythm.CheckText("why", n.Why), rhythm.CheckText("meeting", n.Meeting),
		rhythm.CheckText("link", n.Link), rhythm.CheckText("owner", n.Owner)); err != nil {
		return d, err
	}
	if d.What == "" {
		return d, invalid("what", "say what was decided")
	}
	if utf8.RuneCountInString(d.What) > MaxWhat {
		return d, invalid("what", "at most %d characters", MaxWhat)
	}
	if d.Why == "" {
		return d, invalid("why", "say why, so people who were not there understand")
	}
	if utf8.RuneCountInString(d.Why) > MaxWhy {
		return d, invalid("why", "at most %d characters", MaxWhy)
	}
	if strings.TrimSpace(n.Owner) == "" {
		return d, invalid("owner", "an owner is required: one member who carries the decision out")
	}
	m, err := t.Resolve(n.Owner)
	if err != nil {
		return d, invalid("owner", "%s", rhythm.ErrorMessage(err))
	}
	d.Owner = m.Email
	if strings.TrimSpace(n.Date) == "" {
		d.Date = team.DateOf(now.In(m.Location()))
	} else {
		date, err := team.ParseDate(n.Date)
		if err != nil {
			return d, invalid("date", "%v", err)
		}
		if today := team.DateOf(now.In(m.Location())); today.Before(date) {
			return d, invalid("date", "%s is in the future; record decisions once they are taken", date)
		}
		d.Date = date
	}
	if n.ThreadID < 0 {
		return d, invalid("thread_id", "%d is not a thread id", n.ThreadID)
	}
	if utf8.RuneCountInString(d.Meeting) > MaxMeeting {
		return d, invalid("meeting", "at most %d characters", MaxMeeting)
	}
	if err := checkLink("link", d.Link); err != nil {
		return d, err
	}
	if n.Close && n.ThreadID == 0 {
		return d, invalid("close", "only a decision linked to a thread (thread_id) can close it")
	}
	return d, nil
}

// Query filters the decision log.
type Query struct {
	// Text matches what, why, owner or meeting, ignoring case.
	Text string
	// From and To bound the decision date, inclusive; zero means open.
	From, To team.Date
	// ThreadID keeps the decisions of one thread; 0 means any.
	ThreadID int64
	// Limit is the most decisions returned, newest first; 0 means 500.
	Limit int
}

// CheckQuery returns an EINVALID error naming the bad field of q.
func CheckQuery(q Query) error {
	if utf8.RuneCountInString(q.Text) > MaxQuery {
		return invalid("q", "at most %d characters", MaxQuery)
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return invalid("to", "%s is before from %s", q.To, q.From)
	}
	if q.Limit < 0 || q.Limit > 5000 {
		return invalid("limit", "must be between 1 and 5000")
	}
	return nil
}
