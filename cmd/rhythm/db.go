package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/store"
)

// dbFlag adds --db to a command that reads or writes stored data.
func dbFlag(cmd *cobra.Command, dsn *string) {
	cmd.Flags().StringVar(dsn, "db", "rhythm.db", "database: a SQLite file path or a postgres:// URL (env RHYTHM_DB)")
}

// openDB opens the database named by --db.
func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	return store.Open(ctx, dsn)
}
