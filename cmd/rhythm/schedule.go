package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// scheduleNow is the clock that sets the default window; tests replace it.
var scheduleNow = time.Now

func (a *app) scheduleCommand() *cobra.Command {
	var (
		rosterPath string
		q          schedule.Query
		between    string
		asJSON     bool
		icsPath    string
		title      string
		busyFiles  []string
	)
	cmd := &cobra.Command{
		Use:   "schedule --roster team.yaml --duration 30m [--with a,b,c] [--between D1 D2] [--weekly N] [--json | --ics OUT.ics]",
		Short: "Find a fair time for a meeting, or plan a weekly one that rotates the inconvenience",
		Long: `schedule ranks meeting times for members of a roster: everyone inside working hours
first, then the least total inconvenience, then the least largest individual one.
With --weekly N it plans N weekly instances; when no slot suits everyone it rotates
among up to three slots so that the time outside working hours is spread evenly,
and shows each member's share and the Gini index. Instances follow each week's
real local time, across every clock change. See docs/schedule.md.

--between takes two dates (the end day included) or local times such as
2026-03-02T09:00, in --tz (default: this machine's zone), which also shows the
times and anchors a weekly series' wall time. Without it the window is the seven
days from tomorrow.

--ics writes the series (or the best one-off time) as an iCalendar file, with a
VTIMEZONE, that Google Calendar and Outlook import.`,
		Example: `  rhythm schedule --roster team.yaml --with ana,kenji --duration 30m --between 2026-03-02 2026-03-06
  rhythm schedule --roster team.yaml --duration 45m --weekly 12 --between 2026-03-02 2026-03-08 --json
  rhythm schedule --roster team.yaml --duration 30m --weekly 26 --ics sync.ics`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rosterPath == "" {
				return usagef("--roster is required")
			}
			if !cmd.Flags().Changed("duration") {
				return usagef("--duration is required, e.g. --duration 30m")
			}
			bounds := strings.FieldsFunc(between, func(r rune) bool { return r == ',' || r == ' ' })
			bounds = append(bounds, args...)
			if between == "" && len(args) > 0 {
				return usagef("unexpected argument %q (dates go after --between)", args[0])
			}
			if between != "" && len(bounds) != 2 {
				return usagef("--between takes a start and an end, e.g. --between 2026-03-02 2026-03-06")
			}
			q.Between = bounds
			if asJSON && icsPath != "" {
				return usagef("--json and --ics cannot be combined")
			}
			if q.Weekly < 0 || cmd.Flags().Changed("weekly") && q.Weekly == 0 {
				return usagef("--weekly must be between 1 and %d, got %d", schedule.MaxWeeks, q.Weekly)
			}
			data, err := os.ReadFile(rosterPath)
			if err != nil {
				return usagef("--roster: %v", err)
			}
			t, err := team.ParseRoster(rosterPath, data)
			if err != nil {
				return err
			}
			loc, err := zoneOf(q.Zone)
			if err != nil {
				return err
			}
			q.Zone = loc.String()
			req, err := q.Request(&t, scheduleNow())
			if err != nil {
				return fieldFlags(err, scheduleFlags)
			}
			if len(busyFiles) > 0 {
				if q.Weekly > 0 {
					return usagef("--busy applies to one-off times; a weekly plan does not read calendars")
				}
				warn := func(w ical.Warning) { fmt.Fprintf(a.stderr, "rhythm: warning: --busy %s\n", w) }
				if req.Busy, err = readBusy(&t, busyFiles, req.From, req.To, warn); err != nil {
					return err
				}
			}
			return a.runSchedule(&t, req, q.Weekly, asJSON, icsPath, title)
		},
	}
	f := cmd.Flags()
	f.StringVar(&rosterPath, "roster", "", "roster file (team.yaml)")
	f.StringSliceVar(&q.With, "with", nil, "participants by email, name or alias, comma-separated (default: everyone)")
	f.StringVar(&q.Duration, "duration", "", "meeting length, e.g. 30m or 1h15m (at most 24h)")
	f.StringVar(&between, "between", "", "window start; the end follows as the next argument")
	f.IntVar(&q.Weekly, "weekly", 0, "plan this many weekly instances")
	zoneFlag(f, &q.Zone)
	f.IntVar(&q.Top, "top", 5, "how many one-off times to show")
	f.IntVar(&q.Rotation, "rotation", schedule.DefaultRotation, "most slots a weekly rotation cycles through (1-4)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per line: one per slot or instance, then a summary")
	f.StringVar(&icsPath, "ics", "", "also write the series (or the best time) to this iCalendar file")
	f.StringVar(&title, "title", "", `title of the events in --ics (default "<team> sync")`)
	f.StringArrayVar(&busyFiles, "busy", nil, "a calendar (.ics) whose events are busy time for the members invited to them; EMAIL=FILE.ics makes the whole file that member's (repeatable)")
	return cmd
}

