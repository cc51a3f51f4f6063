package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// defaultArms are the arms of an experiment created without --arm: the
// article's "async prep + short sync" against business as usual.
var defaultArms = []string{"control: meetings as usual", "async prep + 20-min sync: half of the prep moves to a doc, the sync is 25% shorter"}

// parseArm reads "name" or "name: description".
func parseArm(s string) experiment.Arm {
	name, desc, _ := strings.Cut(s, ":")
	return experiment.Arm{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)}
}

// randomSeed returns a seed for an experiment created without --seed; it is
// stored, so the assignment can be reproduced.
func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 11 // fits a JSON number exactly
}

// experimentFlags are the flags of experiment create.
type experimentFlags struct {
	name, hypothesis, units, stratify string
	teams, arms, outcomes             []string
	baseline, treatment               string
	seed                              uint64
}

func (f experimentFlags) build(cmd *cobra.Command, db *store.DB) (experiment.Experiment, []int64, error) {
	e := experiment.Experiment{Name: f.name, Hypothesis: strings.TrimSpace(f.hypothesis), Units: experiment.UnitKind(f.units), Seed: f.seed, Outcomes: f.outcomes}
	var err error
	if e.Baseline, err = metric.ParsePeriod(f.baseline); err != nil {
		return e, nil, usagef("--baseline: %v", err)
	}
	if e.Treatment, err = metric.ParsePeriod(f.treatment); err != nil {
		return e, nil, usagef("--treatment: %v", err)
	}
	arms := f.arms
	if len(arms) == 0 {
		arms = defaultArms
	}
	for _, a := range arms {
		e.Arms = append(e.Arms, parseArm(a))
	}
	if !cmd.Flags().Changed("seed") {
		e.Seed = randomSeed()
	}
	if len(f.teams) == 0 {
		return e, nil, usagef("--team: name the teams taking part (repeat --team)")
	}
	var teams []team.Team
	var ids []int64
	for _, ref := range f.teams {
		for _, r := range strings.Split(ref, ",") {
			t, err := db.Team(cmd.Context(), strings.TrimSpace(r))
			if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
				return e, nil, rhythm.Errorf(rhythm.EINVALID, "--team: %s", rhythm.ErrorMessage(err))
			} else if err != nil {
				return e, nil, err
			}
			teams = append(teams, t)
			ids = append(ids, t.ID)
		}
	}
	switch e.Units {
	case experiment.People:
		e.Pool = experiment.PeoplePool(teams, e.Baseline.Start)
	case experiment.Teams, "":
		if e.Pool, err = experiment.TeamPool(teams, f.stratify, e.Baseline.Start); err != nil {
			return e, nil, err
		}
	default:
		return e, nil, usagef("--units: %q is not team or person", f.units)
	}
	return e, ids, nil
}

func (a *app) experimentCommand() *cobra.Command {
	var dsn string
	cmd := groupCommand("experiment", "A/B experiments of communication rhythms: create, assign, show, analyze", "  rhythm experiment list")
	persistentDBFlag(cmd, &dsn)
	cmd.AddCommand(a.experimentCreateCommand(&dsn), a.experimentListCommand(&dsn), a.experimentAssignCommand(&dsn),
		a.experimentShowCommand(&dsn), a.experimentAnalyzeCommand(&dsn))
	return cmd
}

