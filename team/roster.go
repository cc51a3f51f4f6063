package team

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/yamlpos"
)

// Roster is the file form of a team (team.yaml), and the body of roster
// imports in the API. Every field is text so that each error can name the
// field and line it came from.
type Roster struct {
	Team    string         `yaml:"team" json:"team"`
	Norms   *RosterNorms   `yaml:"norms,omitempty" json:"norms,omitempty"`
	Slack   *RosterSlack   `yaml:"slack,omitempty" json:"slack,omitempty"`
	Members []RosterMember `yaml:"members" json:"members"`
}

// RosterNorms is the file form of Norms.
type RosterNorms struct {
	ResponseWindow string             `yaml:"response_window,omitempty" json:"response_window,omitempty"`
	MeetingMax     string             `yaml:"meeting_max,omitempty" json:"meeting_max,omitempty"`
	NoMeetingDay   string             `yaml:"no_meeting_day,omitempty" json:"no_meeting_day,omitempty"`
	MinGroupSize   *int               `yaml:"min_group_size,omitempty" json:"min_group_size,omitempty"`
	Decide         map[string]float64 `yaml:"decide,omitempty" json:"decide,omitempty"`
}

// RosterMember is the file form of a Member.
type RosterMember struct {
	Name     string      `yaml:"name" json:"name"`
	Email    string      `yaml:"email" json:"email"`
	Zone     string      `yaml:"zone" json:"zone"`
	Hours    string      `yaml:"hours,omitempty" json:"hours,omitempty"`
	Days     string      `yaml:"days,omitempty" json:"days,omitempty"`
	Aliases  []string    `yaml:"aliases,omitempty,flow" json:"aliases,omitempty"`
	Start    string      `yaml:"start,omitempty" json:"start,omitempty"`
	Leave    string      `yaml:"leave,omitempty" json:"leave,omitempty"`
	Holidays HolidayList `yaml:"holidays,omitempty,flow" json:"holidays,omitempty"`
}

// FieldError is invalid input in one field of a roster.
type FieldError struct {
	File  string // file name, when known
	Line  int    // 1-based line, when known
	Field string // path such as members[2].zone
	Msg   string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap lets errors.As find the rhythm.Error (code invalid) of a FieldError.
func (e *FieldError) Unwrap() error { return &rhythm.Error{Code: rhythm.EINVALID, Message: e.Error()} }

// Validate checks the roster and returns the team it describes. The error,
// if any, is a *FieldError naming the first invalid field.
func (r *Roster) Validate() (Team, error) {
	bad := func(field, format string, args ...any) (Team, error) {
		return Team{}, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	t := Team{Name: strings.TrimSpace(r.Team), Norms: DefaultNorms()}
	if err := CheckName(t.Name); err != nil {
		return bad("team", "%s", err.Error())
	}
	if n := r.Norms; n != nil {
		var err error
		if n.ResponseWindow != "" {
			d, err := ParseDuration(n.ResponseWindow)
			if err != nil {
				return bad("norms.response_window", "%v", err)
			}
			t.Norms.ResponseWindow = Duration(d)
		}
		if n.MeetingMax != "" {
			d, err := ParseDuration(n.MeetingMax)
			if err != nil {
				return bad("norms.meeting_max", "%v", err)
			}
			t.Norms.MeetingMax = Duration(d)
		}
		if t.Norms.NoMeetingDay, err = ParseWeekday(n.NoMeetingDay); err != nil {
			return bad("norms.no_meeting_day", "%v", err)
		}
		if n.MinGroupSize != nil {
			if *n.MinGroupSize < MinimumMinGroupSize {
				return bad("norms.min_group_size", "must be at least %d, got %d", MinimumMinGroupSize, *n.MinGroupSize)
			}
			t.Norms.MinGroupSize = *n.MinGroupSize
		}
		t.Norms.Decide = n.Decide
	}
	if r.Slack != nil {
		l, field, err := r.Slack.link()
		if err != nil {
			return bad("slack."+field, "%v", err)
		}
		t.Slack = &l
	}
	if len(r.Members) == 0 {
		return bad("members", "a team needs at least one member")
	}
	seen := map[string]int{}
	for i, rm := range r.Members {
		m, field, err := rm.member()
		if err != nil {
			return bad(fmt.Sprintf("members[%d].%s", i, field), "%v", err)
		}
		key := strings.ToLower(m.Email)
		if j, dup := seen[key]; dup {
			return bad(fmt.Sprintf("members[%d].email", i), "duplicate email %q (also members[%d])", m.Email, j)
		}
		seen[key] = i
		t.Members = append(t.Members, m)
	}
	return t, nil
}

func (rm RosterMember) member() (Member, string, error) {
	m := Member{Name: strings.TrimSpace(rm.Name), Email: strings.TrimSpace(rm.Email), Zone: strings.TrimSpace(rm.Zone), Hours: DefaultHours, Days: WeekdaysMonFri}
	for field, v := range map[string]string{"name": rm.Name, "email": rm.Email, "zone": rm.Zone, "aliases": strings.Join(rm.Aliases, ",")} {
		if err := rhythm.CheckText(field, v); err != nil {
			return m, field, errors.New("holds a NUL byte")
		}
	}
	if m.Name == "" {
		return m, "name", errors.New("a name is required")
	}
	if m.Email == "" {
		return m, "email", errors.New("an email is required")
	}
	if a, err := mail.ParseAddress(m.Email); err != nil || a.Address != m.Email {
		return m, "email", fmt.Errorf("%q is not an email address", m.Email)
	}
	if m.Zone == "" {
		return m, "zone", errors.New("a time zone is required, e.g. Europe/Lisbon")
	}
	if _, err := LoadZone(m.Zone); err != nil {
		return m, "zone", errors.New(rhythm.ErrorMessage(err))
	}
	var err error
	if rm.Hours != "" {
		if m.Hours, err = ParseHours(rm.Hours); err != nil {
			return m, "hours", err
		}
	}
	if rm.Days != "" {
		if m.Days, err = ParseDays(rm.Days); err != nil {
			return m, "days", err
		}
	}
	for _, a := range rm.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			m.Aliases = append(m.Aliases, a)
		}
	}
	if rm.Start != "" {
		if m.Start, err = ParseDate(rm.Start); err != nil {
			return m, "start", err
		}
	}
	if rm.Leave != "" {
		if m.Leave, err = ParseDate(rm.Leave); err != nil {
			return m, "leave", err
		}
		if !m.Start.IsZero() && m.Leave.Before(m.Start) {
			return m, "leave", fmt.Errorf("leave date %s is before start date %s", m.Leave, m.Start)
		}
	}
	if err := m.SetHolidays(rm.Holidays); err != nil {
		return m, "holidays", err
	}
	return m, "", nil
}

