package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// fieldFlags renames the field an input error starts with ("due_by: …")
// to the flag that set it ("--due: …").
func fieldFlags(err error, flags map[string]string) error {
	if err == nil || rhythm.ErrorCode(err) != rhythm.EINVALID {
		return err
	}
	field, rest, ok := strings.Cut(rhythm.ErrorMessage(err), ": ")
	if !ok {
		return err
	}
	name, known := flags[field]
	if !known { // teams[1] is --team
		base, _, _ := strings.Cut(field, "[")
		name, known = flags[base]
	}
	if !known {
		return err
	}
	return rhythm.Errorf(rhythm.EINVALID, "--%s: %s", name, rest)
}

// teamFlags are --db and --team, shared by the thread and decision
// commands.
type teamFlags struct{ dsn, ref, tz string }

func (f *teamFlags) add(cmd *cobra.Command) {
	persistentDBFlag(cmd, &f.dsn)
	cmd.PersistentFlags().StringVar(&f.ref, "team", "", "the team, by name or id (env RHYTHM_TEAM)")
	zoneFlag(cmd.PersistentFlags(), &f.tz)
}

// stamp formats t on the clock of loc, for tables whose header names loc.
func stamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04")
}

// withTeam opens the database and reads the team of --team (as the command
// line, a local admin), then runs fn with the use cases.
func (f *teamFlags) withTeam(cmd *cobra.Command, fn func(uc *rhythmapp.App, t rhythmapp.TeamOf) error) error {
	if strings.TrimSpace(f.ref) == "" {
		return usagef("--team is required")
	}
	return withApp(cmd, f.dsn, func(uc *rhythmapp.App) error {
		t, err := uc.Team(cmd.Context(), rhythmapp.System(""), f.ref)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return usagef("--team: %s", rhythm.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		return fn(uc, t)
	})
}

func threadIDArg(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a thread id", s)
	}
	return id, nil
}

func (a *app) threadCommand() *cobra.Command {
	var tf teamFlags
	cmd := groupCommand("thread", "Async threads: one owner, who owes a response, and by when", "  rhythm thread list --team Platform")
	tf.add(cmd)
	cmd.AddCommand(a.threadListCommand(&tf), a.threadCreateCommand(&tf), a.threadShowCommand(&tf),
		a.threadAnswerCommand(&tf), a.threadCloseCommand(&tf), a.threadWaitingCommand(&tf))
	return cmd
}

func (a *app) threadListCommand(tf *teamFlags) *cobra.Command {
	var (
		state, member string
		overdue, js   bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List a team's threads and who owes what",
		Example: `  rhythm thread list --team Platform
  rhythm thread list --team Platform --overdue --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return tf.withTeam(cmd, func(uc *rhythmapp.App, t rhythmapp.TeamOf) error {
				f := store.ThreadFilter{}
				var err error
				if state != "all" {
					if f.State, err = thread.ParseState(state); err != nil {
						return usagef("--state: %v (or all)", err)
					}
				}
				if member != "" {
					m, err := t.Resolve(member)
					if err != nil {
						return usagef("--member: %s", rhythm.ErrorMessage(err))
					}
					f.Member = m.Email
				}
				_, ths, err := uc.Threads(cmd.Context(), rhythmapp.System(""), tf.ref, f)
				if err != nil {
					return err
				}
				var rows []rhythmapp.ThreadView
				for _, th := range ths {
					if !overdue || th.Overdue {
						rows = append(rows, th)
					}
				}
				loc, err := zoneOf(tf.tz)
				if err != nil {
					return err
				}
				return a.printThreads(rows, js, loc)
			})
		},
	}
	cmd.Flags().StringVar(&state, "state", "open", "open, closed or all")
	cmd.Flags().StringVar(&member, "member", "", "only threads this member owns or takes part in")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "only threads past their due-by")
	cmd.Flags().BoolVar(&js, "json", false, "one JSON object per line")
	return cmd
}

// printThreads writes threads as a table with due-bys in loc, or as JSON
// lines.
func (a *app) printThreads(rows []rhythmapp.ThreadView, js bool, loc *time.Location) error {
	if js {
		return writeNDJSON(a.stdout, rows)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tSTATE\tDUE BY (%s)\tOWNER\tTITLE\tOWES\n", loc)
	for _, th := range rows {
		st := string(th.State)
		if th.Overdue {
			st = "overdue"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", th.ID, st, stamp(th.DueBy, loc), th.Owner, th.Title, owesText(th.Owed))
	}
	return tw.Flush()
}

func (a *app) threadCreateCommand(tf *teamFlags) *cobra.Command {
	var (
		n        thread.NewThread
		with, as string
		in       string
		js       bool
	)
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Open a thread with an owner, the people who owe a response and a due-by",
		Example: `  rhythm thread create --team Platform --title "Pick the Q2 goal" --owner ana@example.com \
      --with kenji@example.com,sujan@example.com --in 48h --link https://docs.example.com/q2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in != "" && n.DueBy != "" {
				return usagef("give --due or --in, not both")
			}
			loc, err := zoneOf(tf.tz)
			if err != nil {
				return err
			}
			if in != "" {
				d, err := team.ParseDuration(in)
				if err != nil {
					return usagef("--in: %v", err)
				}
				n.DueBy = cliNow().Add(d).UTC().Format(time.RFC3339)
			} else if n.DueBy != "" {
				due, err := rhythmapp.ParseTyped("--due", n.DueBy, loc)
				if err != nil {
					return err
				}
				n.DueBy = due.UTC().Format(time.RFC3339)
			}
			n.Participants = splitList(with)
			return tf.withTeam(cmd, func(uc *rhythmapp.App, _ rhythmapp.TeamOf) error {
				th, err := uc.CreateThread(cmd.Context(), rhythmapp.System(as), tf.ref, n)
				if err != nil {
					return fieldFlags(err, map[string]string{"due_by": "due", "participants": "with", "title": "title", "owner": "owner", "link": "link"})
				}
				if js {
					return json.NewEncoder(a.stdout).Encode(th)
				}
				owe := "owes"
				if len(th.Participants) > 1 {
					owe = "owe"
				}
				fmt.Fprintf(a.stdout, "thread %d %q: %s %s a response by %s %s; %s closes the loop\n", th.ID, th.Title,
					strings.Join(th.Participants, ", "), owe, stamp(th.DueBy, loc), loc, th.Owner)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&n.Title, "title", "", "what the thread is about")
	cmd.Flags().StringVar(&n.Owner, "owner", "", "the member who closes the loop (email, name or alias)")
	cmd.Flags().StringVar(&with, "with", "", "comma-separated members who owe a response")
	cmd.Flags().StringVar(&n.DueBy, "due", "", "due-by, e.g. \"2026-03-12 17:00\" in --tz, or RFC 3339 (default: now + the team's response window)")
	cmd.Flags().StringVar(&in, "in", "", "due-by as a time from now, e.g. 48h or 2d")
	cmd.Flags().StringVar(&n.Link, "link", "", "where the discussion happens (http(s) URL)")
	cmd.Flags().StringVar(&as, "as", "cli", "who opens the thread, for the record")
	cmd.Flags().BoolVar(&js, "json", false, "print the thread as JSON")
	return cmd
}

func (a *app) threadShowCommand(tf *teamFlags) *cobra.Command {
	var js bool
	cmd := &cobra.Command{
		Use:     "show ID",
		Short:   "Show a thread: responses, who owes what, its due-by on everyone's clock",
		Example: "  rhythm thread show 12 --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			return tf.withTeam(cmd, func(uc *rhythmapp.App, _ rhythmapp.TeamOf) error {
				_, th, _, err := uc.Thread(cmd.Context(), rhythmapp.System(""), tf.ref, id)
				if err != nil {
					return err
				}
				if js {
					return json.NewEncoder(a.stdout).Encode(th)
				}
				loc, err := zoneOf(tf.tz)
				if err != nil {
					return err
				}
				a.printThread(th, loc)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&js, "json", false, "print the thread as JSON")
	return cmd
}

// printThread writes one thread: its due-by in loc and on every member's
// clock, responses (times in loc), debts.
func (a *app) printThread(th rhythmapp.ThreadView, loc *time.Location) {
	fmt.Fprintf(a.stdout, "thread %d %q (%s)\nowner %s, due by %s %s\n", th.ID, th.Title, th.State, th.Owner, stamp(th.DueBy, loc), loc)
	for _, ld := range th.LocalDues {
		fmt.Fprintf(a.stdout, "  %s: %s %s\n", ld.Member, ld.Local, ld.Zone)
	}
	for _, r := range th.Responses {
		fmt.Fprintf(a.stdout, "%s %s %s %s", stamp(r.At, loc), loc, r.Member, r.Kind)
		if r.Note != "" {
			fmt.Fprintf(a.stdout, ": %s", r.Note)
		}
		fmt.Fprintln(a.stdout)
	}
	fmt.Fprintf(a.stdout, "owes: %s\n", owesText(th.Owed))
}

func (a *app) threadAnswerCommand(tf *teamFlags) *cobra.Command {
	var (
		as, note string
		ack      bool
	)
	cmd := &cobra.Command{
		Use:     "answer ID",
		Short:   "Record a member's answer (or, with --ack, acknowledgement)",
		Example: "  rhythm thread answer 12 --team Platform --as kenji@example.com --note \"Growth, not margin.\"",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			if strings.TrimSpace(as) == "" {
				return usagef("--as is required: the member who answers")
			}
			kind := thread.Answer
			if ack {
				kind = thread.Ack
			}
			return tf.withTeam(cmd, func(uc *rhythmapp.App, t rhythmapp.TeamOf) error {
				who, err := t.Resolve(as)
				if err != nil {
					return usagef("--as: %s", rhythm.ErrorMessage(err))
				}
				th, err := uc.Respond(cmd.Context(), rhythmapp.System(who.Email), tf.ref, id, string(kind), note)
				if err != nil {
					return fieldFlags(err, map[string]string{"note": "note"})
				}
				fmt.Fprintf(a.stdout, "recorded; still owed on thread %d: %s\n", th.ID, owesText(th.Owed))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the member who answers (email, name or alias)")
	cmd.Flags().BoolVar(&ack, "ack", false, "acknowledge instead of answering")
	cmd.Flags().StringVar(&note, "note", "", "a short note")
	return cmd
}

func (a *app) threadCloseCommand(tf *teamFlags) *cobra.Command {
	return &cobra.Command{
		Use:     "close ID",
		Short:   "Close a thread",
		Example: "  rhythm thread close 12 --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			return tf.withTeam(cmd, func(uc *rhythmapp.App, _ rhythmapp.TeamOf) error {
				if _, err := uc.CloseThread(cmd.Context(), rhythmapp.System(""), tf.ref, id); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "thread %d closed\n", id)
				return nil
			})
		},
	}
}

