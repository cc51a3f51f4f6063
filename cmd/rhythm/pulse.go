package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

func parseDateFlag(flag, s string) (team.Date, error) {
	d, err := team.ParseDate(s)
	if err != nil {
		return d, usagef("--%s: %v", flag, err)
	}
	return d, nil
}

func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s: %q is not an id (a positive number)", what, s)
	}
	return id, nil
}

// output writes to --out, or standard output for "" and "-".
func (a *app) output(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.stdout)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote %s\n", path)
	return nil
}

func checkFormat(format string) error {
	switch format {
	case "text", "json", "html":
		return nil
	}
	return usagef("--format: %q is not text, json or html", format)
}

// readSampleFiles reads metric samples from CSV or JSON files.
func readSampleFiles(paths []string) ([]metric.Sample, error) {
	var out []metric.Sample
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, usagef("%v", err)
		}
		s, err := metric.Read(p, data)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func (a *app) pulseCommand() *cobra.Command {
	var dsn string
	cmd := groupCommand("pulse", "Pulse surveys (eNPS, Likert), churn, and correlations with the audit metrics", "  rhythm pulse round list --team Platform")
	persistentDBFlag(cmd, &dsn)

	// Surveys.
	survey := groupCommand("survey", "List and create surveys", "  rhythm pulse survey list")
	surveyList := a.pulseSurveyListCommand(&dsn)
	surveyCreate := a.pulseSurveyCreateCommand(&dsn)
	survey.AddCommand(surveyList, surveyCreate)

	// Rounds.
	round := groupCommand("round", "Schedule and list survey rounds", "  rhythm pulse round list --team Platform")
	roundCreate := a.pulseRoundCreateCommand(&dsn)
	roundList := a.pulseRoundListCommand(&dsn)
	round.AddCommand(roundCreate, roundList)

	// Results, import, export.
	results := a.pulseResultsCommand(&dsn)

	importCmd := a.pulseImportCommand(&dsn)
	exportCmd := a.pulseExportCommand(&dsn)

	// Churn.
	churn := a.pulseChurnCommand(&dsn)

	// Metric samples.
	metrics := groupCommand("metrics", "Store metric samples (per team or person and period) from CSV or JSON files", "  rhythm pulse metrics import audit-2026-q1.csv")
	metricsImport := a.pulseMetricsImportCommand(&dsn)
	metrics.AddCommand(metricsImport)

	// Correlations.
	correlate := a.pulseCorrelateCommand(&dsn)

	cmd.AddCommand(survey, round, results, importCmd, exportCmd, churn, metrics, correlate)
	return cmd
}

// writeCorrelations writes a correlation report in format to out.
func (a *app) writeCorrelations(rep pulse.CorrelationReport, format, out string) error {
	html := func() (template.HTML, error) { return report.CorrelationHTML(rep) }
	text := func(w io.Writer) error { return report.CorrelationText(w, rep) }
	return a.writeReport(out, format, "Communication and outcomes: correlations", rep, html, text)
}

// writeReport writes a report to out in format: text, JSON, or an HTML
// page titled title.
func (a *app) writeReport(out, format, title string, rep any, html func() (template.HTML, error), text func(io.Writer) error) error {
	return a.output(out, func(w io.Writer) error {
		switch format {
		case "json":
			return json.NewEncoder(w).Encode(rep)
		case "html":
			body, err := html()
			if err != nil {
				return err
			}
			return report.Page(w, title, body, cliNow())
		}
		return text(w)
	})
}

