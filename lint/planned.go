package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Planned is a meeting someone intends to hold, as JSON or command-line
// flags give it. Text fields keep what was written so errors can quote it.
type Planned struct {
	Title string `json:"title"`
	// Start is RFC 3339 ("2026-03-10T11:00:00Z"), or "2026-03-10 11:00"
	// in the organizer's zone.
	Start string `json:"start"`
	// Duration such as "30m"; or End, in Start's forms.
	Duration      string   `json:"duration,omitempty"`
	End           string   `json:"end,omitempty"`
	Organizer     string   `json:"organizer,omitempty"`
	Attendees     []string `json:"attendees,omitempty"`
	Agenda        string   `json:"agenda,omitempty"`
	Purpose       string   `json:"purpose,omitempty"`
	PreRead       string   `json:"pre_read,omitempty"`
	PreReadAt     string   `json:"pre_read_at,omitempty"`
	Repeat        string   `json:"repeat,omitempty"` // none, daily, weekly, biweekly
	Until         string   `json:"until,omitempty"`  // YYYY-MM-DD
	Count         int      `json:"count,omitempty"`
	DecisionOwner string   `json:"decision_owner,omitempty"`
	// Zone, when set, reads Start, End and PreReadAt instead of the
	// organizer's zone: the zone of the person who typed them.
	Zone *time.Location `json:"-"`
}

// maxPlannedInstances bounds the instances a planned series is checked on.
const maxPlannedInstances = 53

func bad(field, format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}

// ParsePlanned reads a planned meeting, or an array of them, from JSON.
func ParsePlanned(data []byte) ([]Planned, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "the meeting is empty; give a JSON object with title, start and duration")
	}
	dec := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(data))
		d.DisallowUnknownFields()
		if err := d.Decode(v); err != nil {
			return rhythm.Errorf(rhythm.EINVALID, "meeting JSON: %v", err)
		}
		if d.More() {
			return rhythm.Errorf(rhythm.EINVALID, "meeting JSON: more than one value; give one object or an array")
		}
		return nil
	}
	if data[0] == '[' {
		var ps []Planned
		if err := dec(&ps); err != nil {
			return nil, err
		}
		return ps, nil
	}
	var p Planned
	if err := dec(&p); err != nil {
		return nil, err
	}
	return []Planned{p}, nil
}

// person resolves a name in field: an email (a guest when not on the
// team), or a member's name, alias or unique prefix.
func person(t *team.Team, field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		if t != nil {
			if mb, ok := t.Member(s); ok {
				return mb.Email, nil
			}
		}
		return strings.ToLower(s), nil // a guest from outside the team
	}
	if t == nil {
		return "", bad(field, "%q is not an email address", s)
	}
	mb, err := t.Resolve(s)
	if err != nil {
		return "", bad(field, "%s", rhythm.ErrorMessage(err))
	}
	return mb.Email, nil
}

// Meeting checks p and returns the meeting it describes; t, when set,
// resolves people by name or alias and gives the organizer's zone. Errors
// are EINVALID and start with the field.
func (p Planned) Meeting(t *team.Team) (Meeting, error) {
	m := Meeting{UID: strings.TrimSpace(p.Title), Title: strings.TrimSpace(p.Title), Description: p.Agenda, Purpose: p.Purpose,
		PreRead: strings.TrimSpace(p.PreRead)}
	if m.Title == "" {
		return m, bad("title", "a title is required")
	}
	who := func(field, s string) (string, error) { return person(t, field, s) }
	loc := time.UTC
	if p.Organizer != "" {
		e, err := who("organizer", p.Organizer)
		if err != nil {
			return m, err
		}
		m.Organizer = e
		if t != nil {
			if mb, ok := t.Member(e); ok {
				loc = mb.Location()
			}
		}
	}
	if p.Zone != nil {
		loc = p.Zone
	}
	for i, a := range p.Attendees {
		if strings.TrimSpace(a) == "" {
			continue
		}
		e, err := who(fmt.Sprintf("attendees[%d]", i), a)
		if err != nil {
			return m, err
		}
		m.Attendees = append(m.Attendees, e)
	}
	var err error
	if m.Start, err = parseWhen("start", p.Start, loc); err != nil {
		return m, err
	}
	switch {
	case p.Duration != "" && p.End != "":
		return m, bad("duration", "give a duration or an end, not both")
	case p.Duration != "":
		d, err := team.ParseDuration(p.Duration)
		if err != nil {
			return m, bad("duration", "%v", err)
		}
		if d > 24*time.Hour {
			return m, bad("duration", "at most 24h")
		}
		m.End = m.Start.Add(d)
	case p.End != "":
		if m.End, err = parseWhen("end", p.End, loc); err != nil {
			return m, err
		}
		if !m.End.After(m.Start) || m.End.Sub(m.Start) > 24*time.Hour {
			return m, bad("end", "must be after the start and at most 24h later")
		}
	default:
		return m, bad("duration", "a duration (e.g. 30m) or an end is required")
	}
	if p.PreReadAt != "" {
		if m.PreReadAt, err = parseWhen("pre_read_at", p.PreReadAt, loc); err != nil {
			return m, err
		}
	}
	if p.DecisionOwner != "" {
		if m.DecisionOwner, err = who("decision_owner", p.DecisionOwner); err != nil {
			return m, err
		}
	}
	var step func(time.Time) time.Time
	switch strings.ToLower(strings.TrimSpace(p.Repeat)) {
	case "", "none", "once":
	case "daily":
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	case "weekly":
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case "biweekly", "fortnightly":
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 14) }
	default:
		return m, bad("repeat", "%q is not one of none, daily, weekly, biweekly", p.Repeat)
	}
	if step == nil {
		if p.Until != "" || p.Count != 0 {
			return m, bad("repeat", "until and count need a repeat (daily, weekly, biweekly)")
		}
		return m, nil
	}
	m.Recurring = true
	var until time.Time
	if p.Until != "" {
		d, err := team.ParseDate(p.Until)
		if err != nil {
			return m, bad("until", "%v", err)
		}
		until = d.In(loc).AddDate(0, 0, 1)
		if !until.After(m.Start) {
			return m, bad("until", "%s is before the start", d)
		}
		m.HasEnd = true
	}
	if p.Count < 0 || p.Count > 1000 {
		return m, bad("count", "must be between 1 and 1000")
	}
	if p.Count > 0 {
		if m.HasEnd {
			return m, bad("count", "give until or count, not both")
		}
		m.HasEnd = true
	}
	// Instances repeat the wall-clock time in the organizer's zone.
	local := m.Start.In(loc)
	for at := local; len(m.Instances) < maxPlannedInstances; at = step(at) {
		if (!until.IsZero() && !at.Before(until)) || (p.Count > 0 && len(m.Instances) >= p.Count) {
			break
		}
		m.Instances = append(m.Instances, at.UTC())
	}
	return m, nil
}

// parseWhen reads RFC 3339, or "YYYY-MM-DD HH:MM" (also with T) in loc.
func parseWhen(field, s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, bad(field, "a time is required, e.g. 2026-03-10T11:00:00Z or \"2026-03-10 11:00\"")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, bad(field, "%q is not a time such as 2026-03-10T11:00:00Z or \"2026-03-10 11:00\"", s)
}
