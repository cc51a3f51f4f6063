// Package csvevents reads meeting and message logs exported by other tools
// (meeting reports, chat logs) from CSV with a documented header.
//
// The first row names the columns, in any order and case:
//
//	start         required  RFC 3339 time, e.g. 2026-03-02T09:00:00Z or 2026-03-02 10:00:00+01:00
//	end           required  the same; may be empty for async kinds (then end = start)
//	organizer     required  email, name or alias of the organizer or author
//	participants  required  semicolon-separated emails, names or aliases; an
//	                        entry may end in (accepted), (declined), (tentative)
//	kind          required  meeting, call, message, reply or email
//	mode          optional  sync or async (default: sync for meeting and call)
//	channel       optional  channel or conversation name
//	thread_id     optional  identifier that links a thread
//	in_reply_to   optional  identifier of the item answered
//	id            optional  identifier of the row's item
//	recurring     optional  true or false
//	organizer_attends optional  true (default) or false: the organizer of a
//	                        meeting or call counts as an attendee unless
//	                        this says false or participants lists them
//	                        with another answer, e.g. "ana@example.com (declined)"
//
// Other columns (such as a meeting topic) are ignored and never read.
// Times without a UTC offset are refused unless a default zone is given.
package csvevents

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
)

// Columns lists the required columns.
var Columns = []string{"start", "end", "organizer", "participants", "kind"}

var optional = []string{"mode", "channel", "thread_id", "in_reply_to", "id", "recurring", "organizer_attends"}

// File is one CSV file of events.
type File struct {
	r      io.Reader
	name   string
	res    *ingest.Resolver
	closer io.Closer
	// Zone, when set, is the zone of times written without a UTC offset.
	Zone *time.Location
}

// Open opens the CSV file at path; the path names it in errors.
func Open(path string, res *ingest.Resolver) (*File, error) { return OpenAs(path, path, res) }

// OpenAs opens the CSV file at path; name is used in errors (the
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

// New reads CSV from r; name is used in errors.
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

// Error is bad input at a line and column of a CSV file.
type Error struct {
	File         string
	Line, Column int
	Field        string
	Msg          string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", e.File, e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ":%d", e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap gives the error's code: invalid input.
func (e *Error) Unwrap() error { return &rhythm.Error{Code: rhythm.EINVALID, Message: e.Error()} }

// Header reports whether line, the first line of a file, is a header this
// package reads: it names every required column.
func Header(line string) bool {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(line, "\xEF\xBB\xBF")))
	rec, err := r.Read()
	if err != nil {
		return false
	}
	_, err = columns(rec)
	return err == nil
}

// LooksLikeHeader reports whether line, the first line of a file, is a CSV
// header naming at least two of this package's columns: a file to read
// with this package, even if a required column is missing (Import then
// says which).
func LooksLikeHeader(line string) bool {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(line, "\xEF\xBB\xBF")))
	rec, err := r.Read()
	if err != nil {
		return false
	}
	idx, _ := columns(rec)
	n := 0
	for _, c := range append(append([]string{}, Columns...), optional...) {
		if _, ok := idx[c]; ok {
			n++
		}
	}
	return n >= 2
}

func columns(rec []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		h = strings.ReplaceAll(h, " ", "_")
		if i == 0 {
			h = strings.TrimPrefix(h, "\xEF\xBB\xBF")
		}
		if _, dup := idx[h]; dup && h != "" {
			return nil, fmt.Errorf("column %q appears twice", h)
		}
		idx[h] = i
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return idx, fmt.Errorf("missing column %s (the header needs %s)", strings.Join(quote(missing), ", "), strings.Join(Columns, ", "))
	}
	return idx, nil
}

func quote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Import reads the rows and calls emit for each. The first bad row stops
// the import with an error naming its line, column and field.
func (f *File) Import(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
	var st ingest.Stats
	r := csv.NewReader(f.r)
	r.ReuseRecord = true
	head, err := r.Read()
	if err == io.EOF {
		return st, &Error{File: f.name, Line: 1, Msg: "the file is empty; it needs a header row naming " + strings.Join(Columns, ", ")}
	}
	if err != nil {
		return st, f.csvError(err)
	}
	idx, err := columns(head)
	if err != nil {
		return st, &Error{File: f.name, Line: 1, Msg: err.Error()}
	}
	col := func(name string) int {
		if i, ok := idx[name]; ok {
			return i
		}
		return -1
	}
	c := map[string]int{}
	for _, n := range append(append([]string{}, Columns...), optional...) {
		c[n] = col(n)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, f.csvError(err)
		}
		if st.Read%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		st.Read++
		in, err := f.row(r, rec, c)
		if err != nil {
			return st, err
		}
		if err := emit(in); err != nil {
			return st, err
		}
		st.Emitted++
	}
}