// experimentCreateCommand is rhythm experiment create.
func (a *app) experimentCreateCommand(dsn *string) *cobra.Command {
	var f experimentFlags
	create := &cobra.Command{
		Use:   "create --name NAME --team T... --baseline PERIOD --treatment PERIOD --outcome METRIC...",
		Short: "Define an experiment and check its power before it starts",
		Long: `Define an experiment: arms (the first is the control; "name: description"), units (whole
teams, or the people of the teams), a baseline and a later treatment window, and outcome
metrics from the audit (meeting_hours, sync_async_ratio, after_hours, …) or pulse (enps,
Likert item keys, churn; team units only). Without --seed a random seed is chosen and
stored. The power check warns when the experiment is too small to detect a realistic effect.`,
		Example: `  rhythm experiment create --name "Async prep" --team Platform,Data,Mobile,Web \
    --arm control --arm "async prep + 20-min sync: prep in a doc, sync 25% shorter" \
    --baseline 2026-01-05/2026-02-01 --treatment 2026-02-09/2026-03-08 \
    --outcome meeting_hours --outcome enps`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, *dsn, func(db *store.DB) error {
				e, ids, err := f.build(cmd, db)
				if err != nil {
					return err
				}
				e, err = db.CreateExperiment(cmd.Context(), e, 0, ids)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created experiment %d %q: %d %ss, %d arms, seed %d\n", e.ID, e.Name, len(e.Pool), e.Units, len(e.Arms), e.Seed)
				pc := experiment.Power(e, nil)
				fmt.Fprintf(a.stdout, "power: smallest detectable effect about %.2f SD (80%% power, 5%% level)\n", pc.MDE)
				for _, w := range pc.Warnings {
					fmt.Fprintf(a.stdout, "warning: %s\n", w)
				}
				fmt.Fprintf(a.stdout, "next: rhythm experiment assign %d\n", e.ID)
				return nil
			})
		},
	}
	create.Flags().StringVar(&f.name, "name", "", "name of the experiment")
	create.Flags().StringVar(&f.hypothesis, "hypothesis", "", "what you expect and why")
	create.Flags().StringVar(&f.units, "units", "team", "what is randomised: team or person")
	create.Flags().StringArrayVar(&f.teams, "team", nil, "a team taking part (repeatable, or comma-separated)")
	create.Flags().StringArrayVar(&f.arms, "arm", nil, `an arm, "name" or "name: description"; the first is the control (default: control and async prep + 20-min sync)`)
	create.Flags().StringArrayVar(&f.outcomes, "outcome", nil, "an outcome metric (repeatable)")
	create.Flags().StringVar(&f.baseline, "baseline", "", "baseline window: 2026-01-05/2026-02-01, 2026-Q1, 2026-03 or 2026-W02")
	create.Flags().StringVar(&f.treatment, "treatment", "", "treatment window, after the baseline")
	create.Flags().StringVar(&f.stratify, "stratify", experiment.StratifySize, "team units: stratify by size (smaller/larger) or none; person units are stratified by team")
	create.Flags().Uint64Var(&f.seed, "seed", 0, "seed of the random assignment (default: random, stored)")

	return create
}

// experimentListCommand is rhythm experiment list.
func (a *app) experimentListCommand(dsn *string) *cobra.Command {
	var listJSON bool
	list := &cobra.Command{
		Use:     "list",
		Short:   "List experiments",
		Example: "  rhythm experiment list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, *dsn, func(db *store.DB) error {
				l, err := db.ListExperiments(cmd.Context())
				if err != nil {
					return err
				}
				if listJSON {
					return writeNDJSON(a.stdout, l)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tUNITS\tARMS\tASSIGNED\tBASELINE\tTREATMENT")
				for _, s := range l {
					fmt.Fprintf(tw, "%d\t%s\t%d %ss\t%d\t%v\t%s\t%s\n", s.ID, s.Name, s.Pool, s.Units, s.Arms, s.Assigned, s.Baseline, s.Treatment)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "one JSON object per line")

	return list
}

// experimentAssignCommand is rhythm experiment assign.
func (a *app) experimentAssignCommand(dsn *string) *cobra.Command {
	var fromCSV string
	assign := &cobra.Command{
		Use:     "assign ID",
		Short:   "Randomise the units to the arms (once; reproducible from the stored seed)",
		Example: "  rhythm experiment assign 3\n  rhythm experiment assign 3 --from-csv ab-data/assignment.csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ID", args[0])
			if err != nil {
				return err
			}
			var from []experiment.Assignment
			if fromCSV != "" {
				f, err := os.Open(fromCSV)
				if err != nil {
					return usagef("--from-csv: %v", err)
				}
				from, err = experiment.ParseAssignments(fromCSV, f)
				f.Close()
				if err != nil {
					return err
				}
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				var e experiment.Experiment
				if from != nil {
					e, err = db.AdoptAssignment(cmd.Context(), id, from)
				} else {
					e, err = db.AssignExperiment(cmd.Context(), id)
				}
				if err != nil {
					return err
				}
				return writeAssignments(a.stdout, e)
			})
		},
	}
	assign.Flags().StringVar(&fromCSV, "from-csv", "", "take an existing assignment from this CSV (columns unit or team, and arm; rhythm gen --teams writes one) instead of drawing one")

	return assign
}

