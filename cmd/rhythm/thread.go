package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
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
	msg := rhythm.ErrorMessage(err)
	for field, flag := range flags {
		if rest, ok := strings.CutPrefix(msg, field+":"); ok {
			return rhythm.Errorf(rhythm.EINVALID, "--%s:%s", flag, rest)
		}
	}
	return err
}

// teamDB opens the database and reads the team named by --team.
func teamDB(ctx context.Context, dsn, ref string) (*store.DB, team.Team, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, team.Team{}, usagef("--team is required")
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, team.Team{}, err
	}
	t, err := db.Team(ctx, ref)
	if err != nil {
		db.Close()
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return nil, t, usagef("--team: %s", rhythm.ErrorMessage(err))
		}
		return nil, t, err
	}
	return db, t, nil
}

func threadIDArg(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a thread id", s)
	}
	return id, nil
}

func (a *app) threadCommand() *cobra.Command {
	var dsn, teamRef string
	cmd := groupCommand("thread", "Async threads: one owner, who owes a response, and by when", "  rhythm thread list --team Platform")
	persistentDBFlag(cmd, &dsn)
	cmd.PersistentFlags().StringVar(&teamRef, "team", "", "the team, by name or id (env RHYTHM_TEAM)")

	var (
		state, member string
		overdue, js   bool
	)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List a team's threads and who owes what",
		Example: `  rhythm thread list --team Platform
  rhythm thread list --team Platform --overdue --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			f := store.ThreadFilter{}
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
			ths, err := db.Threads(cmd.Context(), t.ID, f)
			if err != nil {
				return err
			}
			now := time.Now()
			var rows []thread.Thread
			for _, th := range ths {
				if !overdue || th.Overdue(now) {
					rows = append(rows, th)
				}
			}
			if js {
				enc := json.NewEncoder(a.stdout)
				for _, th := range rows {
					if err := enc.Encode(threadJSON(th, &t, now)); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATE\tDUE BY (UTC)\tOWNER\tTITLE\tOWES")
			for _, th := range rows {
				st := string(th.State)
				if th.Overdue(now) {
					st = "overdue"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", th.ID, st, th.DueBy.Format("2006-01-02 15:04"), th.Owner, th.Title, owesText(th.Owed(now)))
			}
			return tw.Flush()
		},
	}
	listCmd.Flags().StringVar(&state, "state", "open", "open, closed or all")
	listCmd.Flags().StringVar(&member, "member", "", "only threads this member owns or takes part in")
	listCmd.Flags().BoolVar(&overdue, "overdue", false, "only threads past their due-by")
	listCmd.Flags().BoolVar(&js, "json", false, "one JSON object per line")

	var (
		n        thread.NewThread
		with, as string
		in       string
		cjs      bool
	)
	createCmd := &cobra.Command{
		Use:   "create",
		Short: "Open a thread with an owner, the people who owe a response and a due-by",
		Example: `  rhythm thread create --team Platform --title "Pick the Q2 goal" --owner ana@example.com \
      --with kenji@example.com,sujan@example.com --in 48h --link https://docs.example.com/q2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in != "" && n.DueBy != "" {
				return usagef("give --due or --in, not both")
			}
			now := time.Now()
			if in != "" {
				d, err := team.ParseDuration(in)
				if err != nil {
					return usagef("--in: %v", err)
				}
				n.DueBy = now.Add(d).UTC().Format(time.RFC3339)
			}
			n.Participants = splitList(with)
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			th, err := n.Validate(&t, as, now)
			if err != nil {
				return fieldFlags(err, map[string]string{"due_by": "due", "participants": "with", "title": "title", "owner": "owner", "link": "link"})
			}
			if th, err = db.CreateThread(cmd.Context(), th); err != nil {
				return err
			}
			if cjs {
				return json.NewEncoder(a.stdout).Encode(threadJSON(th, &t, now))
			}
			fmt.Fprintf(a.stdout, "thread %d %q: %s owes a response by %s; %s closes the loop\n", th.ID, th.Title,
				strings.Join(th.Participants, ", "), th.DueBy.Format(time.RFC3339), th.Owner)
			return nil
		},
	}
	createCmd.Flags().StringVar(&n.Title, "title", "", "what the thread is about")
	createCmd.Flags().StringVar(&n.Owner, "owner", "", "the member who closes the loop (email, name or alias)")
	createCmd.Flags().StringVar(&with, "with", "", "comma-separated members who owe a response")
	createCmd.Flags().StringVar(&n.DueBy, "due", "", "due-by as RFC 3339, e.g. 2026-03-12T17:00:00Z (default: now + the team's response window)")
	createCmd.Flags().StringVar(&in, "in", "", "due-by as a time from now, e.g. 48h or 2d")
	createCmd.Flags().StringVar(&n.Link, "link", "", "where the discussion happens (http(s) URL)")
	createCmd.Flags().StringVar(&as, "as", "cli", "who opens the thread, for the record")
	createCmd.Flags().BoolVar(&cjs, "json", false, "print the thread as JSON")

	var sjs bool
	showCmd := &cobra.Command{
		Use:     "show ID",
		Short:   "Show a thread: responses, who owes what, its due-by on everyone's clock",
		Example: "  rhythm thread show 12 --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			th, err := db.Thread(cmd.Context(), t.ID, id)
			if err != nil {
				return err
			}
			now := time.Now()
			if sjs {
				return json.NewEncoder(a.stdout).Encode(threadJSON(th, &t, now))
			}
			fmt.Fprintf(a.stdout, "thread %d %q (%s)\nowner %s, due by %s\n", th.ID, th.Title, th.State, th.Owner, th.DueBy.Format(time.RFC3339))
			for _, ld := range th.LocalDues(&t) {
				fmt.Fprintf(a.stdout, "  %s: %s %s\n", ld.Member, ld.Local, ld.Zone)
			}
			for _, r := range th.Responses {
				fmt.Fprintf(a.stdout, "%s %s %s", r.At.Format(time.RFC3339), r.Member, r.Kind)
				if r.Note != "" {
					fmt.Fprintf(a.stdout, ": %s", r.Note)
				}
				fmt.Fprintln(a.stdout)
			}
			fmt.Fprintf(a.stdout, "owes: %s\n", owesText(th.Owed(now)))
			return nil
		},
	}
	showCmd.Flags().BoolVar(&sjs, "json", false, "print the thread as JSON")

	var (
		ras, note string
		ack       bool
	)
	answerCmd := &cobra.Command{
		Use:     "answer ID",
		Short:   "Record a member's answer (or, with --ack, acknowledgement)",
		Example: "  rhythm thread answer 12 --team Platform --as kenji@example.com --note \"Growth, not margin.\"",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			if strings.TrimSpace(ras) == "" {
				return usagef("--as is required: the member who answers")
			}
			kind := thread.Answer
			if ack {
				kind = thread.Ack
			}
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			who, err := t.Resolve(ras)
			if err != nil {
				return usagef("--as: %s", rhythm.ErrorMessage(err))
			}
			th, err := db.AddResponse(cmd.Context(), t.ID, id, func(th *thread.Thread) (thread.Response, error) {
				return thread.NewResponse(th, &t, who.Email, kind, note, time.Now())
			})
			if err != nil {
				return fieldFlags(err, map[string]string{"note": "note"})
			}
			fmt.Fprintf(a.stdout, "recorded; still owed on thread %d: %s\n", th.ID, owesText(th.Owed(time.Now())))
			return nil
		},
	}
	answerCmd.Flags().StringVar(&ras, "as", "", "the member who answers (email, name or alias)")
	answerCmd.Flags().BoolVar(&ack, "ack", false, "acknowledge instead of answering")
	answerCmd.Flags().StringVar(&note, "note", "", "a short note")

	closeCmd := &cobra.Command{
		Use:     "close ID",
		Short:   "Close a thread",
		Example: "  rhythm thread close 12 --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := threadIDArg(args[0])
			if err != nil {
				return err
			}
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.CloseThread(cmd.Context(), t.ID, id, time.Now(), nil); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "thread %d closed\n", id)
			return nil
		},
	}

	var wjs bool
	waitingCmd := &cobra.Command{
		Use:     "waiting MEMBER",
		Short:   "List what a member owes: threads to answer, loops to close",
		Example: "  rhythm thread waiting kenji@example.com --team Platform",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := t.Resolve(args[0])
			if err != nil {
				return usagef("%s", rhythm.ErrorMessage(err))
			}
			ths, err := db.Threads(cmd.Context(), t.ID, store.ThreadFilter{State: thread.Open, Member: m.Email})
			if err != nil {
				return err
			}
			now := time.Now()
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			if !wjs {
				fmt.Fprintln(tw, "ID\tOWES\tDUE BY (LOCAL)\tTITLE")
			}
			enc := json.NewEncoder(a.stdout)
			for _, th := range ths {
				d, ok := th.Owes(m.Email, now)
				if !ok {
					continue
				}
				if wjs {
					if err := enc.Encode(map[string]any{"thread_id": th.ID, "title": th.Title, "what": d.What, "due": d.Due, "overdue": d.Overdue}); err != nil {
						return err
					}
					continue
				}
				what := d.What
				if d.Overdue {
					what += " (overdue)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", th.ID, what, d.Due.In(m.Location()).Format("Mon 2 Jan 15:04"), th.Title)
			}
			if wjs {
				return nil
			}
			return tw.Flush()
		},
	}
	waitingCmd.Flags().BoolVar(&wjs, "json", false, "one JSON object per line")

	cmd.AddCommand(listCmd, createCmd, showCmd, answerCmd, closeCmd, waitingCmd)
	return cmd
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

