package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
)

// PseudonymKeySetting is the setting that holds the key of the pseudonyms
// given to people who are not on a roster. It is made when the database
// is created and never changes, so the same person keeps one pseudonym.
const PseudonymKeySetting = "pseudonym_key"

// PseudonymKey returns the database's pseudonym key.
func (db *DB) PseudonymKey(ctx context.Context) ([]byte, error) {
	v, err := db.Setting(ctx, PseudonymKeySetting)
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}

// ImportMeta describes a file to import.
type ImportMeta struct {
	Name   string // file name shown to people
	Format string // slack, mbox, ics, csv
	// Hash identifies the content (e.g. SHA-256 in hex): a team imports
	// the same content once.
	Hash string
}

// Import is one stored import and what it read.
type Import struct {
	ID             int64          `json:"id"`
	TeamID         int64          `json:"team_id"`
	Name           string         `json:"name"`
	Format         string         `json:"format"`
	Hash           string         `json:"content_hash"`
	Read           int            `json:"read"`
	Stored         int            `json:"stored"`
	Skipped        int            `json:"skipped"`
	SkippedReasons map[string]int `json:"skipped_reasons"`
	Notes          []ingest.Note  `json:"notes,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	// Duplicate is set when the content was imported before: nothing
	// changed, and the other fields describe the earlier import.
	Duplicate bool `json:"duplicate,omitempty"`
}

// ImportFunc reads an input and calls emit for each interaction.
type ImportFunc func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error)

// importCacheKiB is SQLite's page cache during an import.
const importCacheKiB = 24 << 10

// skipStoredBefore is the skip reason of a chat message the team has
// stored already.
const skipStoredBefore = "stored before"

// batchRows is how many interactions are written at once.
const batchRows = 4096

const interactionColumns = "team_id, import_id, source, ext_id, mode, kind, start_us, end_us, all_day, organizer, participants, attendees, resources, thread_id, in_reply_to, channel, channel_kind, recurring"

var interactionColumnList = strings.Split(strings.ReplaceAll(interactionColumns, " ", ""), ",")

// ImportInteractions stores what read emits as one import of the team, in
// one transaction: if read fails, nothing is stored. Content that the team
// imported before is not read again; the earlier import is returned with
// Duplicate set.
func (db *DB) ImportInteractions(ctx context.Context, teamID int64, meta ImportMeta, read ImportFunc) (Import, error) {
	if meta.Hash == "" {
		return Import{}, rhythm.Errorf(rhythm.EINVALID, "an import needs a content hash")
	}
	imp := Import{TeamID: teamID, Name: meta.Name, Format: meta.Format, Hash: meta.Hash, CreatedAt: time.Unix(db.Now().Unix(), 0).UTC()}
	run := func(tx importTx) error {
		if prev, ok, err := findImport(ctx, tx, teamID, meta.Hash); err != nil {
			return err
		} else if ok {
			imp = prev
			imp.Duplicate = true
			return nil
		}
		var exists int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM teams WHERE id = ?", teamID).Scan(&exists); err != nil {
			return err
		} else if exists == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "team %d not found", teamID)
		}
		if err := tx.queryRow(ctx, `INSERT INTO imports (team_id, name, format, content_hash, read_count, stored, skipped, skipped_reasons, notes, created_at)
			VALUES (?, ?, ?, ?, 0, 0, 0, '{}', '[]', ?) RETURNING id`, teamID, meta.Name, meta.Format, meta.Hash, imp.CreatedAt.Unix()).Scan(&imp.ID); err != nil {
			return err
		}
		// Rows are written by a goroutine of their own while the next
		// batch fills: reading and writing overlap.
		w := newBatchWriter(ctx, tx)
		b := w.take()
		var buf []byte
		// Values that repeat from row to row are boxed once.
		var team, id any = teamID, imp.ID
		enums := map[string]any{}
		enum := func(s string) any {
			v, ok := enums[s]
			if !ok {
				v = s
				enums[s] = v
			}
			return v
		}
		emitted := 0
		st, err := read(ctx, func(in ingest.Interaction) error {
			emitted++
			buf = appendParticipants(buf[:0], in.Participants)
			b.add(team, id, enum(string(in.Source)), in.ID, enum(string(in.Mode)), enum(string(in.Kind)),
				in.Start.UnixMicro(), in.End.UnixMicro(), flag(in.AllDay), in.Organizer, string(buf), in.Attendees(), in.Resources,
				in.ThreadID, in.InReplyTo, in.Channel, enum(string(in.ChannelKind)), flag(in.Recurring))
			if b.full() {
				if b = w.write(b); b == nil {
					return w.wait()
				}
			}
			return nil
		})
		if b != nil && err == nil {
			w.write(b)
		}
		if werr := w.wait(); err == nil {
			err = werr
		}
		if err != nil {
			return err
		}
		imp.Read, imp.Skipped, imp.SkippedReasons, imp.Notes = st.Read, st.SkippedTotal(), st.Skipped, st.Notes
		if imp.SkippedReasons == nil {
			imp.SkippedReasons = map[string]int{}
		}
		// Chat messages the team has already (from an overlapping or
		// differently packed export) are not stored again.
		imp.Stored = tx.inserted()
		if dup := emitted - imp.Stored; dup > 0 {
			imp.SkippedReasons[skipStoredBefore] += dup
			imp.Skipped += dup
		}
		reasons, _ := json.Marshal(imp.SkippedReasons)
		notes, _ := json.Marshal(orEmpty(imp.Notes))
		return tx.exec(ctx, "UPDATE imports SET read_count = ?, stored = ?, skipped = ?, skipped_reasons = ?, notes = ? WHERE id = ?",
			imp.Read, imp.Stored, imp.Skipped, string(reasons), string(notes), imp.ID)
	}
	err := db.inImportTx(ctx, run)
	if err != nil && db.isUnique(err) {
		// Another import of the same content won the race.
		err = db.inImportTx(ctx, func(tx importTx) error {
			prev, ok, err := findImport(ctx, tx, teamID, meta.Hash)
			if err == nil && !ok {
				err = fmt.Errorf("import of %s: lost a race but found no import", meta.Name)
			}
			imp, imp.Duplicate = prev, true
			return err
		})
	}
	if err != nil {
		return Import{}, err
	}
	return imp, nil
}

// batch is batchRows rows of interaction columns in one flat slice.
type batch struct {
	vals []any
	rows [][]any
}

func newBatch() *batch {
	b := &batch{vals: make([]any, 0, batchRows*len(interactionColumnList))}
	b.rows = make([][]any, 0, batchRows)
	return b
}

func (b *batch) add(vals ...any) {
	n := len(b.vals)
	b.vals = append(b.vals, vals...)
	b.rows = append(b.rows, b.vals[n:len(b.vals):len(b.vals)])
}

func (b *batch) full() bool { return len(b.rows) == batchRows }

func (b *batch) reset() {
	clear(b.vals)
	b.vals, b.rows = b.vals[:0], b.rows[:0]
}

// batchWriter writes batches in a goroutine of its own, two batches
// taking turns: one fills while the other is written.
type batchWriter struct {
	todo chan *batch
	free chan *batch
	done chan struct{}
	err  error       // read after done is closed
	bad  atomic.Bool // set when err is
}

func newBatchWriter(ctx context.Context, tx importTx) *batchWriter {
	w := &batchWriter{todo: make(chan *batch, 1), free: make(chan *batch, 2), done: make(chan struct{})}
	w.free <- newBatch()
	w.free <- newBatch()
	go func() {
		defer close(w.done)
		for b := range w.todo {
			if w.err == nil && len(b.rows) > 0 {
				w.err = tx.insertRows(ctx, b.rows)
				w.bad.Store(w.err != nil)
			}
			b.reset()
			w.free <- b
		}
	}()
	return w
}

// take returns an empty batch.
func (w *batchWriter) take() *batch { return <-w.free }

// write queues b and returns an empty batch, or nil once writing failed.
func (w *batchWriter) write(b *batch) *batch {
	w.todo <- b
	nb := <-w.free
	if w.bad.Load() {
		return nil
	}
	return nb
}

// wait writes what is queued and returns the first error.
func (w *batchWriter) wait() error {
	select {
	case <-w.done:
	default:
		close(w.todo)
		<-w.done
	}
	return w.err
}

func orEmpty(n []ingest.Note) []ingest.Note {
	if n == nil {
		return []ingest.Note{}
	}
	return n
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

const importColumns = "id, team_id, name, format, content_hash, read_count, stored, skipped, skipped_reasons, notes, created_at"

func scanImport(s scanner) (Import, error) {
	var (
		imp            Import
		reasons, notes string
		created        int64
	)
	if err := s.Scan(&imp.ID, &imp.TeamID, &imp.Name, &imp.Format, &imp.Hash, &imp.Read, &imp.Stored, &imp.Skipped, &reasons, &notes, &created); err != nil {
		return imp, err
	}
	imp.CreatedAt = time.Unix(created, 0).UTC()
	if err := firstErr(json.Unmarshal([]byte(reasons), &imp.SkippedReasons), json.Unmarshal([]byte(notes), &imp.Notes)); err != nil {
		return imp, fmt.Errorf("import %d: %w", imp.ID, err)
	}
	return imp, nil
}

func findImport(ctx context.Context, tx importTx, teamID int64, hash string) (Import, bool, error) {
	imp, err := scanImport(tx.queryRow(ctx, "SELECT "+importColumns+" FROM imports WHERE team_id = ? AND content_hash = ?", teamID, hash))
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return imp, false, nil
	}
	return imp, err == nil, err
}

// Imports returns the team's imports, newest first.
func (db *DB) Imports(ctx context.Context, teamID int64) ([]Import, error) {
	var out []Import
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanImport, "SELECT "+importColumns+" FROM imports WHERE team_id = ? ORDER BY id DESC", teamID)
		if err != nil {
			return err
		}
		for i := range out {
			if out[i].Hash == LiveSlackHash { // counted here, not per message
				if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM interactions WHERE import_id = ?", out[i].ID).Scan(&out[i].Stored); err != nil {
					return err
				}
				out[i].Read = out[i].Stored
			}
		}
		return nil
	})
	return out, err
}

// Interactions calls fn for each stored interaction of the team that
// starts in [from, to), in order of start. A zero from or to is open.
func (db *DB) Interactions(ctx context.Context, teamID int64, from, to time.Time, fn func(ingest.Interaction) error) error {
	lo, hi := int64(-1<<62), int64(1<<62)
	if !from.IsZero() {
		lo = from.UnixMicro()
	}
	if !to.IsZero() {
		hi = to.UnixMicro()
	}
	return db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT source, ext_id, mode, kind, start_us, end_us, all_day, organizer, participants, resources,
			thread_id, in_reply_to, channel, channel_kind, recurring FROM interactions
			WHERE team_id = ? AND start_us >= ? AND start_us < ? ORDER BY start_us, id`, teamID, lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				in                 ingest.Interaction
				source, mode, kind string
				ck, parts          string
				start, end         int64
				allDay, recurring  int
			)
			if err := rows.Scan(&source, &in.ID, &mode, &kind, &start, &end, &allDay, &in.Organizer, &parts, &in.Resources,
				&in.ThreadID, &in.InReplyTo, &in.Channel, &ck, &recurring); err != nil {
				return err
			}
			in.Source, in.Mode, in.Kind, in.ChannelKind = ingest.Source(source), ingest.Mode(mode), ingest.Kind(kind), ingest.ChannelKind(ck)
			in.Start, in.End = time.UnixMicro(start).UTC(), time.UnixMicro(end).UTC()
			in.AllDay, in.Recurring = allDay != 0, recurring != 0
			if in.Participants, err = parseParticipants(parts); err != nil {
				return fmt.Errorf("interaction %s: %w", in.ID, err)
			}
			if err := fn(in); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

