package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar/icsfeed"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
)

// DefaultEvery is how often each connection is synced.
const DefaultEvery = 15 * time.Minute

// Worker syncs due connections: inside `rhythm serve` every round, and on
// demand. Several servers over one database each take different
// connections: a connection is claimed before it is synced.
type Worker struct {
	Store Store
	Box   *secret.Box
	HTTP  *http.Client // an outbound.Policy client
	// MaxBytes bounds one calendar download (0: outbound.DefaultMaxBytes).
	MaxBytes int64
	// Resolver returns the identity resolver of a team (its roster and
	// pseudonym key).
	Resolver func(ctx context.Context, teamID int64) (*ingest.Resolver, error)
	ID       string        // names this server in claims
	Every    time.Duration // 0: DefaultEvery
	// Back and Ahead bound the instances kept around now (0: 183 days back,
	// 92 days ahead: two quarters of history, a quarter of plans).
	Back, Ahead time.Duration
	Now         func() time.Time
	Log         *slog.Logger
}

func (w *Worker) defaults() {
	if w.Every <= 0 {
		w.Every = DefaultEvery
	}
	if w.Back <= 0 {
		w.Back = 183 * 24 * time.Hour
	}
	if w.Ahead <= 0 {
		w.Ahead = 92 * 24 * time.Hour
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.ID == "" {
		w.ID = "rhythm"
	}
}

// claimFor bounds how long one sync may hold a connection; a server that
// stops mid-sync frees it after this.
const claimFor = 10 * time.Minute

// RoundStats counts what one round did.
type RoundStats struct {
	Synced, Unchanged, Failed int
}

// Round syncs every connection due now, a few at a time.
func (w *Worker) Round(ctx context.Context) (RoundStats, error) {
	w.defaults()
	var st RoundStats
	for {
		now := w.Now()
		due, err := w.Store.ClaimCalendarSyncs(ctx, w.ID, now, now.Add(claimFor), 4)
		if err != nil || len(due) == 0 {
			return st, err
		}
		for i := range due {
			o := w.Sync(ctx, &due[i])
			switch {
			case o.Result == nil:
				st.Failed++
			case o.Result.Unchanged:
				st.Unchanged++
			default:
				st.Synced++
			}
			if err := w.Store.FinishCalendarSync(ctx, due[i].ID, w.ID, o); err != nil && rhythm.ErrorCode(err) != rhythm.ECONFLICT {
				return st, err
			}
		}
	}
}

// Sync syncs one claimed connection and says how it went and when to sync
// it again: after Every, or after a backoff that grows with each failure.
func (w *Worker) Sync(ctx context.Context, rec *Record) Outcome {
	w.defaults()
	now := w.Now()
	res, err := w.sync(ctx, rec, now)
	if err != nil {
		msg := Describe(err)
		w.Log.Warn("calendar sync failed", "calendar", rec.ID, "team", rec.TeamID, "host", rec.Host, "failures", rec.Failures+1, "err", msg)
		return Outcome{Error: msg, At: now, Next: now.Add(backoff(rec.Failures+1, w.Every))}
	}
	w.Log.Info("calendar synced", "calendar", rec.ID, "team", rec.TeamID, "host", rec.Host, "unchanged", res.Unchanged,
		"changed", len(res.Replace), "deleted", len(res.Delete), "requests", res.Requests, "warnings", res.Stats.Skipped[icsevents.Warning]+res.Stats.Warned[icsevents.Warning])
	return Outcome{Result: res, At: now, Next: now.Add(w.Every)}
}

func (w *Worker) sync(ctx context.Context, rec *Record, now time.Time) (*Result, error) {
	conn, err := Open(w.Box, rec)
	if err != nil {
		return nil, err
	}
	if conn.Objects, err = w.Store.CalendarObjects(ctx, rec.ID); err != nil {
		return nil, err
	}
	res, err := w.Resolver(ctx, rec.TeamID)
	if err != nil {
		return nil, err
	}
	s := &Syncer{HTTP: w.HTTP, MaxBytes: w.MaxBytes, From: now.Add(-w.Back), To: now.Add(w.Ahead), Resolver: res}
	return s.Sync(ctx, conn)
}

// backoff is the wait after n failures in a row: a minute, doubling, at
// most every (a failing calendar is not tried more often than a working
// one would be after an hour of failures).
func backoff(n int, every time.Duration) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < every; i++ {
		d *= 2
	}
	return min(d, max(every, time.Minute))
}

// Run syncs due connections every minute until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("calendar sync round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// The contexts sealed values are bound to: a value copied to another
// team's row does not open.
func urlContext(teamID int64) string      { return fmt.Sprintf("calendar:%d:url", teamID) }
func passwordContext(teamID int64) string { return fmt.Sprintf("calendar:%d:password", teamID) }

// NewRecord checks what a person typed to connect a calendar and returns
// the record to store, with the link and password sealed and only the host
// and the last 4 characters kept in the clear.
func NewRecord(box *secret.Box, teamID int64, member string, kind Kind, link, username, password, cal, calName string) (Record, error) {
	r := Record{TeamID: teamID, Member: member, Kind: kind, Username: username, Calendar: cal, CalendarName: calName}
	switch kind {
	case ICS:
		if link == "" {
			return r, rhythm.Errorf(rhythm.EINVALID, "--ics-url: give the calendar's secret link")
		}
		r.Hint = last4(link)
	case CalDAV:
		if link == "" || username == "" || password == "" {
			return r, rhythm.Errorf(rhythm.EINVALID, "--caldav: give the server URL, --username and the app password")
		}
		r.Hint = last4(password)
	default:
		return r, rhythm.Errorf(rhythm.EINVALID, "unknown calendar kind %q (ics or caldav)", kind)
	}
	r.Host = hostOf(link)
	if r.Host == "" {
		return r, rhythm.Errorf(rhythm.EINVALID, "%s is not a URL", outbound.Redact(link))
	}
	r.URLSealed = box.Seal([]byte(link), urlContext(teamID))
	if password != "" {
		r.PasswordSealed = box.Seal([]byte(password), passwordContext(teamID))
	}
	return r, nil
}

// Open unseals a record's credentials for a sync.
func Open(box *secret.Box, r *Record) (*Connection, error) {
	link, err := box.Open(r.URLSealed, urlContext(r.TeamID))
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "calendar %d: the stored link does not open with this server's secret key (was the key changed? every server needs the same --secret-key-file)", r.ID)
	}
	c := &Connection{ID: r.ID, TeamID: r.TeamID, Member: r.Member, Kind: r.Kind, URL: string(link), Username: r.Username,
		Calendar: r.Calendar, ETag: r.ETag, LastModified: r.LastModified, SyncToken: r.SyncToken}
	if r.PasswordSealed != "" {
		pw, err := box.Open(r.PasswordSealed, passwordContext(r.TeamID))
		if err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "calendar %d: the stored password does not open with this server's secret key", r.ID)
		}
		c.Password = string(pw)
	}
	return c, nil
}

func last4(s string) string {
	r := []rune(s)
	if len(r) <= 8 {
		return "" // too short to show any of it
	}
	return string(r[len(r)-4:])
}

func hostOf(link string) string { return icsfeed.Host(link) }
