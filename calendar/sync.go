// Package calendar keeps live calendars in step: a connection is a
// calendar subscription link (ICS) or a CalDAV calendar, and a sync turns
// what changed since the last one into interactions, the same record every
// importer produces, keyed by the calendar resource they came from so that
// a changed event replaces its instances and a deleted one removes them.
// Fetching is done by calendar/icsfeed and calendar/caldav, reading by
// ical/ through ingest/icsevents: one reader for every source.
package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar/caldav"
	"github.com/rhythm-team/rhythm/calendar/icsfeed"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
)

// Kind is how a connection reads its calendar.
type Kind string

// The kinds of connection.
const (
	ICS    Kind = "ics"    // a subscription link serving iCalendar
	CalDAV Kind = "caldav" // a calendar on a CalDAV server
)

// Connection is what a sync needs to know about one calendar, with its
// credentials already opened.
type Connection struct {
	ID     int64
	TeamID int64
	Member string // the member whose calendar it is; "" for a team calendar
	Kind   Kind
	// URL is the subscription link (ICS) or the CalDAV server URL.
	URL      string
	Username string
	Password string
	// Calendar is the CalDAV calendar's path, chosen when connecting.
	Calendar string
	// State of the last successful sync.
	ETag, LastModified string            // ICS validators
	SyncToken          string            // CalDAV RFC 6578 token
	Objects            map[string]string // CalDAV resource href → ETag
}

// Object is one calendar resource after a sync: its key (the CalDAV href,
// or "" for the whole of an ICS link), its ETag and its instances.
type Object struct {
	Key          string
	ETag         string
	Interactions []ingest.Interaction
	// Warnings counts what reading it left out or read doubtfully; Notes
	// are the first MaxWarnings of them in plain words (see WarningNotes).
	Warnings int
	Notes    []string
}

// Result is what one sync found.
type Result struct {
	// Unchanged is true when the server said nothing changed; nothing
	// else is set then but the counts.
	Unchanged bool
	// Replace holds the objects added or changed: each replaces every
	// interaction stored under its key.
	Replace []Object
	// Delete holds keys whose interactions are removed.
	Delete []string
	// Broken holds the objects that could not be read at all: their
	// interactions stay as they were, and only their warnings are kept.
	Broken []Object
	// Full is true when Replace holds every object of the calendar, so
	// that any stored key not in it is gone too.
	Full bool
	// New state to store for the next sync.
	ETag, LastModified, SyncToken string
	// Requests counts the HTTP requests the sync sent.
	Requests int
	// Stats of reading the calendar data.
	Stats ingest.Stats
}

// Syncer syncs connections.
type Syncer struct {
	HTTP *http.Client // an outbound.Policy client
	// MaxBytes bounds one calendar download (0: the outbound default).
	MaxBytes int64
	// From and To bound the instances kept.
	From, To time.Time
	// Resolver maps attendees to roster members or pseudonyms.
	Resolver *ingest.Resolver
	// SeparateData makes a CalDAV sync list the changes first and then
	// download them (calendar-multiget), as for a server that does not
	// send calendar data with sync-collection; tests use it.
	SeparateData bool
}

// Sync reads what changed in c's calendar since its last sync.
func (s *Syncer) Sync(ctx context.Context, c *Connection) (*Result, error) {
	switch c.Kind {
	case ICS:
		return s.syncICS(ctx, c)
	case CalDAV:
		return s.syncCalDAV(ctx, c)
	}
	return nil, rhythm.Errorf(rhythm.EINVALID, "calendar %d: unknown kind %q", c.ID, c.Kind)
}

func (s *Syncer) syncICS(ctx context.Context, c *Connection) (*Result, error) {
	f := &icsfeed.Fetcher{Client: s.HTTP, MaxBytes: s.MaxBytes}
	got, err := f.Fetch(ctx, c.URL, icsfeed.Validators{ETag: c.ETag, LastModified: c.LastModified})
	if err != nil {
		return nil, err
	}
	res := &Result{Requests: 1, ETag: got.Validators.ETag, LastModified: got.Validators.LastModified}
	if got.NotModified {
		res.Unchanged = true
		return res, nil
	}
	var st ingest.Stats
	ins, err := s.read(ctx, got.Body, "calendar link", &st)
	if err != nil {
		return nil, err
	}
	res.Stats.Add(st)
	res.Full = true
	o := Object{Key: "", ETag: got.Validators.ETag, Interactions: ins}
	o.Warnings, o.Notes = WarningNotes(st)
	res.Replace = []Object{o}
	return res, nil
}

