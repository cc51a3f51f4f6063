// Package icsevents reads iCalendar files (RFC 5545) into interactions:
// each instance of an event in a window, recurrences expanded by package
// ical, is a sync meeting with its organizer and attendees. Rooms and
// other resources are counted, not listed as people; each attendee keeps
// the answer (PARTSTAT) given. Summaries, descriptions and locations are
// never read into an interaction.
package icsevents

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/ingest"
)

// File is one iCalendar file.
type File struct {
	r      io.Reader
	name   string
	res    *ingest.Resolver
	closer io.Closer
	// From and To bound the instances read. When zero, the window is the
	// span of the file's data (see Import).
	From, To time.Time
	// Zone reads floating times when the calendar names no zone (UTC when
	// nil).
	Zone *time.Location
	// Now is the clock that ends series without an end (time.Now when nil).
	Now func() time.Time
}

// Open opens the iCalendar file at path; the path names it in errors.
func Open(path string, res *ingest.Resolver) (*File, error) { return OpenAs(path, path, res) }

// OpenAs opens the iCalendar file at path; name is used in errors (the
// uploaded file's name, say, rather than a temporary path).
func OpenAs(path, name string, res *ingest.Resolver) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	c := New(f, name, res)
	c.closer = f
	return c, nil
}

// Warning is the reason of the notes a calendar's warnings become (a
// broken event, an unknown zone, an event too dense to expand): the note's
// Where is then the whole warning, with its file, line and event UID.
const Warning = "calendar warning"

// New reads iCalendar data from r; name is used in errors.
func New(r io.Reader, name string, res *ingest.Resolver) *File {
	return &File{r: r, name: name, res: res}
}

// Close closes the file Open opened.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Import parses the calendar, expands its events in the window and calls
// emit for each instance, in order of start. Cancelled instances are left
// out by the expansion; events marked free (TRANSP:TRANSPARENT) are
// skipped and counted. Warnings of the parser are kept as notes: a broken
// event left out counts as skipped, an unknown zone or a skipped line of
// an event still read as a warning. An event too expensive to expand (a
// rule too dense for the window) is left out with a note and the rest read,
// since a calendar here is data that nobody importing it wrote.
func (f *File) Import(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
	var st ingest.Stats
	cal, warns, err := ical.Parse(f.r, ical.Options{Name: f.name, DefaultZone: f.Zone})
	for _, w := range warns {
		note(&st, w)
	}
	if err != nil {
		if errors.Is(err, ical.ErrNotCalendar) && !strings.HasPrefix(err.Error(), f.name) {
			return st, rhythm.Errorf(rhythm.EINVALID, "%s: %v", f.name, err)
		}
		return st, rhythm.Errorf(rhythm.EINVALID, "%v", err)
	}
	from, to := f.window(cal)
	if !from.Before(to) {
		return st, nil // no events
	}
	instances, err := cal.ExpandWith(from, to, ical.ExpandOptions{SkipBroken: func(w ical.Warning) {
		note(&st, w)
	}})
	if err != nil {
		return st, rhythm.Errorf(rhythm.EINVALID, "%v", err)
	}
	for i := range instances {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		in := &instances[i]
		st.Read++
		if in.Transparent {
			st.Skip("marked free")
			continue
		}
		if err := emit(f.interaction(in)); err != nil {
			return st, err
		}
		st.Emitted++
	}
	return st, nil
}

// note keeps a warning: counted as skipped when it left an event out, as
// a warning otherwise. Imports and connections store their notes, so the
// warning is kept without the content line it may quote (an event's text).
func note(st *ingest.Stats, w ical.Warning) {
	if w.Skipped {
		st.Note(Warning, w.Redacted().String())
	} else {
		st.Warn(Warning, w.Redacted().String())
	}
}

// window returns the configured window, or else the one the file's data
// spans: from the first event's start to the last instance of a bounded
// series (COUNT or UNTIL) or the last single event, and up to now when a
// series has no end.
func (f *File) window(cal *ical.Calendar) (time.Time, time.Time) {
	var lo, hi time.Time
	open := false
	extend := func(t time.Time) {
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	for _, e := range cal.Events {
		for _, d := range []ical.DateTime{e.Start, e.RecurrenceID} {
			if !d.IsZero() {
				extend(d.Time(cal.Zone))
			}
		}
		start := e.Start.Time(cal.Zone)
		for _, r := range e.Rules {
			switch {
			case !r.Until.IsZero():
				extend(r.Until.Time(cal.Zone))
			case r.Count > 0 && !e.Start.IsZero():
				extend(start.Add(time.Duration(r.Count*max(r.Interval, 1)) * period(r.Freq)))
			default:
				open = true
			}
		}
		for _, p := range e.RDates {
			extend(p.Start.Time(cal.Zone))
		}
	}
	// A day of slack on each side for zone offsets and event lengths.
	lo, hi = lo.Add(-24*time.Hour), hi.Add(24*time.Hour)
	if open {
		now := time.Now
		if f.Now != nil {
			now = f.Now
		}
		if t := now(); t.After(hi) {
			hi = t
		}
	}
	if !f.From.IsZero() {
		lo = f.From
	}
	if !f.To.IsZero() {
		hi = f.To
	}
	return lo, hi
}

// period is the longest time one step of a frequency takes.
func period(f ical.Freq) time.Duration {
	switch f {
	case ical.Yearly:
		return 366 * 24 * time.Hour
	case ical.Monthly:
		return 31 * 24 * time.Hour
	case ical.Weekly:
		return 7 * 24 * time.Hour
	case ical.Daily:
		return 25 * time.Hour
	case ical.Hourly:
		return time.Hour
	case ical.Minutely:
		return time.Minute
	}
	return time.Second
}

func (f *File) interaction(in *ical.Instance) ingest.Interaction {
	out := ingest.Interaction{
		Source:    ingest.SourceICS,
		ID:        f.res.Hash("e-", in.UID) + "/" + in.RecurrenceID.UTC().Format(time.RFC3339),
		Mode:      ingest.Sync,
		Kind:      ingest.Meeting,
		Start:     in.Start.UTC(),
		End:       in.End.UTC(),
		AllDay:    in.AllDay,
		Recurring: in.Recurring,
	}
	if out.End.Before(out.Start) {
		out.End = out.Start
	}
	add := func(p ingest.Participant) {
		for i, q := range out.Participants {
			if q.ID == p.ID {
				if q.Status == "" {
					out.Participants[i].Status = p.Status
				}
				return
			}
		}
		out.Participants = append(out.Participants, p)
	}
	for _, a := range in.Attendees {
		if !a.IsPerson() {
			out.Resources++
			continue
		}
		p := f.res.Resolve(a.Email, a.Name)
		if p.ID == "" {
			continue
		}
		p.Status = status(a.PartStat)
		add(p)
	}
	if o := in.Organizer; o != nil && !o.IsZero() {
		p := f.res.Resolve(o.Email, o.Name)
		out.Organizer = p.ID
		if p.ID != "" && o.IsPerson() {
			// The organizer takes part unless the attendee list says
			// otherwise (an organizer who declined their own meeting).
			p.Status = ingest.Accepted
			add(p)
		}
	}
	return out
}

func status(ps ical.PartStat) ingest.Status {
	switch ps {
	case ical.PartAccepted:
		return ingest.Accepted
	case ical.PartDeclined:
		return ingest.Declined
	case ical.PartTentative:
		return ingest.Tentative
	case ical.PartDelegated:
		return ingest.Delegated
	case ical.PartNeedsAction, "":
		return ingest.NeedsAction
	}
	return ingest.Status(strings.ToLower(string(ps)))
}
