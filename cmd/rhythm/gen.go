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
		people, weeks, teams int
		seed                 uint64
		out, start           string
		effect, treatFrom    string
	)
	cmd := &cobra.Command{
		Use:   "gen --people N --weeks W --seed S --out DIR",
		Short: "Generate a realistic synthetic team: roster, calendar, Slack export and mailbox",
		Long: `Gen writes a synthetic team to DIR: team.yaml (the roster, people in many zones,
half-hour zones among them), calendar.ics (standups, one-on-ones, planning, ad-hoc
meetings, declines, series across DST changes), slack-export.zip (channels, threads,
DMs, huddles, replies timed by each person's working hours) and mail.mbox. The same
seed gives the same files.

With --teams N the people are split into N teams of whole squads, each with its own
roster (team-1.yaml ...), and half the teams, chosen from the seed, are the treatment
arm of an experiment; assignment.csv lists each team's arm. --effect METRIC=DELTA then
injects a known effect into the treated teams' raw data from --treat-from on, so an
experiment's analysis can be checked against the truth. The metric gen can change is
meeting_hours (hours per person-week): a negative DELTA drops a weekly squad meeting
of that length that every team holds, a positive one adds it to the treated teams. The
audit counts overlapping meetings once, so the measured effect runs a little short.`,
		Example: genExamples,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out is required: the folder to write the files to")
			}
			cfg := gen.Config{People: people, Weeks: weeks, Seed: seed, Teams: teams}
			if start != "" {
				t, err := time.Parse(time.DateOnly, start)
				if err != nil {
					return usagef("--start: %q is not a date in the form YYYY-MM-DD", start)
				}
				cfg.Start = t
			}
			if teams < 0 {
				return usagef("--teams: %d is not a number of teams", teams)
			}
			if effect != "" {
				e, err := gen.ParseEffect(effect)
				if err != nil {
					return err
				}
				cfg.Effect = e
			}
			if treatFrom != "" {
				if effect == "" {
					return usagef("--treat-from: needs --effect")
				}
				t, err := time.Parse(time.DateOnly, treatFrom)
				if err != nil {
					return usagef("--treat-from: %q is not a date in the form YYYY-MM-DD", treatFrom)
				}
				cfg.Effect.From = t
			}
			d, err := gen.New(cfg)
			if err != nil {
				return err
			}
			if err := d.Write(out); err != nil {
				return err
			}
			files := []string{gen.RosterFile, gen.CalendarFile, gen.SlackFile, gen.MboxFile}
			for k := range d.Teams() {
				files = append(files, gen.TeamFile(k))
			}
			if len(d.Teams()) > 0 {
				files = append(files, gen.AssignmentFile)
			}
			for _, f := range files {
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
	cmd.Flags().IntVar(&teams, "teams", 1, "split the people into N teams and pick half of them, from the seed, as an experiment's treatment arm (assignment.csv)")
	cmd.Flags().StringVar(&effect, "effect", "", "inject a known effect into the treated teams, METRIC=DELTA per person-week, such as meeting_hours=-2 (needs --teams 2 or more)")
	cmd.Flags().StringVar(&treatFrom, "treat-from", "", "first day of the effect, YYYY-MM-DD (default: the Monday of the middle week)")
	return cmd
}

const genExamples = `  rhythm gen --people 40 --weeks 13 --seed 1 --out demo-data
  rhythm team import demo-data/team.yaml
  rhythm import --team "Acme Engineering" demo-data/slack-export.zip demo-data/mail.mbox
  rhythm gen --people 120 --weeks 12 --teams 20 --effect meeting_hours=-2 --out ab-data`