// scheduleFlags names the flag of each field a schedule query refuses.
var scheduleFlags = map[string]string{"with": "with", "duration": "duration", "between": "between", "zone": "tz"}

// writeICS writes an iCalendar file with write, when path is set; a
// failed write leaves no partial file.
func (a *app) writeICS(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--ics: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--ics: %w", err)
	}
	fmt.Fprintf(a.stdout, "\nWrote %s.\n", path)
	return nil
}

// localCell shows an attendee's local start, marked when outside hours.
func localCell(a schedule.Attendee, withEnd bool) string {
	s := a.Start.Format("Mon 15:04")
	if withEnd {
		s += "-" + a.End.Format("15:04")
	}
	if !a.Inside {
		s += " *"
	}
	return s
}

func memberHeader(tw io.Writer, lead string, attendees []schedule.Attendee) {
	fmt.Fprint(tw, lead)
	for _, at := range attendees {
		fmt.Fprintf(tw, "\t%s", at.Name)
	}
	fmt.Fprintln(tw)
	fmt.Fprint(tw, strings.Repeat("\t", strings.Count(lead, "\t")))
	for _, at := range attendees {
		fmt.Fprintf(tw, "\t%s", at.Zone)
	}
	fmt.Fprintln(tw)
}

func printRanking(w io.Writer, r *schedule.Ranking) error {
	fmt.Fprintf(w, "Best %d of %d start times for a %v meeting (times in %s)", len(r.Slots), r.Candidates, team.Duration(r.Duration), r.Zone)
	if r.Blocked > 0 {
		fmt.Fprintf(w, "; %d fall on the no-meeting day or a busy time", r.Blocked)
	}
	fmt.Fprintln(w, ".")
	for _, warn := range r.Warnings {
		fmt.Fprintln(w, "Note: "+warn+".")
	}
	fmt.Fprintln(w)
	loc, _ := time.LoadLocation(r.Zone)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	memberHeader(tw, "#\tSTART\tINSIDE\tTOTAL\tMAX", r.Slots[0].Attendees)
	for i, s := range r.Slots {
		in := 0
		for _, at := range s.Attendees {
			if at.Inside {
				in++
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%d/%d\t%.2f\t%.2f", i+1, s.Start.In(loc).Format("Mon 2006-01-02 15:04"), in, len(s.Attendees), s.Inconvenience, s.Max)
		for _, at := range s.Attendees {
			fmt.Fprintf(tw, "\t%s", localCell(at, false))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* outside working hours. TOTAL and MAX are inconvenience points (docs/schedule.md).")
	return nil
}

func printSeries(w io.Writer, s *schedule.Series) error {
	letter := func(i int) string { return string(rune('A' + i)) }
	var slots []string
	for i, r := range s.Rotation {
		slots = append(slots, fmt.Sprintf("%s %s %s", letter(i), r.Weekday.String()[:3], r.Clock))
	}
	how := "one slot"
	if len(s.Rotation) > 1 {
		how = fmt.Sprintf("a rotation of %d", len(s.Rotation))
	}
	fmt.Fprintf(w, "%d weekly instances of a %v meeting, %s in %s wall time: %s.\n", s.Weeks, team.Duration(s.Duration), how, s.Zone, strings.Join(slots, ", "))
	if s.AllInside {
		fmt.Fprintln(w, "Every instance is inside everyone's working hours.")
	}
	for _, warn := range s.Warnings {
		fmt.Fprintln(w, "Note: "+warn+".")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	memberHeader(tw, "#\tSLOT\tDATE", s.Instances[0].Attendees)
	anchor, _ := time.LoadLocation(s.Zone)
	for _, in := range s.Instances {
		fmt.Fprintf(tw, "%d\t%s\t%s", in.N, letter(in.Turn), in.Start.In(anchor).Format("2006-01-02"))
		for _, at := range in.Attendees {
			fmt.Fprintf(tw, "\t%s", localCell(at, true))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* outside working hours")
	fmt.Fprintln(w, "\nFairness over the series")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MEMBER\tZONE\tOUTSIDE\tSHARE\tINSTANCES OUTSIDE\tINCONVENIENCE")
	for _, b := range s.Members {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%.0f%%\t%d\t%.2f\n", b.Name, b.Zone, team.Duration(b.Outside), b.Share*100, b.InstancesOutside, b.Inconvenience)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nGini index of time outside working hours %.3f; the member with most carries %.0f%% of it; total inconvenience %.2f.\n",
		s.Gini, s.WorstShare*100, s.Inconvenience)
	return nil
}

// readBusy reads --busy calendars: each instance in the window that is not
// cancelled or free blocks the roster members it invites (and, for
// EMAIL=FILE, that member), unless they declined. What the calendars'
// owners wrote is data: a broken event, or one too expensive to expand, is
// left out and passed to warn, and the rest of the calendar read.
func readBusy(t *team.Team, specs []string, from, to time.Time, warn func(ical.Warning)) (map[string][]team.Interval, error) {
	busy := map[string][]team.Interval{}
	member := func(addr string) (string, bool) {
		if m, ok := t.Member(addr); ok {
			return m.Email, true
		}
		return "", false
	}
	for _, spec := range specs {
		owner, path := "", spec
		if who, file, ok := strings.Cut(spec, "="); ok {
			m, err := t.Resolve(who)
			if err != nil {
				return nil, usagef("--busy %s: %s", spec, rhythm.ErrorMessage(err))
			}
			owner, path = m.Email, file
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("--busy: %v", err)
		}
		cal, warns, err := ical.Parse(f, ical.Options{Name: path})
		f.Close()
		if err != nil {
			return nil, usagef("--busy: %v", err)
		}
		for _, w := range warns {
			warn(w)
		}
		ins, err := cal.ExpandWith(from.Add(-24*time.Hour), to.Add(24*time.Hour), ical.ExpandOptions{SkipBroken: warn})
		if err != nil {
			return nil, usagef("--busy: %v", err)
		}
		for email, ivs := range calendar.FromInstances(ins, owner, member) {
			busy[email] = append(busy[email], ivs...)
		}
	}
	return busy, nil
}

// runSchedule ranks one-off times, or plans a weekly series, and prints it
// (a table, NDJSON, and the --ics file).
func (a *app) runSchedule(t *team.Team, req schedule.Request, weekly int, asJSON bool, icsPath, title string) error {
	if title == "" {
		title = t.Name + " sync"
	}
	opts := schedule.ICSOptions{Summary: title, Name: title}
	if weekly > 0 {
		s, err := schedule.Rotate(req)
		if err != nil {
			return err
		}
		if asJSON {
			return writeNDJSON(a.stdout, s.Records())
		}
		if err := printSeries(a.stdout, s); err != nil {
			return err
		}
		return a.writeICS(icsPath, func(w io.Writer) error { return s.WriteICS(w, opts) })
	}
	r, err := schedule.Find(req)
	if err != nil {
		return err
	}
	if asJSON {
		return writeNDJSON(a.stdout, r.Records())
	}
	if err := printRanking(a.stdout, r); err != nil {
		return err
	}
	return a.writeICS(icsPath, func(w io.Writer) error { return r.WriteICS(w, opts) })
}
