package ical

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Row is one instance as `rhythm ical expand --json` and the API print it:
// instants in UTC RFC 3339, all-day instances as YYYY-MM-DD dates (end
// exclusive). RecurrenceID is the instance's original start in the same
// form.
type Row struct {
	UID          string `json:"uid"`
	RecurrenceID string `json:"recurrence_id"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Summary      string `json:"summary"`
}

// RowOf returns the Row of an instance.
func RowOf(in *Instance) Row {
	f := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	if in.AllDay {
		f = func(t time.Time) string { return t.Format(time.DateOnly) }
	}
	return Row{UID: in.UID, RecurrenceID: f(in.RecurrenceID), Start: f(in.Start), End: f(in.End), Summary: in.Summary}
}

// WriteRows writes instances as NDJSON rows, one JSON object per line.
func WriteRows(w io.Writer, ins []Instance) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range ins {
		if err := enc.Encode(RowOf(&ins[i])); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Query asks for the instances of a calendar between two dates, as the
// command line and the API take it.
type Query struct {
	Name string // the input's name in messages, e.g. "cal.ics"
	From string // first date of the window, YYYY-MM-DD
	To   string // date the window ends at (exclusive), YYYY-MM-DD
	// Zone is the IANA zone the dates are read in; it also reads floating
	// times when the calendar names no zone. Empty means the calendar's
	// X-WR-TIMEZONE, else UTC.
	Zone string
}

// Zone sources reported in QueryResult.ZoneSource.
const (
	ZoneRequested = "requested"
	ZoneCalendar  = "the calendar's X-WR-TIMEZONE"
	ZoneDefault   = "default"
)

// QueryResult is the outcome of RunQuery.
type QueryResult struct {
	Instances  []Instance
	Warnings   []Warning
	Zone       *time.Location // the zone the dates were read in
	ZoneSource string         // ZoneRequested, ZoneCalendar or ZoneDefault (UTC)
	From, To   time.Time
}

// QueryError is an error in a Query's dates or zone.
type QueryError struct {
	Field string // "from", "to" or "zone"
	Msg   string
}

func (e *QueryError) Error() string { return e.Field + ": " + e.Msg }

// RunQuery reads a calendar from r and expands it over the query's window.
// Errors name the input and line (a calendar error) or the query field.
func RunQuery(r io.Reader, q Query) (*QueryResult, error) {
	from, err := parseDate("from", q.From)
	if err != nil {
		return nil, err
	}
	to, err := parseDate("to", q.To)
	if err != nil {
		return nil, err
	}
	if to <= from {
		return nil, &QueryError{"to", fmt.Sprintf("the window is empty: %s is not after %s", q.To, q.From)}
	}
	res := &QueryResult{Zone: time.UTC, ZoneSource: ZoneDefault}
	opts := Options{Name: q.Name}
	if q.Zone != "" {
		loc := loadIANA(strings.TrimSpace(q.Zone))
		if loc == nil {
			return nil, &QueryError{"zone", fmt.Sprintf("unknown time zone %q (want an IANA name such as Europe/Berlin)", q.Zone)}
		}
		res.Zone, res.ZoneSource, opts.DefaultZone = loc, ZoneRequested, loc
	}
	cal, warns, err := Parse(r, opts)
	res.Warnings = warns
	if err != nil {
		return res, err
	}
	if q.Zone == "" && cal.ZoneFromCalendar {
		res.Zone, res.ZoneSource = cal.Zone, ZoneCalendar
	}
	tab := tableFor(res.Zone, nil)
	res.From = time.Unix(tab.toUTC(from), 0).In(res.Zone)
	res.To = time.Unix(tab.toUTC(to), 0).In(res.Zone)
	ins, err := cal.Expand(res.From, res.To)
	if err != nil {
		return res, err
	}
	res.Instances = ins
	return res, nil
}

// parseDate reads YYYY-MM-DD as wall seconds of its midnight.
func parseDate(field, s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		if s == "" {
			return 0, &QueryError{field, "a date is required (YYYY-MM-DD)"}
		}
		return 0, &QueryError{field, fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", s)}
	}
	return t.Unix(), nil
}