func writeNDJSON[T any](w io.Writer, list []T) error {
	enc := json.NewEncoder(w)
	for _, v := range list {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

func writeResultsText(w io.Writer, res pulse.Results) error {
	fmt.Fprintf(w, "round %d of team %q (%s): %s, %d responses\n", res.Round.ID, res.Round.Team, res.Survey.Title, res.Status, res.Responses)
	if res.Suppressed {
		_, err := fmt.Fprintln(w, res.Reason)
		return err
	}
	if e := res.ENPS; e != nil {
		fmt.Fprintf(w, "eNPS %+.0f (95%% CI %s) from %d answers: %d promoters, %d passives, %d detractors\n",
			e.Score, e.CI.Format("%+.0f"), e.N, e.Promoters, e.Passives, e.Detractors)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tN\tMEAN\t95% CI\tFAVOURABLE\tCOUNTS (low→high)")
	for _, it := range res.Items {
		if it.Suppressed {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\tfewer answers than the min group size\n", it.Key, it.N)
			continue
		}
		counts := make([]string, len(it.Counts))
		for i, c := range it.Counts {
			counts[i] = strconv.Itoa(c)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%.0f%%\t%s\n", it.Key, it.N, it.Mean, it.CI.Format("%.2f"), it.Favourable, strings.Join(counts, " "))
	}
	return tw.Flush()
}

func (a *app) pulseSurveyListCommand(dsn *string) *cobra.Command {
	var surveysJSON bool
	surveyList := &cobra.Command{
		Use:     "list",
		Short:   "List surveys with their items",
		Example: "  rhythm pulse survey list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				list, err := uc.Surveys(cmd.Context(), rhythmapp.System(""))
				if err != nil {
					return err
				}
				if surveysJSON {
					return writeNDJSON(a.stdout, list)
				}
				for _, s := range list {
					fmt.Fprintf(a.stdout, "%d  %s\n", s.ID, s.Title)
					for _, it := range s.Items {
						lo, hi := it.Kind.Range()
						fmt.Fprintf(a.stdout, "    %-22s %s %d–%d  %s\n", it.Key, it.Kind, lo, hi, it.Text)
					}
				}
				return nil
			})
		},
	}
	surveyList.Flags().BoolVar(&surveysJSON, "json", false, "one JSON object per line")
	return surveyList
}

func (a *app) pulseSurveyCreateCommand(dsn *string) *cobra.Command {
	surveyCreate := &cobra.Command{
		Use:   "create FILE",
		Short: "Store a survey from a YAML or JSON file (title, items with key, kind enps|likert, text)",
		Example: `  cat > survey.yaml <<'YAML'
  title: Focus pulse
  items:
    - {key: enps, kind: enps, text: "How likely are you to recommend this team as a place to work?"}
    - {key: focus, kind: likert, text: "I have enough uninterrupted time."}
  YAML
  rhythm pulse survey create survey.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			var s pulse.Survey
			if err := yaml.UnmarshalWithOptions(data, &s, yaml.Strict(), yaml.UseJSONUnmarshaler()); err != nil {
				return usagef("%s: %s", args[0], strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
			}
			if err := s.Validate(); err != nil {
				return rhythm.Errorf(rhythm.EINVALID, "%s: %s", args[0], rhythm.ErrorMessage(err))
			}
			return withCreatedApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				s, err := uc.CreateSurvey(cmd.Context(), rhythmapp.System(""), s)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created survey %q (id %d) with %d items\n", s.Title, s.ID, len(s.Items))
				return nil
			})
		},
	}
	return surveyCreate
}

func (a *app) pulseRoundCreateCommand(dsn *string) *cobra.Command {
	var (
		teamRef, opens, closes, tz string
		surveyID                   int64
		imported                   bool
	)
	roundCreate := &cobra.Command{
		Use:   "create --team TEAM --opens WHEN --closes WHEN",
		Short: "Schedule a round of a survey for a team",
		Long: `Schedule a round of a survey for a team. --opens and --closes take a date (a date
for --closes means the end of that day), a time such as "2026-04-01 09:00" (both in
--tz, default this machine's zone) or an RFC 3339 time. Answers are anonymous;
results appear once the round has closed with at least the team's min_group_size responses.
With --imported the round holds answers from another tool instead (rhythm pulse import):
one file, never mixed with answers collected in rhythm; --opens and --closes say when that
tool asked.`,
		Example: "  rhythm pulse round create --team Platform --opens 2026-04-01 --closes 2026-04-14",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if teamRef == "" {
				return usagef("--team is required")
			}
			loc, err := zoneOf(tz)
			if err != nil {
				return err
			}
			in := rhythmapp.RoundInput{SurveyID: surveyID, Opens: opens, Closes: closes, Imported: imported, Zone: loc}
			// The flags are read before the database is opened.
			if _, err := in.Round(cliNow()); err != nil {
				return fieldFlags(err, map[string]string{"opens": "opens", "closes": "closes"})
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				r, err := uc.CreateRound(cmd.Context(), rhythmapp.System(""), teamRef, in)
				if err != nil {
					return teamFlagError(err)
				}
				fmt.Fprintf(a.stdout, "scheduled round %d for team %q: opens %s, closes %s (%s)\n", r.ID, r.Team,
					stamp(r.Opens, loc), stamp(r.Closes, loc), loc)
				return nil
			})
		},
	}
	roundCreate.Flags().StringVar(&teamRef, "team", "", "team name or id")
	roundCreate.Flags().StringVar(&opens, "opens", "", "when the round opens")
	roundCreate.Flags().StringVar(&closes, "closes", "", "when the round closes")
	zoneFlag(roundCreate.Flags(), &tz)
	roundCreate.Flags().Int64Var(&surveyID, "survey", 0, "survey id (default: the built-in Team pulse)")
	roundCreate.Flags().BoolVar(&imported, "imported", false, "a round for answers imported from another tool, not answered in rhythm")
	return roundCreate
}

func (a *app) pulseRoundListCommand(dsn *string) *cobra.Command {
	var (
		teamRef, listTZ string
		roundsJSON      bool
	)
	roundList := &cobra.Command{
		Use:     "list --team TEAM",
		Short:   "List a team's rounds with their status and response counts",
		Example: "  rhythm pulse round list --team Platform",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if teamRef == "" {
				return usagef("--team is required")
			}
			loc, err := zoneOf(listTZ)
			if err != nil {
				return err
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				list, err := uc.Rounds(cmd.Context(), rhythmapp.System(""), teamRef)
				if err != nil {
					return teamFlagError(err)
				}
				if roundsJSON {
					for _, r := range list {
						if err := json.NewEncoder(a.stdout).Encode(r.Round); err != nil {
							return err
						}
					}
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintf(tw, "ROUND\tSURVEY\tOPENS (%s)\tCLOSES\tSTATUS\tRESPONSES\n", loc)
				for _, r := range list {
					fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%d\n", r.ID, r.SurveyID, stamp(r.Opens, loc), stamp(r.Closes, loc), r.Status, r.Round.Responses)
				}
				return tw.Flush()
			})
		},
	}
	roundList.Flags().StringVar(&teamRef, "team", "", "team name or id")
	roundList.Flags().BoolVar(&roundsJSON, "json", false, "one JSON object per line")
	zoneFlag(roundList.Flags(), &listTZ)
	return roundList
}

func (a *app) pulseResultsCommand(dsn *string) *cobra.Command {
	var resultsJSON bool
	results := &cobra.Command{
		Use:     "results ROUND",
		Short:   "Show a closed round's results (eNPS with its interval, each item's distribution)",
		Example: "  rhythm pulse results 4 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ROUND", args[0])
			if err != nil {
				return err
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				res, err := uc.RoundResults(cmd.Context(), rhythmapp.System(""), "", id)
				if err != nil {
					return err
				}
				if resultsJSON {
					return json.NewEncoder(a.stdout).Encode(res)
				}
				return writeResultsText(a.stdout, res)
			})
		},
	}
	results.Flags().BoolVar(&resultsJSON, "json", false, "print the results as JSON")
	return results
}

func (a *app) pulseImportCommand(dsn *string) *cobra.Command {
	importCmd := &cobra.Command{
		Use:     "import ROUND FILE.csv",
		Short:   "Store responses exported from another survey tool in an imported round",
		Example: "  rhythm pulse import 4 answers.csv",
		Long: `Store responses exported from another survey tool in a round created for them
(rhythm pulse round create --imported): one row per response, one column per item, headed by
the item's key or its exact text; empty cells are unanswered. Columns that identify people or
times (email, name, timestamp, …) are refused: remove them first. A round takes one file, so
its results never change; importing the same file into the same round again changes nothing.
Rounds that collect answers in rhythm refuse imports.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ROUND", args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				n, err := uc.ImportResponses(cmd.Context(), rhythmapp.System(""), "", id, args[1], data)
				if err != nil {
					return err
				}
				if n == 0 {
					fmt.Fprintf(a.stdout, "%s was imported into round %d before; nothing changed\n", args[1], id)
					return nil
				}
				fmt.Fprintf(a.stdout, "imported %d responses into round %d\n", n, id)
				return nil
			})
		},
	}
	return importCmd
}

