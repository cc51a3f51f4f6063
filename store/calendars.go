package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

const calendarColumns = `id, team_id, member, kind, host, hint, url_sealed, username, password_sealed, calendar, calendar_name,
	import_id, etag, last_modified, sync_token, events, last_success_at, last_attempt_at, last_error, failures, next_sync_at, created_at`

func scanCalendar(s scanner) (calendar.Record, error) {
	var (
		c                                   calendar.Record
		kind                                string
		success, attempt, next, createdUnix int64
	)
	err := s.Scan(&c.ID, &c.TeamID, &c.Member, &kind, &c.Host, &c.Hint, &c.URLSealed, &c.Username, &c.PasswordSealed,
		&c.Calendar, &c.CalendarName, &c.ImportID, &c.ETag, &c.LastModified, &c.SyncToken, &c.Events,
		&success, &attempt, &c.LastError, &c.Failures, &next, &createdUnix)
	c.Kind = calendar.Kind(kind)
	c.LastSuccess, c.LastAttempt, c.NextSync, c.CreatedAt = fromUnix(success), fromUnix(attempt), fromUnix(next), fromUnix(createdUnix)
	return c, err
}

// CreateCalendarConnection stores a new connection, due for its first sync
// now. Its interactions hang on an import row of their own, so that the
// imports list shows the calendar and removing it removes them.
func (db *DB) CreateCalendarConnection(ctx context.Context, c calendar.Record) (calendar.Record, error) {
	now := db.Now()
	c.CreatedAt, c.NextSync = fromUnix(now.Unix()), fromUnix(now.Unix())
	var tag [8]byte
	rand.Read(tag[:])
	err := db.InTx(ctx, func(tx *Tx) error {
		name := "calendar " + c.Host
		if c.Member != "" {
			name += " of " + c.Member
		}
		var err error
		c.ImportID, err = tx.InsertID(ctx, `INSERT INTO imports (team_id, name, format, content_hash, read_count, stored, skipped, skipped_reasons, notes, created_at)
			VALUES (?, ?, ?, ?, 0, 0, 0, '{}', '[]', ?)`, c.TeamID, name, "calendar-"+string(c.Kind), "calendar:"+hex.EncodeToString(tag[:]), now.Unix())
		if err != nil {
			return err
		}
		c.ID, err = tx.InsertID(ctx, `INSERT INTO calendar_connections (team_id, member, kind, host, hint, url_sealed, username, password_sealed,
			calendar, calendar_name, import_id, next_sync_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.TeamID, c.Member, string(c.Kind), c.Host, c.Hint, c.URLSealed, c.Username, c.PasswordSealed,
			c.Calendar, c.CalendarName, c.ImportID, now.Unix(), now.Unix())
		return err
	})
	return c, err
}

// CalendarConnections lists a team's connections (every team's when teamID
// is 0), in the order they were made.
func (db *DB) CalendarConnections(ctx context.Context, teamID int64) ([]calendar.Record, error) {
	var out []calendar.Record
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		if teamID == 0 {
			out, err = queryAll(ctx, tx, scanCalendar, `SELECT `+calendarColumns+` FROM calendar_connections ORDER BY id`)
		} else {
			out, err = queryAll(ctx, tx, scanCalendar, `SELECT `+calendarColumns+` FROM calendar_connections WHERE team_id = ? ORDER BY id`, teamID)
		}
		if err != nil {
			return err
		}
		return addCalendarWarnings(ctx, tx, out)
	})
	return out, err
}

// CalendarConnection returns one connection.
func (db *DB) CalendarConnection(ctx context.Context, id int64) (calendar.Record, error) {
	var c calendar.Record
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		c, err = scanCalendar(tx.QueryRow(ctx, `SELECT `+calendarColumns+` FROM calendar_connections WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "no calendar connection %d", id)
		}
		one := []calendar.Record{c}
		err = addCalendarWarnings(ctx, tx, one)
		c = one[0]
		return err
	})
	return c, err
}