type storedParticipant struct {
	ID     string `json:"id"`
	Member bool   `json:"member,omitempty"`
	Status string `json:"status,omitempty"`
}

// appendParticipants writes participants as a JSON array of objects.
func appendParticipants(b []byte, ps []ingest.Participant) []byte {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, p.ID)
		if p.Member {
			b = append(b, `,"member":true`...)
		}
		if p.Status != "" {
			b = append(b, `,"status":`...)
			b = appendJSONString(b, string(p.Status))
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func parseParticipants(s string) ([]ingest.Participant, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	var sp []storedParticipant
	if err := gojson.Unmarshal([]byte(s), &sp); err != nil {
		return nil, err
	}
	out := make([]ingest.Participant, len(sp))
	for i, p := range sp {
		out[i] = ingest.Participant{ID: p.ID, Member: p.Member, Status: ingest.Status(p.Status)}
	}
	return out, nil
}

// importTx is the transaction an import runs in: database/sql for SQLite,
// a native pgx transaction for PostgreSQL so that rows go in with COPY.
type importTx interface {
	exec(ctx context.Context, q string, args ...any) error
	queryRow(ctx context.Context, q string, args ...any) scanner
	// insertRows inserts rows, leaving out chat messages stored already.
	insertRows(ctx context.Context, rows [][]any) error
	// inserted returns how many rows insertRows inserted.
	inserted() int
}

func (db *DB) inImportTx(ctx context.Context, fn func(importTx) error) error {
	if db.dialect != Postgres {
		return db.InTx(ctx, func(tx *Tx) error {
			// A larger page cache for the import keeps the start-time index's
			// pages from being spilled and read back again and again.
			if _, err := tx.Exec(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
				return err
			}
			defer tx.Exec(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
			return fn(&sqlImportTx{tx: tx})
		})
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected PostgreSQL driver connection %T", dc)
		}
		tx, err := c.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := fn(&pgImportTx{tx: tx, db: db}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

type sqlImportTx struct {
	tx    *Tx
	stmt  *sql.Stmt
	nrows int
}

func (t *sqlImportTx) inserted() int { return t.nrows }

func (t *sqlImportTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, q, args...)
	return err
}

func (t *sqlImportTx) queryRow(ctx context.Context, q string, args ...any) scanner {
	return t.tx.QueryRow(ctx, q, args...)
}

// sqliteChunk is how many rows one INSERT statement writes.
const sqliteChunk = 100

func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO interactions (" + interactionColumns + ") VALUES ")
	row := "(" + strings.Repeat("?, ", len(interactionColumnList)-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	return b.String()
}

func (t *sqlImportTx) insertRows(ctx context.Context, rows [][]any) error {
	args := make([]any, 0, sqliteChunk*len(interactionColumnList))
	for len(rows) > 0 {
		n := min(len(rows), sqliteChunk)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if n == sqliteChunk {
			if t.stmt == nil {
				st, err := t.tx.Raw().PrepareContext(ctx, insertSQL(sqliteChunk))
				if err != nil {
					return err
				}
				t.stmt = st
			}
			res, err := t.stmt.ExecContext(ctx, args...)
			if err != nil {
				return err
			}
			t.count(res)
		} else {
			res, err := t.tx.Exec(ctx, insertSQL(n), args...)
			if err != nil {
				return err
			}
			t.count(res)
		}
		rows = rows[n:]
	}
	return nil
}

func (t *sqlImportTx) count(res sql.Result) {
	n, _ := res.RowsAffected()
	t.nrows += int(n)
}

type pgImportTx struct {
	tx     pgx.Tx
	db     *DB
	staged bool
	nrows  int
}

func (t *pgImportTx) inserted() int { return t.nrows }

func (t *pgImportTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, t.db.rebind(q), args...)
	return err
}

func (t *pgImportTx) queryRow(ctx context.Context, q string, args ...any) scanner {
	return t.tx.QueryRow(ctx, t.db.rebind(q), args...)
}

// insertRows copies rows into a staging table, then moves them on, as COPY
// cannot leave out rows that are there already.
func (t *pgImportTx) insertRows(ctx context.Context, rows [][]any) error {
	if !t.staged {
		if _, err := t.tx.Exec(ctx, "CREATE TEMP TABLE import_rows ON COMMIT DROP AS SELECT "+interactionColumns+" FROM interactions WITH NO DATA"); err != nil {
			return err
		}
		t.staged = true
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, interactionColumnList, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	tag, err := t.tx.Exec(ctx, "INSERT INTO interactions ("+interactionColumns+") SELECT "+interactionColumns+" FROM import_rows ON CONFLICT DO NOTHING")
	if err != nil {
		return err
	}
	t.nrows += int(tag.RowsAffected())
	_, err = t.tx.Exec(ctx, "TRUNCATE import_rows")
	return err
}
