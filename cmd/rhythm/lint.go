package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/lint"
	"github.com/rhythm-team/rhythm/team"
)

// errFindings makes `rhythm lint` exit 1 without another message: the
// findings are the output.
var errFindings = errors.New("error-level findings")

func (a *app) lintCommand() *cobra.Command {
	var (
		rosterFile, meetingFile, disable string
		from, to, tz                     string
		js, listRules                    bool
		p                                lint.Planned
	)
	cmd := &cobra.Command{
		Use:   "lint [CAL.ics] --roster team.yaml",
		Short: "Check meetings against the meeting checklist; exit 1 when any finding is an error",
		Long: `lint checks each meeting of a calendar, or one planned meeting, against the meeting
checklist and common pitfalls, and lists the findings with the event, the rule and the fix.
Errors (exit 1): no stated purpose or agenda, longer than the team's meeting maximum,
outside some attendee's working hours, on the no-meeting day. Warnings: no async pre-read
shared in time, more than 8 attendees, recurring without an end date, no decision owner,
and "could be async" when the decision engine says so.

A planned meeting comes from --meeting FILE.json (or - for standard input; one object or an
array) or from the flags --title, --start, --duration and the rest.`,
		Example: `  rhythm lint calendar.ics --roster team.yaml
  rhythm lint calendar.ics --roster team.yaml --json | jq 'select(.severity == "error")'
  rhythm lint --roster team.yaml --title "Weekly sync" --start "2026-03-10 11:00" --duration 60m \
      --organizer ana@example.com --attendees kenji@example.com,sujan@example.com --repeat weekly
  rhythm lint --roster team.yaml --meeting planned.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if listRules {
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RULE\tSEVERITY\tCHECKS")
				for _, r := range lint.Rules() {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Doc)
				}
				return tw.Flush()
			}
			opts := lint.Options{Advisor: meetingAdvisor()}
			for d := range strings.SplitSeq(disable, ",") {
				if d = strings.TrimSpace(d); d == "" {
					continue
				}
				if !knownRule(d) {
					return usagef("--disable: %q is not a rule (see rhythm lint --rules)", d)
				}
				opts.Disable = append(opts.Disable, d)
			}
			if rosterFile == "" {
				return usagef("--roster is required: working hours, zones and norms come from it")
			}
			b, err := os.ReadFile(rosterFile)
			if err != nil {
				return usagef("--roster: %v", err)
			}
			tm, err := team.ParseRoster(rosterFile, b)
			if err != nil {
				return err
			}
			opts.Team = &tm
			planned := meetingFile != "" || cmd.Flags().Changed("title") || cmd.Flags().Changed("start")
			meetings, err := a.lintMeetings(args, planned, &tm, meetingFile, from, to, tz, p)
			if err != nil {
				return err
			}
			loc, err := zoneOf(tz)
			if err != nil {
				return err
			}
			opts.Zone = loc
			fs := lint.Check(meetings, opts)
			file := ""
			if len(args) == 1 {
				file = args[0]
			}
			if err := writeFindings(a.stdout, file, fs, len(meetings), js, loc); err != nil {
				return err
			}
			if lint.HasErrors(fs) {
				return errFindings
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&rosterFile, "roster", "", "the team's roster (team.yaml): zones, working hours, norms")
	f.BoolVar(&js, "json", false, "one JSON object per finding")
	f.StringVar(&from, "from", "", "check calendar instances from this date (YYYY-MM-DD; default: the calendar's first event)")
	f.StringVar(&to, "to", "", "check calendar instances before this date (default: 13 weeks after --from)")
	f.StringVar(&disable, "disable", "", "comma-separated rules not to run")
	f.BoolVar(&listRules, "rules", false, "list the rules and exit")
	f.StringVar(&meetingFile, "meeting", "", "a planned meeting as JSON (- reads standard input)")
	f.StringVar(&p.Title, "title", "", "planned meeting: title")
	f.StringVar(&p.Start, "start", "", "planned meeting: start, \"2026-03-10 11:00\" in --tz or RFC 3339")
	zoneFlag(f, &tz)
	f.StringVar(&p.Duration, "duration", "", "planned meeting: length, e.g. 30m")
	f.StringVar(&p.Organizer, "organizer", "", "planned meeting: organizer (email, name or alias)")
	f.StringSliceVar(&p.Attendees, "attendees", nil, "planned meeting: comma-separated attendees")
	f.StringVar(&p.Agenda, "agenda", "", "planned meeting: the invite's text (purpose, agenda, links)")
	f.StringVar(&p.Purpose, "purpose", "", "planned meeting: its purpose in a sentence")
	f.StringVar(&p.PreRead, "pre-read", "", "planned meeting: link to the pre-read")
	f.StringVar(&p.PreReadAt, "pre-read-at", "", "planned meeting: when the pre-read was shared")
	f.StringVar(&p.Repeat, "repeat", "", "planned meeting: none, daily, weekly or biweekly")
	f.StringVar(&p.Until, "until", "", "planned meeting: last date of the series (YYYY-MM-DD)")
	f.IntVar(&p.Count, "count", 0, "planned meeting: number of instances of the series")
	f.StringVar(&p.DecisionOwner, "decision-owner", "", "planned meeting: who decides")
	return cmd
}

// lintMeetings reads the meetings lint checks: a calendar's, or the planned
// ones of --meeting or the flags (their times in --tz).
func (a *app) lintMeetings(args []string, planned bool, tm *team.Team, meetingFile, from, to, tz string, p lint.Planned) ([]lint.Meeting, error) {
	var meetings []lint.Meeting
	var err error
	switch {
	case len(args) == 1 && planned:
		return nil, usagef("give a calendar file or a planned meeting, not both")
	case len(args) == 1:
		ms, warns, err := calendarMeetings(args[0], tm, from, to)
		if err != nil {
			return nil, err
		}
		for _, w := range warns {
			fmt.Fprintf(a.stderr, "rhythm: warning: %s\n", w)
		}
		meetings = ms
	case meetingFile != "":
		var data []byte
		if meetingFile == "-" {
			data, err = io.ReadAll(io.LimitReader(a.stdin, 1<<20))
		} else {
			data, err = os.ReadFile(meetingFile)
		}
		if err != nil {
			return nil, usagef("--meeting: %v", err)
		}
		ps, err := lint.ParsePlanned(data)
		if err != nil {
			return nil, usagef("%s: %s", meetingFile, err.Error())
		}
		for i, pl := range ps {
			m, err := pl.Meeting(tm)
			if err != nil {
				if len(ps) > 1 {
					return nil, usagef("%s: [%d].%s", meetingFile, i, err.Error())
				}
				return nil, usagef("%s: %s", meetingFile, err.Error())
			}
			meetings = append(meetings, m)
		}
	case planned:
		if p.Zone, err = zoneOf(tz); err != nil {
			return nil, err
		}
		m, err := p.Meeting(tm)
		if err != nil {
			return nil, usagef("--%s", strings.ReplaceAll(err.Error(), "_", "-"))
		}
		meetings = append(meetings, m)
	default:
		return nil, usagef("give a calendar file (CAL.ics) or a planned meeting (--meeting FILE or --title, --start, --duration)")
	}
	return meetings, nil
}

func knownRule(id string) bool {
	for _, r := range lint.Rules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// writeFindings prints findings as text grouped by meeting, each meeting
// headed by file:line when it comes from a file and its start in loc, or
// as NDJSON.
func writeFindings(w io.Writer, file string, fs []lint.Finding, meetings int, js bool, loc *time.Location) error {
	if js {
		enc := json.NewEncoder(w)
		for _, f := range fs {
			if err := enc.Encode(f); err != nil {
				return err
			}
		}
		return nil
	}
	var b strings.Builder
	errs, warns := 0, 0
	last := ""
	for _, f := range fs {
		key := fmt.Sprintf("%s\x00%d", f.Event, f.Line)
		if key != last {
			last = key
			if file != "" && f.Line > 0 {
				fmt.Fprintf(&b, "%s:%d: ", file, f.Line)
			}
			fmt.Fprintf(&b, "%q (%s, %s %s)\n", f.Title, f.Event, stamp(f.Start, loc), loc)
		}
		if f.Severity == lint.Error {
			errs++
		} else {
			warns++
		}
		fmt.Fprintf(&b, "  %-7s %s: %s\n          fix: %s\n", f.Severity, f.Rule, f.Message, f.Fix)
	}
	fmt.Fprintf(&b, "%s checked: %s, %s\n", plural(meetings, "meeting"), plural(errs, "error"), plural(warns, "warning"))
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