func (f *File) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "wrong number of fields: every row needs as many as the header"
		}
		return &Error{File: f.name, Line: pe.Line, Column: pe.Column, Msg: msg}
	}
	return rhythm.Errorf(rhythm.EINVALID, "%s: %v", f.name, err)
}

// row reads one CSV record into an interaction. It is long because it
// checks each column in turn, in the order of the header's documentation,
// with the line and column of any bad value.
func (f *File) row(r *csv.Reader, rec []string, c map[string]int) (ingest.Interaction, error) {
	bad := func(field string, format string, args ...any) error {
		line, column := r.FieldPos(c[field])
		return &Error{File: f.name, Line: line, Column: column, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	get := func(name string) string {
		if i := c[name]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	in := ingest.Interaction{Source: ingest.SourceCSV}
	kind := ingest.Kind(strings.ToLower(get("kind")))
	switch kind {
	case ingest.Meeting, ingest.Call, ingest.Message, ingest.Reply, ingest.Email:
	default:
		return in, bad("kind", "%q is not one of meeting, call, message, reply, email", get("kind"))
	}
	in.Kind = kind
	in.Mode = ingest.ModeOf(kind)
	switch m := strings.ToLower(get("mode")); m {
	case "":
	case "sync", "async":
		in.Mode = ingest.Mode(m)
	default:
		return in, bad("mode", "%q is not sync or async", get("mode"))
	}
	var err error
	if in.Start, err = f.parseTime(get("start")); err != nil {
		return in, bad("start", "%v", err)
	}
	if get("end") == "" && in.Mode == ingest.Async {
		in.End = in.Start
	} else if in.End, err = f.parseTime(get("end")); err != nil {
		return in, bad("end", "%v", err)
	} else if in.End.Before(in.Start) {
		return in, bad("end", "%s is before the start %s", in.End.Format(time.RFC3339), in.Start.Format(time.RFC3339))
	}
	org := get("organizer")
	if org == "" {
		return in, bad("organizer", "an organizer or author is required")
	}
	in.Organizer = f.res.Resolve(org).ID
	for _, p := range strings.Split(get("participants"), ";") {
		id, status, ok := participant(p)
		if !ok {
			return in, bad("participants", "%q: a status in parentheses must be accepted, declined, tentative or needs-action", strings.TrimSpace(p))
		}
		if id == "" {
			continue
		}
		pp := f.res.Resolve(id)
		pp.Status = status
		if !containsID(in.Participants, pp.ID) {
			in.Participants = append(in.Participants, pp)
		}
	}
	// The organizer of a meeting or call attends it unless the row lists
	// them with another answer or organizer_attends says false.
	attends := true
	switch strings.ToLower(get("organizer_attends")) {
	case "", "true", "yes", "1":
	case "false", "no", "0":
		attends = false
	default:
		return in, bad("organizer_attends", "%q is not true or false", get("organizer_attends"))
	}
	if attends && in.Mode == ingest.Sync && !containsID(in.Participants, in.Organizer) {
		o := f.res.Resolve(org)
		o.Status = ingest.Accepted
		in.Participants = append([]ingest.Participant{o}, in.Participants...)
	}
	switch strings.ToLower(get("recurring")) {
	case "", "false", "no", "0":
	case "true", "yes", "1":
		in.Recurring = true
	default:
		return in, bad("recurring", "%q is not true or false", get("recurring"))
	}
	in.Channel, in.ThreadID, in.InReplyTo, in.ID = get("channel"), get("thread_id"), get("in_reply_to"), get("id")
	return in, nil
}

func containsID(ps []ingest.Participant, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// participant splits "ana@example.com (declined)".
func participant(s string) (id string, st ingest.Status, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return s, "", true
	}
	i := strings.LastIndexByte(s, '(')
	if i < 0 {
		return s, "", true
	}
	switch v := ingest.Status(strings.ToLower(strings.TrimSpace(s[i+1 : len(s)-1]))); v {
	case ingest.Accepted, ingest.Declined, ingest.Tentative, ingest.NeedsAction, ingest.Delegated:
		return strings.TrimSpace(s[:i]), v, true
	}
	return "", "", false
}

var layouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00", "2006-01-02T15:04Z07:00"}

var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"}

func (f *File) parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("a time is required, e.g. 2026-03-02T09:00:00Z")
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			if f.Zone == nil {
				return time.Time{}, fmt.Errorf("%q has no UTC offset; write one, e.g. %sZ or %s+01:00", s, s, s)
			}
			t, _ = time.ParseInLocation(l, s, f.Zone)
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time such as 2026-03-02T09:00:00Z", s)
}
