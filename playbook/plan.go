package playbook

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// Scheduler places a plan's live sessions.
type Scheduler interface {
	// Slot returns the start of the best time for a meeting of length d
	// with the members of t named in with (emails) that starts at or
	// after from and ends by to.
	Slot(t *team.Team, with []string, d time.Duration, from, to time.Time) (time.Time, error)
}

// Request asks for one run of a template.
type Request struct {
	Team *team.Team
	// Date is the day the run starts (for onboarding: the first day).
	Date team.Date
	// Topic names the run in titles ("{topic}"); empty means the team
	// and the date, "Platform, 9 Mar 2026".
	Topic string
	// Roles assigns people (email, name or alias) to roles. A role of one
	// person must be given; a role of several, when left out, is everyone
	// on the team who holds no one-person role.
	Roles map[string][]string
	// Now is the time of planning: every due-by and session must lie
	// after it.
	Now time.Time
	// Preview plans a run that is only shown (nothing is stored), so its
	// date may lie in the past.
	Preview bool
	// Scheduler places live sessions; nil is an error when the template
	// has any.
	Scheduler Scheduler
}

// Plan is one concrete run of a playbook.
type Plan struct {
	Playbook string              `json:"playbook"`
	Title    string              `json:"title"`
	Team     string              `json:"team"`
	Topic    string              `json:"topic"`
	Date     team.Date           `json:"date"`
	Roles    map[string][]string `json:"roles"` // role → emails
	Threads  []ThreadPlan        `json:"threads"`
	Sessions []SessionPlan       `json:"sessions"`
	// Decisions are the records to fill, each with its owner and due-by.
	Decisions []DecisionPlan `json:"decisions"`
	Warnings  []string       `json:"warnings,omitempty"`
}

// ThreadPlan is an async step: a thread with an owner, the people who
// respond, and due-by times inside each one's working hours.
type ThreadPlan struct {
	Step  string `json:"step"`
	Title string `json:"title"`
	Owner string `json:"owner"`
	// OwnerDue is when the owner's post is due, inside the owner's hours.
	OwnerDue     time.Time `json:"owner_due"`
	Participants []string  `json:"participants"`
	// Dues are each responder's due-by, inside their own working hours.
	Dues []PersonDue `json:"dues"`
	// DueBy is the thread's due-by: the last of the responders' dues.
	DueBy   time.Time     `json:"due_by"`
	Timebox team.Duration `json:"timebox,omitzero"`
	Output  string        `json:"output"`
	UID     string        `json:"uid"`
}

// PersonDue is one person's due-by.
type PersonDue struct {
	Member string    `json:"member"`
	Zone   string    `json:"zone"`
	At     time.Time `json:"at"`
	Local  string    `json:"local"` // e.g. "Tue 10 Mar 17:30"
}

