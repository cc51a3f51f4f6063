package schedule

import (
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/team"
)

// ICSOptions describe the calendar a series is exported to.
type ICSOptions struct {
	// Summary is the events' title; empty means "Sync".
	Summary string
	// Name is the calendar's name (X-WR-CALNAME), if set.
	Name string
	// Stamp is every event's DTSTAMP; zero means the time of writing.
	Stamp time.Time
}

// Events returns the series as iCalendar events: one weekly series per
// position of the rotation, starting on that position's first instance at
// the slot's wall time in the anchor zone, repeating every len(Rotation)
// weeks for as many instances as it has, with every participant as an
// attendee. Calendar programs expand them to exactly s.Instances.
func (s *Series) Events(summary string) ([]*ical.Event, error) {
	if len(s.Instances) == 0 || len(s.Rotation) == 0 {
		return nil, invalid("the series has no instances")
	}
	anchor, err := team.LoadZone(s.Zone)
	if s.Zone == "UTC" {
		anchor, err = time.UTC, nil
	}
	if err != nil {
		return nil, err
	}
	if summary == "" {
		summary = "Sync"
	}
	var attendees []ical.Attendee
	for _, a := range s.Instances[0].Attendees {
		attendees = append(attendees, ical.Attendee{Email: strings.ToLower(a.Email), Name: a.Name, Role: ical.RoleRequired, PartStat: ical.PartNeedsAction})
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%v|%d", s.Zone, s.Duration, s.Weeks)
	for _, a := range attendees {
		fmt.Fprintf(h, "|%s", a.Email)
	}
	for _, r := range s.Rotation {
		fmt.Fprintf(h, "|%s", r.First.UTC().Format(time.RFC3339))
	}
	id := h.Sum64()
	L := len(s.Rotation)
	var out []*ical.Event
	for j, r := range s.Rotation {
		first := s.Instances[j] // instance j is the position's first
		var hh, mm int
		if _, err := fmt.Sscanf(r.Clock, "%d:%d", &hh, &mm); err != nil {
			return nil, fmt.Errorf("rotation slot %d: clock %q: %w", j, r.Clock, err)
		}
		day := first.Start.In(anchor)
		if lt := day.Hour()*60 + day.Minute(); lt < hh*60+mm {
			// A start moved forward by a DST gap can only be later.
			day = day.AddDate(0, 0, -1)
		}
		start := ical.InZone(day.Year(), day.Month(), day.Day(), hh, mm, 0, anchor)
		end := ical.At(first.End.In(anchor))
		if anchor == time.UTC {
			end = ical.At(first.End.UTC())
		}
		ev := &ical.Event{
			UID:       fmt.Sprintf("rhythm-%016x-%d@rhythm", id, j),
			Summary:   summary,
			Start:     start,
			End:       end,
			Attendees: attendees,
		}
		if n := r.Instances; n > 1 {
			ev.Rules = []*ical.Recur{{Freq: ical.Weekly, Interval: L, Count: n}}
		}
		out = append(out, ev)
	}
	return out, nil
}

// WriteICS writes the series as an iCalendar file (with a VTIMEZONE for
// the anchor zone) that Google Calendar and Outlook import.
func (s *Series) WriteICS(w io.Writer, opts ICSOptions) error {
	events, err := s.Events(opts.Summary)
	if err != nil {
		return err
	}
	return ical.Write(w, events, ical.WriteOptions{Name: opts.Name, Method: "PUBLISH", Stamp: opts.Stamp})
}

// Events returns the best slot of the ranking as a single event.
func (r *Ranking) Events(summary string) ([]*ical.Event, error) {
	if len(r.Slots) == 0 {
		return nil, invalid("the ranking has no slots")
	}
	loc := time.UTC
	if r.Zone != "UTC" {
		var err error
		if loc, err = team.LoadZone(r.Zone); err != nil {
			return nil, err
		}
	}
	if summary == "" {
		summary = "Sync"
	}
	best := r.Slots[0]
	ev := &ical.Event{
		UID:     fmt.Sprintf("rhythm-%d-%d@rhythm", best.Start.Unix(), minutes(r.Duration)),
		Summary: summary,
		Start:   ical.At(best.Start.In(loc)),
		End:     ical.At(best.End.In(loc)),
	}
	for _, a := range best.Attendees {
		ev.Attendees = append(ev.Attendees, ical.Attendee{Email: strings.ToLower(a.Email), Name: a.Name, Role: ical.RoleRequired, PartStat: ical.PartNeedsAction})
	}
	return []*ical.Event{ev}, nil
}

// WriteICS writes the best slot as an iCalendar file.
func (r *Ranking) WriteICS(w io.Writer, opts ICSOptions) error {
	events, err := r.Events(opts.Summary)
	if err != nil {
		return err
	}
	return ical.Write(w, events, ical.WriteOptions{Name: opts.Name, Method: "PUBLISH", Stamp: opts.Stamp})
}
