// Package decide chooses how one interaction should happen: async, sync or
// hybrid. It encodes a comparison matrix of the two modes on five criteria,
// rules per purpose of communication and a decision flowchart (start
// async across time zones; go live for ambiguity, relationships, stakes
// and urgency) as an embedded, documented policy (policy.yaml),
// tuned per team by its norms and by the team's own measured figures, and
// explains every answer with a rule trace. The package does no I/O.
package decide

import (
	"fmt"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// Mode is how an interaction happens. Modes are ordered async < hybrid < sync.
type Mode uint8

// The modes, in order from most asynchronous to most synchronous.
const (
	Async Mode = iota
	Hybrid
	Sync
)

var modeNames = [...]string{"async", "hybrid", "sync"}

// String returns "async", "hybrid" or "sync".
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + fmt.Sprint(uint8(m)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	*m = v
	return err
}

// ParseMode reads "async", "hybrid" or "sync".
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Mode(i), nil
		}
	}
	return Async, fmt.Errorf("%q is not one of async, hybrid, sync", s)
}

// Level is a low/medium/high rating of ambiguity, relationship intensity or
// emotional stakes. The zero Level means "not given": the purpose's default
// applies.
type Level uint8

// The levels.
const (
	Unset Level = iota
	Low
	Medium
	High
)

var levelNames = [...]string{"", "low", "medium", "high"}

// String returns "low", "medium", "high", or "" when unset.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return ""
}

func (l Level) value() float64 { return float64(l) - 1 }

// MarshalText implements encoding.TextMarshaler.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Level) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*l = Unset
		return nil
	}
	v, err := ParseLevel(string(b))
	*l = v
	return err
}

// ParseLevel reads "low", "medium" or "high" (also "lo", "med", "hi").
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low", "lo":
		return Low, nil
	case "medium", "med", "mid":
		return Medium, nil
	case "high", "hi":
		return High, nil
	}
	return Unset, fmt.Errorf("%q is not one of low, medium, high", s)
}

// Urgency words and the response times they stand for.
const (
	UrgencyNow   = 30 * time.Minute // "now", "minutes"
	UrgencyHours = 4 * time.Hour    // "hours"
	UrgencyDays  = 72 * time.Hour   // "days"
	UrgencyWeek  = 168 * time.Hour  // "week"
)

// ParseUrgency reads how soon a response is needed: "now", "hours", "days",
// "week", or a duration such as 45m, 1h or 3d.
func ParseUrgency(s string) (time.Duration, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "now", "minutes", "immediately":
		return UrgencyNow, nil
	case "hours", "today":
		return UrgencyHours, nil
	case "days":
		return UrgencyDays, nil
	case "week", "weeks":
		return UrgencyWeek, nil
	}
	d, err := team.ParseDuration(s)
	if err != nil || d > 366*24*time.Hour {
		return 0, fmt.Errorf("%q is not now, hours, days, week or a duration such as 1h or 3d", s)
	}
	return d, nil
}

// TeamFigures are a team's own measured communication figures. An audit
// fills them; when an Input carries them the engine uses them, and the
// trace says whether they were measured or stated. A zero field is unknown.
type TeamFigures struct {
	// Measured is true when the figures were computed from the team's data
	// (calendar, chat, mail), false when someone stated them.
	Measured bool `json:"measured"`
	// Weeks is the length of the measured period.
	Weeks int `json:"weeks,omitempty"`
	// MedianResponseWorkingHours is the median time to a first reply by
	// someone else, counted in the responder's working hours.
	MedianResponseWorkingHours float64 `json:"median_response_working_hours,omitempty"`
	// MedianResponseHours is the same median in wall-clock hours.
	MedianResponseHours float64 `json:"median_response_hours,omitempty"`
	// WithinWindowShare is the share (0..1) of first replies that arrive
	// within the team's response window.
	WithinWindowShare float64 `json:"within_window_share,omitempty"`
	// OverlapHours is the weekly working time the whole team shares.
	OverlapHours float64 `json:"overlap_hours,omitempty"`
	// SyncAsyncRatio is sync interactions per async interaction (count ratio).
	SyncAsyncRatio float64 `json:"sync_async_ratio,omitempty"`
	// MeetingHoursPerWeek is the median meeting hours per person-week.
	MeetingHoursPerWeek float64 `json:"meeting_hours_per_week,omitempty"`
	// AfterHoursShare is the share (0..1) of interactions outside the
	// participants' own working hours.
	AfterHoursShare float64 `json:"after_hours_share,omitempty"`
}

// Input describes one interaction. Every field is optional: a zero value
// takes the purpose's default from the policy, or is derived from
// Participants when they are given.
type Input struct {
	// Purpose is a purpose id or alias (see Policy.PurposeIDs); "" is general.
	Purpose string
	// Stakeholders is how many people take part; 0 means the number of
	// Participants, else the purpose's default.
	Stakeholders int
	// Zones is how many time zones they are in; 0 means derived from
	// Participants, else 1.
	Zones int
	// OverlapHours is the weekly working time all participants share; nil
	// means derived from Participants or the team figures, else unknown.
	OverlapHours *float64
	// Ambiguity of the subject, relationship intensity of the moment and
	// emotional stakes for the people involved.
	Ambiguity, Relationship, Stakes Level
	// Urgency is how soon a response is needed.
	Urgency time.Duration
	// Record says whether a decision record is needed; nil is the purpose's default.
	Record *bool
	// Functions is how many functions or teams are involved; 0 means 1.
	Functions int
	// Owner is who owns the thread or meeting, for the owner tag.
	Owner string
	// ResponseWindow and MeetingMax are the team's norms; 0 means the
	// defaults of package team.
	ResponseWindow, MeetingMax time.Duration
	// Participants are the roster members taking part. With them the engine
	// derives zones and overlap and sets per-person due-by times.
	Participants []team.Member
	// Now is the time the advice is for (due-by times, reference week).
	Now time.Time
	// Team holds the team's own figures, or nil.
	Team *TeamFigures
}

