package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/gen"
)

func (a *app) genCommand() *cobra.Command {
	var (
		people, weeks int
		seed          uint64
		out, start    string
	)
	cmd := &cobra.Command{
		Use:   "gen --people N --weeks W --seed S --out DIR",
		Short: "Generate a realistic synthetic team: roster, calendar, Slack export and mailbox",
		Long: `Gen writes a synthetic team to DIR: team.yaml (the roster, people in many zones,
half-hour zones among them), calendar.ics (standups, one-on-ones, planning, ad-hoc
meetings, declines, series across DST changes), slack-export.zip (channels, threads,
DMs, huddles, replies timed by each person's working hours) and mail.mbox. The same
seed gives the same files.`,
		Example: `  rhythm gen --people 40 --weeks 13 --seed 1 --out demo-data
  rhythm import --team "Acme Engineering" demo-data/slack-export.zip demo-data/mail.mbox`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out is required: the folder to write the files to")
			}
			cfg := gen.Config{People: people, Weeks: weeks, Seed: seed}
			if start != "" {
				t, err := time.Parse(time.DateOnly, start)
				if err != nil {
					return usagef("--start: %q is not a date in the form YYYY-MM-DD", start)
				}
				cfg.Start = t
			}
			d, err := gen.New(cfg)
			if err != nil {
				return err
			}
			if err := d.Write(out); err != nil {
				return err
			}
			for _, f := range []string{gen.RosterFile, gen.CalendarFile, gen.SlackFile, gen.MboxFile} {
				fmt.Fprintln(a.stdout, filepath.Join(out, f))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&people, "people", 40, "team size")
	cmd.Flags().IntVar(&weeks, "weeks", 13, "weeks of data")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same files")
	cmd.Flags().StringVar(&out, "out", "", "folder to write to (required)")
	cmd.Flags().StringVar(&start, "start", "", "first day, YYYY-MM-DD (default 2026-02-02, so the data crosses the spring DST changes)")
	return cmd
}