// SessionPlan is a sync step: a live session placed by the Scheduler.
type SessionPlan struct {
	Step      string    `json:"step"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"`
	Attendees []string  `json:"attendees"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Output    string    `json:"output"`
	UID       string    `json:"uid"`
	// Agenda is the thread whose open questions the session settles, if any.
	Agenda string `json:"agenda,omitempty"`
}

// DecisionPlan is a decision record to fill.
type DecisionPlan struct {
	Step  string    `json:"step"`
	Title string    `json:"title"`
	Owner string    `json:"owner"`
	DueBy time.Time `json:"due_by"`
	// Thread and Meeting are the step ids (and the meeting's UID) the
	// decision comes from.
	Thread     string `json:"thread,omitempty"`
	Meeting    string `json:"meeting,omitempty"`
	MeetingUID string `json:"meeting_uid,omitempty"`
	Output     string `json:"output"`
	UID        string `json:"uid"`
	// Record is the log entry to fill: what and why are left for the owner.
	Record thread.NewDecision `json:"record"`
}

// horizon bounds the search for working time.
const horizon = 120 * 24 * time.Hour

func invalid(field, format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}

// Instantiate makes a plan of template tp for the request. Errors are
// EINVALID and name the field (roles.<role>, date, scheduler) except
// scheduling failures, which keep the Scheduler's code.
func Instantiate(tp Template, r Request) (*Plan, error) {
	if r.Team == nil || len(r.Team.Members) == 0 {
		return nil, invalid("team", "the team has no members")
	}
	if r.Date.IsZero() {
		return nil, invalid("date", "a start date is required (YYYY-MM-DD)")
	}
	topic := strings.TrimSpace(r.Topic)
	if topic == "" { // "Platform, 9 Mar 2026": the titles name the run, not the playbook again
		topic = r.Team.Name + ", " + r.Date.In(time.UTC).Format("2 Jan 2006")
	}
	if len(topic) > 200 {
		return nil, invalid("topic", "at most 200 characters")
	}
	p := &Plan{Playbook: tp.Name, Title: tp.Title, Team: r.Team.Name, Topic: topic, Date: r.Date, Roles: map[string][]string{},
		Threads: []ThreadPlan{}, Sessions: []SessionPlan{}, Decisions: []DecisionPlan{}}
	if err := assignRoles(tp, r, p.Roles); err != nil {
		return nil, err
	}
	member := func(email string) *team.Member { m, _ := r.Team.Member(email); return m }
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s", r.Team.Name, topic, r.Date)
	uid := func(step string) string { return fmt.Sprintf("%s.%s.%s.%x@rhythm", tp.Name, step, r.Date, h.Sum64()) }
	title := func(s string) string { return strings.ReplaceAll(s, "{topic}", topic) }

	ends := map[string]time.Time{}
	kinds := map[string]Step{}
	for _, s := range tp.Steps {
		owner := member(p.Roles[s.Owner][0])
		base := r.Date.In(owner.Location()).AddDate(0, 0, s.Day)
		for _, a := range s.After {
			if ends[a].After(base) {
				base = ends[a]
			}
		}
		switch s.Kind {
		case Async:
			start, err := nextWorking(owner, base)
			if err != nil {
				return nil, err
			}
			ownerDue, err := addWorking(owner, start, s.Prepare.D())
			if err != nil {
				return nil, err
			}
			th := ThreadPlan{Step: s.ID, Title: title(s.Title), Owner: owner.Email, OwnerDue: ownerDue, Timebox: s.Timebox, Output: s.Output,
				UID: uid(s.ID), Participants: []string{}, Dues: []PersonDue{}}
			for _, e := range roleMembers(p.Roles, s.With) {
				if strings.EqualFold(e, owner.Email) {
					continue
				}
				m := member(e)
				due, err := addWorking(m, ownerDue, s.Respond.D())
				if err != nil {
					return nil, err
				}
				th.Participants = append(th.Participants, m.Email)
				th.Dues = append(th.Dues, PersonDue{Member: m.Email, Zone: m.Zone, At: due, Local: due.In(m.Location()).Format("Mon 2 Jan 15:04")})
				if due.After(th.DueBy) {
					th.DueBy = due
				}
			}
			if len(th.Participants) == 0 {
				return nil, invalid("roles."+strings.Join(s.With, ","), "step %s needs someone besides its owner to respond", s.ID)
			}
			p.Threads = append(p.Threads, th)
			ends[s.ID] = th.DueBy
		case Sync:
			if r.Scheduler == nil {
				return nil, invalid("scheduler", "no scheduler to place live sessions")
			}
			with := roleMembers(p.Roles, s.With)
			to := base.Add(s.Window.D())
			start, err := r.Scheduler.Slot(r.Team, with, s.Timebox.D(), base, to)
			if err != nil {
				return nil, fmt.Errorf("step %s: %w", s.ID, err)
			}
			sp := SessionPlan{Step: s.ID, Title: title(s.Title), Owner: owner.Email, Attendees: with, Start: start.UTC(), End: start.Add(s.Timebox.D()).UTC(),
				Output: s.Output, UID: uid(s.ID)}
			if a, ok := nearest(s, kinds, Async); ok {
				sp.Agenda = a
			}
			p.Sessions = append(p.Sessions, sp)
			ends[s.ID] = sp.End
			if mm := r.Team.Norms.MeetingMax.D(); mm > 0 && s.Timebox.D() > mm {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: the %s session is longer than the team's meeting maximum of %s", s.ID, s.Timebox, r.Team.Norms.MeetingMax))
			}
			if len(with) > 8 {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: %d attendees; invite at most 8 and let the rest follow the written record", s.ID, len(with)))
			}
		case Decision:
			start, err := nextWorking(owner, base)
			if err != nil {
				return nil, err
			}
			due, err := addWorking(owner, start, s.Prepare.D())
			if err != nil {
				return nil, err
			}
			dp := DecisionPlan{Step: s.ID, Title: title(s.Title), Owner: owner.Email, DueBy: due, Output: s.Output, UID: uid(s.ID)}
			if a, ok := nearest(s, kinds, Async); ok {
				dp.Thread = a
			}
			if m, ok := nearest(s, kinds, Sync); ok {
				dp.Meeting, dp.MeetingUID = m, uid(m)
			}
			dp.Record = thread.NewDecision{Owner: owner.Email, Date: team.DateOf(due.In(owner.Location())).String(), Meeting: dp.MeetingUID}
			p.Decisions = append(p.Decisions, dp)
			ends[s.ID] = due
		}
		kinds[s.ID] = s
	}
	if first, ok := p.first(); ok && !r.Preview && !first.After(r.Now) {
		return nil, invalid("date", "%s puts the first due-by or session (%s) in the past; choose a later date", r.Date, first.UTC().Format(time.RFC3339))
	}
	return p, nil
}

// first returns the earliest due-by or session start of the plan.
func (p *Plan) first() (time.Time, bool) {
	var ts []time.Time
	for _, t := range p.Threads {
		ts = append(ts, t.OwnerDue)
		for _, d := range t.Dues {
			ts = append(ts, d.At)
		}
	}
	for _, s := range p.Sessions {
		ts = append(ts, s.Start)
	}
	for _, d := range p.Decisions {
		ts = append(ts, d.DueBy)
	}
	if len(ts) == 0 {
		return time.Time{}, false
	}
	return slices.MinFunc(ts, func(a, b time.Time) int { return a.Compare(b) }), true
}

// nearest returns the closest step of the kind that s follows, directly
// or through other steps, preferring the latest listed.
func nearest(s Step, done map[string]Step, kind string) (string, bool) {
	queue := slices.Clone(s.After)
	seen := map[string]bool{}
	for len(queue) > 0 {
		id := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		st := done[id]
		if st.Kind == kind {
			return id, true
		}
		queue = append(st.After, queue...)
	}
	return "", false
}

// assignRoles resolves the request's people to roles into out (role →
// emails).
func assignRoles(tp Template, r Request, out map[string][]string) error {
	known := map[string]Role{}
	for _, ro := range tp.Roles {
		known[ro.Name] = ro
	}
	names := make([]string, 0, len(r.Roles))
	for name := range r.Roles {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := known[name]; !ok {
			return invalid("roles", "playbook %s has no role %q (roles: %s)", tp.Name, name, roleNames(tp.Roles))
		}
	}
	taken := map[string]bool{}
	for _, ro := range tp.Roles {
		field := "roles." + ro.Name
		var emails []string
		for _, who := range r.Roles[ro.Name] {
			for w := range strings.SplitSeq(who, ",") {
				if w = strings.TrimSpace(w); w == "" {
					continue
				}
				m, err := r.Team.Resolve(w)
				if err != nil {
					return invalid(field, "%s", rhythm.ErrorMessage(err))
				}
				if !slices.Contains(emails, m.Email) {
					emails = append(emails, m.Email)
				}
			}
		}
		if ro.One {
			if len(emails) != 1 {
				return invalid(field, "name one person (%s), got %d", ro.Doc, len(emails))
			}
			taken[strings.ToLower(emails[0])] = true
		}
		out[ro.Name] = emails
	}
	for _, ro := range tp.Roles {
		if ro.One || len(out[ro.Name]) > 0 {
			continue
		}
		for _, m := range r.Team.Members {
			if !taken[strings.ToLower(m.Email)] {
				out[ro.Name] = append(out[ro.Name], m.Email)
			}
		}
		if len(out[ro.Name]) == 0 {
			return invalid("roles."+ro.Name, "nobody is left on the team for this role")
		}
	}
	return nil
}

// roleMembers lists the emails of the roles, in order, without repeats.
func roleMembers(roles map[string][]string, names []string) []string {
	var out []string
	for _, n := range names {
		for _, e := range roles[n] {
			if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, e) }) {
				out = append(out, e)
			}
		}
	}
	return out
}

// nextWorking returns the first instant at or after t inside m's working
// hours.
func nextWorking(m *team.Member, t time.Time) (time.Time, error) {
	ivs := m.WorkingIntervals(t, t.Add(horizon))
	if len(ivs) == 0 {
		return time.Time{}, invalid("roles", "%s has no working hours in the %d days from %s", m.Email, int(horizon.Hours()/24), t.UTC().Format(time.DateOnly))
	}
	return ivs[0].Start, nil
}

// addWorking returns the instant by which m has worked d from t: it lies
// inside a working stretch of m, or at its end.
func addWorking(m *team.Member, t time.Time, d time.Duration) (time.Time, error) {
	if d <= 0 {
		return nextWorking(m, t)
	}
	left := d
	for _, iv := range m.WorkingIntervals(t, t.Add(horizon)) {
		if iv.Duration() >= left {
			return iv.Start.Add(left), nil
		}
		left -= iv.Duration()
	}
	return time.Time{}, invalid("roles", "%s has less than %s of working hours in the %d days from %s", m.Email, team.Duration(d), int(horizon.Hours()/24), t.UTC().Format(time.DateOnly))
}

// NewThreads returns the plan's threads as input to store them.
func (p *Plan) NewThreads() []thread.NewThread {
	out := make([]thread.NewThread, len(p.Threads))
	for i, t := range p.Threads {
		out[i] = thread.NewThread{Title: t.Title, Owner: t.Owner, Participants: t.Participants, DueBy: t.DueBy.UTC().Format(time.RFC3339), Playbook: p.Playbook}
	}
	return out
}

// Heading is the plan's title with its topic, "Title — Topic".
func (p *Plan) Heading() string {
	if p.Topic == "" || p.Topic == p.Title {
		return p.Title
	}
	return p.Title + " — " + p.Topic
}

// WriteText writes the plan for people to read, with times in zone.
func (p *Plan) WriteText(w io.Writer, zone *time.Location) error {
	if zone == nil {
		zone = time.UTC
	}
	f := func(t time.Time) string { return t.In(zone).Format("Mon 2 Jan 15:04") }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nteam %s, starting %s; times in %s\n", p.Heading(), p.Team, p.Date, zone)
	for _, t := range p.Threads {
		fmt.Fprintf(&b, "\nthread  %s\n  owner %s posts by %s\n", t.Title, t.Owner, f(t.OwnerDue))
		for _, d := range t.Dues {
			fmt.Fprintf(&b, "  %s responds by %s (%s %s)\n", d.Member, f(d.At), d.Local, d.Zone)
		}
		fmt.Fprintf(&b, "  output: %s\n", t.Output)
	}
	for _, s := range p.Sessions {
		fmt.Fprintf(&b, "\nsession %s\n  %s–%s with %s\n  output: %s\n", s.Title, f(s.Start), s.End.In(zone).Format("15:04"), strings.Join(s.Attendees, ", "), s.Output)
	}
	for _, d := range p.Decisions {
		fmt.Fprintf(&b, "\nrecord  %s\n  owner %s by %s\n  output: %s\n", d.Title, d.Owner, f(d.DueBy), d.Output)
	}
	for _, wn := range p.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", wn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
