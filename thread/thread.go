// Package thread holds a team's async work: threads with one owner, the
// participants who owe a response and a due-by taken from the team's
// response window; their responses and acknowledgements; who owes what and
// what is overdue; and the decision log (what, why, owner, date and a link
// to the thread or meeting). The package does no I/O.
package thread

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Limits on input.
const (
	MaxTitle        = 200
	MaxNote         = 2000
	MaxLink         = 2000
	MaxParticipants = 200
	// MaxDueAhead is the furthest ahead a due-by may lie.
	MaxDueAhead = 366 * 24 * time.Hour
)

// State is where a thread is in its life.
type State string

// Thread states.
const (
	Open   State = "open"
	Closed State = "closed"
)

// ParseState reads "open" or "closed".
func ParseState(s string) (State, error) {
	switch st := State(strings.ToLower(strings.TrimSpace(s))); st {
	case Open, Closed:
		return st, nil
	}
	return "", fmt.Errorf("%q is not one of open, closed", s)
}

// Kind is what a response says.
type Kind string

// Response kinds: an answer contributes; an acknowledgement says "seen, no
// objection". Either settles what a participant owes.
const (
	Answer Kind = "answer"
	Ack    Kind = "ack"
)

// ParseKind reads "answer" or "ack" (also "acknowledge").
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "answer", "reply":
		return Answer, nil
	case "ack", "acknowledge", "acknowledgement", "acknowledgment":
		return Ack, nil
	}
	return "", fmt.Errorf("%q is not one of answer, ack", s)
}

// Thread is one async discussion the team tracks: it lives wherever the
// team writes (a doc, a chat thread; Link points there) and rhythm keeps who
// owns it, who owes a response and by when.
type Thread struct {
	ID     int64  `json:"id"`
	TeamID int64  `json:"team_id"`
	Title  string `json:"title"`
	// Link is where the discussion happens, if anywhere outside rhythm.
	Link string `json:"link,omitempty"`
	// Owner is the email of the member who closes the loop.
	Owner string `json:"owner"`
	// Participants are the emails of the members who owe a response, in
	// the order given; the owner is not among them.
	Participants []string  `json:"participants"`
	DueBy        time.Time `json:"due_by"`
	State        State     `json:"state"`
	// Playbook names the playbook run that made the thread, if one did.
	Playbook  string     `json:"playbook,omitempty"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	ClosedAt  time.Time  `json:"closed_at,omitzero"`
	Responses []Response `json:"responses"`
}

// Response is a participant's answer or acknowledgement.
type Response struct {
	ID       int64     `json:"id"`
	ThreadID int64     `json:"thread_id"`
	Member   string    `json:"member"` // email
	Kind     Kind      `json:"kind"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"at"`
}

// NewThread is the input that creates a thread.
type NewThread struct {
	Title        string   `json:"title"`
	Link         string   `json:"link,omitempty"`
	Owner        string   `json:"owner"`
	Participants []string `json:"participants"`
	// DueBy is an RFC 3339 instant; empty means now + the team's response
	// window.
	DueBy string `json:"due_by,omitempty"`
	// Playbook names the playbook run that makes the thread, if any.
	Playbook string `json:"playbook,omitempty"`
}

// firstErr returns the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}

// Validate checks n against the team's roster and returns the thread it
// describes, created by createdBy at now. People are named by email, name
// or alias; the thread keeps their roster emails. Errors are EINVALID and
// start with the field.
func (n NewThread) Validate(t *team.Team, createdBy string, now time.Time) (Thread, error) {
	th := Thread{TeamID: t.ID, Title: strings.TrimSpace(n.Title), Link: strings.TrimSpace(n.Link), State: Open,
		CreatedBy: createdBy, CreatedAt: now.UTC().Truncate(time.Second), Playbook: strings.TrimSpace(n.Playbook)}
	if err := firstErr(rhythm.CheckText("title", n.Title), rhythm.CheckText("link", n.Link),
		rhythm.CheckText("owner", n.Owner), rhythm.CheckText("playbook", n.Playbook)); err != nil {
		return th, err
	}
	if th.Title == "" {
		return th, invalid("title", "a title is required")
	}
	if utf8.RuneCountInString(th.Title) > MaxTitle {
		return th, invalid("title", "at most %d characters", MaxTitle)
	}
	if err := checkLink("link", th.Link); err != nil {
		return th, err
	}
	if strings.TrimSpace(n.Owner) == "" {
		return th, invalid("owner", "an owner is required: one member who closes the loop")
	}
	owner, err := t.Resolve(n.Owner)
	if err != nil {
		return th, invalid("owner", "%s", rhythm.ErrorMessage(err))
	}
	th.Owner = owner.Email
	if len(n.Participants) > MaxParticipants {
		return th, invalid("participants", "at most %d people", MaxParticipants)
	}
	for i, p := range n.Participants {
		if strings.TrimSpace(p) == "" {
			continue
		}
		m, err := t.Resolve(p)
		if err != nil {
			return th, invalid(fmt.Sprintf("participants[%d]", i), "%s", rhythm.ErrorMessage(err))
		}
		if m.Email == th.Owner || slices.Contains(th.Participants, m.Email) {
			continue
		}
		th.Participants = append(th.Participants, m.Email)
	}
	if len(th.Participants) == 0 {
		return th, invalid("participants", "name at least one member besides the owner who owes a response")
	}
	if strings.TrimSpace(n.DueBy) == "" {
		th.DueBy = th.CreatedAt.Add(t.Norms.ResponseWindow.D())
	} else {
		due, err := ParseTime(n.DueBy)
		if err != nil {
			return th, invalid("due_by", "%v", err)
		}
		th.DueBy = due
	}
	if err := CheckDue(th.DueBy, now); err != nil {
		return th, err
	}
	return th, nil
}

// CheckDue returns an EINVALID error naming due_by when due is not after
// now or lies more than MaxDueAhead ahead.
func CheckDue(due, now time.Time) error {
	if !due.After(now) {
		return invalid("due_by", "%s is in the past; give a time after %s", due.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if due.Sub(now) > MaxDueAhead {
		return invalid("due_by", "%s is more than a year ahead", due.UTC().Format(time.RFC3339))
	}
	return nil
}

// ParseTime reads an RFC 3339 instant ("2026-03-10T17:00:00Z" or with an
// offset) and returns it in UTC, to the second.
func ParseTime(s string) (time.Time, error) {
	v, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time such as 2026-03-10T17:00:00Z", s)
	}
	return v.UTC().Truncate(time.Second), nil
}

func checkLink(field, link string) error {
	if link == "" {
		return nil
	}
	if len(link) > MaxLink {
		return invalid(field, "at most %d characters", MaxLink)
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalid(field, "%q is not an http(s) URL", link)
	}
	return nil
}

// NewResponse checks a response by member (an email on the roster) to th.
func NewResponse(th *Thread, t *team.Team, member string, kind Kind, note string, now time.Time) (Response, error) {
	r := Response{ThreadID: th.ID, Kind: kind, Note: strings.TrimSpace(note), At: now.UTC().Truncate(time.Second)}
	m, ok := t.Member(member)
	if !ok {
		return r, rhythm.Errorf(rhythm.EFORBIDDEN, "%s is not on team %s's roster, so cannot answer its threads", member, t.Name)
	}
	r.Member = m.Email
	if err := rhythm.CheckText("note", note); err != nil {
		return r, err
	}
	if kind != Answer && kind != Ack {
		return r, invalid("kind", "%q is not one of answer, ack", kind)
	}
	if utf8.RuneCountInString(r.Note) > MaxNote {
		return r, invalid("note", "at most %d characters", MaxNote)
	}
	if th.State != Open {
		return r, rhythm.Errorf(rhythm.ECONFLICT, "thread %d is closed", th.ID)
	}
	return r, nil
}

// Responded reports whether the member (an email) has answered or
// acknowledged the thread.
func (th *Thread) Responded(email string) bool {
	for _, r := range th.Responses {
		if strings.EqualFold(r.Member, email) {
			return true
		}
	}
	return false
}

// Pending lists the participants who have not responded yet, in order.
func (th *Thread) Pending() []string {
	var out []string
	for _, p := range th.Participants {
		if !th.Responded(p) {
			out = append(out, p)
		}
	}
	return out
}

// Overdue reports whether the thread is open past its due-by.
func (th *Thread) Overdue(now time.Time) bool {
	return th.State == Open && now.After(th.DueBy)
}

// Debt is one thing a member owes on an open thread.
type Debt struct {
	Member string `json:"member"`
	// What is "respond" for a participant, "close" for the owner once
	// everyone responded or the due-by has passed.
	What    string    `json:"what"`
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue"`
}

