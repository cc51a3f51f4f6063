package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/lint"
	"github.com/rhythm-team/rhythm/team"
)

// lintWindow is how far after its start lint expands a calendar by default.
const lintWindow = 13 * 7 * 24 * time.Hour

// calendarMeetings reads the meetings of an iCalendar file for lint, with
// the instances in [from, to) (dates; by default 13 weeks from the first
// event).
func calendarMeetings(file string, t *team.Team, from, to string) ([]lint.Meeting, []ical.Warning, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	defer f.Close()
	cal, warns, err := ical.Parse(f, ical.Options{Name: file})
	if err != nil {
		var ie *ical.Error
		if errors.As(err, &ie) || errors.Is(err, ical.ErrNotCalendar) {
			return nil, nil, usagef("%v", err)
		}
		return nil, nil, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, nil, err
	}
	extras, err := lint.ScanExtras(f)
	if err != nil {
		return nil, nil, usagef("%s: %v", file, err)
	}
	zone := cal.Zone
	if zone == nil {
		zone = time.UTC
	}
	var start, end time.Time
	if from != "" {
		d, err := team.ParseDate(from)
		if err != nil {
			return nil, nil, usagef("--from: %v", err)
		}
		start = d.In(zone)
	} else {
		for _, ev := range cal.Events {
			if s := ev.Start.Time(zone); !ev.Start.IsZero() && (start.IsZero() || s.Before(start)) {
				start = s
			}
		}
		if start.IsZero() {
			return nil, warns, nil
		}
		start = team.DateOf(start.In(zone)).In(zone)
	}
	if to != "" {
		d, err := team.ParseDate(to)
		if err != nil {
			return nil, nil, usagef("--to: %v", err)
		}
		end = d.In(zone)
		if !end.After(start) {
			return nil, nil, usagef("--to: %s is not after --from %s", d, team.DateOf(start))
		}
	} else {
		end = start.Add(lintWindow)
	}
	ms, skipped, err := lint.FromCalendar(cal, extras, start, end)
	if err != nil {
		var ie *ical.Error
		if errors.As(err, &ie) {
			return nil, nil, usagef("%v", err)
		}
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return ms, append(warns, skipped...), nil
}

// meetingAdvisor returns the decision engine's view on meetings.
func meetingAdvisor() lint.Advisor { return &lint.DecideAdvisor{} }
