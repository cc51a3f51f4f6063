package schedule

import (
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Query is a scheduling request in the text form that the command line and
// the API take. Errors name the field (with, duration, between, weekly,
// zone, top, rotation, busy).
type Query struct {
	With     []string `json:"with,omitempty"`
	Duration string   `json:"duration"`
	// Between holds the window's start and end: dates (YYYY-MM-DD, the
	// end day included) or local times (YYYY-MM-DDTHH:MM) in Zone. When
	// empty the window is the seven days from tomorrow.
	Between []string `json:"between,omitempty"`
	// Weekly is the number of weekly instances; 0 asks for a one-off.
	Weekly int `json:"weekly,omitempty"`
	// Zone is the anchor zone (IANA name); empty means the first
	// participant's.
	Zone     string              `json:"zone,omitempty"`
	Top      int                 `json:"top,omitempty"`
	Rotation int                 `json:"rotation,omitempty"`
	Busy     map[string][]Window `json:"busy,omitempty"`
}

// Request validates q against team t and returns the request it describes.
// now sets the default window.
func (q Query) Request(t *team.Team, now time.Time) (Request, error) {
	r := Request{Team: t, Weeks: q.Weekly, Top: q.Top, Rotation: q.Rotation}
	for _, w := range q.With {
		for part := range strings.SplitSeq(w, ",") {
			if part = strings.TrimSpace(part); part != "" {
				r.With = append(r.With, part)
			}
		}
	}
	members, err := Participants(t, r.With)
	if err != nil {
		return r, err
	}
	if strings.TrimSpace(q.Duration) == "" {
		return r, invalid("duration is required, e.g. 30m")
	}
	if r.Duration, err = time.ParseDuration(strings.TrimSpace(q.Duration)); err != nil {
		return r, invalid("duration: %q is not a duration such as 30m or 1h15m", q.Duration)
	}
	var anchor *time.Location
	if z := strings.TrimSpace(q.Zone); z != "" {
		if anchor, err = team.LoadZone(z); err != nil {
			return r, invalid("zone: %s", rhythm.ErrorMessage(err))
		}
		r.Zone = anchor
	} else if anchor, err = team.LoadZone(members[0].Zone); err != nil {
		return r, invalid("with: member %s: %s", members[0].Email, rhythm.ErrorMessage(err))
	}
	switch len(q.Between) {
	case 0:
		d := team.DateOf(now.In(anchor))
		r.From = wallTime(d.Year, d.Month, d.Day+1, 0, anchor)
		r.To = wallTime(d.Year, d.Month, d.Day+8, 0, anchor)
	case 2:
		if r.From, err = parseBound(q.Between[0], anchor, false); err != nil {
			return r, err
		}
		if r.To, err = parseBound(q.Between[1], anchor, true); err != nil {
			return r, err
		}
		if !r.From.Before(r.To) {
			return r, invalid("between: the end %s is before the start %s", strings.TrimSpace(q.Between[1]), strings.TrimSpace(q.Between[0]))
		}
	default:
		return r, invalid("between takes a start and an end, e.g. 2026-03-02 2026-03-06; got %d values", len(q.Between))
	}
	if len(q.Busy) > 0 {
		r.Busy = map[string][]team.Interval{}
		for k, ws := range q.Busy {
			for _, w := range ws {
				r.Busy[k] = append(r.Busy[k], team.Interval{Start: w.Start, End: w.End})
			}
		}
	}
	return r, nil
}

// parseBound reads a window bound: a date (its midnight; the next day's
// when end is set, so that the end day is included) or a local time.
func parseBound(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := team.ParseDate(s); err == nil {
		if end {
			d = team.DateOf(time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC))
		}
		return wallTime(d.Year, d.Month, d.Day, 0, loc), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return wallTime(t.Year(), t.Month(), t.Day(), t.Hour()*60+t.Minute(), loc), nil
		}
	}
	return time.Time{}, invalid("between: %q is not a date (YYYY-MM-DD) or a local time (YYYY-MM-DDTHH:MM)", s)
}
