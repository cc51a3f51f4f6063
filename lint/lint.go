// Package lint checks meetings — planned, or read from a calendar —
// against a meeting checklist and common pitfalls: a stated
// purpose and agenda, an async pre-read shared in time, few attendees, a
// timebox within the team's norm, an end date for recurring meetings, a
// decision owner, everyone inside their working hours, the no-meeting day
// kept free, and no meeting where async would do. The package does no I/O.
package lint

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// Severity says how bad a finding is. Errors break the team's own norms or
// the checklist's must-haves; `rhythm lint` exits 1 when it finds any.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Meeting is what the rules look at: one event or recurring series.
type Meeting struct {
	// UID identifies the event (its calendar UID, or a name for a planned
	// meeting); Line is where it starts in its file, 0 when not from one.
	UID   string
	Title string
	Line  int
	// Start and End are the first instance's.
	Start, End time.Time
	// Instances are the starts of the instances checked (for a single
	// meeting, Start); every instance lasts End - Start.
	Instances []time.Time
	Organizer string
	// Attendees are the people invited who have not declined (emails);
	// rooms and resources are not people.
	Attendees []string
	// Description is the invite's text: where a purpose and agenda, a
	// pre-read link or a decision owner may be written.
	Description string
	// Purpose states the purpose outright (a planned meeting's field, or
	// X-RHYTHM-PURPOSE).
	Purpose string
	// PreRead is a link or attachment shared ahead; PreReadAt when it was
	// shared, zero when unknown.
	PreRead   string
	PreReadAt time.Time
	// Recurring is true for a series; HasEnd when it has UNTIL or COUNT.
	Recurring bool
	HasEnd    bool
	// DecisionOwner names who decides, if anyone is named.
	DecisionOwner string
}

// Duration returns the length of one instance.
func (m *Meeting) Duration() time.Duration { return m.End.Sub(m.Start) }

// Finding is one problem with one meeting.
type Finding struct {
	Event    string    `json:"event"`
	Title    string    `json:"title"`
	Line     int       `json:"line,omitempty"`
	Start    time.Time `json:"start"`
	Rule     string    `json:"rule"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"`
	Fix      string    `json:"fix"`
}

// Advice is what the decision engine says about holding a meeting.
type Advice struct {
	// Mode is "async", "hybrid" or "sync".
	Mode string
	// Reason is the engine's one-line summary.
	Reason string
}

// Advisor asks the decision engine how the meeting should happen.
type Advisor interface {
	Advise(m *Meeting, t *team.Team) (Advice, error)
}

// Options configure a check.
type Options struct {
	Team *team.Team
	// MaxAttendees is the largest meeting without a finding (default 8).
	MaxAttendees int
	// PreReadLead is how long before the meeting a pre-read must be
	// shared (default: the team's response window).
	PreReadLead time.Duration
	// Advisor, when set, runs the could-be-async rule.
	Advisor Advisor
	// Disable lists rule ids not to run.
	Disable []string
	// Zone is the clock findings give times on (default UTC); each time
	// names it.
	Zone *time.Location
}

// Rule is one item of the checklist.
type Rule struct {
	ID       string
	Severity Severity
	Doc      string
	Fix      string
	check    func(c *checker, m *Meeting) (msg string, fired bool)
}

// Rules returns the checklist's rules in the order they are reported.
func Rules() []Rule { return slices.Clone(rules) }

var rules = []Rule{
	{ID: "no-purpose", Severity: Error, Doc: "the invite states no purpose or agenda",
		Fix:   "write the purpose and a short agenda in the invite; if there is none, cancel and post the topic in writing instead",
		check: (*checker).noPurpose},
	{ID: "no-pre-read", Severity: Warning, Doc: "no async pre-read was shared in time (meetings of three or more)",
		Fix:   "share a written pre-read with the questions to settle one response window ahead, so the live part only decides",
		check: (*checker).noPreRead},
	{ID: "too-many-attendees", Severity: Warning, Doc: "more than 8 attendees",
		Fix:   "invite only who must decide or contribute (at most 8); share the written record with everyone else",
		check: (*checker).tooManyAttendees},
	{ID: "too-long", Severity: Error, Doc: "longer than the team's meeting maximum",
		Fix:   "timebox it to the team's maximum; move status items to a written update before it",
		check: (*checker).tooLong},
	{ID: "recurring-no-end", Severity: Warning, Doc: "a recurring meeting without an end date",
		Fix:   "give the series an end date (e.g. after one quarter) and review then whether it still earns its time",
		check: (*checker).recurringNoEnd},
	{ID: "no-decision-owner", Severity: Warning, Doc: "no decision owner named (meetings of three or more)",
		Fix:   "name one decision owner in the invite (\"Decision owner: name\") who decides and records the outcome",
		check: (*checker).noDecisionOwner},
	{ID: "outside-hours", Severity: Error, Doc: "outside some attendee's working hours",
		Fix:   "move it into everyone's working hours, rotate the inconvenient time, or hold the part that concerns them async",
		check: (*checker).outsideHours},
	{ID: "no-meeting-day", Severity: Error, Doc: "on the team's no-meeting day",
		Fix:   "move it off the no-meeting day, or hold it async",
		check: (*checker).noMeetingDay},
	{ID: "could-be-async", Severity: Warning, Doc: "the decision engine says this could be async",
		Fix:   "replace it with a written thread with an owner and a due-by; keep a short live part only if the thread cannot settle it",
		check: (*checker).couldBeAsync},
}

