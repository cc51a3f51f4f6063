package decide

import (
	"fmt"
	"strings"
	"time"
)

// Text renders the decision for people: the answer, the playbook, the
// matrix, the trace and the advice.
func (d *Decision) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", strings.ToUpper(d.Mode.String()))
	if d.Playbook != nil {
		fmt.Fprintf(&b, " — %s", d.Playbook.Name)
	}
	fmt.Fprintf(&b, "  (confidence %.2f)\n%s\n", d.Confidence, d.Summary)

	f := &d.Facts
	fmt.Fprintf(&b, "\nFor a %s: %d stakeholders in %s", f.PurposeName, f.Stakeholders, plural(f.Zones, "time zone", "time zones"))
	if f.OverlapHours != nil {
		fmt.Fprintf(&b, ", sharing %s of working time a week", fmtHours(*f.OverlapHours))
	}
	fmt.Fprintf(&b, "; ambiguity %s, relationship %s, stakes %s; response needed within %s",
		f.Ambiguity, f.Relationship, f.Stakes, fmtHours(f.Urgency.D().Hours()))
	if f.Record {
		b.WriteString("; a decision record is needed")
	}
	if f.Functions > 1 {
		fmt.Fprintf(&b, "; %d functions", f.Functions)
	}
	b.WriteString(".\n")

	if d.Playbook != nil {
		fmt.Fprintf(&b, "\nPlaybook: %s\n", d.Playbook.Name)
		for i, s := range d.Playbook.Steps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
		}
	}

	b.WriteString("\nMatrix (score 0-5, higher is better; weight for this interaction):\n")
	fmt.Fprintf(&b, "  %-22s %7s %6s %6s\n", "criterion", "weight", "async", "sync")
	for _, c := range d.Matrix.Criteria {
		fmt.Fprintf(&b, "  %-22s %7.3f %6.2f %6.2f\n", c.Name, c.Weight, c.Async, c.Sync)
	}
	fmt.Fprintf(&b, "  %-22s %7s %6.2f %6.2f\n", "weighted total", "", d.Matrix.Async, d.Matrix.Sync)
	if async, sync, ok := d.Matrix.Averages(); ok { // what the web page shows
		fmt.Fprintf(&b, "  %-22s %7s %6.2f %6.2f\n", "weighted average", "", async, sync)
	}

	b.WriteString("\nWhy:\n")
	for _, s := range d.Trace {
		fmt.Fprintf(&b, "  [%s] %s", s.Rule, s.Says)
		if s.Effect != "" && s.Rule != "result" {
			fmt.Fprintf(&b, " → %s", s.Effect)
		}
		b.WriteString("\n")
		if s.Fact != "" {
			fmt.Fprintf(&b, "      because %s\n", s.Fact)
		}
	}

	a := &d.Advice
	b.WriteString("\nHow:\n")
	fmt.Fprintf(&b, "  Format:   %s\n", a.Format)
	if a.Timebox > 0 {
		fmt.Fprintf(&b, "  Timebox:  %s live, at most %d people\n", a.Timebox, a.AttendeeCap)
	}
	fmt.Fprintf(&b, "  Replies:  within %s (team response window)\n", a.ResponseWindow)
	if a.Due != nil {
		fmt.Fprintf(&b, "  Due:      %s\n", a.Due.UTC().Format("Mon 2 Jan 15:04 UTC"))
	}
	fmt.Fprintf(&b, "  Owner:    %s\n", a.Owner)
	fmt.Fprintf(&b, "  Record:   %s\n", a.Record)
	if len(a.DueBy) > 0 {
		fmt.Fprintf(&b, "  %s due by, in each participant's working hours:\n", capitalize(a.DueFor))
		for _, du := range a.DueBy {
			late := ""
			if du.Late {
				late = "  (no working time before the deadline)"
			}
			fmt.Fprintf(&b, "    %-20s %s  (%s)%s\n", du.Name, du.Local, du.At.UTC().Format(time.RFC3339), late)
		}
	}
	for _, n := range a.Notes {
		fmt.Fprintf(&b, "  Note:     %s\n", n)
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