// threadJSON is a thread with who owes what, as the API shows it.
func threadJSON(th thread.Thread, t *team.Team, now time.Time) map[string]any {
	owed := th.Owed(now)
	if owed == nil {
		owed = []thread.Debt{}
	}
	pending := th.Pending()
	if pending == nil {
		pending = []string{}
	}
	return map[string]any{"id": th.ID, "team_id": th.TeamID, "title": th.Title, "link": th.Link, "owner": th.Owner,
		"participants": th.Participants, "due_by": th.DueBy, "state": th.State, "playbook": th.Playbook, "created_by": th.CreatedBy,
		"created_at": th.CreatedAt, "responses": th.Responses, "pending": pending, "owed": owed, "overdue": th.Overdue(now),
		"local_due_by": th.LocalDues(t)}
}

func (a *app) decisionCommand() *cobra.Command {
	var dsn, teamRef string
	cmd := groupCommand("decision", "The team's decision log: what, why, owner, date, thread or meeting", "  rhythm decision list --team Platform")
	persistentDBFlag(cmd, &dsn)
	cmd.PersistentFlags().StringVar(&teamRef, "team", "", "the team, by name or id (env RHYTHM_TEAM)")

	var (
		n  thread.NewDecision
		as string
	)
	addCmd := &cobra.Command{
		Use:   "add",
		Short: "Record a decision",
		Example: `  rhythm decision add --team Platform --what "Weekly status goes async" \
      --why "The meeting made no decisions in six weeks" --owner ana@example.com --thread 12 --close`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := n.Validate(&t, as, time.Now())
			if err == nil {
				d, err = db.CreateDecision(cmd.Context(), d, n.Close)
			}
			if err != nil {
				return fieldFlags(err, map[string]string{"thread_id": "thread", "what": "what", "why": "why", "owner": "owner", "date": "date",
					"link": "link", "meeting": "meeting", "close": "close"})
			}
			fmt.Fprintf(a.stdout, "decision %d recorded: %s (owner %s, %s)\n", d.ID, d.What, d.Owner, d.Date)
			return nil
		},
	}
	addCmd.Flags().StringVar(&n.What, "what", "", "what was decided")
	addCmd.Flags().StringVar(&n.Why, "why", "", "why")
	addCmd.Flags().StringVar(&n.Owner, "owner", "", "the member who carries it out")
	addCmd.Flags().StringVar(&n.Date, "date", "", "YYYY-MM-DD the decision was taken (default today)")
	addCmd.Flags().Int64Var(&n.ThreadID, "thread", 0, "the thread it came from")
	addCmd.Flags().StringVar(&n.Meeting, "meeting", "", "the meeting it was taken in (calendar UID or title)")
	addCmd.Flags().StringVar(&n.Link, "link", "", "where it is written up (http(s) URL)")
	addCmd.Flags().BoolVar(&n.Close, "close", false, "close the thread")
	addCmd.Flags().StringVar(&as, "as", "cli", "who records it, for the record")

	var (
		search, from, to string
		js               bool
	)
	listCmd := &cobra.Command{
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
			db, t, err := teamDB(cmd.Context(), dsn, teamRef)
			if err != nil {
				return err
			}
			defer db.Close()
			ds, err := db.Decisions(cmd.Context(), t.ID, q)
			if err != nil {
				return fieldFlags(err, map[string]string{"q": "search", "to": "to"})
			}
			if js {
				enc := json.NewEncoder(a.stdout)
				for _, d := range ds {
					if err := enc.Encode(d); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATE\tOWNER\tWHAT\tWHY")
			for _, d := range ds {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.Date, d.Owner, d.What, strings.ReplaceAll(d.Why, "\n", " "))
			}
			return tw.Flush()
		},
	}
	listCmd.Flags().StringVar(&search, "search", "", "words that must all appear in what, why, owner or meeting")
	listCmd.Flags().StringVar(&from, "from", "", "decided on or after YYYY-MM-DD")
	listCmd.Flags().StringVar(&to, "to", "", "decided on or before YYYY-MM-DD")
	listCmd.Flags().BoolVar(&js, "json", false, "one JSON object per line")

	cmd.AddCommand(addCmd, listCmd)
	return cmd
}