// Decision is the engine's answer for one interaction.
type Decision struct {
	Mode Mode `json:"mode"`
	// Playbook is the hybrid pattern to follow; nil unless Mode is Hybrid.
	Playbook *Playbook `json:"playbook,omitempty"`
	// Confidence runs 0..1.
	Confidence float64 `json:"confidence"`
	// Summary is one sentence: the mode and the main reason.
	Summary string `json:"summary"`
	// Lean is the sum of the matrix and rule leans: negative toward async,
	// positive toward sync.
	Lean float64 `json:"lean"`
	// Facts are the inputs as used, with defaults and derived values filled.
	Facts  Facts  `json:"facts"`
	Matrix Matrix `json:"matrix"`
	// Trace lists, in order, every step that shaped the answer.
	Trace  []Step `json:"trace"`
	Advice Advice `json:"advice"`
}

// Playbook is one of the policy's hybrid patterns: async work around a short live part.
type Playbook struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Steps []string `json:"steps"`
	// Timebox is the live part's length when the playbook fixes it.
	Timebox team.Duration `json:"timebox,omitzero"`
}

// Facts are the inputs the engine used.
type Facts struct {
	Purpose      string        `json:"purpose"`
	PurposeName  string        `json:"purpose_name"`
	Stakeholders int           `json:"stakeholders"`
	Zones        int           `json:"zones"`
	OverlapHours *float64      `json:"overlap_hours,omitempty"`
	Ambiguity    Level         `json:"ambiguity"`
	Urgency      team.Duration `json:"urgency"`
	Relationship Level         `json:"relationship"`
	Stakes       Level         `json:"stakes"`
	Record       bool          `json:"record"`
	Functions    int           `json:"functions"`
	Response     team.Duration `json:"response_window"`
	Participants []string      `json:"participants,omitempty"`
	Team         *TeamFigures  `json:"team_figures,omitempty"`
	Defaulted    []string      `json:"defaulted,omitempty"` // facts that took a default
	Derived      []string      `json:"derived,omitempty"`   // facts derived from the roster or team figures
}

// Matrix is the policy's comparison matrix scored for this interaction.
type Matrix struct {
	Criteria []Criterion `json:"criteria"`
	// Async and Sync are the weighted totals, sum(weight * score).
	Async float64 `json:"async"`
	Sync  float64 `json:"sync"`
}

// Averages are the weighted totals divided by the sum of the weights: the
// weighted averages on the criteria's 0-5 scale. ok is false when the
// weights sum to zero.
func (m Matrix) Averages() (async, sync float64, ok bool) {
	var sum float64
	for _, c := range m.Criteria {
		sum += c.Weight
	}
	if sum <= 0 {
		return 0, 0, false
	}
	return m.Async / sum, m.Sync / sum, true
}

// Criterion is one row of the matrix.
type Criterion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Weight is the purpose's weight, adjusted for the interaction.
	Weight float64 `json:"weight"`
	// Async and Sync are the scores (0..5, higher is better) in context.
	Async     float64 `json:"async"`
	Sync      float64 `json:"sync"`
	AsyncNote string  `json:"async_note"`
	SyncNote  string  `json:"sync_note"`
}

// Step is one entry of the trace.
type Step struct {
	// Rule is the rule id, or "matrix", "roster", "team-figures" or "result".
	Rule string `json:"rule"`
	// Says is the reason in plain words.
	Says string `json:"says"`
	// Fact names the facts that fired the rule, with their values.
	Fact string `json:"fact,omitempty"`
	// Effect is what the step did: "lean -3", "at least hybrid", ...
	Effect string `json:"effect,omitempty"`
}

// Advice is how to run the interaction in the chosen mode.
type Advice struct {
	// Format says how to hold it.
	Format string `json:"format"`
	// Timebox is the length of the live part, if any.
	Timebox team.Duration `json:"timebox,omitzero"`
	// AttendeeCap is the most people to invite to the live part, if any.
	AttendeeCap int `json:"attendee_cap,omitempty"`
	// ResponseWindow is how long async messages may wait for a reply.
	ResponseWindow team.Duration `json:"response_window"`
	// Owner is the owner tag advice.
	Owner string `json:"owner"`
	// Record says where the outcome gets recorded.
	Record string `json:"record"`
	// DueFor says what DueBy is for: "pre-read" (hybrid) or "reply" (async).
	DueFor string `json:"due_for,omitempty"`
	// Due is the overall deadline (Now + response window), when Now is known.
	Due *time.Time `json:"due,omitempty"`
	// DueBy is a per-participant deadline inside each one's working hours.
	DueBy []Due `json:"due_by,omitempty"`
	// Notes are further remarks.
	Notes []string `json:"notes,omitempty"`
}

// Due is one participant's deadline. At lies inside the participant's
// working time or is the end of one of their working stretches.
type Due struct {
	Name  string    `json:"name"`
	Zone  string    `json:"zone"`
	At    time.Time `json:"at"`
	Local string    `json:"local"` // e.g. "Tue 6 Jan 17:30 Europe/Lisbon"
	// Late is true when the participant has no working time before the
	// overall deadline; At is then the end of their next working stretch.
	Late bool `json:"late,omitempty"`
}
