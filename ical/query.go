package ical

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
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
	f := func(t time.Time, date bool) string {
		if date {
			return t.Format(time.DateOnly)
		}
		return t.UTC().Format(time.RFC3339)
	}
	return Row{UID: in.UID, RecurrenceID: f(in.RecurrenceID, in.RecurrenceIDAllDay), Start: f(in.Start, in.AllDay),
		End: f(in.End, in.AllDay), Summary: in.Summary}
}

// WriteRows writes instances as NDJSON rows, one JSON object per line,
// byte for byte as encoding/json (without HTML escaping) writes a Row.
func WriteRows(w io.Writer, ins []Instance) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var b []byte
	for i := range ins {
		b = AppendRow(b[:0], &ins[i])
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendRow appends the NDJSON row of in (with its newline) to b.
func AppendRow(b []byte, in *Instance) []byte {
	r := ndjsonRow{uid: in.UID, summary: in.Summary, rid: in.RecurrenceID.Unix(), start: in.Start.Unix(), end: in.End.Unix(),
		ridLoc: in.RecurrenceID.Location(), loc: in.Start.Location(), endLoc: in.End.Location(),
		ridDate: in.RecurrenceIDAllDay, allDay: in.AllDay}
	return appendRow(b, &r)
}

// ndjsonRow is what an NDJSON row says of an instance: instants as Unix
// seconds, with the zones that give the dates of all-day ones.
type ndjsonRow struct {
	uid, summary        string
	rid, start, end     int64
	ridLoc, loc, endLoc *time.Location // endLoc nil: loc
	ridDate, allDay     bool
}

// appendRow appends r's NDJSON line: times in UTC RFC 3339, dates for
// all-day instances (the date in the instance's zone).
func appendRow(b []byte, r *ndjsonRow) []byte {
	t := func(b []byte, unix int64, loc *time.Location, date bool) []byte {
		b = append(b, '"')
		if date {
			y, m, d := time.Unix(unix, 0).In(loc).Date()
			b = appendDate(b, y, int(m), d)
		} else {
			b = appendUTC(b, unix)
		}
		return append(b, '"')
	}
	endLoc := r.endLoc
	if endLoc == nil {
		endLoc = r.loc
	}
	b = append(b, `{"uid":`...)
	b = appendJSONString(b, r.uid)
	b = append(b, `,"recurrence_id":`...)
	b = t(b, r.rid, r.ridLoc, r.ridDate)
	b = append(b, `,"start":`...)
	b = t(b, r.start, r.loc, r.allDay)
	b = append(b, `,"end":`...)
	b = t(b, r.end, endLoc, r.allDay)
	b = append(b, `,"summary":`...)
	b = appendJSONString(b, r.summary)
	return append(b, "}\n"...)
}

// appendDate appends y-m-d as YYYY-MM-DD (time.DateOnly) for years 0-9999.
func appendDate(b []byte, y, m, d int) []byte {
	if y < 0 || y > 9999 {
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendUTC appends the instant of unix seconds as time.RFC3339 in UTC.
func appendUTC(b []byte, unix int64) []byte {
	days, sec := floorDiv(unix, secondsPerDay), floorMod(unix, secondsPerDay)
	y, m, d := civilFromDays(days)
	if y < 0 || y > 9999 {
		return time.Unix(unix, 0).UTC().AppendFormat(b, time.RFC3339)
	}
	h, mi, s := int(sec/3600), int(sec/60%60), int(sec%60)
	b = appendDate(b, y, m, d)
	return append(b, 'T', byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+s/10), byte('0'+s%10), 'Z')
}

// appendJSONString appends s as a JSON string the way encoding/json does
// without HTML escaping: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029
// are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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

// QueryResult is the outcome of RunQuery or OpenQuery.
type QueryResult struct {
	Instances  []Instance // nil from OpenQuery: use Each
	cal        *Calendar
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
	res, err := OpenQuery(r, q)
	if err != nil {
		return res, err
	}
	res.Instances, err = res.cal.Expand(res.From, res.To)
	return res, err
}

// Rows expands an OpenQuery result's window (see Calendar.Rows).
func (res *QueryResult) Rows() (*Rows, error) {
	return res.cal.Rows(res.From, res.To, ExpandOptions{})
}

// OpenQuery reads a calendar from r and fixes the query's window; Each then
// lists the instances. Errors are RunQuery's.
func OpenQuery(r io.Reader, q Query) (*QueryResult, error) {
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
	res.cal = cal
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