// DeleteCalendarConnection removes a connection, its credentials and every
// interaction read from it.
func (db *DB) DeleteCalendarConnection(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var importID int64
		if err := tx.QueryRow(ctx, `SELECT import_id FROM calendar_connections WHERE id = ?`, id).Scan(&importID); err != nil {
			return notFound(err, "no calendar connection %d", id)
		}
		for _, q := range []string{
			`DELETE FROM calendar_connections WHERE id = ?`,
			`DELETE FROM interactions WHERE import_id = ?`,
			`DELETE FROM imports WHERE id = ?`,
		} {
			arg := id
			if q != `DELETE FROM calendar_connections WHERE id = ?` {
				arg = importID
			}
			if _, err := tx.Exec(ctx, q, arg); err != nil {
				return err
			}
		}
		return nil
	})
}

// CalendarObjects returns a connection's resources and their ETags.
func (db *DB) CalendarObjects(ctx context.Context, id int64) (map[string]string, error) {
	out := map[string]string{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT key, etag FROM calendar_objects WHERE connection_id = ?`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, e string
			if err := rows.Scan(&k, &e); err != nil {
				return err
			}
			out[k] = e
		}
		return rows.Err()
	})
	return out, err
}

// ClaimCalendarSyncs marks up to limit connections due at now as being
// synced by worker until until, and returns them. A connection is synced
// by one server at a time: a claim is taken only when none is held, or the
// last one ran out (its server stopped).
func (db *DB) ClaimCalendarSyncs(ctx context.Context, worker string, now, until time.Time, limit int) ([]calendar.Record, error) {
	return db.claimCalendars(ctx, worker, now, until, "next_sync_at <= ?", unix(now), limit)
}

// ClaimCalendarSync claims one connection now, due or not (a sync on
// demand). It returns ECONFLICT while another server syncs it.
func (db *DB) ClaimCalendarSync(ctx context.Context, worker string, id int64, now, until time.Time) (calendar.Record, error) {
	got, err := db.claimCalendars(ctx, worker, now, until, "id = ?", id, 1)
	if err != nil {
		return calendar.Record{}, err
	}
	if len(got) == 0 {
		if _, err := db.CalendarConnection(ctx, id); err != nil {
			return calendar.Record{}, err
		}
		return calendar.Record{}, rhythm.Errorf(rhythm.ECONFLICT, "calendar %d is being synced right now", id)
	}
	return got[0], nil
}

func (db *DB) claimCalendars(ctx context.Context, worker string, now, until time.Time, cond string, arg any, limit int) ([]calendar.Record, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []calendar.Record
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanCalendar, `WITH c AS MATERIALIZED (SELECT id FROM calendar_connections
				WHERE `+cond+` AND claimed_until < ? ORDER BY next_sync_at, id LIMIT ?`+lock+`)
			UPDATE calendar_connections SET claimed_by = ?, claimed_until = ?, last_attempt_at = ?
			WHERE claimed_until < ? AND id IN (SELECT id FROM c)
			RETURNING `+calendarColumns,
			arg, unix(now), limit, worker, unix(until), unix(now), unix(now))
		return err
	})
	return out, err
}

// FinishCalendarSync records a sync by worker: on success it applies the
// result in one transaction (changed resources replace their interactions,
// deleted ones lose them) and resets the failure count; on failure it
// keeps what is stored and notes the error. It changes nothing when
// worker no longer holds the claim.
func (db *DB) FinishCalendarSync(ctx context.Context, id int64, worker string, o calendar.Outcome) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var (
			teamID, importID int64
			holder           string
		)
		err := tx.QueryRow(ctx, `SELECT team_id, import_id, claimed_by FROM calendar_connections WHERE id = ?`+db.forUpdate(), id).Scan(&teamID, &importID, &holder)
		if err != nil {
			return notFound(err, "no calendar connection %d", id)
		}
		if holder != worker {
			return rhythm.Errorf(rhythm.ECONFLICT, "calendar %d: the sync claim of %s ran out", id, worker)
		}
		if o.Result == nil {
			_, err := tx.Exec(ctx, `UPDATE calendar_connections SET last_error = ?, failures = failures + 1, next_sync_at = ?,
				claimed_by = '', claimed_until = 0 WHERE id = ?`, o.Error, unix(o.Next), id)
			return err
		}
		if err := applySync(ctx, tx, id, teamID, importID, o.Result); err != nil {
			return err
		}
		var events int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM interactions WHERE import_id = ?`, importID).Scan(&events); err != nil {
			return err
		}
		r := o.Result
		if _, err := tx.Exec(ctx, `UPDATE imports SET stored = ?, read_count = ? WHERE id = ?`, events, events, importID); err != nil {
			return err
		}
		set := `events = ?, last_success_at = ?, last_error = '', failures = 0, next_sync_at = ?, claimed_by = '', claimed_until = 0`
		args := []any{events, unix(o.At), unix(o.Next)}
		if !r.Unchanged || r.ETag != "" || r.SyncToken != "" {
			set += `, etag = ?, last_modified = ?, sync_token = ?`
			args = append(args, r.ETag, r.LastModified, r.SyncToken)
		}
		_, err = tx.Exec(ctx, `UPDATE calendar_connections SET `+set+` WHERE id = ?`, append(args, id)...)
		return err
	})
}

