// Package store keeps rhythm's data in SQLite (the default, one file) or
// PostgreSQL (for several servers). One implementation serves both: the SQL
// is written once with ? placeholders and each dialect package supplies the
// driver, its migrations and its error codes.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store/postgres"
	"github.com/rhythm-team/rhythm/store/sqlite"
)

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open rhythm database.
type DB struct {
	sql *sql.DB
	// read serves read-only transactions; on SQLite it is a pool of its
	// own whose transactions never wait for the writer, on PostgreSQL it
	// is sql.
	read    *sql.DB
	dialect string
	// version is the newest migration this binary knows.
	version int64
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// touching holds the ids of API tokens whose use is being noted.
	touching sync.Map
	// liveMu makes live chat writes take turns inside this process on
	// SQLite, so they queue here rather than in SQLite's busy handler,
	// whose sleeps grow to 100 ms.
	liveMu sync.Mutex
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn — a postgres:// URL or a SQLite
// file path — and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		sdb     *sql.DB
		err     error
		dialect = SQLite
		fsys    fs.FS
		gd      goose.Dialect
		opts    []goose.ProviderOption
	)
	if IsPostgresDSN(dsn) {
		dialect, fsys, gd = Postgres, postgres.Migrations(), goose.DialectPostgres
		sdb, err = postgres.Open(ctx, dsn)
		if err == nil {
			// Servers starting together take turns at the migrations.
			locker, lerr := lock.NewPostgresSessionLocker()
			if lerr != nil {
				sdb.Close()
				return nil, lerr
			}
			opts = append(opts, goose.WithSessionLocker(locker))
		}
	} else {
		fsys, gd = sqlite.Migrations(), goose.DialectSQLite3
		sdb, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	db := &DB{sql: sdb, read: sdb, dialect: dialect, Now: time.Now}
	// Features number their migrations in ranges of their own (00030–39,
	// 00040–49…) and land in any order, so a database may have a later
	// range before an earlier one arrives: apply what is missing.
	opts = append(opts, goose.WithAllowOutofOrder(true))
	p, err := goose.NewProvider(gd, sdb, fsys, opts...)
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("migrations: %w", err)
	}
	for _, s := range p.ListSources() {
		db.version = max(db.version, s.Version)
	}
	if _, err := p.Up(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	if dialect == SQLite {
		if db.read, err = sqlite.OpenReader(ctx, dsn); err != nil {
			sdb.Close()
			return nil, err
		}
	}
	// The pseudonym key is made with the database and never changes.
	var key [32]byte
	rand.Read(key[:])
	if _, err := db.EnsureSetting(ctx, PseudonymKeySetting, hex.EncodeToString(key[:])); err != nil {
		db.Close()
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.read != db.sql {
		db.read.Close()
	}
	return db.sql.Close()
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// SQL returns the underlying handle, for dialect-specific tools.
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.unavailable(db.sql.PingContext(ctx)) }

// SchemaVersion returns the newest migration this binary knows, which Open
// applied.
func (db *DB) SchemaVersion() int64 { return db.version }

// Ready checks that the database answers and that its schema is at the
// version this binary expects; an error has code EUNAVAILABLE.
func (db *DB) Ready(ctx context.Context) error {
	var v int64
	err := db.sql.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+versionTable+" WHERE is_applied").Scan(&v)
	if err != nil {
		if err := db.unavailable(err); rhythm.ErrorCode(err) == rhythm.EUNAVAILABLE {
			return err
		}
		return fmt.Errorf("%w: %w", rhythm.Errorf(rhythm.EUNAVAILABLE, "cannot read the schema version"), err)
	}
	if v != db.version {
		return rhythm.Errorf(rhythm.EUNAVAILABLE, "the database schema is at version %d, this server expects %d", v, db.version)
	}
	return nil
}

// versionTable is where goose records applied migrations.
const versionTable = "goose_db_version"

// errUnavailable is what users see when the database cannot be reached.
var errUnavailable = rhythm.Errorf(rhythm.EUNAVAILABLE, "the database is unavailable right now; try again shortly")

// unavailable returns err as an EUNAVAILABLE error, keeping the cause for
// the log, when it means the database cannot be reached; otherwise err.
func (db *DB) unavailable(err error) error {
	if err == nil || rhythm.ErrorCode(err) != rhythm.EINTERNAL ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// A handle closed under a request (the server stopping) or a
	// connection lost mid-transaction is the database being away too.
	down := errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed")
	switch {
	case down:
	case db.dialect == Postgres:
		down = postgres.IsUnavailable(err)
	default:
		down = sqlite.IsUnavailable(err)
	}
	if down {
		return fmt.Errorf("%w: %w", errUnavailable, err)
	}
	return err
}

// Tx is a transaction with the dialect's placeholder rewriting.
type Tx struct {
	tx    *sql.Tx
	db    *DB
	stmts map[string]*sql.Stmt // ExecPrepared's, closed with the transaction
}

// InTx runs fn in one transaction, committing when fn returns nil and
// rolling back otherwise. When the database cannot be reached the error
// has code EUNAVAILABLE.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return db.unavailable(err)
	}
	defer tx.Rollback()
	if err := fn(&Tx{tx: tx, db: db}); err != nil {
		return db.unavailable(err)
	}
	return db.unavailable(tx.Commit())
}

// ReadTx runs fn in one read-only transaction. On SQLite it reads a
// snapshot and never waits for a writer, such as a long import.
func (db *DB) ReadTx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.dialect == Postgres})
	if err != nil {
		return db.unavailable(err)
	}
	defer tx.Rollback()
	if err := fn(&Tx{tx: tx, db: db}); err != nil {
		return db.unavailable(err)
	}
	return db.unavailable(tx.Commit())
}

// Exec runs a statement written with ? placeholders.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.db.rebind(query), args...)
}

// ExecPrepared runs a statement like Exec, preparing it once per
// transaction: for a statement run thousands of times in one transaction,
// parsing it each time costs more than running it.
func (tx *Tx) ExecPrepared(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := tx.stmts[query]
	if !ok {
		var err error
		if st, err = tx.tx.PrepareContext(ctx, tx.db.rebind(query)); err != nil {
			return nil, err
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[query] = st
	}
	return st.ExecContext(ctx, args...)
}

// Query runs a query written with ? placeholders.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.rebind(query), args...)
}

// QueryRow runs a query written with ? placeholders that returns one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(query), args...)
}

// InsertID runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Dialect returns SQLite or Postgres.
func (tx *Tx) Dialect() string { return tx.db.dialect }

// Raw returns the underlying transaction, for dialect-specific bulk paths.
func (tx *Tx) Raw() *sql.Tx { return tx.tx }

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries here
// never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// isUnique reports whether err is a unique-constraint violation.
func (db *DB) isUnique(err error) bool {
	if db.dialect == Postgres {
		return postgres.IsUniqueViolation(err)
	}
	return sqlite.IsUniqueViolation(err)
}

// notFound returns err as ENOTFOUND when it is sql.ErrNoRows.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return rhythm.Errorf(rhythm.ENOTFOUND, format, args...)
	}
	return err
}

// Setting returns the value of a server setting, or ENOTFOUND.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	})
	return v, notFound(err, "setting %q not found", key)
}

// EnsureSetting stores value under key unless the key is set already, and
// returns the value that is stored. Several servers calling it at once all
// get the same value.
func (db *DB) EnsureSetting(ctx context.Context, key, value string) (string, error) {
	var v string
	err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	})
	return v, err
}
