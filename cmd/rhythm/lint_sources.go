package main

import (
	"github.com/rhythm-team/rhythm/lint"
	"github.com/rhythm-team/rhythm/team"
)

// calendarMeetings reads the meetings of an iCalendar file for lint.
func calendarMeetings(file string, t *team.Team, from, to string) ([]lint.Meeting, []string, error) {
	return nil, nil, usagef("%s: reading calendar files is not available in this build; give a planned meeting", file)
}

// meetingAdvisor returns the decision engine's view on meetings, or nil.
func meetingAdvisor() lint.Advisor { return nil }