type checker struct {
	opts    Options
	members map[string]*team.Member // lower-case email → member
}

// Check runs the rules on every meeting and returns the findings, by
// meeting (in the order given), then rule.
func Check(meetings []Meeting, opts Options) []Finding {
	if opts.MaxAttendees <= 0 {
		opts.MaxAttendees = 8
	}
	c := &checker{opts: opts, members: map[string]*team.Member{}}
	if opts.Team != nil {
		if opts.PreReadLead <= 0 {
			opts.PreReadLead = opts.Team.Norms.ResponseWindow.D()
		}
		for i := range opts.Team.Members {
			m := &opts.Team.Members[i]
			c.members[strings.ToLower(m.Email)] = m
			for _, a := range m.Aliases {
				c.members[strings.ToLower(a)] = m
			}
		}
	}
	if opts.PreReadLead <= 0 {
		opts.PreReadLead = team.DefaultResponseWindow
	}
	c.opts = opts
	var out []Finding
	for i := range meetings {
		m := &meetings[i]
		for _, r := range rules {
			if slices.Contains(opts.Disable, r.ID) {
				continue
			}
			if msg, fired := r.check(c, m); fired {
				out = append(out, Finding{Event: m.UID, Title: m.Title, Line: m.Line, Start: m.Start, Rule: r.ID, Severity: r.Severity, Message: msg, Fix: r.Fix})
			}
		}
	}
	return out
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// boilerplate matches the lines of an invite that state nothing about the
// meeting: conference links, dial-in details, separators.
var (
	urlRE       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`) })
	boilerplate = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^\W*(join|meeting id|passcode|password|pin|dial|phone|one tap|zoom|google meet|microsoft teams|teams meeting|webex|click here|learn more|help|\+?\d[\d\s().-]{6,})`)
	})
)

// substance returns the description without links and conferencing
// boilerplate.
func substance(desc string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(desc, "\n") {
		line = strings.TrimSpace(urlRE().ReplaceAllString(line, ""))
		if line == "" || boilerplate().MatchString(line) || strings.Trim(line, "-_=*~ ") == "" {
			continue
		}
		b.WriteString(line)
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}

// minPurpose is the least text that counts as a stated purpose.
const minPurpose = 12

func (c *checker) noPurpose(m *Meeting) (string, bool) {
	if len(strings.TrimSpace(m.Purpose)) >= minPurpose || len(substance(m.Description)) >= minPurpose {
		return "", false
	}
	if strings.TrimSpace(m.Description) == "" {
		return "the invite has no description: no purpose, no agenda", true
	}
	return "the description holds only links or dial-in details, no purpose or agenda", true
}

// people returns the attendees that are people, with the organizer.
func (c *checker) people(m *Meeting) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range append([]string{m.Organizer}, m.Attendees...) {
		k := strings.ToLower(strings.TrimSpace(e))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}

// docLink finds a link in the description that is not a conference link.
var confHost = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|webex\.com|whereby\.com|gotomeeting\.com|meet\.jit\.si|chime\.aws)`)
})

func docLink(desc string) string {
	for _, u := range urlRE().FindAllString(desc, -1) {
		if !confHost().MatchString(u) {
			return u
		}
	}
	return ""
}

func (c *checker) noPreRead(m *Meeting) (string, bool) {
	if len(c.people(m)) < 3 {
		return "", false
	}
	link := m.PreRead
	if link == "" {
		link = docLink(m.Description)
	}
	if link == "" {
		return "no pre-read is linked or attached for the attendees to read ahead", true
	}
	if m.PreReadAt.IsZero() {
		return "", false
	}
	if lead := m.Start.Sub(m.PreReadAt); lead < c.opts.PreReadLead {
		if lead <= 0 {
			return fmt.Sprintf("the pre-read was shared %s after the meeting started; share it %s ahead", team.Duration(-lead.Round(time.Minute)), team.Duration(c.opts.PreReadLead)), true
		}
		return fmt.Sprintf("the pre-read was shared only %s ahead; share it %s ahead", team.Duration(lead.Round(time.Minute)), team.Duration(c.opts.PreReadLead)), true
	}
	return "", false
}

func (c *checker) tooManyAttendees(m *Meeting) (string, bool) {
	if n := len(c.people(m)); n > c.opts.MaxAttendees {
		return fmt.Sprintf("%d attendees; more than %d turns a meeting into an audience", n, c.opts.MaxAttendees), true
	}
	return "", false
}

func (c *checker) tooLong(m *Meeting) (string, bool) {
	if c.opts.Team == nil {
		return "", false
	}
	mm := c.opts.Team.Norms.MeetingMax.D()
	if d := m.Duration(); mm > 0 && d > mm {
		return fmt.Sprintf("%s long; the team's meeting maximum is %s", team.Duration(d), c.opts.Team.Norms.MeetingMax), true
	}
	return "", false
}

func (c *checker) recurringNoEnd(m *Meeting) (string, bool) {
	if m.Recurring && !m.HasEnd {
		return "the series repeats with no end date or count", true
	}
	return "", false
}

var ownerRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?im)^\W*(decision owner|decider|decides|dri|owner)\s*[:=-]\s*\S+`)
})

