// Package sqlite is the embedded SQLite dialect of rhythm's store: the
// driver, connection settings and migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the numbered SQL migrations of this dialect.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"

// Writer settings: WAL, and transactions that take the write lock when
// they begin, so two writers never deadlock upgrading a read lock.
const writer = "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Reader settings: deferred transactions that may not write. In WAL mode
// (set by the writer pool, which opens the file first) they read a
// snapshot and never wait for the writer; a new reader connection sets
// nothing that needs a lock.
const reader = "&_txlock=deferred&_pragma=query_only(1)"

// Open opens (creating if needed) the SQLite database file at path with
// WAL, a busy timeout and immediate transactions: the pool for writes.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	return open(ctx, path, writer)
}

// OpenReader opens a pool on the same file for read-only transactions,
// which never wait for a writer. Open the file with Open first, which
// creates it and sets WAL mode.
func OpenReader(ctx context.Context, path string) (*sql.DB, error) {
	return open(ctx, path, reader)
}

func open(ctx context.Context, path, mode string) (*sql.DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if path == "" {
		return nil, fmt.Errorf("empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("database folder %s: %w", dir, err)
		}
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas + mode
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One writer at a time is SQLite's nature; a small pool serves readers.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure.
func IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsUnavailable reports whether err means the database file cannot be used
// right now (busy past the timeout, locked, unreadable, disk full), as
// opposed to a problem with the statement.
func IsUnavailable(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
		return true
	}
	return false
}