func (a *app) pulseExportCommand(dsn *string) *cobra.Command {
	var exportOut string
	exportCmd := &cobra.Command{
		Use:     "export ROUND",
		Short:   "Write a closed round's responses as CSV (only when its results may be shown)",
		Example: "  rhythm pulse export 4 --out round-4.csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("ROUND", args[0])
			if err != nil {
				return err
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				res, rs, err := uc.RoundResponses(cmd.Context(), rhythmapp.System(""), "", id)
				if err != nil {
					return err
				}
				return a.output(exportOut, func(w io.Writer) error { return pulse.WriteResponsesCSV(w, res.Survey, rs) })
			})
		},
	}
	exportCmd.Flags().StringVarP(&exportOut, "out", "o", "", "write to this file instead of standard output")
	return exportCmd
}

func (a *app) pulseChurnCommand(dsn *string) *cobra.Command {
	var teamRef string
	var churnFrom, churnTo string
	var churnJSON bool
	churn := &cobra.Command{
		Use:     "churn --team TEAM --from DATE --to DATE",
		Short:   "Churn per quarter from the roster's start and leave dates, with the counts behind it",
		Example: "  rhythm pulse churn --team Platform --from 2025-01-01 --to 2026-03-31",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if teamRef == "" {
				return usagef("--team is required")
			}
			from, err := parseDateFlag("from", churnFrom)
			if err != nil {
				return err
			}
			to, err := parseDateFlag("to", churnTo)
			if err != nil {
				return err
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				rows, err := uc.Churn(cmd.Context(), rhythmapp.System(""), teamRef, from, to)
				if err != nil {
					return teamFlagError(err)
				}
				if churnJSON {
					return writeNDJSON(a.stdout, rows)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "PERIOD\tSTART\tEND\tJOINERS\tLEAVERS\tAVG HEADCOUNT\tCHURN")
				for _, r := range rows {
					if r.Suppressed {
						fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\tbelow min group size\n", r.Period)
						continue
					}
					partial := ""
					if r.Partial {
						partial = " (part)"
					}
					fmt.Fprintf(tw, "%s%s\t%d\t%d\t%d\t%d\t%.1f\t%.1f%%\n", r.Period, partial, r.StartHeadcount, r.EndHeadcount, r.Joiners, r.Leavers, r.AverageHeadcount, 100*r.Rate)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, "churn = leavers / average daily headcount; leavers count only while they stay on the roster with a leave date")
				return nil
			})
		},
	}
	churn.Flags().StringVar(&teamRef, "team", "", "team name or id")
	churn.Flags().StringVar(&churnFrom, "from", "", "first day (YYYY-MM-DD)")
	churn.Flags().StringVar(&churnTo, "to", "", "last day (YYYY-MM-DD)")
	churn.Flags().BoolVar(&churnJSON, "json", false, "one JSON object per line")
	return churn
}

