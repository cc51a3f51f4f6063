// Package ical reads, expands and writes iCalendar (RFC 5545) calendars.
//
// Parse reads a calendar from a stream, tolerating the quirks of real
// exports (Google, Outlook/Exchange, Apple, Fastmail, Nextcloud) and
// reporting bad events as warnings with their line. Calendar.Expand lists
// the instances of all events that overlap a window, expanding recurrence
// rules in the wall clock time of each event's zone and applying EXDATE,
// RDATE, RECURRENCE-ID overrides (also RANGE=THISANDFUTURE) and
// cancellations. Write produces a calendar with the VTIMEZONE blocks its
// events use.
package ical

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is the STATUS of an event.
type Status string

// Event statuses.
const (
	StatusNone      Status = ""
	StatusTentative Status = "TENTATIVE"
	StatusConfirmed Status = "CONFIRMED"
	StatusCancelled Status = "CANCELLED"
)

// PartStat is an attendee's participation status (PARTSTAT).
type PartStat string

// Participation statuses of RFC 5545 for events.
const (
	PartNeedsAction PartStat = "NEEDS-ACTION"
	PartAccepted    PartStat = "ACCEPTED"
	PartDeclined    PartStat = "DECLINED"
	PartTentative   PartStat = "TENTATIVE"
	PartDelegated   PartStat = "DELEGATED"
)

// Role is an attendee's ROLE.
type Role string

// Attendee roles.
const (
	RoleChair          Role = "CHAIR"
	RoleRequired       Role = "REQ-PARTICIPANT"
	RoleOptional       Role = "OPT-PARTICIPANT"
	RoleNonParticipant Role = "NON-PARTICIPANT"
)

// CUType is an attendee's calendar user type (CUTYPE).
type CUType string

// Calendar user types.
const (
	CUIndividual CUType = "INDIVIDUAL"
	CUGroup      CUType = "GROUP"
	CUResource   CUType = "RESOURCE"
	CURoom       CUType = "ROOM"
	CUUnknown    CUType = "UNKNOWN"
)

// Attendee is an ATTENDEE or ORGANIZER. Parsed values carry the RFC
// defaults when the file gives none (NEEDS-ACTION, REQ-PARTICIPANT,
// INDIVIDUAL).
type Attendee struct {
	Email    string // lower-case address without "mailto:" (or the URI as written)
	Name     string // CN
	PartStat PartStat
	Role     Role
	CUType   CUType
}

// IsPerson reports whether the attendee is an individual: rooms,
// resources, groups and unknown user types are not people.
func (a Attendee) IsPerson() bool {
	return a.CUType == CUIndividual || a.CUType == ""
}

// IsZero reports whether a is empty (e.g. an absent ORGANIZER).
func (a Attendee) IsZero() bool { return a == Attendee{} }

// Event is a VEVENT: a single event, the master of a recurring series, or
// an override of one instance (RecurrenceID set).
type Event struct {
	UID           string
	Summary       string // for display only; rhythm never stores it
	Start         DateTime
	End           DateTime  // zero when absent
	Duration      *Duration // DURATION, when given instead of End
	Rules         []*Recur  // RRULE (more than one is deprecated but read)
	ExRules       []*Recur  // EXRULE (deprecated but read)
	RDates        []Period
	ExDates       []DateTime
	RecurrenceID  DateTime // set on overrides
	ThisAndFuture bool     // RECURRENCE-ID;RANGE=THISANDFUTURE
	Status        Status
	Transparent   bool      // TRANSP:TRANSPARENT (or Outlook's busy status FREE)
	Organizer     *Attendee // nil when absent
	Attendees     []Attendee
	Sequence      int
	Line          int // line of BEGIN:VEVENT; 0 for events not read from a file
}

// IsRecurring reports whether e defines a series (RRULE or RDATE).
func (e *Event) IsRecurring() bool { return len(e.Rules) > 0 || len(e.RDates) > 0 }

// Calendar is a parsed VCALENDAR.
type Calendar struct {
	Events []*Event
	// Zone reads floating times and all-day dates, and replaces unknown
	// zones: the calendar's X-WR-TIMEZONE, else Options.DefaultZone, else UTC.
	Zone *time.Location
	// ZoneFromCalendar reports whether Zone came from X-WR-TIMEZONE.
	ZoneFromCalendar bool
	Name             string // X-WR-CALNAME
	ProdID           string
	Method           string

	input string // Options.Name, for messages
}

// Instance is one occurrence of an event in a window.
type Instance struct {
	UID string
	// RecurrenceID is the instance's original start: where the rule put it
	// before any override moved it. For single events it equals Start.
	RecurrenceID time.Time
	// Start and End are instants. For all-day instances they are midnights
	// in the calendar's zone and only their dates matter (End exclusive).
	Start, End time.Time
	AllDay     bool
	// RecurrenceIDAllDay reports whether the original start is a date
	// (the series is all-day), whatever the instance became: it is then a
	// midnight in the calendar's zone.
	RecurrenceIDAllDay bool
	Summary            string
	Organizer          *Attendee  // shared with the Event; nil when absent
	Attendees          []Attendee // shared with the Event: do not modify
	Status             Status
	Transparent        bool
	Recurring          bool // part of a series (or an override of one)
	Line               int  // line of the VEVENT the instance comes from
}

// Options controls Parse.
type Options struct {
	// Name names the input in errors and warnings, e.g. "cal.ics".
	Name string
	// DefaultZone reads floating times and replaces unknown zones when the
	// calendar has no X-WR-TIMEZONE. Nil means UTC.
	DefaultZone *time.Location
}

// Warning reports a problem that did not stop reading, e.g. a skipped
// event or an unknown zone.
type Warning struct {
	Name string // input name from Options
	Line int
	UID  string // event concerned, if any
	Msg  string
	// Content is the skipped content line a warning quotes, clipped. It
	// may hold an event's title or description: Redacted leaves it out.
	Content string
	// Skipped is set when the event concerned was left out; other
	// warnings (an unknown zone, a line skipped) left nothing out.
	Skipped bool
}

// Redacted is the warning without the content line it quotes, for
// whatever is stored or shown to others: it names the place, never an
// event's text.
func (w Warning) Redacted() Warning {
	w.Content = ""
	return w
}

// String formats the warning as "name:line: event "uid": msg" and, when
// it quotes a content line, ` ("content")`.
func (w Warning) String() string {
	var b strings.Builder
	if w.Name != "" {
		b.WriteString(w.Name)
		b.WriteByte(':')
	}
	if w.Line > 0 {
		fmt.Fprintf(&b, "%d:", w.Line)
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if w.UID != "" {
		fmt.Fprintf(&b, "event %q: ", w.UID)
	}
	b.WriteString(w.Msg)
	if w.Content != "" {
		fmt.Fprintf(&b, " (%q)", w.Content)
	}
	return b.String()
}

// ErrNotCalendar is matched (errors.Is) by the error Parse returns when the
// input is not iCalendar at all.
var ErrNotCalendar = errors.New("not an iCalendar file")

// Error is a parse or expansion error that names its place.
type Error struct {
	Name string // input name
	Line int    // 0 when unknown
	UID  string // event concerned, if any
	Err  error
}

func (e *Error) Error() string {
	w := Warning{Name: e.Name, Line: e.Line, UID: e.UID, Msg: e.Err.Error()}
	return w.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
