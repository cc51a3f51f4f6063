package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/rhythm-team/rhythm/audit"
)

// FormatText is the terminal summary of an audit: the headline figures and
// the findings, for reading where the command ran.
const FormatText = "text"

// AuditText writes the headline figures and the findings of an audit for a
// terminal. The HTML, JSON and CSV reports have everything else.
func AuditText(w io.Writer, r *audit.Report) error {
	var b strings.Builder
	f := r.Current.Team
	fmt.Fprintf(&b, "%s: %s to %s, %d people, %d interactions\n\n", r.Team, r.Window.From, r.Window.To, f.People, r.Current.Interactions)
	if f.Suppressed {
		fmt.Fprintf(&b, "Team figures %s (min group size %d).\n", f.Note, r.MinGroup)
	} else {
		fmt.Fprintf(&b, "Per person-week\n")
		row := func(name, format string, args ...any) {
			fmt.Fprintf(&b, "  %-18s %s\n", name, fmt.Sprintf(format, args...))
		}
		row("sync:async time", "%.2f (meeting hours per hour of async writing)", f.SyncAsyncTimeRatio)
		row("meetings", "%.1f h (median %.1f h), %.1f meetings", f.MeetingHours, f.MeetingHoursMedian, f.Meetings)
		row("focus time", "%.1f h in blocks of 2 h or more (median %.1f h)", f.FocusHours, f.FocusHoursMedian)
		row("after hours", "%s of meetings and messages", percent(f.AfterHoursShare))
		if f.Replies > 0 {
			row("first replies", "median %.1f working hours, p90 %.1f; %s within the %gh window",
				f.ResponseMedianWorkingHours, f.ResponseP90WorkingHours, percent(f.WithinWindowShare), r.Norms.ResponseWindowHours)
		} else {
			row("first replies", "none in the period")
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\nFindings\n")
		for _, fd := range r.Findings {
			fmt.Fprintf(&b, "  %-5s  %s\n", fd.Level, fd.Text)
			if fd.Suggest != "" && fd.Level != "ok" {
				fmt.Fprintf(&b, "         → %s\n", fd.Suggest)
			}
		}
	}
	b.WriteString("\nThe full report, with charts and every figure: --format html --out audit.html (or json, csv).\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func percent(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }
