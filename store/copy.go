package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rhythm-team/rhythm"
)

// TableSum is the row count and content checksum of one table. Equal sums
// mean equal contents, whichever dialect holds them.
type TableSum struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	Sum   string `json:"sum"`
}

// CopyOptions tune Copy.
type CopyOptions struct {
	// Force replaces the contents of a target that holds rows already.
	Force bool
	// Progress, if set, is called as rows are copied with the table and
	// the rows of it copied so far.
	Progress func(table string, rows int64)
}

// snapshot begins a read-only transaction that sees one consistent state
// of the database for as long as it lasts.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	return tx, db.unavailable(err)
}

// Checksums returns the row count and checksum of every table, all read in
// one snapshot, in dependency order.
func (db *DB) Checksums(ctx context.Context) ([]TableSum, error) {
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	tables, err := discover(ctx, tx, db.dialect)
	if err != nil {
		return nil, err
	}
	out := make([]TableSum, 0, len(tables))
	for _, t := range tables {
		s, err := checksum(ctx, tx, db.dialect, t, t.cols)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// checksum reads every row of t in key order and sums it.
func checksum(ctx context.Context, q querier, dialect string, t table, cols []column) (TableSum, error) {
	rows, err := q.QueryContext(ctx, orderedSelect(dialect, t, cols))
	if err != nil {
		return TableSum{}, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	s := newRowStream(t.name, rows, len(cols), nil)
	for s.Next() {
	}
	if err := s.Err(); err != nil {
		return TableSum{}, fmt.Errorf("read %s: %w", t.name, err)
	}
	return s.sum(), nil
}

// Copy copies every table of src into dst, which must have the same
// schema: src is read in one snapshot, dst is written in one transaction,
// and before that transaction commits every table's row count and
// checksum are compared with the source's. A dst that holds rows already
// is refused (ECONFLICT) unless opt.Force is set, which replaces its
// contents. A copy that fails changes nothing in dst, so it can be run
// again. On PostgreSQL, rows go in with COPY and identity sequences are
// moved past the largest id.
func Copy(ctx context.Context, src, dst *DB, opt CopyOptions) ([]TableSum, error) {
	for _, db := range []*DB{src, dst} {
		if err := db.Ready(ctx); err != nil {
			return nil, err
		}
	}
	seed, err := seeded(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	stx, err := src.snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer stx.Rollback()
	tables, err := discover(ctx, stx, src.dialect)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}

	conn, err := dst.sql.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("target: %w", dst.unavailable(err))
	}
	defer conn.Close()
	ttx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("target: %w", dst.unavailable(err))
	}
	defer ttx.Rollback()
	if dst.dialect == SQLite {
		// Rows of a table that refers to itself may come before the rows
		// they refer to; the check runs at commit.
		if _, err := ttx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
			return nil, err
		}
	}
	dtables, err := discover(ctx, ttx, dst.dialect)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	if err := sameSchema(tables, dtables); err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "source and target schemas differ (%v); run the same rhythm version on both", err)
	}
	dstTable := map[string]table{}
	for _, t := range dtables {
		dstTable[t.name] = t
	}

	if err := clearTarget(ctx, ttx, dst.dialect, dtables, opt.Force, seed); err != nil {
		return nil, err
	}
	var sums []TableSum
	for _, t := range tables {
		s, err := copyTable(ctx, src.dialect, stx, dst.dialect, conn, ttx, t, dstTable[t.name], opt.Progress)
		if err != nil {
			return nil, err
		}
		sums = append(sums, s)
	}
	if dst.dialect == Postgres {
		if err := resetSequences(ctx, ttx, dtables); err != nil {
			return nil, err
		}
	}
	for i, t := range tables {
		got, err := checksum(ctx, ttx, dst.dialect, dstTable[t.name], t.cols)
		if err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
		if got != sums[i] {
			return nil, fmt.Errorf("verify %s: the target has %d rows (sum %.16s), the source %d (sum %.16s); nothing was written",
				t.name, got.Rows, got.Sum, sums[i].Rows, sums[i].Sum)
		}
	}
	if err := ttx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", dst.unavailable(err))
	}
	return sums, nil
}