// forUpdate locks the row read on PostgreSQL (SQLite has one writer).
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// applySync writes what one sync found. A first sync writes thousands of
// rows: its statements are prepared once and the interactions inserted
// syncedChunk at a time.
func applySync(ctx context.Context, tx *Tx, id, teamID, importID int64, r *calendar.Result) error {
	if r.Unchanged {
		return nil
	}
	del := func(key string) error {
		if _, err := tx.ExecPrepared(ctx, `DELETE FROM interactions WHERE import_id = ? AND object_key = ?`, importID, key); err != nil {
			return err
		}
		_, err := tx.ExecPrepared(ctx, `DELETE FROM calendar_objects WHERE connection_id = ? AND key = ?`, id, key)
		return err
	}
	if r.Full {
		if _, err := tx.Exec(ctx, `DELETE FROM interactions WHERE import_id = ?`, importID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_objects WHERE connection_id = ?`, id); err != nil {
			return err
		}
	}
	for _, k := range r.Delete {
		if err := del(k); err != nil {
			return err
		}
	}
	ins := syncedInserter{tx: tx, teamID: teamID, importID: importID}
	for _, o := range r.Replace {
		if !r.Full {
			if err := del(o.Key); err != nil {
				return err
			}
		}
		for i := range o.Interactions {
			if err := ins.add(ctx, o.Key, &o.Interactions[i]); err != nil {
				return err
			}
		}
		notes, err := warningNotes(o.Notes)
		if err != nil {
			return err
		}
		if _, err := tx.ExecPrepared(ctx, `INSERT INTO calendar_objects (connection_id, key, etag, warnings, warning_notes) VALUES (?, ?, ?, ?, ?)`,
			id, o.Key, o.ETag, o.Warnings, notes); err != nil {
			return err
		}
	}
	// A resource that could not be read keeps its interactions and its
	// ETag (so that it is read again), and takes its warnings.
	for _, o := range r.Broken {
		notes, err := warningNotes(o.Notes)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO calendar_objects (connection_id, key, etag, warnings, warning_notes) VALUES (?, ?, '', ?, ?)
			ON CONFLICT (connection_id, key) DO UPDATE SET warnings = excluded.warnings, warning_notes = excluded.warning_notes`,
			id, o.Key, o.Warnings, notes); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

func warningNotes(notes []string) (string, error) {
	if len(notes) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(notes)
	return string(b), err
}

// addCalendarWarnings sets the warnings of each connection in recs: those
// of its resources, the first calendar.MaxWarnings in words, in the order
// of their keys.
func addCalendarWarnings(ctx context.Context, tx *Tx, recs []calendar.Record) error {
	if len(recs) == 0 {
		return nil
	}
	at := make(map[int64]*calendar.Record, len(recs))
	ids := make([]any, len(recs))
	for i := range recs {
		at[recs[i].ID], ids[i] = &recs[i], recs[i].ID
	}
	rows, err := tx.Query(ctx, `SELECT connection_id, warnings, warning_notes FROM calendar_objects
		WHERE warnings > 0 AND connection_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY connection_id, key`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id    int64
			n     int
			notes string
			some  []string
		)
		if err := rows.Scan(&id, &n, &notes); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(notes), &some); err != nil {
			return fmt.Errorf("calendar %d: warnings: %w", id, err)
		}
		r := at[id]
		r.Warnings += n
		r.WarningNotes = append(r.WarningNotes, some[:min(len(some), calendar.MaxWarnings-len(r.WarningNotes))]...)
	}
	return rows.Err()
}