func (s *Syncer) syncCalDAV(ctx context.Context, c *Connection) (*Result, error) {
	cl, err := caldav.New(s.HTTP, c.URL, c.Username, c.Password)
	if err != nil {
		return nil, err
	}
	cl.MaxBytes = s.MaxBytes
	res := &Result{}
	defer func() { res.Requests = cl.Requests }()
	ch, err := s.changes(ctx, cl, c)
	if err != nil {
		return nil, err
	}
	res.SyncToken, res.Delete = ch.token, ch.deleted
	if len(ch.changed) == 0 && len(ch.deleted) == 0 {
		res.Unchanged = true
		return res, nil
	}
	// What the server sent with the changes is read as it is; the rest is
	// downloaded.
	var objs, missing []caldav.Object
	var fetch []string
	for _, href := range ch.changed {
		if d, ok := ch.data[href]; ok {
			objs = append(objs, caldav.Object{Href: href, ETag: ch.etags[href], Data: d})
		} else {
			fetch = append(fetch, href)
		}
	}
	if len(fetch) > 0 {
		if missing, err = cl.Get(ctx, c.Calendar, fetch); err != nil {
			return nil, err
		}
		objs = append(objs, missing...)
	}
	for _, o := range objs {
		var st ingest.Stats
		ins, err := s.read(ctx, o.Data, o.Href, &st)
		if err != nil {
			// One broken event does not stop the calendar: it is noted
			// and its old instances stay until it is fixed.
			st.Note(icsevents.Warning, fmt.Sprintf("%s: %s", o.Href, rhythm.ErrorMessage(err)))
			b := Object{Key: o.Href}
			b.Warnings, b.Notes = WarningNotes(st)
			res.Broken = append(res.Broken, b)
			res.Stats.Add(st)
			continue
		}
		res.Stats.Add(st)
		r := Object{Key: o.Href, ETag: o.ETag, Interactions: ins}
		r.Warnings, r.Notes = WarningNotes(st)
		res.Replace = append(res.Replace, r)
	}
	return res, nil
}

// changeSet is what the server said changed since the last sync.
type changeSet struct {
	changed []string          // hrefs added or modified, sorted
	etags   map[string]string // their ETags
	data    map[string][]byte // bodies the server sent with the changes
	deleted []string          // hrefs removed, sorted
	token   string
}

// changes asks the server what changed: by sync-collection where it has it
// (a token it no longer knows starts over), else by comparing ETags.
func (s *Syncer) changes(ctx context.Context, cl *caldav.Client, c *Connection) (*changeSet, error) {
	restart := c.SyncToken == ""
	withData := !s.SeparateData
	ch, err := cl.Sync(ctx, c.Calendar, c.SyncToken, withData)
	if errors.Is(err, caldav.ErrTokenExpired) {
		restart = true
		ch, err = cl.Sync(ctx, c.Calendar, "", withData)
	}
	var list map[string]string
	switch {
	case err == nil:
		list = ch.Changed
	case !errors.Is(err, caldav.ErrNoSync):
		return nil, err
	default:
		// No sync-collection: every resource and its ETag, compared.
		if list, err = cl.List(ctx, c.Calendar); err != nil {
			return nil, err
		}
		restart = true
		ch = &caldav.Changes{}
	}
	cs := &changeSet{etags: list, data: ch.Data, token: ch.Token}
	for href, etag := range list {
		if old, ok := c.Objects[href]; !ok || old != etag || etag == "" {
			cs.changed = append(cs.changed, href)
		}
	}
	if restart {
		// A first sync, a restart or a full listing: anything not listed
		// is gone.
		for href := range c.Objects {
			if _, ok := list[href]; !ok {
				cs.deleted = append(cs.deleted, href)
			}
		}
	}
	cs.deleted = append(cs.deleted, ch.Deleted...)
	sort.Strings(cs.changed)
	sort.Strings(cs.deleted)
	return cs, nil
}

// read turns one calendar body into interactions in the sync window.
func (s *Syncer) read(ctx context.Context, data []byte, name string, st *ingest.Stats) ([]ingest.Interaction, error) {
	f := icsevents.New(bytes.NewReader(data), name, s.Resolver)
	f.From, f.To = s.From, s.To
	var out []ingest.Interaction
	fst, err := f.Import(ctx, func(in ingest.Interaction) error {
		out = append(out, in)
		return nil
	})
	st.Add(fst)
	return out, err
}

// Describe says in plain words why a sync failed, for the connection's
// state: the server's answer, never the secret link or password.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	msg := rhythm.ErrorMessage(err)
	if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
		msg = err.Error()
	}
	return strings.Join(strings.Fields(msg), " ")
}

// MaxWarnings is how many warnings of a sync a connection keeps in words,
// and maxWarningLen how long each may be.
const (
	MaxWarnings   = 5
	maxWarningLen = 200
)

// WarningNotes returns how many calendar warnings st holds and the first
// MaxWarnings of them in plain words, as a connection keeps them: each names
// the calendar resource, line and event UID, on one line of at most
// maxWarningLen bytes (icsevents keeps no content line's text in them).
func WarningNotes(st ingest.Stats) (int, []string) {
	var notes []string
	for _, n := range st.Notes {
		if n.Reason != icsevents.Warning || len(notes) == MaxWarnings {
			continue
		}
		w := strings.Map(func(r rune) rune {
			if !unicode.IsPrint(r) {
				return ' '
			}
			return r
		}, n.Where)
		w = strings.Join(strings.Fields(w), " ")
		if len(w) > maxWarningLen {
			cut := maxWarningLen - len("…")
			for cut > 0 && !utf8.RuneStart(w[cut]) {
				cut--
			}
			w = w[:cut] + "…"
		}
		notes = append(notes, w)
	}
	return st.Skipped[icsevents.Warning] + st.Warned[icsevents.Warning], notes
}
