package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/stats"
)

// experimentFlags are the flags of experiment create.
type experimentFlags struct {
	name, hypothesis, units, stratify string
	teams, arms, outcomes             []string
	baseline, treatment               string
	seed                              uint64
}

// experimentFields are the fields of an experiment definition by the
// flag that sets them, for errors that name the flag.
var experimentFields = map[string]string{"teams": "team", "units": "units", "baseline": "baseline", "treatment": "treatment", "stratify": "stratify"}

// input reads the flags into an experiment definition.
func (f experimentFlags) input(cmd *cobra.Command) rhythmapp.ExperimentInput {
	in := rhythmapp.ExperimentInput{Name: f.name, Hypothesis: f.hypothesis, Units: f.units, Baseline: f.baseline, Treatment: f.treatment,
		Outcomes: f.outcomes, Stratify: f.stratify}
	for _, a := range f.arms {
		name, desc, _ := strings.Cut(a, ":")
		in.Arms = append(in.Arms, experiment.Arm{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)})
	}
	if cmd.Flags().Changed("seed") {
		in.Seed = &f.seed
	}
	for _, ref := range f.teams {
		for r := range strings.SplitSeq(ref, ",") {
			in.Teams = append(in.Teams, strings.TrimSpace(r))
		}
	}
	return in
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
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				e, err := uc.CreateExperiment(cmd.Context(), rhythmapp.System(""), f.input(cmd))
				if err != nil {
					return fieldFlags(err, experimentFields)
				}
				fmt.Fprintf(a.stdout, "created experiment %d %q: %s, %d arms, seed %d\n", e.ID, e.Name, e.Units.Count(len(e.Pool)), len(e.Arms), e.Seed)
				a.writePower(experiment.Power(e, nil))
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
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				l, err := uc.Experiments(cmd.Context(), rhythmapp.System(""))
				if err != nil {
					return err
				}
				if listJSON {
					return writeNDJSON(a.stdout, l)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tUNITS\tARMS\tASSIGNED\tBASELINE\tTREATMENT")
				for _, s := range l {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%v\t%s\t%s\n", s.ID, s.Name, s.Units.Count(s.Pool), s.Arms, s.Assigned, s.Baseline, s.Treatment)
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
			var csv io.Reader
			if fromCSV != "" {
				f, err := os.Open(fromCSV)
				if err != nil {
					return usagef("--from-csv: %v", err)
				}
				defer f.Close()
				csv = f
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				e, err := uc.AssignExperiment(cmd.Context(), rhythmapp.System(""), id, fromCSV, csv)
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
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				e, _, err := uc.Experiment(cmd.Context(), rhythmapp.System(""), id)
				if err != nil {
					return err
				}
				pc := experiment.Power(e, nil)
				status := uc.ExperimentStatus(e)
				if showJSON {
					return json.NewEncoder(a.stdout).Encode(map[string]any{"experiment": e, "status": status, "power": pc})
				}
				fmt.Fprintf(a.stdout, "%s (id %d): %s\n", e.Name, e.ID, status)
				if e.Hypothesis != "" {
					fmt.Fprintf(a.stdout, "hypothesis: %s\n", e.Hypothesis)
				}
				fmt.Fprintf(a.stdout, "units: %s; baseline %s; treatment %s; outcomes %s; seed %d\n", e.Units.Count(len(e.Pool)), e.Baseline, e.Treatment, strings.Join(e.Outcomes, ", "), e.Seed)
				for i, arm := range e.Arms {
					role := ""
					if i == 0 {
						role = " (control)"
					}
					fmt.Fprintf(a.stdout, "arm %s%s%s\n", arm.Name, role, map[bool]string{true: ": " + arm.Description, false: ""}[arm.Description != ""])
				}
				a.writePower(pc)
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
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				e, rep, err := uc.ExperimentReport(cmd.Context(), rhythmapp.System(""), id, extra, anResamples)
				if err != nil {
					return err
				}
				return a.writeExperimentReport(e, rep, anFormat, anOut)
			})
		},
	}
	analyze.Flags().StringArrayVar(&anFiles, "metrics", nil, "CSV or JSON file of metric samples (repeatable)")
	analyze.Flags().StringVar(&anFormat, "format", "text", "text, json or html")
	analyze.Flags().StringVarP(&anOut, "out", "o", "", "write to this file instead of standard output")
	analyze.Flags().IntVar(&anResamples, "resamples", stats.DefaultResamples, "bootstrap resamples")

	return analyze
}

// writePower says the smallest detectable effect, then the warnings.
func (a *app) writePower(pc experiment.PowerCheck) {
	for _, s := range pc.Sentences() {
		fmt.Fprintln(a.stdout, s)
	}
	for _, w := range pc.Warnings {
		fmt.Fprintf(a.stdout, "warning: %s\n", w)
	}
}

func writeAssignments(w io.Writer, e experiment.Experiment) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UNIT\tARM\tSTRATUM")
	for _, as := range e.Assignments {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", as.Unit, as.Arm, as.Stratum)
	}
	return tw.Flush()
}

// writeExperimentReport writes the analysis of experiment e in format to
// out.
func (a *app) writeExperimentReport(e experiment.Experiment, rep experiment.Report, format, out string) error {
	html := func() (template.HTML, error) { return report.ExperimentHTML(rep) }
	text := func(w io.Writer) error { return report.ExperimentText(w, rep) }
	return a.writeReport(out, format, "Experiment: "+e.Name, rep, html, text)
}
