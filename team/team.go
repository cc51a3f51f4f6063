// Package team holds teams, their members (zones, working hours, aliases) and
// norms, and reads and writes the roster file.
package team

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
)

// Default values for a roster entry or norms that leave a field out.
const (
	DefaultMinGroupSize   = 5
	MinimumMinGroupSize   = 3
	DefaultResponseWindow = 24 * time.Hour
	DefaultMeetingMax     = 45 * time.Minute
)

// Team is a group of people with shared norms.
type Team struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name"`
	Norms Norms  `json:"norms"`
	// Slack links the team to a Slack workspace and channels; nil when
	// the team has no Slack app link.
	Slack   *SlackLink `json:"slack,omitempty"`
	Members []Member   `json:"members"`
}

// Norms are a team's agreements about communication.
type Norms struct {
	// ResponseWindow is how long an async message may wait for a first reply.
	ResponseWindow Duration `json:"response_window"`
	// MeetingMax is the longest a meeting should run.
	MeetingMax Duration `json:"meeting_max"`
	// NoMeetingDay is a weekday kept free of meetings; NoDay when unset.
	NoMeetingDay Weekday `json:"no_meeting_day,omitempty"`
	// MinGroupSize is the smallest group a report may show figures for.
	MinGroupSize int `json:"min_group_size"`
	// Decide overrides weights and thresholds of the decision policy by name.
	Decide map[string]float64 `json:"decide,omitempty"`
}

// DefaultNorms returns the norms a team has when its roster sets none.
func DefaultNorms() Norms {
	return Norms{
		ResponseWindow: Duration(DefaultResponseWindow),
		MeetingMax:     Duration(DefaultMeetingMax),
		NoMeetingDay:   NoDay,
		MinGroupSize:   DefaultMinGroupSize,
	}
}

// Member is a person on a team's roster.
type Member struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// Zone is an IANA time zone name, e.g. "Europe/Lisbon".
	Zone  string `json:"zone"`
	Hours Hours  `json:"hours"`
	Days  Days   `json:"days"`
	// Aliases are other identities of the member in imported data, such as
	// chat user IDs or secondary addresses.
	Aliases  []string `json:"aliases,omitempty"`
	Start    Date     `json:"start,omitzero"`
	Leave    Date     `json:"leave,omitzero"`
	Holidays []Date   `json:"holidays,omitempty"`
	// HolidayRegion is the country or region whose public holidays are
	// the member's days off, e.g. "DE-BE"; "" for none.
	HolidayRegion string `json:"holiday_region,omitempty"`
}

// Location returns the member's time zone. Members are validated before
// they are stored, so the zone is known; an unknown zone yields UTC.
func (m *Member) Location() *time.Location {
	loc, err := LoadZone(m.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Member returns the member with the given email (case-insensitive) or
// matching alias, and whether one was found.
func (t *Team) Member(id string) (*Member, bool) {
	id = strings.TrimSpace(id)
	for i := range t.Members {
		m := &t.Members[i]
		if strings.EqualFold(m.Email, id) || strings.EqualFold(m.Name, id) {
			return m, true
		}
		for _, a := range m.Aliases {
			if strings.EqualFold(a, id) {
				return m, true
			}
		}
	}
	return nil, false
}

var zones sync.Map // name → *time.Location

// CheckName returns why name cannot be a team's name, or nil. Names are
// not all digits: API paths take a team's id or its name, and a name like
// "2" would stand for the team whose id is 2.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("a team name is required")
	case len(name) > 100:
		return errors.New("a team name has at most 100 characters")
	case strings.Trim(name, "0123456789") == "":
		return fmt.Errorf("a team name cannot be all digits (%q): API paths read digits as a team id", name)
	case rhythm.CheckText("team", name) != nil:
		return errors.New("a team name cannot hold a NUL byte")
	}
	return nil
}