// syncedChunk is how many synced interactions one INSERT writes.
const syncedChunk = 100

// syncedInserter inserts a sync's interactions syncedChunk rows at a time.
type syncedInserter struct {
	tx               *Tx
	teamID, importID int64
	args             []any // of the rows not yet inserted
	n                int
}

func (s *syncedInserter) add(ctx context.Context, key string, in *ingest.Interaction) error {
	parts := appendParticipants(nil, in.Participants)
	s.args = append(s.args, s.teamID, s.importID, string(in.Source), in.ID, string(in.Mode), string(in.Kind), in.Start.UnixMicro(), in.End.UnixMicro(),
		flag(in.AllDay), in.Organizer, string(parts), in.Attendees(), in.Resources, in.ThreadID, in.InReplyTo, in.Channel,
		string(in.ChannelKind), flag(in.Recurring), key)
	if s.n++; s.n == syncedChunk {
		return s.flush(ctx)
	}
	return nil
}

func (s *syncedInserter) flush(ctx context.Context) error {
	if s.n == 0 {
		return nil
	}
	q := syncedInsertSQL(s.n)
	var err error
	if s.n == syncedChunk {
		_, err = s.tx.ExecPrepared(ctx, q, s.args...)
	} else {
		_, err = s.tx.Exec(ctx, q, s.args...)
	}
	s.args, s.n = s.args[:0], 0
	return err
}

func syncedInsertSQL(n int) string {
	row := "(" + strings.Repeat("?, ", len(interactionColumnList)) + "?)"
	return `INSERT INTO interactions (` + interactionColumns + `, object_key) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// CalendarBusy returns, for each member with a connected calendar, the
// meetings in [from, to) that the member did not decline: their busy time.
// connected lists those members, so that a slot finder can say who had no
// calendar to check.
func (db *DB) CalendarBusy(ctx context.Context, teamID int64, from, to time.Time) (busy map[string][]team.Interval, connected map[string]bool, err error) {
	busy, connected = map[string][]team.Interval{}, map[string]bool{}
	err = db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.member, i.mode, i.start_us, i.end_us, i.participants
			FROM calendar_connections c LEFT JOIN interactions i
				ON i.import_id = c.import_id AND i.start_us < ? AND i.end_us > ?
			WHERE c.team_id = ? AND c.member <> ''`, to.UnixMicro(), from.UnixMicro(), teamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				member      string
				mode, parts sql.NullString
				start, end  sql.NullInt64
			)
			if err := rows.Scan(&member, &mode, &start, &end, &parts); err != nil {
				return err
			}
			connected[member] = true
			if !mode.Valid {
				continue // a calendar with nothing in the window
			}
			in := ingest.Interaction{Mode: ingest.Mode(mode.String), Start: time.UnixMicro(start.Int64).UTC(), End: time.UnixMicro(end.Int64).UTC()}
			if in.Participants, err = parseParticipants(parts.String); err != nil {
				return err
			}
			busy[member] = append(busy[member], calendar.FromInteractions(member, []ingest.Interaction{in})...)
		}
		return rows.Err()
	})
	return busy, connected, err
}