// seeded returns the row count and checksum of every table in a freshly
// opened database: the rows that migrations and Open insert (seed rows,
// generated keys), which a new database holds before anyone used it.
func seeded(ctx context.Context) (map[string]TableSum, error) {
	dir, err := os.MkdirTemp("", "rhythm-seeded-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := Open(ctx, filepath.Join(dir, "seeded.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sums, err := db.Checksums(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]TableSum, len(sums))
	for _, s := range sums {
		out[s.Table] = s
	}
	return out, nil
}

// clearTarget empties the target's tables. A table with no more rows than
// a new database has (rows that migrations seed, keys made at start-up)
// is emptied as a matter of course, since the source has its own; a table
// with more rows holds data of its own and is refused unless force.
func clearTarget(ctx context.Context, tx *sql.Tx, dialect string, tables []table, force bool, seed map[string]TableSum) error {
	var full, filled []string
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t.name)).Scan(&n); err != nil {
			return fmt.Errorf("target %s: %w", t.name, err)
		}
		if n == 0 {
			continue
		}
		filled = append(filled, t.name)
		if n > seed[t.name].Rows {
			full = append(full, t.name)
		}
	}
	if len(full) > 0 && !force {
		what := "table " + full[0] + " has"
		if len(full) > 1 {
			what = "tables " + strings.Join(full, ", ") + " have"
		}
		return rhythm.Errorf(rhythm.ECONFLICT, "the target database is not empty (%s rows); pass --force to replace its contents", what)
	}
	if len(filled) == 0 {
		return nil
	}
	if dialect == Postgres {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = quote(t.name)
		}
		_, err := tx.ExecContext(ctx, "TRUNCATE "+strings.Join(names, ", "))
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quote(tables[i].name)); err != nil {
			return fmt.Errorf("empty target %s: %w", tables[i].name, err)
		}
	}
	return nil
}

// copyTable streams one table from the source snapshot into the target
// transaction and returns the source's sum.
func copyTable(ctx context.Context, srcDialect string, stx *sql.Tx, dstDialect string, conn *sql.Conn, ttx *sql.Tx, st, dt table, progress func(string, int64)) (TableSum, error) {
	rows, err := stx.QueryContext(ctx, orderedSelect(srcDialect, st, st.cols))
	if err != nil {
		return TableSum{}, fmt.Errorf("read %s: %w", st.name, err)
	}
	defer rows.Close()
	kinds := make([]kind, len(st.cols))
	names := make([]string, len(st.cols))
	for i, c := range st.cols {
		tc, _ := dt.column(c.name)
		kinds[i], names[i] = tc.kind, c.name
	}
	s := newRowStream(st.name, rows, len(st.cols), kinds)
	if dstDialect == Postgres {
		s.nulFree = names
	}
	if progress != nil {
		s.progress = func(n int64) { progress(st.name, n) }
	}
	if dstDialect == Postgres {
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("unexpected PostgreSQL driver %T", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{st.name}, names, s)
			return err
		})
	} else {
		err = insertRows(ctx, ttx, st.name, names, s)
	}
	if s.err != nil {
		err = s.err // the cause, rather than how COPY reported it
	} else if err == nil {
		err = s.Err()
	}
	if err != nil {
		return TableSum{}, fmt.Errorf("copy %s: %w", st.name, err)
	}
	if progress != nil {
		progress(st.name, s.n)
	}
	return s.sum(), nil
}

func insertRows(ctx context.Context, tx *sql.Tx, name string, cols []string, s *rowStream) error {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quote(c)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+quote(name)+" ("+strings.Join(quoted, ", ")+") VALUES ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for s.Next() {
		if _, err := stmt.ExecContext(ctx, s.out...); err != nil {
			return err
		}
	}
	return nil
}

// resetSequences moves every identity sequence past the largest id, so
// that new rows do not collide with copied ones.
func resetSequences(ctx context.Context, tx *sql.Tx, tables []table) error {
	for _, t := range tables {
		for _, c := range t.cols {
			if !c.identity {
				continue
			}
			_, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX("+quote(c.name)+") FROM "+quote(t.name)+"), 0) + 1, false)",
				quote(t.name), c.name)
			if err != nil {
				return fmt.Errorf("sequence of %s.%s: %w", t.name, c.name, err)
			}
		}
	}
	return nil
}