// LoadZone returns the IANA time zone with the given name. It rejects empty
// names, "Local" and unknown zones with an EINVALID error.
func LoadZone(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, rhythm.Errorf(rhythm.EINVALID, "time zone must be an IANA name such as Europe/Lisbon")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || strings.ContainsAny(name, " \t") {
		return nil, rhythm.Errorf(rhythm.EINVALID, "unknown time zone %q", name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// Duration is a time.Duration written as "24h", "45m" or "1h30m".
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats d without trailing zero units ("24h", "45m", "1h30m").
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a positive duration such as "24h", "45m" or "2d".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n && days > 0 && days <= 366 {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 24h or 45m", s)
	}
	return v, nil
}

// Weekday is a day of the week, or NoDay.
type Weekday int

// NoDay means no weekday is set.
const NoDay Weekday = -1

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseWeekday reads "mon", "Monday", "WED"…; "" and "none" give NoDay.
func ParseWeekday(s string) (Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "none" {
		return NoDay, nil
	}
	for i, n := range dayNames {
		full := strings.ToLower(time.Weekday(i).String())
		if s == n || s == full {
			return Weekday(i), nil
		}
	}
	return NoDay, fmt.Errorf("%q is not a weekday (mon, tue, wed, thu, fri, sat, sun)", s)
}

// Is reports whether w is the given day.
func (w Weekday) Is(d time.Weekday) bool { return w != NoDay && time.Weekday(w) == d }

// String returns the lower-case long name ("wednesday"), or "" for NoDay.
func (w Weekday) String() string {
	if w < 0 || w > 6 {
		return ""
	}
	return strings.ToLower(time.Weekday(w).String())
}

// MarshalText implements encoding.TextMarshaler.
func (w Weekday) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (w *Weekday) UnmarshalText(b []byte) error {
	v, err := ParseWeekday(string(b))
	*w = v
	return err
}

// IsZero reports whether no day is set, for omitzero.
func (w Weekday) IsZero() bool { return w == NoDay }

// Days is a set of weekdays, bit i for time.Weekday(i).
type Days uint8

// WeekdaysMonFri is the default working week.
const WeekdaysMonFri Days = 0b0111110

// Has reports whether d contains the weekday.
func (d Days) Has(w time.Weekday) bool { return d&(1<<uint(w)) != 0 }

// ParseDays reads "mon-fri", "sun-thu", "mon,wed,fri" or "mon-wed,fri".
func ParseDays(s string) (Days, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("days must not be empty; use e.g. mon-fri")
	}
	var d Days
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		from, to, isRange := strings.Cut(part, "-")
		a, err := ParseWeekday(from)
		if err != nil || a == NoDay {
			return 0, fmt.Errorf("%q is not a day list such as mon-fri or mon,wed,fri", s)
		}
		b := a
		if isRange {
			if b, err = ParseWeekday(to); err != nil || b == NoDay {
				return 0, fmt.Errorf("%q is not a day list such as mon-fri or mon,wed,fri", s)
			}
		}
		for i := int(a); ; i = (i + 1) % 7 {
			d |= 1 << uint(i)
			if i == int(b) {
				break
			}
		}
	}
	return d, nil
}

// String writes d as compactly as possible: "mon-fri", "sun-thu", "mon,wed,fri".
func (d Days) String() string {
	if d == 0 {
		return ""
	}
	if d == 0x7f {
		return "mon-sun"
	}
	// Start after a gap so a run that wraps the week (fri-mon) stays whole.
	start := 0
	for i := range 7 {
		if !d.Has(time.Weekday(i)) && d.Has(time.Weekday((i+1)%7)) {
			start = (i + 1) % 7
			break
		}
	}
	var parts []string
	for k := 0; k < 7; {
		i := (start + k) % 7
		if !d.Has(time.Weekday(i)) {
			k++
			continue
		}
		j := k
		for j+1 < 7 && d.Has(time.Weekday((start+j+1)%7)) {
			j++
		}
		if j == k {
			parts = append(parts, dayNames[i])
		} else if j == k+1 {
			parts = append(parts, dayNames[i], dayNames[(start+j)%7])
		} else {
			parts = append(parts, dayNames[i]+"-"+dayNames[(start+j)%7])
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

// MarshalText implements encoding.TextMarshaler.
func (d Days) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Days) UnmarshalText(b []byte) error {
	v, err := ParseDays(string(b))
	*d = v
	return err
}

// Hours is a daily working-time range in the member's zone, in minutes after
// local midnight. End may be below Start for a shift that crosses midnight;
// End is at most 24:00.
type Hours struct {
	Start, End int
}

// DefaultHours is 09:00-17:00.
var DefaultHours = Hours{Start: 9 * 60, End: 17 * 60}

// ParseHours reads "09:00-17:30" (or "22:00-06:00" across midnight).
func ParseHours(s string) (Hours, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Hours{}, fmt.Errorf("%q is not a range of hours such as 09:00-17:30", s)
	}
	a, err1 := parseClock(from)
	b, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return Hours{}, fmt.Errorf("%q is not a range of hours such as 09:00-17:30 (times run 00:00 to 24:00)", s)
	}
	if a == 24*60 || a == b {
		return Hours{}, fmt.Errorf("%q is an empty range of hours", s)
	}
	return Hours{Start: a, End: b}, nil
}

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	var h, m int
	if len(s) < 4 || len(s) > 5 {
		return 0, fmt.Errorf("bad clock")
	}
	if n, err := fmt.Sscanf(s, "%d:%02d", &h, &m); err != nil || n != 2 || s[len(s)-3] != ':' {
		return 0, fmt.Errorf("bad clock")
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad clock")
	}
	return h*60 + m, nil
}

// Overnight reports whether the range crosses local midnight.
func (h Hours) Overnight() bool { return h.End <= h.Start }

// Length returns the working time of one day.
func (h Hours) Length() time.Duration {
	n := h.End - h.Start
	if h.Overnight() {
		n += 24 * 60
	}
	return time.Duration(n) * time.Minute
}

// String formats the range as "09:00-17:30".
func (h Hours) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
}

// MarshalText implements encoding.TextMarshaler.
func (h Hours) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hours) UnmarshalText(b []byte) error {
	v, err := ParseHours(string(b))
	*h = v
	return err
}

// Date is a calendar date without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// In returns local midnight of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool {
	return d.Year < e.Year || (d.Year == e.Year && (d.Month < e.Month || (d.Month == e.Month && d.Day < e.Day)))
}

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	*d = v
	return err
}
