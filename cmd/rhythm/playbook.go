package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/internal/yamlpos"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// loadTemplates reads every *.yaml and *.yml file of dir as a team
// template.
func loadTemplates(dir string) ([]playbook.Template, error) {
	if dir == "" {
		return nil, nil
	}
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, usagef("--templates: %v", err)
		}
		files = append(files, m...)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usagef("--templates: %s is not a folder", dir)
	}
	sort.Strings(files)
	var out []playbook.Template
	for _, f := range files {
		t, err := readTemplate(f)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, playbook.CheckNames(out)
}

// readTemplate reads a team template file; a name a built-in playbook has
// is refused with the file and line.
func readTemplate(file string) (playbook.Template, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return playbook.Template{}, usagef("%v", err)
	}
	t, err := playbook.Parse(file, b)
	if err != nil {
		return t, err
	}
	if _, ok := playbook.Builtin(t.Name); ok {
		return t, usagef("%s:%d: name: %q is a built-in playbook; choose another name", file, yamlpos.LineOf(b, "name"), t.Name)
	}
	return t, nil
}

func (a *app) playbookCommand() *cobra.Command {
	var pf playbookFlags
	cmd := groupCommand("playbook", "Hybrid playbooks: list, show, check, add and run them for a team", "  rhythm playbook list")
	cmd.PersistentFlags().StringVar(&pf.templates, "templates", "", "a folder of the team's own templates (*.yaml)")

	listCmd := a.playbookListCommand(&pf)

	showCmd := a.playbookShowCommand(&pf)

	checkCmd := a.playbookCheckCommand(&pf)
	addCmd := a.playbookAddCommand(&pf)

	runCmd := a.playbookRunCommand(&pf)

	cmd.AddCommand(listCmd, showCmd, checkCmd, addCmd, runCmd)
	return cmd
}

// confirmThreads says on stderr which threads --create stored, so the plan
// on stdout stays what --json promises.
func (a *app) confirmThreads(ths []thread.Thread) {
	ids := make([]string, len(ths))
	for i, th := range ths {
		ids[i] = strconv.FormatInt(th.ID, 10)
	}
	fmt.Fprintf(a.stderr, "created %s (id %s); see rhythm thread list\n", plural(len(ths), "thread"), strings.Join(ids, ", "))
}