// experimentShowCommand is rhythm experiment show.
func (a *app) experimentShowCommand(dsn *string) *cobra.Command {
	var showJSON bool
	show := &cobra.Command{
		Use:     "show ID",
		Short:   "Show an experiment: arms, windows, assignments and the power check",
		Example: "  rhythm experiment show 3 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ID", args[0])
			if err != nil {
				return err
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				e, err := db.Experiment(cmd.Context(), id)
				if err != nil {
					return err
				}
				pc := experiment.Power(e, nil)
				status := e.Status(team.DateOf(db.Now().UTC()))
				if showJSON {
					return json.NewEncoder(a.stdout).Encode(map[string]any{"experiment": e, "status": status, "power": pc})
				}
				fmt.Fprintf(a.stdout, "%s (id %d): %s\n", e.Name, e.ID, status)
				if e.Hypothesis != "" {
					fmt.Fprintf(a.stdout, "hypothesis: %s\n", e.Hypothesis)
				}
				fmt.Fprintf(a.stdout, "units: %d %ss; baseline %s; treatment %s; outcomes %s; seed %d\n", len(e.Pool), e.Units, e.Baseline, e.Treatment, strings.Join(e.Outcomes, ", "), e.Seed)
				for i, arm := range e.Arms {
					role := ""
					if i == 0 {
						role = " (control)"
					}
					fmt.Fprintf(a.stdout, "arm %s%s%s\n", arm.Name, role, map[bool]string{true: ": " + arm.Description, false: ""}[arm.Description != ""])
				}
				fmt.Fprintf(a.stdout, "power: smallest detectable effect about %.2f SD (80%% power, 5%% level)\n", pc.MDE)
				for _, w := range pc.Warnings {
					fmt.Fprintf(a.stdout, "warning: %s\n", w)
				}
				if len(e.Assignments) == 0 {
					fmt.Fprintf(a.stdout, "not assigned yet: rhythm experiment assign %d\n", e.ID)
					return nil
				}
				return writeAssignments(a.stdout, e)
			})
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print the experiment as JSON")

	return show
}

// experimentAnalyzeCommand is rhythm experiment analyze.
func (a *app) experimentAnalyzeCommand(dsn *string) *cobra.Command {
	var (
		anFiles         []string
		anFormat, anOut string
		anResamples     int
	)
	analyze := &cobra.Command{
		Use:   "analyze ID",
		Short: "Estimate each arm's effect: difference-in-differences with bootstrap intervals and Mann-Whitney",
		Long: `Estimate each arm's effect on each outcome against the control: the change from the
baseline to the treatment window in the arm minus the change in the control
(difference-in-differences), with a 95% bootstrap interval over units and a Mann-Whitney
test of the units' changes. Outcomes come from the stored samples, closed survey rounds,
rosters (churn) and any --metrics files.`,
		Example: "  rhythm experiment analyze 3 --metrics audit-weeks.csv --format html --out experiment-3.html",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ID", args[0])
			if err != nil {
				return err
			}
			if err := checkFormat(anFormat); err != nil {
				return err
			}
			extra, err := readSampleFiles(anFiles)
			if err != nil {
				return err
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				return a.analyzeExperiment(cmd.Context(), db, id, extra, anFormat, anOut, anResamples)
			})
		},
	}
	analyze.Flags().StringArrayVar(&anFiles, "metrics", nil, "CSV or JSON file of metric samples (repeatable)")
	analyze.Flags().StringVar(&anFormat, "format", "text", "text, json or html")
	analyze.Flags().StringVarP(&anOut, "out", "o", "", "write to this file instead of standard output")
	analyze.Flags().IntVar(&anResamples, "resamples", stats.DefaultResamples, "bootstrap resamples")

	return analyze
}

func writeAssignments(w io.Writer, e experiment.Experiment) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UNIT\tARM\tSTRATUM")
	for _, as := range e.Assignments {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", as.Unit, as.Arm, as.Stratum)
	}
	return tw.Flush()
}

// analyzeExperiment writes the analysis of experiment id in format to out.
func (a *app) analyzeExperiment(ctx context.Context, db *store.DB, id int64, extra []metric.Sample, format, out string, resamples int) error {
	e, err := db.Experiment(ctx, id)
	if err != nil {
		return err
	}
	now := db.Now()
	samples, err := db.OutcomeSamples(ctx, now, extra)
	if err != nil {
		return err
	}
	rep, err := experiment.Analyze(e, samples, team.DateOf(now.UTC()), stats.Options{Seed: e.Seed, Resamples: resamples})
	if err != nil {
		return err
	}
	return a.output(out, func(w io.Writer) error {
		switch format {
		case "json":
			return json.NewEncoder(w).Encode(rep)
		case "html":
			body, err := report.ExperimentHTML(rep)
			if err != nil {
				return err
			}
			return report.Page(w, "Experiment: "+e.Name, body, now)
		}
		return report.ExperimentText(w, rep)
	})
}
