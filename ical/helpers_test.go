package ical

import (
	"strings"
	"testing"
	"time"

	_ "time/tzdata" // tests do not depend on the host's zone files
)

// mustParse parses src (LF line ends are turned into CRLF unless keepLF).
func mustParse(t *testing.T, src string, opts Options) (*Calendar, []Warning) {
	t.Helper()
	cal, warns, err := Parse(strings.NewReader(src), opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cal, warns
}

// crlf turns "\n" into "\r\n".
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// wrapEvent wraps VEVENT body lines in a calendar.
func wrapEvent(lines ...string) string {
	return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//rhythm//test//EN\nBEGIN:VEVENT\n" +
		strings.Join(lines, "\n") + "\nEND:VEVENT\nEND:VCALENDAR\n"
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// mustExpand expands cal over [from, to).
func mustExpand(t *testing.T, cal *Calendar, from, to time.Time) []Instance {
	t.Helper()
	ins, err := cal.Expand(from, to)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	return ins
}

// starts formats instance starts in loc as "2006-01-02 15:04 MST".
func starts(ins []Instance, loc *time.Location) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Start.In(loc).Format("2006-01-02 15:04 MST")
	}
	return out
}

// spans formats instances as "start/end" in UTC RFC 3339 (dates for
// all-day ones).
func spans(ins []Instance) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		if in.AllDay {
			out[i] = in.Start.Format("2006-01-02") + "/" + in.End.Format("2006-01-02")
		} else {
			out[i] = in.Start.UTC().Format(time.RFC3339) + "/" + in.End.UTC().Format(time.RFC3339)
		}
	}
	return out
}
