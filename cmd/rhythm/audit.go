package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// auditFlags are the flags of rhythm audit.
type auditFlags struct {
	roster, teamRef, dsn                  string
	calendars, slacks, mboxes, csvs       []string
	from, to, compareFrom, compareTo      string
	minGroup                              int
	format, out, figures                  string
	chatMinutes, emailMinutes, readMinute float64
	save                                  bool
}

func (a *app) auditCommand() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit (--roster team.yaml [--calendar F.ics]... [--slack EXPORT]... [--mbox F]... [--csv F]... | --team NAME) --from D --to D",
		Short: "Measure sync vs async balance, focus, after-hours work, response times and time-zone burden",
		Long: `Audit reads a team's calendar, chat and mail metadata and reports, per person-week and
team-week: meeting hours (overlaps once, declined and all-day events left out), focus time,
after-hours work in each person's own zone and schedule, the sync:async ratio by count and
by time, response times against the team's response window, long, large, recurring,
back-to-back and double-booked meetings, meetings on the no-meeting day, and how the
after-hours burden falls on each time zone.

Give the roster and files (--calendar, --slack, --mbox, --csv; each may repeat), or
--team with --db to audit the team's stored imports. --from and --to are dates, both
included, in each person's own zone. --compare-from and --compare-to add a baseline
period (e.g. the previous quarter) and the changes since.

Group figures are shown only for groups of at least the team's min_group_size people
(--min-group may raise it, never below 3); smaller groups are suppressed and marked.
The report names nobody. With --save the result is stored for the web app, where each
member sees their own numbers and the team's group figures.`,
		Example: `  rhythm audit --roster team.yaml --calendar calendar.ics --slack slack-export.zip \
      --mbox mail.mbox --from 2026-02-02 --to 2026-05-03 --format html --out audit.html
  rhythm audit --team Platform --from 2026-04-01 --to 2026-06-30 \
      --compare-from 2026-01-01 --compare-to 2026-03-31 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runAudit(cmd.Context(), cmd, &f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.roster, "roster", "", "the team's roster file (team.yaml)")
	fl.StringVar(&f.teamRef, "team", "", "name or id of a stored team: its roster, and its stored imports when no files are given")
	dbFlag(cmd, &f.dsn)
	fl.StringArrayVar(&f.calendars, "calendar", nil, "iCalendar file (.ics); may repeat")
	fl.StringArrayVar(&f.slacks, "slack", nil, "Slack export, zip or folder; may repeat")
	fl.StringArrayVar(&f.mboxes, "mbox", nil, "mailbox file (mbox); may repeat")
	fl.StringArrayVar(&f.csvs, "csv", nil, "events CSV file; may repeat")
	fl.StringVar(&f.from, "from", "", "first day of the period, YYYY-MM-DD (required)")
	fl.StringVar(&f.to, "to", "", "last day of the period, YYYY-MM-DD, included (required)")
	fl.StringVar(&f.compareFrom, "compare-from", "", "first day of a baseline period to compare with")
	fl.StringVar(&f.compareTo, "compare-to", "", "last day of the baseline period, included")
	fl.IntVar(&f.minGroup, "min-group", 0, "smallest group to show figures for (default: the team's min_group_size; at least 3)")
	fl.StringVar(&f.format, "format", "html", "report format: html, json, csv or text (default: text on a terminal without --out, else html)")
	fl.StringVar(&f.out, "out", "", "file to write the report to (default: standard output)")
	d := audit.DefaultCosts()
	fl.Float64Var(&f.chatMinutes, "chat-minutes", d.Chat.Minutes(), "assumed minutes to write a chat message")
	fl.Float64Var(&f.emailMinutes, "email-minutes", d.Email.Minutes(), "assumed minutes to write an email")
	fl.Float64Var(&f.readMinute, "read-minutes", d.Read.Minutes(), "assumed minutes to read a message addressed to the person")
	fl.StringVar(&f.figures, "figures", "", "also write the team's measured figures to this file, for rhythm decide --figures")
	fl.BoolVar(&f.save, "save", false, "store the result in --db for the team's audit pages (the team must be stored)")
	return cmd
}

// auditInput is one file given on the command line.
type auditInput struct {
	flag string
	want detect.Format
	path string
}

func (a *app) runAudit(ctx context.Context, cmd *cobra.Command, f *auditFlags) error {
	if !cmd.Flags().Changed("format") && f.out == "" && isTerminal(a.stdout) {
		f.format = report.FormatText // HTML is for a file or a browser
	}
	cfg, inputs, err := f.check()
	if err != nil {
		return err
	}
	var db *store.DB
	if f.teamRef != "" || f.save {
		if db, err = openDB(ctx, f.dsn); err != nil {
			return err
		}
		defer db.Close()
	}
	uc := rhythmapp.New(db, nil)
	if f.save && f.roster != "" {
		if err := a.storedRoster(ctx, uc, f); err != nil {
			return err
		}
	}
	bar := a.progress("audit")
	var (
		t      team.Team
		result *audit.Result
	)
	if len(inputs) == 0 {
		t, result, err = uc.AuditStored(ctx, rhythmapp.System(""), f.teamRef, cfg, func(n int) { bar.Add(n) })
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			err = usagef("--team: no team %q in %s", f.teamRef, f.dsn)
		}
	} else {
		t, result, err = a.auditInputs(ctx, uc, f, cfg, inputs, func(n int) { bar.Add(n) })
	}
	bar.Finish()
	if err != nil {
		return err
	}
	if f.save {
		id, err := uc.SaveAudit(ctx, rhythmapp.System(""), t.Name, result)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "saved audit %d of team %q\n", id, t.Name)
	}
	return a.writeAudit(f, cfg, &result.Report)
}

// storedRoster checks, before any work, that the team of --roster is
// stored, as --save needs.
func (a *app) storedRoster(ctx context.Context, uc *rhythmapp.App, f *auditFlags) error {
	t, err := a.auditTeam(ctx, uc, f)
	if err != nil {
		return err
	}
	if _, err := uc.Team(ctx, rhythmapp.System(""), t.Name); rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return usagef("--save: team %q is not stored in %s; import its roster first (rhythm team import %s)", t.Name, f.dsn, f.roster)
	} else if err != nil {
		return err
	}
	return nil
}

// check reads the flags: the audit's configuration and the files to read.
func (f *auditFlags) check() (audit.Config, []auditInput, error) {
	cfg, err := f.config()
	if err != nil {
		return cfg, nil, err
	}
	switch f.format {
	case report.FormatHTML, report.FormatJSON, report.FormatCSV, report.FormatText:
	default:
		return cfg, nil, usagef("--format: %q is not text, html, json or csv", f.format)
	}
	var inputs []auditInput
	for _, l := range []struct {
		flag  string
		want  detect.Format
		paths []string
	}{{"--calendar", detect.ICS, f.calendars}, {"--slack", detect.Slack, f.slacks}, {"--mbox", detect.Mbox, f.mboxes}, {"--csv", detect.CSV, f.csvs}} {
		for _, p := range l.paths {
			inputs = append(inputs, auditInput{l.flag, l.want, p})
		}
	}
	switch {
	case f.roster != "" && f.teamRef != "":
		return cfg, nil, usagef("give either --roster or --team, not both")
	case f.roster == "" && f.teamRef == "":
		return cfg, nil, usagef("--roster or --team is required: whose communication to audit")
	case f.roster != "" && len(inputs) == 0:
		return cfg, nil, usagef("no inputs: give --calendar, --slack, --mbox or --csv files, or --team with --db to audit stored imports")
	}
	return cfg, inputs, nil
}

// auditInputs audits the files given on the command line against the
// roster of --roster or the stored team of --team. Nothing is read from
// the store but the roster: this audit is the command line's own, over
// files no other surface has.
func (a *app) auditInputs(ctx context.Context, uc *rhythmapp.App, f *auditFlags, cfg audit.Config, inputs []auditInput, progress func(int)) (team.Team, *audit.Result, error) {
	t, err := a.auditTeam(ctx, uc, f)
	if err != nil {
		return t, nil, err
	}
	var key []byte
	if db := uc.DB(); db != nil {
		if key, err = db.PseudonymKey(ctx); err != nil {
			return t, nil, err
		}
	} else {
		// Pseudonyms only tell people apart within this run and never
		// appear in a report: a fresh key will do.
		key = make([]byte, 32)
		rand.Read(key)
	}
	au, err := audit.New(&t, cfg)
	if err != nil {
		return t, nil, err
	}
	res, err := ingest.NewResolver(&t, key)
	if err != nil {
		return t, nil, err
	}
	if err := a.auditFiles(ctx, au, res, inputs, progress); err != nil {
		return t, nil, err
	}
	counts := au.Counts()
	switch {
	case counts.Read == 0:
		return t, nil, usagef("the inputs hold no interactions (%s)", inputNames(inputs))
	case counts.Counted == 0:
		return t, nil, usagef("none of the %d interactions read (%s to %s) falls in %s to %s with a team member taking part",
			counts.Read, counts.First.Format(time.DateOnly), counts.Last.Format(time.DateOnly), cfg.Window.From, cfg.Window.To)
	}
	return t, au.Result(), nil
}

// auditTeam reads the roster of --roster, or the stored team of --team.
func (a *app) auditTeam(ctx context.Context, uc *rhythmapp.App, f *auditFlags) (team.Team, error) {
	if f.teamRef != "" {
		t, err := uc.Team(ctx, rhythmapp.System(""), f.teamRef)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return t.Team, usagef("--team: no team %q in %s", f.teamRef, f.dsn)
		}
		return t.Team, err
	}
	data, err := os.ReadFile(f.roster)
	if err != nil {
		return team.Team{}, usagef("--roster: %v", unwrapPathErr(err))
	}
	return team.ParseRoster(f.roster, data)
}

// writeAudit writes the report (and, with --figures, the team's figures).
func (a *app) writeAudit(f *auditFlags, cfg audit.Config, rep *audit.Report) error {
	if f.figures != "" {
		b, err := json.MarshalIndent(rep.TeamFigures, "", "  ")
		if err == nil {
			err = os.WriteFile(f.figures, append(b, '\n'), 0o644)
		}
		if err != nil {
			return usagef("--figures: %v", unwrapPathErr(err))
		}
	}
	if f.out == "" {
		return report.WriteAudit(a.stdout, f.format, rep)
	}
	file, err := os.Create(f.out)
	if err != nil {
		return usagef("--out: %v", unwrapPathErr(err))
	}
	err = report.WriteAudit(file, f.format, rep)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Fprintf(a.stderr, "wrote %s: %s to %s, %d people, %d interactions in the period of %d read\n",
			f.out, cfg.Window.From, cfg.Window.To, rep.Current.Team.People, rep.Current.Interactions, rep.Input.Read)
	}
	return err
}

// config reads the period, privacy and cost flags.
func (f *auditFlags) config() (audit.Config, error) {
	var cfg audit.Config
	date := func(flag, v string, required bool) (team.Date, error) {
		if v == "" {
			if required {
				return team.Date{}, usagef("%s is required: a date such as 2026-02-02", flag)
			}
			return team.Date{}, nil
		}
		d, err := team.ParseDate(v)
		if err != nil {
			return d, usagef("%s: %v", flag, err)
		}
		return d, nil
	}
	var err error
	if cfg.Window.From, err = date("--from", f.from, true); err != nil {
		return cfg, err
	}
	if cfg.Window.To, err = date("--to", f.to, true); err != nil {
		return cfg, err
	}
	if (f.compareFrom == "") != (f.compareTo == "") {
		return cfg, usagef("--compare-from and --compare-to go together")
	}
	if cfg.Compare.From, err = date("--compare-from", f.compareFrom, false); err != nil {
		return cfg, err
	}
	if cfg.Compare.To, err = date("--compare-to", f.compareTo, false); err != nil {
		return cfg, err
	}
	cfg.MinGroup = f.minGroup
	if f.minGroup != 0 && f.minGroup < team.MinimumMinGroupSize {
		return cfg, usagef("--min-group %d: groups of fewer than %d people are never shown", f.minGroup, team.MinimumMinGroupSize)
	}
	for _, c := range []struct {
		flag string
		v    float64
		d    *time.Duration
	}{{"--chat-minutes", f.chatMinutes, &cfg.Costs.Chat}, {"--email-minutes", f.emailMinutes, &cfg.Costs.Email}, {"--read-minutes", f.readMinute, &cfg.Costs.Read}} {
		if c.v <= 0 || c.v > 480 {
			return cfg, usagef("%s must be more than 0 and at most 480, got %g", c.flag, c.v)
		}
		*c.d = time.Duration(c.v * float64(time.Minute))
	}
	return cfg, nil
}

// auditFiles reads every input at once, each in its own goroutine, and
// feeds the interactions to au in batches from this one.
func (a *app) auditFiles(ctx context.Context, au *audit.Auditor, res *ingest.Resolver, inputs []auditInput, progress func(int)) error {
	const batchSize = 1024
	sources, err := openAuditInputs(au, res, inputs)
	defer func() {
		for _, s := range sources {
			s.Close()
		}
	}()
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []ingest.Interaction, 2*len(sources))
	free := make(chan []ingest.Interaction, 4*len(sources))
	stats := make([]ingest.Stats, len(sources))
	for i, src := range sources {
		g.Go(func() error {
			batch := make([]ingest.Interaction, 0, batchSize)
			send := func() error {
				select {
				case batches <- batch:
				case <-gctx.Done():
					return gctx.Err()
				}
				select {
				case batch = <-free:
				default:
					batch = make([]ingest.Interaction, 0, batchSize)
				}
				return nil
			}
			var err error
			stats[i], err = src.Import(gctx, func(in ingest.Interaction) error {
				batch = append(batch, in)
				if len(batch) == batchSize {
					return send()
				}
				return nil
			})
			if err == nil && len(batch) > 0 {
				err = send()
			}
			return err
		})
	}
	done := make(chan error, 1)
	go func() {
		done <- g.Wait()
		close(batches)
	}()
	for batch := range batches {
		for i := range batch {
			au.Add(&batch[i])
		}
		progress(len(batch))
		clear(batch)
		select {
		case free <- batch[:0]:
		default:
		}
	}
	err = <-done
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		a.calendarWarnings(sources, stats)
	}
	return err
}

// openAuditInputs opens the inputs, each checked to be of the kind its flag
// wants. It returns what it opened, to be closed, also on error.
func openAuditInputs(au *audit.Auditor, res *ingest.Resolver, inputs []auditInput) ([]detect.Source, error) {
	sources := make([]detect.Source, 0, len(inputs))
	for _, in := range inputs {
		src, format, err := detect.Open(in.path, res, detect.Options{Limits: ingest.DefaultLimits()})
		if err != nil {
			if format != "" && format != in.want {
				return sources, usagef("%s %s: this is %s, not %s", in.flag, in.path, formatName(format), formatName(in.want))
			}
			return sources, err
		}
		sources = append(sources, src)
		if format != in.want {
			return sources, usagef("%s %s: this is %s, not %s", in.flag, in.path, formatName(format), formatName(in.want))
		}
		if cal, ok := src.(*icsevents.File); ok {
			// Expand recurring series over the audit's span only.
			cal.From, cal.To = au.Span()
		}
	}
	return sources, nil
}

// calendarWarnings prints what the calendars' readers left out (a broken
// event, one too expensive to expand): the audit goes on without it, but
// says so.
func (a *app) calendarWarnings(sources []detect.Source, stats []ingest.Stats) {
	const shown = 5
	for i, src := range sources {
		if _, ok := src.(*icsevents.File); !ok {
			continue
		}
		for j, n := range stats[i].Notes {
			if j == shown {
				fmt.Fprintf(a.stderr, "rhythm: warning: … %d more\n", len(stats[i].Notes)-shown)
				break
			}
			fmt.Fprintf(a.stderr, "rhythm: warning: %s\n", n.Where)
		}
	}
}

func formatName(f detect.Format) string {
	switch f {
	case detect.Slack:
		return "a Slack export"
	case detect.Mbox:
		return "an mbox mailbox"
	case detect.ICS:
		return "an iCalendar file"
	case detect.CSV:
		return "an events CSV file"
	}
	return string(f)
}

func inputNames(inputs []auditInput) string {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = filepath.Base(in.path)
	}
	return strings.Join(names, ", ")
}

// unwrapPathErr drops the operation from a *os.PathError, keeping the path
// and the reason.
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}