// What members owe.
const (
	OweRespond = "respond"
	OweClose   = "close"
)

// Owed lists who owes what on the thread at now: each participant without
// a response owes one; the owner owes closing the loop (recording the
// outcome) once nobody else owes anything or the due-by has passed.
// A closed thread owes nothing.
func (th *Thread) Owed(now time.Time) []Debt {
	if th.State != Open {
		return nil
	}
	over := th.Overdue(now)
	var out []Debt
	pending := th.Pending()
	for _, p := range pending {
		out = append(out, Debt{Member: p, What: OweRespond, Due: th.DueBy, Overdue: over})
	}
	if len(pending) == 0 || over {
		out = append(out, Debt{Member: th.Owner, What: OweClose, Due: th.DueBy, Overdue: over})
	}
	return out
}

// Owes returns what the member (an email) owes on the thread, if anything.
func (th *Thread) Owes(email string, now time.Time) (Debt, bool) {
	for _, d := range th.Owed(now) {
		if strings.EqualFold(d.Member, email) {
			return d, true
		}
	}
	return Debt{}, false
}

// Involves reports whether the member (an email) owns or takes part in the
// thread.
func (th *Thread) Involves(email string) bool {
	if strings.EqualFold(th.Owner, email) {
		return true
	}
	for _, p := range th.Participants {
		if strings.EqualFold(p, email) {
			return true
		}
	}
	return false
}

// LocalDue is a due-by as one member reads it on their own clock.
type LocalDue struct {
	Member string `json:"member"`
	Zone   string `json:"zone"`
	Local  string `json:"local"` // e.g. "Tue 10 Mar 17:00"
	// Working is true when the instant lies inside the member's working
	// hours.
	Working bool `json:"working"`
}

// LocalDues returns the thread's due-by on the clock of its owner and each
// participant that is still on the roster.
func (th *Thread) LocalDues(t *team.Team) []LocalDue {
	var out []LocalDue
	for _, e := range append([]string{th.Owner}, th.Participants...) {
		m, ok := t.Member(e)
		if !ok {
			continue
		}
		out = append(out, LocalDue{Member: m.Email, Zone: m.Zone, Local: th.DueBy.In(m.Location()).Format("Mon 2 Jan 15:04"),
			Working: m.InWorkingHours(th.DueBy.Add(-time.Second))})
	}
	return out
}
