package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
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

// withApp opens the database named by dsn and runs fn with the use cases
// over it, then closes it.
func withApp(cmd *cobra.Command, dsn string, fn func(uc *rhythmapp.App) error) error {
	return withDB(cmd, dsn, func(db *store.DB) error { return fn(rhythmapp.New(db, nil)) })
}

// teamDB opens the database and reads the team named by --team.
func teamDB(ctx context.Context, dsn, ref string) (*store.DB, team.Team, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, team.Team{}, usagef("--team is required")
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, team.Team{}, err
	}
	t, err := db.Team(ctx, ref)
	if err != nil {
		db.Close()
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return nil, t, usagef("--team: %s", rhythm.ErrorMessage(err))
		}
		return nil, t, err
	}
	return db, t, nil
}