func (a *app) threadWaitingCommand(tf *teamFlags) *cobra.Command {
	var js bool
	cmd := &cobra.Command{
		Use:     "waiting MEMBER",
		Short:   "List what a member owes: threads to answer, loops to close",
		Example: "  rhythm thread waiting kenji@example.com --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return tf.withTeam(cmd, func(uc *rhythmapp.App, t rhythmapp.TeamOf) error {
				m, err := t.Resolve(args[0])
				if err != nil {
					return usagef("%s", rhythm.ErrorMessage(err))
				}
				_, items, err := uc.Waiting(cmd.Context(), rhythmapp.System(""), tf.ref, m.Email)
				if err != nil {
					return err
				}
				loc, err := zoneOf(tf.tz)
				if err != nil {
					return err
				}
				return a.printWaiting(items, js, loc)
			})
		},
	}
	cmd.Flags().BoolVar(&js, "json", false, "one JSON object per line")
	return cmd
}

// printWaiting writes what a member owes, due-bys in loc, or JSON lines.
func (a *app) printWaiting(items []rhythmapp.WaitingItem, js bool, loc *time.Location) error {
	if js {
		enc := json.NewEncoder(a.stdout)
		for _, d := range items {
			if err := enc.Encode(map[string]any{"thread_id": d.ThreadID, "title": d.Title, "what": d.What, "due": d.Due, "overdue": d.Overdue}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tOWES\tDUE BY (%s)\tTITLE\n", loc)
	for _, d := range items {
		what := d.What
		if d.Overdue {
			what += " (overdue)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", d.ThreadID, what, stamp(d.Due, loc), d.Title)
	}
	return tw.Flush()
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func owesText(ds []thread.Debt) string {
	if len(ds) == 0 {
		return "-"
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Member + " " + d.What
	}
	return strings.Join(parts, ", ")
}

func (a *app) decisionCommand() *cobra.Command {
	var tf teamFlags
	cmd := groupCommand("decision", "The team's decision log: what, why, owner, date, thread or meeting", "  rhythm decision list --team Platform")
	tf.add(cmd)
	cmd.AddCommand(a.decisionAddCommand(&tf), a.decisionListCommand(&tf))
	return cmd
}

func (a *app) decisionAddCommand(tf *teamFlags) *cobra.Command {
	var (
		n  thread.NewDecision
		as string
	)
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Record a decision",
		Example: `  rhythm decision add --team Platform --what "Weekly status goes async" \
      --why "The meeting made no decisions in six weeks" --owner ana@example.com --thread 12 --close`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return tf.withTeam(cmd, func(uc *rhythmapp.App, _ rhythmapp.TeamOf) error {
				d, err := uc.RecordDecision(cmd.Context(), rhythmapp.System(as), tf.ref, n)
				if err != nil {
					return fieldFlags(err, map[string]string{"thread_id": "thread", "what": "what", "why": "why", "owner": "owner", "date": "date",
						"link": "link", "meeting": "meeting", "close": "close"})
				}
				fmt.Fprintf(a.stdout, "decision %d recorded: %s (owner %s, %s)\n", d.ID, d.What, d.Owner, d.Date)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&n.What, "what", "", "what was decided")
	cmd.Flags().StringVar(&n.Why, "why", "", "why")
	cmd.Flags().StringVar(&n.Owner, "owner", "", "the member who carries it out")
	cmd.Flags().StringVar(&n.Date, "date", "", "YYYY-MM-DD the decision was taken (default today)")
	cmd.Flags().Int64Var(&n.ThreadID, "thread", 0, "the thread it came from")
	cmd.Flags().StringVar(&n.Meeting, "meeting", "", "the meeting it was taken in (calendar UID or title)")
	cmd.Flags().StringVar(&n.Link, "link", "", "where it is written up (http(s) URL)")
	cmd.Flags().BoolVar(&n.Close, "close", false, "close the thread")
	cmd.Flags().StringVar(&as, "as", "cli", "who records it, for the record")
	return cmd
}

func (a *app) decisionListCommand(tf *teamFlags) *cobra.Command {
	var (
		search, from, to string
		js               bool
	)
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List or search the decision log, newest first",
		Example: "  rhythm decision list --team Platform --search postgres",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := thread.Query{Text: search}
			var err error
			if from != "" {
				if q.From, err = team.ParseDate(from); err != nil {
					return usagef("--from: %v", err)
				}
			}
			if to != "" {
				if q.To, err = team.ParseDate(to); err != nil {
					return usagef("--to: %v", err)
				}
			}
			return tf.withTeam(cmd, func(uc *rhythmapp.App, _ rhythmapp.TeamOf) error {
				_, ds, err := uc.Decisions(cmd.Context(), rhythmapp.System(""), tf.ref, q)
				if err != nil {
					return fieldFlags(err, map[string]string{"q": "search", "to": "to"})
				}
				return a.printDecisions(ds, js)
			})
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "words that must all appear in what, why, owner or meeting")
	cmd.Flags().StringVar(&from, "from", "", "decided on or after YYYY-MM-DD")
	cmd.Flags().StringVar(&to, "to", "", "decided on or before YYYY-MM-DD")
	cmd.Flags().BoolVar(&js, "json", false, "one JSON object per line")
	return cmd
}

// printDecisions writes decisions as a table, or as JSON lines.
func (a *app) printDecisions(ds []thread.Decision, js bool) error {
	if js {
		return writeNDJSON(a.stdout, ds)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tOWNER\tWHAT\tWHY")
	for _, d := range ds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.Date, d.Owner, d.What, strings.ReplaceAll(d.Why, "\n", " "))
	}
	return tw.Flush()
}
