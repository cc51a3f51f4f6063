// Package storetest is the storage test suite that runs unchanged against
// SQLite and PostgreSQL, and helpers to open a fresh database of each kind.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rhythm-team/rhythm/internal/testenv"
	"github.com/rhythm-team/rhythm/store"
)

// DSN names a fresh, empty database for one test.
type DSN func(t testing.TB) string

// SQLiteDSN returns the path of a fresh SQLite file in the test's temp folder.
func SQLiteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "rhythm.db") }

// PostgresDSN returns a fresh schema in the RHYTHM_TEST_POSTGRES database,
// or skips the test when it is unset.
func PostgresDSN(t testing.TB) string { t.Helper(); return testenv.PostgresDSN(t) }

// SQLite opens a fresh SQLite database.
func SQLite(t testing.TB) *store.DB { t.Helper(); return OpenDSN(t, SQLiteDSN(t)) }

// Postgres opens a fresh PostgreSQL schema, or skips.
func Postgres(t testing.TB) *store.DB { t.Helper(); return OpenDSN(t, PostgresDSN(t)) }

// OpenDSN opens dsn and closes it when the test ends.
func OpenDSN(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Dialect is one kind of database for tests that run against each.
type Dialect struct {
	Name string
	DSN  DSN
}

// Dialects lists SQLite and PostgreSQL, in that order.
func Dialects() []Dialect {
	return []Dialect{{store.SQLite, SQLiteDSN}, {store.Postgres, PostgresDSN}}
}
