package main

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rhythm-team/rhythm/store"
)

// dbFlag adds --db to a command that reads or writes stored data.
func dbFlag(cmd *cobra.Command, dsn *string) { addDBFlag(cmd.Flags(), dsn) }

// persistentDBFlag adds --db to a command group and all its subcommands.
func persistentDBFlag(cmd *cobra.Command, dsn *string) { addDBFlag(cmd.PersistentFlags(), dsn) }

func addDBFlag(fs *pflag.FlagSet, dsn *string) {
	fs.StringVar(dsn, "db", "rhythm.db", "database: a SQLite file path or a postgres:// URL (env RHYTHM_DB)")
}

// openDB opens the database named by --db.
func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	return store.Open(ctx, dsn)
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
