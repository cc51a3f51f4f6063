package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/store"
)

// dbFlag adds --db to a command that reads or writes stored data.
func dbFlag(cmd *cobra.Command, dsn *string) { addDBFlag(cmd.Flags(), dsn) }

// persistentDBFlag adds --db to a command group and all its subcommands.
func persistentDBFlag(cmd *cobra.Command, dsn *string) { addDBFlag(cmd.PersistentFlags(), dsn) }

func addDBFlag(fs *pflag.FlagSet, dsn *string) {
	fs.StringVar(dsn, "db", "rhythm.db", "database: a SQLite file path or a postgres:// URL (env RHYTHM_DB)")
}

// cliNow is the clock of the commands and of the database they open: what
// "now" is for due-bys, rounds, runs and generated files. TestReadme sets it
// to the day the README's examples are set in.
var cliNow = time.Now

// openDB opens the existing database named by --db. A SQLite file that
// does not exist is a usage error rather than a new, empty database, so a
// mistyped path is never answered with "no teams".
func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	if p, ok := sqliteFile(dsn); ok {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("no database at %s; `rhythm team import` creates one", p)
		}
	}
	return openStore(ctx, dsn)
}

// createDB opens the database named by --db, creating a SQLite file that
// does not exist yet; only commands that start a database use it (team
// import, user add, serve, store copy --to, restore, survey and metric
// imports).
func createDB(ctx context.Context, dsn string) (*store.DB, error) {
	return openStore(ctx, dsn)
}

// openStore opens dsn with the commands' clock.
func openStore(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db.Now = cliNow
	return db, nil
}

// sqliteFile returns the file path a SQLite --db names, without a file: or
// sqlite:// prefix and query string; ok is false for PostgreSQL and
// in-memory databases.
func sqliteFile(dsn string) (string, bool) {
	if store.IsPostgresDSN(dsn) {
		return "", false
	}
	p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	p, _, _ = strings.Cut(p, "?")
	if p == "" || p == ":memory:" || strings.HasPrefix(dsn, "file::memory:") {
		return "", false
	}
	return p, true
}

// withCreatedDB is withDB for commands that may start a new database.
func withCreatedDB(cmd *cobra.Command, dsn string, fn func(db *store.DB) error) error {
	db, err := createDB(cmd.Context(), dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// withDB opens the database named by dsn, runs fn and closes it.
func withDB(cmd *cobra.Command, dsn string, fn func(db *store.DB) error) error {
	db, err := openDB(cmd.Context(), dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// withApp opens the database named by dsn and runs fn with the use cases
// over it, then closes it.
func withApp(cmd *cobra.Command, dsn string, fn func(uc *rhythmapp.App) error) error {
	return withDB(cmd, dsn, func(db *store.DB) error { return fn(useCases(db)) })
}

// useCases returns the use cases over db as the command line runs them:
// playbook runs place their sessions with the server's scheduler.
func useCases(db *store.DB) *rhythmapp.App {
	return rhythmapp.New(db, db.Now).WithScheduler(sessionScheduler())
}

// dbExists reports whether dsn names an existing SQLite file or any
// PostgreSQL database.
func dbExists(dsn string) bool {
	p, ok := sqliteFile(dsn)
	if !ok {
		return true
	}
	_, err := os.Stat(p)
	return err == nil
}

// describeDB names a database for a log line: a SQLite file's absolute path
// (and whether it was new), or a PostgreSQL URL without its password.
func describeDB(dsn string) string {
	p, ok := sqliteFile(dsn)
	if !ok {
		return redact(dsn)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return "sqlite:" + p
}

// withCreatedApp is withApp for commands that may start a new database.
func withCreatedApp(cmd *cobra.Command, dsn string, fn func(uc *rhythmapp.App) error) error {
	return withCreatedDB(cmd, dsn, func(db *store.DB) error { return fn(useCases(db)) })
}