func (c *checker) noDecisionOwner(m *Meeting) (string, bool) {
	if len(c.people(m)) < 3 || strings.TrimSpace(m.DecisionOwner) != "" || ownerRE().MatchString(m.Description) {
		return "", false
	}
	return "no one is named to decide and record the outcome", true
}

// instances returns the instance starts, or the first start.
func (m *Meeting) instances() []time.Time {
	if len(m.Instances) > 0 {
		return m.Instances
	}
	return []time.Time{m.Start}
}

// affected describes which instances a rule hit, for the message, with
// times on the clock of Options.Zone.
func (c *checker) affected(hit, total int, first time.Time) string {
	loc := c.opts.Zone
	if loc == nil {
		loc = time.UTC
	}
	at := first.In(loc).Format("2006-01-02 15:04 ") + loc.String()
	if total == 1 {
		return at
	}
	return fmt.Sprintf("%d of %d instances, first %s", hit, total, at)
}

func (c *checker) outsideHours(m *Meeting) (string, bool) {
	if len(c.members) == 0 {
		return "", false
	}
	d := m.Duration()
	who := map[string]int{}
	hit := 0
	var first time.Time
	insts := m.instances()
	ps := c.people(m)
	for _, at := range insts {
		bad := false
		for _, e := range ps {
			mb, ok := c.members[e]
			if !ok {
				continue // not on the roster: hours unknown
			}
			if !mb.InWorkingHours(at) || (d > time.Minute && !mb.InWorkingHours(at.Add(d-time.Minute))) {
				who[mb.Name]++
				bad = true
			}
		}
		if bad {
			if hit == 0 {
				first = at
			}
			hit++
		}
	}
	if hit == 0 {
		return "", false
	}
	names := make([]string, 0, len(who))
	for n := range who {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("and %d more", len(who)-5))
	}
	return fmt.Sprintf("outside the working hours of %s (%s)", strings.Join(names, ", "), c.affected(hit, len(insts), first)), true
}

func (c *checker) noMeetingDay(m *Meeting) (string, bool) {
	if c.opts.Team == nil || c.opts.Team.Norms.NoMeetingDay == team.NoDay {
		return "", false
	}
	day := c.opts.Team.Norms.NoMeetingDay
	var locs []*time.Location
	seen := map[string]bool{}
	for _, e := range c.people(m) {
		if mb, ok := c.members[e]; ok && !seen[mb.Zone] {
			seen[mb.Zone] = true
			locs = append(locs, mb.Location())
		}
	}
	if len(locs) == 0 {
		locs = []*time.Location{time.UTC}
	}
	insts := m.instances()
	hit := 0
	var first time.Time
	for _, at := range insts {
		for _, loc := range locs {
			if day.Is(at.In(loc).Weekday()) || day.Is(at.Add(m.Duration()-time.Minute).In(loc).Weekday()) {
				if hit == 0 {
					first = at
				}
				hit++
				break
			}
		}
	}
	if hit == 0 {
		return "", false
	}
	return fmt.Sprintf("on %s, the team's no-meeting day, for some attendee (%s)", day, c.affected(hit, len(insts), first)), true
}

func (c *checker) couldBeAsync(m *Meeting) (string, bool) {
	if c.opts.Advisor == nil {
		return "", false
	}
	a, err := c.opts.Advisor.Advise(m, c.opts.Team)
	if err != nil || a.Mode != "async" {
		return "", false
	}
	reason := strings.TrimSpace(a.Reason)
	if r, ok := strings.CutPrefix(reason, "async:"); ok {
		reason = strings.TrimSpace(r)
	}
	return "the decision engine recommends async: " + reason, true
}
