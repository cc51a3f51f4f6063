package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
)

func (a *app) importCommand() *cobra.Command {
	var dsn, teamRef string
	cmd := &cobra.Command{
		Use:   "import --team NAME FILE...",
		Short: "Import calendar, chat and mail metadata: Slack exports (zip or folder), mbox, iCalendar, CSV",
		Long: `Import reads each FILE, tells its kind from its content, and stores the metadata of every
meeting, call, message and mail for the team: who, when, how long, which thread or
channel. Message text, subjects and descriptions are never stored. People who are not
on the team's roster are stored under a keyed pseudonym.

Each file is one import, in one transaction: a file that fails leaves nothing behind.
A file imported before (same content) changes nothing.`,
		Example: `  rhythm import --team Platform slack-export.zip mail.mbox calendar.ics
  rhythm import --team Platform --db postgres://rhythm@db/rhythm meetings.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if teamRef == "" {
				return usagef("--team is required: the name or id of the team the data belongs to")
			}
			ctx := cmd.Context()
			// Imports stream: a soft memory limit keeps the heap close to
			// what is live, so a large export runs in little memory.
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(importMemoryLimit)
			}
			return withApp(cmd, dsn, func(uc *rhythmapp.App) error {
				for _, f := range files {
					if err := a.importFile(ctx, uc, teamRef, f); err != nil {
						return teamFlagError(err)
					}
				}
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&teamRef, "team", "", "name or id of the team (required)")
	return cmd
}

// importMemoryLimit is the soft memory limit of rhythm import.
const importMemoryLimit = 160 << 20

// importFile stores one file as one import and says what was stored.
func (a *app) importFile(ctx context.Context, uc *rhythmapp.App, teamRef, path string) error {
	bar := a.progress(filepath.Base(path))
	imps, err := uc.Import(ctx, rhythmapp.System(""), teamRef, []rhythmapp.ImportFile{{Path: path, Progress: func(n int) { bar.Add(n) }}})
	bar.Finish()
	if err != nil {
		return err
	}
	imp := imps[0]
	if imp.Duplicate {
		fmt.Fprintf(a.stdout, "%s: already imported (import %d): nothing changed\n", path, imp.ID)
		return nil
	}
	st := ingest.Stats{Read: imp.Read, Emitted: imp.Stored, Skipped: imp.SkippedReasons}
	fmt.Fprintf(a.stdout, "%s: %s, %s\n", path, imp.Format, st)
	const shown = 5
	for i, n := range imp.Notes {
		if i == shown {
			fmt.Fprintf(a.stdout, "  … %d more noted in the import record\n", len(imp.Notes)-shown)
			break
		}
		if n.Reason == icsevents.Warning {
			fmt.Fprintf(a.stdout, "  warning: %s\n", n.Where) // the warning says what it left out
			continue
		}
		fmt.Fprintf(a.stdout, "  skipped %s: %s\n", n.Where, n.Reason)
	}
	return nil
}

// progress returns a counter shown on stderr when it is a terminal, and a
// silent one otherwise.
func (a *app) progress(desc string) *progressbar.ProgressBar {
	w := io.Discard
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		w = f
	}
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("interactions"),
		progressbar.OptionShowIts(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}
