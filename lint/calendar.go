package lint

import (
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/ical"
)

// FromCalendar turns the events of a calendar into meetings: one per
// event or series, with the instances that start in [from, to). Cancelled
// instances, all-day events, free (transparent) blocks and events with
// fewer than two people are not meetings and are left out; attendees who
// declined are not counted. extras, from ScanExtras over the same file,
// supply the invite's text and links. An event too expensive to expand (a
// rule too dense for the window) is left out and returned as a warning:
// the calendar is someone's data, and its other meetings are still worth
// checking.
func FromCalendar(cal *ical.Calendar, extras map[int]*Extras, from, to time.Time) ([]Meeting, []ical.Warning, error) {
	masters := map[string]*ical.Event{}
	for _, ev := range cal.Events {
		if ev.RecurrenceID.IsZero() {
			masters[ev.UID] = ev
		}
	}
	var out []Meeting
	index := map[string]int{}
	var warns []ical.Warning
	opt := ical.ExpandOptions{SkipBroken: func(w ical.Warning) { warns = append(warns, w) }}
	err := cal.Each(from, to, opt, func(in *ical.Instance) error {
		if in.Status == ical.StatusCancelled || in.AllDay || in.Transparent || !in.Start.Before(to) || in.Start.Before(from) {
			return nil
		}
		if i, ok := index[in.UID]; ok {
			out[i].Instances = append(out[i].Instances, in.Start.UTC())
			return nil
		}
		m := Meeting{UID: in.UID, Title: in.Summary, Line: in.Line, Start: in.Start.UTC(), End: in.End.UTC(), Instances: []time.Time{in.Start.UTC()},
			Recurring: in.Recurring}
		if in.Organizer != nil && in.Organizer.IsPerson() {
			m.Organizer = in.Organizer.Email
		}
		for _, a := range in.Attendees {
			if a.IsPerson() && a.PartStat != ical.PartDeclined && a.Email != "" {
				m.Attendees = append(m.Attendees, a.Email)
			}
		}
		if people(&m) < 2 {
			return nil
		}
		if ev := masters[in.UID]; ev != nil {
			m.Line = ev.Line
			m.HasEnd = hasEnd(ev)
			if x := extras[ev.Line]; x != nil && x.UID == ev.UID {
				m.Description = x.Description
				m.Purpose = x.Purpose
				m.DecisionOwner = x.DecisionOwner
				m.PreRead = x.PreRead
				if m.PreRead == "" && x.Attach != "" {
					m.PreRead = x.Attach
				}
				if m.PreRead == "" && x.URL != "" && !confHost().MatchString(x.URL) {
					m.PreRead = x.URL
				}
				m.PreReadAt = x.PreReadAt
				if m.PreReadAt.IsZero() {
					m.PreReadAt = x.Modified
				}
			}
		}
		index[in.UID] = len(out)
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, warns, err
	}
	return out, warns, nil
}

// people counts the distinct people of a meeting, organizer included.
func people(m *Meeting) int {
	seen := map[string]bool{}
	for _, e := range append([]string{m.Organizer}, m.Attendees...) {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			seen[e] = true
		}
	}
	return len(seen)
}

// hasEnd reports whether every rule of a series ends (UNTIL or COUNT);
// RDATE-only series are finite.
func hasEnd(ev *ical.Event) bool {
	for _, r := range ev.Rules {
		if r.Count == 0 && r.Until.IsZero() {
			return false
		}
	}
	return true
}