func (a *app) pulseMetricsImportCommand(dsn *string) *cobra.Command {
	metricsImport := &cobra.Command{
		Use:   "import FILE...",
		Short: "Store metric samples; values of the same unit, period and metric are replaced",
		Long: `Store metric samples from CSV or JSON files until the audit feeds them directly.
CSV: a unit column (unit, team, person or email), a period column (2026-Q1, 2026-03,
2026-W14, 2026-01-05/2026-02-01) or start and end columns, and one column per metric.
JSON: [{"unit": "Platform", "period": "2026-Q1", "values": {"sync_async_ratio": 0.8}}].`,
		Example: "  rhythm pulse metrics import audit-2026-q1.csv",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			samples, err := readSampleFiles(args)
			if err != nil {
				return err
			}
			return withCreatedApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				n, err := uc.ImportMetrics(cmd.Context(), rhythmapp.System(""), strings.Join(args, ","), samples)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "stored %s from %s\n", plural(n, "value"), plural(len(samples), "sample"))
				return nil
			})
		},
	}
	return metricsImport
}

func (a *app) pulseCorrelateCommand(dsn *string) *cobra.Command {
	var (
		corrFiles, corrX, corrY []string
		corrFormat, corrOut     string
		corrSeed                uint64
		corrResamples           int
	)
	correlate := &cobra.Command{
		Use:   "correlate",
		Short: "Correlate audit metrics with eNPS, Likert scores and churn across team-quarters",
		Long: `Correlate audit metrics (sync:async ratio, meeting hours, after-hours, response times)
with eNPS, Likert scores and churn across team-quarters, from the stored samples, closed
survey rounds and rosters, plus any --metrics files. Reports Spearman and Kendall with 95%
bootstrap intervals (resampling whole teams) and permutation p-values, with n always shown.
These are associations, not causes.`,
		Example: `  rhythm pulse correlate --metrics audit.csv --format html --out correlations.html
  rhythm pulse correlate --x sync_async_ratio --y enps --y churn`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(corrFormat); err != nil {
				return err
			}
			extra, err := readSampleFiles(corrFiles)
			if err != nil {
				return err
			}
			opt := stats.Options{Seed: corrSeed, Resamples: corrResamples, Permutations: corrResamples}
			// With --metrics files and no database at the default path,
			// the files alone are correlated; a --db named on purpose
			// must exist.
			if p, ok := sqliteFile(*dsn); ok && len(extra) > 0 && !cmd.Flags().Changed("db") && os.Getenv("RHYTHM_DB") == "" {
				if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
					rep, err := pulse.Correlate(pulse.CorrelationRequest{Samples: extra, X: corrX, Y: corrY, Options: opt})
					if err != nil {
						return err
					}
					return a.writeCorrelations(rep, corrFormat, corrOut)
				}
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				rep, err := uc.Correlations(cmd.Context(), rhythmapp.System(""), corrX, corrY, extra, opt)
				if err != nil {
					return err
				}
				return a.writeCorrelations(rep, corrFormat, corrOut)
			})
		},
	}
	correlate.Flags().StringArrayVar(&corrFiles, "metrics", nil, "CSV or JSON file of metric samples (repeatable)")
	correlate.Flags().StringArrayVar(&corrX, "x", nil, "exposure metric (repeatable; default: every audit metric present)")
	correlate.Flags().StringArrayVar(&corrY, "y", nil, "outcome metric (repeatable; default: every other metric present)")
	correlate.Flags().StringVar(&corrFormat, "format", "text", "text, json or html")
	correlate.Flags().StringVarP(&corrOut, "out", "o", "", "write to this file instead of standard output")
	correlate.Flags().Uint64Var(&corrSeed, "seed", 1, "seed of the bootstrap and permutations")
	correlate.Flags().IntVar(&corrResamples, "resamples", stats.DefaultResamples, "bootstrap resamples and permutations")
	return correlate
}
