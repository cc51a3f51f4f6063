package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ical"
)

func (a *app) icalCommand() *cobra.Command {
	cmd := groupCommand("ical", "Read iCalendar files: list the instances of their events", "  rhythm ical expand team.ics --from 2026-01-01 --to 2026-02-01")

	var from, to, tz string
	var asJSON bool
	expandCmd := &cobra.Command{
		Use:   "expand FILE.ics",
		Short: "List every instance of a calendar's events between two dates",
		Long: `List every instance of a calendar's events between two dates, with recurring
series expanded (RRULE, RDATE, EXDATE, overrides, cancellations) in each event's
own time zone.

--from and --to are dates read in --tz; the window runs from 00:00 on --from to
00:00 on --to (exclusive). Without --tz the calendar's zone (X-WR-TIMEZONE) is
used, else UTC; stderr says which. FILE "-" reads standard input.

With --json each instance is one line: {"uid", "recurrence_id", "start", "end",
"summary"}, times in UTC RFC 3339 (dates for all-day events), sorted by start
and uid. Without it, a table in --tz local time.`,
		Example: "  rhythm ical expand team.ics --from 2026-01-01 --to 2027-01-01 --json\n" +
			"  rhythm ical expand team.ics --from 2026-03-23 --to 2026-03-30 --tz Europe/Berlin",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.icalExpand(args[0], ical.Query{From: from, To: to, Zone: tz}, asJSON)
		},
	}
	expandCmd.Flags().StringVar(&from, "from", "", "first date of the window, YYYY-MM-DD")
	expandCmd.Flags().StringVar(&to, "to", "", "date the window ends at (exclusive), YYYY-MM-DD")
	expandCmd.Flags().StringVar(&tz, "tz", "", "IANA zone for the dates and the table (default: the calendar's zone, else UTC)")
	expandCmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	cmd.AddCommand(expandCmd)
	return cmd
}

// openInput opens a file, or standard input for "-".
func openInput(path string, stdin io.Reader) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(stdin), "stdin", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, "", fmt.Errorf("%s is a directory", path)
	}
	return f, filepath.Base(path), nil
}

// writeInstanceTable prints instances as a table in loc's local time.
func writeInstanceTable(w io.Writer, ins []ical.Instance, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "START (%s)\tEND\tSUMMARY\tUID\n", loc)
	for i := range ins {
		in := &ins[i]
		var start, end string
		if in.AllDay {
			start = in.Start.Format("2006-01-02 Mon")
			last := in.End.AddDate(0, 0, -1)
			end = "all day"
			if last.After(in.Start) {
				end = "to " + last.Format("2006-01-02 Mon")
			}
		} else {
			s, e := in.Start.In(loc), in.End.In(loc)
			start = s.Format("2006-01-02 Mon 15:04")
			end = e.Format("15:04")
			if e.YearDay() != s.YearDay() || e.Year() != s.Year() {
				end = e.Format("2006-01-02 Mon 15:04")
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", start, end, cleanCell(in.Summary), cleanCell(in.UID))
	}
	return tw.Flush()
}

// cleanCell keeps a table cell on one line.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// icalExpand runs rhythm ical expand: rows stream to stdout as NDJSON, or
// are collected for the table.
func (a *app) icalExpand(file string, q ical.Query, asJSON bool) error {
	if q.From == "" || q.To == "" {
		return usagef("--from and --to are required (YYYY-MM-DD)")
	}
	in, name, err := openInput(file, a.stdin)
	if err != nil {
		return usagef("%v", err)
	}
	defer in.Close()
	q.Name = name
	res, err := ical.OpenQuery(in, q)
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintln(a.stderr, "rhythm: warning: "+w.String())
		}
	}
	if err != nil {
		var qe *ical.QueryError
		if errors.As(err, &qe) {
			flag := qe.Field
			if flag == "zone" {
				flag = "tz"
			}
			return usagef("--%s: %s", flag, qe.Msg)
		}
		return rhythm.Errorf(rhythm.EINVALID, "%s", err)
	}

	rows, err := res.Rows()
	if err != nil {
		return rhythm.Errorf(rhythm.EINVALID, "%s", err)
	}
	if res.ZoneSource != ical.ZoneRequested {
		why := "the calendar names no zone"
		if res.ZoneSource == ical.ZoneCalendar {
			why = "the calendar's X-WR-TIMEZONE"
		}
		fmt.Fprintf(a.stderr, "rhythm: reading --from and --to in %s (%s); set --tz to choose\n", res.Zone, why)
	}
	if asJSON {
		return rows.WriteNDJSON(a.stdout)
	}
	ins := make([]ical.Instance, 0, rows.Len())
	rows.Each(func(in *ical.Instance) error { ins = append(ins, *in); return nil })
	return writeInstanceTable(a.stdout, ins, res.Zone)
}
