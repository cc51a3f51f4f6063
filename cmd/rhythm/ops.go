package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/store"
)

// storeCommand groups the commands that move and check a whole database.
func (a *app) storeCommand() *cobra.Command {
	cmd := groupCommand("store", "Copy a whole database between SQLite and PostgreSQL, and check its contents", "  rhythm store checksum --db rhythm.db")

	var (
		from, to      string
		force, asJSON bool
	)
	copyCmd := &cobra.Command{
		Use:   "copy --from DB --to DB",
		Short: "Copy every table from one database to another and verify it",
		Long: `Copy every table from one database (a SQLite file or a postgres:// URL) to another,
reading the source in one consistent snapshot and writing the target in one transaction.
Before the target commits, every table's row count and checksum are compared with the
source's; on any failure the target is left as it was, so the copy can simply be run again.
A target that holds rows already is refused unless --force replaces its contents.
Stop the servers that write to the source first, or the copy holds only what was there
when it began.`,
		Example: `  rhythm store copy --from rhythm.db --to postgres://rhythm@db.internal/rhythm
  rhythm store copy --from postgres://rhythm@db.internal/rhythm --to rhythm.db --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usagef("store copy needs --from and --to")
			}
			if sameDB(from, to) {
				return usagef("--from and --to name the same database")
			}
			if err := mustExist("--from", from); err != nil {
				return err
			}
			ctx := cmd.Context()
			src, err := openDB(ctx, from)
			if err != nil {
				return fmt.Errorf("--from %s: %w", redact(from), err)
			}
			defer src.Close()
			dst, err := createDB(ctx, to)
			if err != nil {
				return fmt.Errorf("--to %s: %w", redact(to), err)
			}
			defer dst.Close()
			progress, done := a.rowProgress("copying")
			sums, err := store.Copy(ctx, src, dst, store.CopyOptions{Force: force, Progress: progress})
			done()
			if err != nil {
				return err
			}
			if err := a.printSums(sums, asJSON); err != nil {
				return err
			}
			if !asJSON {
				fmt.Fprintf(a.stdout, "copied %d tables, %d rows from %s to %s; row counts and checksums match\n",
					len(sums), totalRows(sums), redact(from), redact(to))
			}
			return nil
		},
	}
	copyCmd.Flags().StringVar(&from, "from", "", "source database: a SQLite file path or a postgres:// URL")
	copyCmd.Flags().StringVar(&to, "to", "", "target database: a SQLite file path or a postgres:// URL")
	copyCmd.Flags().BoolVar(&force, "force", false, "replace the contents of a target that holds rows")
	copyCmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per table")

	var (
		dsn     string
		sumJSON bool
	)
	sumCmd := &cobra.Command{
		Use:   "checksum",
		Short: "Print every table's row count and content checksum",
		Long: `Print every table's row count and content checksum, all read in one snapshot. The
checksums do not depend on the database kind, so a SQLite file and its copy in PostgreSQL
print the same lines.`,
		Example: "  rhythm store checksum --db rhythm.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := mustExist("--db", dsn); err != nil {
				return err
			}
			db, err := openDB(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			sums, err := db.Checksums(cmd.Context())
			if err != nil {
				return err
			}
			return a.printSums(sums, sumJSON)
		},
	}
	dbFlag(sumCmd, &dsn)
	sumCmd.Flags().BoolVar(&sumJSON, "json", false, "print one JSON object per table")

	cmd.AddCommand(copyCmd, sumCmd)
	return cmd
}

// backupCommand is `rhythm backup`.
func (a *app) backupCommand() *cobra.Command {
	var dsn, out string
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent backup of the database to a new SQLite file while servers run",
		Long: `Write a consistent backup of the database to a new SQLite file, while servers go on
reading and writing. A SQLite database is copied with VACUUM INTO; a PostgreSQL one table
by table from one snapshot (pg_dump works as well: see README.md, Operations). The file
appears only when it is complete and is never overwritten. Restore it with rhythm restore.`,
		Example: `  rhythm backup --db rhythm.db --out backups/rhythm-$(date +%F).db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("backup needs --out FILE")
			}
			if err := mustExist("--db", dsn); err != nil {
				return err
			}
			db, err := openDB(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			sums, err := db.Backup(cmd.Context(), out)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "backed up %d tables, %d rows to %s\n", len(sums), totalRows(sums), out)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&out, "out", "", "the backup file to write; it must not exist")
	return cmd
}

// restoreCommand is `rhythm restore`.
func (a *app) restoreCommand() *cobra.Command {
	var (
		dsn, from string
		force     bool
	)
	cmd := &cobra.Command{
		Use:   "restore --from FILE",
		Short: "Replace the database's contents with a backup",
		Long: `Replace the contents of --db (SQLite or PostgreSQL) with those of a backup file written
by rhythm backup. The backup file is not changed. A database that holds rows is refused
unless --force; a restore that fails leaves the database as it was. Stop the servers first.`,
		Example: `  rhythm restore --from backups/rhythm-2026-03-01.db --db rhythm.db --force`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return usagef("restore needs --from FILE")
			}
			if sameDB(from, dsn) {
				return usagef("--from and --db name the same file")
			}
			db, err := createDB(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			progress, done := a.rowProgress("restoring")
			sums, err := store.Restore(cmd.Context(), from, db, store.CopyOptions{Force: force, Progress: progress})
			done()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "restored %d tables, %d rows from %s; row counts and checksums match\n", len(sums), totalRows(sums), from)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&from, "from", "", "the backup file")
	cmd.Flags().BoolVar(&force, "force", false, "replace the contents of a database that holds rows")
	return cmd
}

func (a *app) printSums(sums []store.TableSum, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		for _, s := range sums {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS\tCHECKSUM")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%.16s\n", s.Table, s.Rows, s.Sum)
	}
	return tw.Flush()
}

func totalRows(sums []store.TableSum) int64 {
	var n int64
	for _, s := range sums {
		n += s.Rows
	}
	return n
}

// mustExist refuses a SQLite file that is not there, which opening would
// create empty: a source must hold something.
func mustExist(flag, dsn string) error {
	if store.IsPostgresDSN(dsn) {
		return nil
	}
	p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if _, err := os.Stat(p); err != nil {
		return usagef("%s %s: no database there (%v)", flag, dsn, errors.Unwrap(err))
	}
	return nil
}

// sameDB reports whether two --db values name the same database.
func sameDB(a, b string) bool {
	norm := func(dsn string) string {
		if store.IsPostgresDSN(dsn) {
			return dsn
		}
		p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
		if abs, err := filepath.Abs(p); err == nil {
			return filepath.Clean(abs)
		}
		return p
	}
	return norm(a) == norm(b)
}

// redact hides the password of a postgres:// URL.
func redact(dsn string) string {
	if !store.IsPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