// writePlanICS writes the plan's calendar to a file, replacing it only
// when the whole calendar was written.
func writePlanICS(plan *playbook.Plan, t *team.Team, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rhythm-*.ics")
	if err != nil {
		return usagef("--ics: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := plan.WriteICS(tmp, t, cliNow()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// playbookFlags are the flags the playbook commands share.
type playbookFlags struct{ dsn, teamRef, templates string }

// extra returns the templates of --templates and, with --team and a
// database, the team's stored ones.
func (pf *playbookFlags) extra(cmd *cobra.Command, withDB bool) ([]playbook.Template, error) {
	ts, err := loadTemplates(pf.templates)
	if err != nil || !withDB || pf.teamRef == "" {
		return ts, err
	}
	err = withApp(cmd, pf.dsn, func(uc *rhythmapp.App) error {
		_, own, err := uc.TeamPlaybooks(cmd.Context(), rhythmapp.System(""), pf.teamRef)
		ts = append(ts, own...)
		return err
	})
	if err != nil {
		return nil, teamFlagError(err)
	}
	return ts, playbook.CheckNames(ts)
}

// teamFlagError makes an unknown team a usage error naming --team.
func teamFlagError(err error) error {
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND && strings.HasPrefix(rhythm.ErrorMessage(err), "team ") {
		return usagef("--team: %s", rhythm.ErrorMessage(err))
	}
	return err
}

func (a *app) playbookListCommand(pf *playbookFlags) *cobra.Command {
	var ljs bool
	listCmd := &cobra.Command{
		Use:     "list",
		Short:   "List the playbooks: built-in, from --templates, and the team's stored ones (with --team)",
		Example: "  rhythm playbook list --team Platform",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ts, err := pf.extra(cmd, true)
			if err != nil {
				return err
			}
			all := append(playbook.Builtins(), ts...)
			if ljs {
				enc := json.NewEncoder(a.stdout)
				for _, t := range all {
					if err := enc.Encode(map[string]any{"name": t.Name, "title": t.Title, "summary": t.Summary, "builtin": t.Builtin, "steps": len(t.Steps)}); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTEPS\tTITLE")
			for _, t := range all {
				name := t.Name
				if !t.Builtin {
					name += " (team)"
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\n", name, len(t.Steps), t.Title)
			}
			return tw.Flush()
		},
	}
	listCmd.Flags().BoolVar(&ljs, "json", false, "one JSON object per line")
	listCmd.Flags().StringVar(&pf.dsn, "db", "rhythm.db", "database with the team's stored playbooks (env RHYTHM_DB)")
	listCmd.Flags().StringVar(&pf.teamRef, "team", "", "also list this team's stored playbooks")
	return listCmd
}

func (a *app) playbookShowCommand(pf *playbookFlags) *cobra.Command {
	var asYAML bool
	showCmd := &cobra.Command{
		Use:     "show NAME",
		Short:   "Show a playbook's roles and steps (or, with --yaml, its template to copy and adapt)",
		Example: "  rhythm playbook show async-prep-huddle --yaml > design-review.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ts, err := pf.extra(cmd, false)
			if err != nil {
				return err
			}
			t, err := playbook.Find(args[0], ts)
			if err != nil {
				return usageError{err}
			}
			if asYAML {
				b, err := playbook.Marshal(t)
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(b)
				return err
			}
			fmt.Fprintf(a.stdout, "%s (%s)\n%s\n\nroles:\n", t.Title, t.Name, t.Summary)
			for _, r := range t.Roles {
				n := "one or more"
				if r.One {
					n = "one person"
				}
				fmt.Fprintf(a.stdout, "  %-14s %s; %s\n", r.Name, n, r.Doc)
			}
			fmt.Fprintln(a.stdout, "\nsteps:")
			for i, s := range t.Steps {
				fmt.Fprintf(a.stdout, "  %d. [%s] %s — owner %s", i+1, s.Kind, s.Title, s.Owner)
				if len(s.With) > 0 {
					fmt.Fprintf(a.stdout, ", with %s", strings.Join(s.With, ", "))
				}
				if s.Day != 0 {
					fmt.Fprintf(a.stdout, ", day %+d", s.Day)
				}
				if len(s.After) > 0 {
					fmt.Fprintf(a.stdout, ", after %s", strings.Join(s.After, ", "))
				}
				for _, d := range []struct {
					n string
					v team.Duration
				}{{"prepare", s.Prepare}, {"respond", s.Respond}, {"timebox", s.Timebox}, {"window", s.Window}} {
					if d.v != 0 {
						fmt.Fprintf(a.stdout, ", %s %s", d.n, d.v)
					}
				}
				fmt.Fprintf(a.stdout, "\n     output: %s\n", s.Output)
			}
			return nil
		},
	}
	showCmd.Flags().BoolVar(&asYAML, "yaml", false, "print the template as YAML")
	return showCmd
}

func (a *app) playbookCheckCommand(pf *playbookFlags) *cobra.Command {
	checkCmd := &cobra.Command{
		Use:     "check FILE...",
		Short:   "Validate team templates; errors name the file, line and field",
		Example: "  rhythm playbook check playbooks/*.yaml",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ts []playbook.Template
			for _, f := range args {
				t, err := readTemplate(f)
				if err != nil {
					return err
				}
				ts = append(ts, t)
			}
			if err := playbook.CheckNames(ts); err != nil {
				return err
			}
			for i, t := range ts {
				fmt.Fprintf(a.stdout, "%s: playbook %q ok (%d roles, %d steps)\n", args[i], t.Name, len(t.Roles), len(t.Steps))
			}
			return nil
		},
	}

	return checkCmd
}

func (a *app) playbookAddCommand(pf *playbookFlags) *cobra.Command {
	var addDSN, addTeam string
	addCmd := &cobra.Command{
		Use:     "add FILE",
		Short:   "Store a team template so the team can run it from the web and the API",
		Example: "  rhythm playbook add design-review.yaml --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := readTemplate(args[0])
			if err != nil {
				return err
			}
			b, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			if strings.TrimSpace(addTeam) == "" {
				return usagef("--team is required")
			}
			var tm rhythmapp.TeamOf
			err = withApp(cmd, addDSN, func(uc *rhythmapp.App) error {
				who := rhythmapp.System("")
				if tm, err = uc.Team(cmd.Context(), who, addTeam); err != nil {
					return teamFlagError(err)
				}
				_, err := uc.SavePlaybook(cmd.Context(), who, addTeam, t.Name, b)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "stored playbook %q for team %s\n", t.Name, tm.Name)
			return nil
		},
	}
	addCmd.Flags().StringVar(&addDSN, "db", "rhythm.db", "database: a SQLite file path or a postgres:// URL (env RHYTHM_DB)")
	addCmd.Flags().StringVar(&addTeam, "team", "", "the team, by name or id")
	return addCmd
}

func (a *app) playbookRunCommand(pf *playbookFlags) *cobra.Command {
	var (
		runDSN, runTeam, rosterFile, date, topic, tz, icsOut string
		roles                                                []string
		rjs, create                                          bool
	)
	runCmd := &cobra.Command{
		Use:   "run NAME",
		Short: "Plan one run of a playbook: threads with owners and due-by times, the live session, the decision record",
		Example: `  rhythm playbook run async-prep-huddle --roster team.yaml --date 2026-03-09 --role owner=ana@example.com --topic "Q2 goal"
  rhythm playbook run one-on-one --team Platform --date 2026-03-10 --role employee=kenji --role manager=ana --create
  rhythm playbook run onboarding --team Platform --date 2026-04-01 --role manager=ana --role new_hire=zoe --role buddy=kenji --ics onboarding.ics`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req, zone, err := playbookRequest(date, tz, topic, roles)
			if err != nil {
				return err
			}
			out := runOut{icsOut, rjs}
			if rosterFile != "" || runTeam == "" {
				tm, ts, err := playbookRoster(pf, runTeam, rosterFile, create)
				if err != nil {
					return err
				}
				req.Team, req.Preview = &tm, true
				plan, err := planFromRoster(args[0], ts, req)
				if err != nil {
					return err
				}
				return a.writePlan(plan, &tm, zone, out)
			}
			return withApp(cmd, runDSN, func(uc *rhythmapp.App) error {
				// The threads --create stores name the playbook as their creator.
				who := rhythmapp.System("playbook " + args[0])
				t, err := uc.Team(ctx, who, runTeam)
				if err != nil {
					return teamFlagError(err)
				}
				extra, err := loadTemplates(pf.templates)
				if err != nil {
					return err
				}
				run := rhythmapp.PlaybookRun{Date: date, Topic: topic, Roles: req.Roles, Create: create, Templates: extra, PreviewPast: true}
				plan, ths, err := uc.RunPlaybook(ctx, who, runTeam, args[0], run)
				if err != nil {
					return planFlagError(err)
				}
				if create {
					a.confirmThreads(ths)
				}
				return a.writePlan(plan, &t.Team, zone, out)
			})
		},
	}
	runCmd.Flags().StringVar(&runDSN, "db", "rhythm.db", "database the team is read from (env RHYTHM_DB)")
	runCmd.Flags().StringVar(&runTeam, "team", "", "the team in the database, by name or id")
	runCmd.Flags().StringVar(&rosterFile, "roster", "", "read the team from a roster file instead of the database")
	runCmd.Flags().StringVar(&date, "date", "", "the day the run starts, YYYY-MM-DD (onboarding: the first day)")
	runCmd.Flags().StringVar(&topic, "topic", "", "what the run is about, used in titles")
	runCmd.Flags().StringArrayVar(&roles, "role", nil, "ROLE=PEOPLE, e.g. owner=ana@example.com or participants=kenji,sujan (repeatable)")
	zoneFlag(runCmd.Flags(), &tz)
	runCmd.Flags().StringVar(&icsOut, "ics", "", "also write the plan as an iCalendar file (- for standard output)")
	runCmd.Flags().BoolVar(&rjs, "json", false, "print the plan as JSON")
	runCmd.Flags().BoolVar(&create, "create", false, "store the plan's threads in the database (with --team)")
	return runCmd
}

// playbookRequest reads the flags of playbook run that shape the plan.
func playbookRequest(date, tz, topic string, roles []string) (playbook.Request, *time.Location, error) {
	if date == "" {
		return playbook.Request{}, nil, usagef("--date is required (YYYY-MM-DD)")
	}
	d, err := team.ParseDate(date)
	if err != nil {
		return playbook.Request{}, nil, usagef("--date: %v", err)
	}
	zone, err := zoneOf(tz)
	if err != nil {
		return playbook.Request{}, nil, err
	}
	req := playbook.Request{Date: d, Topic: topic, Roles: map[string][]string{}, Now: cliNow(), Scheduler: sessionScheduler()}
	for _, r := range roles {
		name, who, ok := strings.Cut(r, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return req, nil, usagef("--role: %q is not ROLE=PEOPLE, e.g. owner=ana@example.com", r)
		}
		name = strings.TrimSpace(name)
		req.Roles[name] = append(req.Roles[name], who)
	}
	return req, zone, nil
}

// playbookRoster reads the team of playbook run from --roster, with the
// templates of --templates.
func playbookRoster(pf *playbookFlags, runTeam, rosterFile string, create bool) (team.Team, []playbook.Template, error) {
	var tm team.Team
	switch {
	case rosterFile != "" && runTeam != "":
		return tm, nil, usagef("give --roster or --team, not both")
	case rosterFile == "":
		return tm, nil, usagef("give --team (with --db) or --roster")
	case create:
		return tm, nil, usagef("--create stores threads in the database: use --team, not --roster")
	}
	ts, err := loadTemplates(pf.templates)
	if err != nil {
		return tm, nil, err
	}
	b, err := os.ReadFile(rosterFile)
	if err != nil {
		return tm, nil, usagef("--roster: %v", err)
	}
	tm, err = team.ParseRoster(rosterFile, b)
	return tm, ts, err
}

// runOut is where playbook run writes the plan.
type runOut struct {
	ics    string
	asJSON bool
}

// planFromRoster plans one run of the playbook name among the built-in
// ones and ts for req.Team, a roster read from a file: nothing is stored,
// so no use case is needed.
func planFromRoster(name string, ts []playbook.Template, req playbook.Request) (*playbook.Plan, error) {
	t, err := playbook.Find(name, ts)
	if err != nil {
		return nil, usageError{err}
	}
	plan, err := playbook.Instantiate(t, req)
	return plan, planFlagError(err)
}

// planFlagError names the flag of playbook run that an error of a plan is
// about: roles.manager is --role manager, date is --date.
func planFlagError(err error) error {
	if rest, ok := strings.CutPrefix(rhythm.ErrorMessage(err), "roles."); ok && rhythm.ErrorCode(err) == rhythm.EINVALID {
		return usagef("--role %s", rest)
	}
	return fieldFlags(err, map[string]string{"date": "date", "topic": "topic", "roles": "role"})
}

// writePlan writes a plan of team t as out asks.
func (a *app) writePlan(plan *playbook.Plan, t *team.Team, zone *time.Location, out runOut) error {
	if out.ics == "-" {
		return plan.WriteICS(a.stdout, t, cliNow())
	}
	if out.ics != "" {
		if err := writePlanICS(plan, t, out.ics); err != nil {
			return err
		}
		sessions, dues := plan.CalendarEvents()
		fmt.Fprintf(a.stderr, "wrote %s: %s and %s to import into each person's calendar\n", out.ics, plural(sessions, "session"), plural(dues, "due-by block"))
	}
	if out.asJSON {
		return json.NewEncoder(a.stdout).Encode(plan)
	}
	return plan.WriteText(a.stdout, zone)
}