// RosterOf returns the file form of a team.
func RosterOf(t Team) Roster {
	r := Roster{Team: t.Name, Slack: rosterSlack(t.Slack)}
	n := t.Norms
	mgs := n.MinGroupSize
	r.Norms = &RosterNorms{
		ResponseWindow: n.ResponseWindow.String(),
		MeetingMax:     n.MeetingMax.String(),
		NoMeetingDay:   n.NoMeetingDay.String(),
		MinGroupSize:   &mgs,
		Decide:         n.Decide,
	}
	for _, m := range t.Members {
		rm := RosterMember{Name: m.Name, Email: m.Email, Zone: m.Zone, Hours: m.Hours.String(), Days: m.Days.String(),
			Aliases: m.Aliases, Start: m.Start.String(), Leave: m.Leave.String()}
		rm.Holidays = m.HolidayList()
		r.Members = append(r.Members, rm)
	}
	return r
}

// ParseRoster reads a roster from YAML (JSON is YAML too). name is the file
// name used in errors, e.g. "team.yaml:12: members[3].zone: unknown time
// zone \"Europe/Pariss\"".
func ParseRoster(name string, data []byte) (Team, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Team{}, &FieldError{File: name, Line: 1, Msg: "the roster is empty; it needs a team name and members"}
	}
	if err := checkUTF8(name, data); err != nil {
		return Team{}, err
	}
	var r Roster
	if err := yamlpos.Decode(data, &r); err != nil {
		line, msg := yamlpos.Error(err)
		return Team{}, &FieldError{File: name, Line: line, Msg: msg}
	}
	t, err := r.Validate()
	var fe *FieldError
	if errors.As(err, &fe) {
		fe.File = name
		fe.Line = yamlpos.LineOf(data, fe.Field)
	}
	return t, err
}

// checkUTF8 refuses text that is not UTF-8 (a roster saved as Latin-1,
// say) at its first bad byte, rather than storing U+FFFD in its place.
func checkUTF8(name string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return &FieldError{File: name, Line: line, Msg: fmt.Sprintf("byte 0x%02x at column %d is not UTF-8; save the roster as UTF-8", data[i], col)}
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		i += size
		col++
	}
	return nil
}

// ParseRosterJSON reads a roster from strict JSON (API bodies).
func ParseRosterJSON(data []byte) (Team, error) {
	if !utf8.Valid(data) {
		return Team{}, rhythm.Errorf(rhythm.EINVALID, "roster JSON: %s", rhythm.ErrorMessage(checkUTF8("", data)))
	}
	var r Roster
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Team{}, rhythm.Errorf(rhythm.EINVALID, "roster JSON: %v", err)
	}
	return r.Validate()
}

// MarshalRoster writes the team as roster YAML, one member per line.
func MarshalRoster(t Team) ([]byte, error) {
	r := RosterOf(t)
	var b bytes.Buffer
	head, err := yaml.MarshalWithOptions(struct {
		Team  string       `yaml:"team"`
		Norms *RosterNorms `yaml:"norms"`
		Slack *RosterSlack `yaml:"slack,omitempty"`
	}{r.Team, r.Norms, r.Slack}, yaml.Flow(false))
	if err != nil {
		return nil, err
	}
	b.Write(head)
	b.WriteString("members:\n")
	for _, m := range r.Members {
		line, err := yaml.MarshalWithOptions(m, yaml.Flow(true))
		if err != nil {
			return nil, err
		}
		b.WriteString("  - ")
		b.Write(bytes.TrimSpace(line))
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