// rowStream reads rows, sums them as they pass and converts their values
// for the target; it is the pgx.CopyFromSource of a PostgreSQL copy.
type rowStream struct {
	table    string
	rows     *sql.Rows
	vals     []any
	ptrs     []any
	kinds    []kind // target kinds; nil when only summing
	out      []any
	h        hash.Hash
	buf      []byte
	n        int64
	err      error
	progress func(int64)
	// nulFree names the columns when the target cannot store NUL bytes
	// (PostgreSQL): a row holding one is refused with its place named.
	nulFree []string
}

func newRowStream(table string, rows *sql.Rows, n int, kinds []kind) *rowStream {
	s := &rowStream{table: table, rows: rows, vals: make([]any, n), ptrs: make([]any, n), kinds: kinds, out: make([]any, n), h: sha256.New()}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	return s
}

// Next reads the next row; it implements pgx.CopyFromSource.
func (s *rowStream) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.err = err
		return false
	}
	s.buf = s.buf[:0]
	for i, v := range s.vals {
		s.buf = appendValue(s.buf, v)
		if s.kinds != nil {
			s.out[i], s.err = convert(v, s.kinds[i])
			if s.err != nil {
				return false
			}
			if str, ok := s.out[i].(string); ok && s.nulFree != nil && strings.IndexByte(str, 0) >= 0 {
				s.err = rhythm.Errorf(rhythm.EINVALID, "%s row %d, column %s: holds a NUL byte, which PostgreSQL cannot store; remove it from the source first",
					s.table, s.n+1, s.nulFree[i])
				return false
			}
		}
	}
	s.buf = append(s.buf, '\n')
	s.h.Write(s.buf)
	s.n++
	if s.progress != nil && s.n%10000 == 0 {
		s.progress(s.n)
	}
	return true
}

// Values returns the current row converted for the target.
func (s *rowStream) Values() ([]any, error) { return s.out, nil }

// Err returns the first error of reading or converting.
func (s *rowStream) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

func (s *rowStream) sum() TableSum {
	return TableSum{Table: s.table, Rows: s.n, Sum: hex.EncodeToString(s.h.Sum(nil))}
}

// appendValue appends the normalised form of a value to b: the same stored
// value reads as different Go types from the two drivers (int32 or int64,
// bool or 0/1, a time or seconds), and normalising makes their sums agree.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'N', ';')
	case int64:
		return appendInt(b, x)
	case int32:
		return appendInt(b, int64(x))
	case int16:
		return appendInt(b, int64(x))
	case int:
		return appendInt(b, int64(x))
	case bool:
		if x {
			return appendInt(b, 1)
		}
		return appendInt(b, 0)
	case float64:
		return appendFloat(b, x)
	case float32:
		return appendFloat(b, float64(x))
	case string:
		b = append(b, 'S')
		b = strconv.AppendInt(b, int64(len(x)), 10)
		b = append(b, ':')
		return append(b, x...)
	case []byte:
		b = append(b, 'B')
		b = strconv.AppendInt(b, int64(len(x)), 10)
		b = append(b, ':')
		return append(b, x...)
	case time.Time:
		if x.Nanosecond() == 0 {
			return appendInt(b, x.Unix())
		}
		return appendValue(b, x.UTC().Format(time.RFC3339Nano))
	}
	return appendValue(b, fmt.Sprintf("%T:%v", v, v))
}

func appendInt(b []byte, n int64) []byte {
	b = append(b, 'I')
	b = strconv.AppendInt(b, n, 10)
	return append(b, ';')
}

func appendFloat(b []byte, f float64) []byte {
	b = append(b, 'F')
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	return append(b, ';')
}

// convert turns a value read from one dialect into one the other accepts
// for a column of kind k.
func convert(v any, k kind) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int32:
		v = int64(x)
	case int16:
		v = int64(x)
	case int:
		v = int64(x)
	case float32:
		v = float64(x)
	}
	switch k {
	case kindBool:
		if n, ok := v.(int64); ok {
			return n != 0, nil
		}
	case kindInt:
		switch x := v.(type) {
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case time.Time:
			return x.Unix(), nil
		case float64:
			if x == math.Trunc(x) {
				return int64(x), nil
			}
		}
	case kindTime:
		if n, ok := v.(int64); ok {
			return time.Unix(n, 0).UTC(), nil
		}
	case kindText:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		case []byte:
			return string(x), nil
		}
	}
	return v, nil
}
