package lint

import (
	"bytes"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/ical"
)

const calendarRoster = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Rui Costa, email: rui@example.com, zone: Europe/Lisbon, hours: "08:00-16:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
  - {name: Maya Cohen, email: maya@example.com, zone: America/New_York, hours: "08:00-16:00"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
`

// lintFile lints an iCalendar file as `rhythm lint` does.
func lintFile(t testing.TB, data []byte, opts Options, from, to time.Time) ([]Meeting, []Finding) {
	t.Helper()
	cal, warns, err := ical.Parse(bytes.NewReader(data), ical.Options{Name: "rules.ics"})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Logf("warnings: %v", warns)
	}
	extras, err := ScanExtras(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ms, skipped, err := FromCalendar(cal, extras, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Logf("events left out: %v", skipped)
	}
	return ms, Check(ms, opts)
}

// TestCalendarLeavesOutADenseEvent: an event too dense to expand is left
// out with a warning naming it; the other meetings are read.
func TestCalendarLeavesOutADenseEvent(t *testing.T) {
	data := []byte(strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:planning
DTSTART:20260310T090000Z
DURATION:PT30M
ORGANIZER:mailto:ana@example.com
ATTENDEE:mailto:rui@example.com
END:VEVENT
BEGIN:VEVENT
UID:bad2
DTSTART:20260309T000000Z
RRULE:FREQ=SECONDLY
ORGANIZER:mailto:ana@example.com
ATTENDEE:mailto:rui@example.com
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n"))
	cal, _, err := ical.Parse(bytes.NewReader(data), ical.Options{Name: "p.ics"})
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	ms, skipped, err := FromCalendar(cal, nil, from, from.AddDate(0, 0, 28))
	if err != nil {
		t.Fatalf("FromCalendar: %v", err)
	}
	if len(ms) != 1 || ms[0].UID != "planning" {
		t.Errorf("meetings = %+v, want planning alone", ms)
	}
	want := `p.ics:10: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`
	if len(skipped) != 1 || skipped[0].String() != want {
		t.Errorf("warnings = %q, want %q", skipped, want)
	}
}

// TestCalendarRules reads testdata/rules.ics, which holds for every rule
// an event named fires-<rule> and one named passes-<rule>, and events that
// are not meetings (skip-*).
func TestCalendarRules(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.ics")
	if err != nil {
		t.Fatal(err)
	}
	tm := loadTeamFrom(t, calendarRoster)
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	ms, fs := lintFile(t, data, Options{Team: tm, Advisor: &DecideAdvisor{}}, from, from.AddDate(0, 0, 28))
	byEvent := map[string][]string{}
	for _, m := range ms {
		if strings.HasPrefix(m.UID, "skip-") {
			t.Errorf("%s is not a meeting but was read as one", m.UID)
		}
		byEvent[m.UID] = nil
	}
	for _, f := range fs {
		byEvent[f.Event] = append(byEvent[f.Event], f.Rule)
	}
	var checked []string
	for uid, rules := range byEvent {
		switch {
		case strings.HasPrefix(uid, "fires-late-pre-read"):
			if !slices.Contains(rules, "no-pre-read") {
				t.Errorf("%s: findings %v, want no-pre-read", uid, rules)
			}
		case strings.HasPrefix(uid, "fires-"):
			rule := strings.TrimPrefix(uid, "fires-")
			checked = append(checked, rule)
			if !slices.Contains(rules, rule) {
				t.Errorf("%s: findings %v, want %s", uid, rules, rule)
			}
		case strings.HasPrefix(uid, "passes-declined"):
			if slices.Contains(rules, "too-many-attendees") {
				t.Errorf("%s: declined attendees were counted", uid)
			}
		case strings.HasPrefix(uid, "passes-"):
			rule := strings.TrimPrefix(uid, "passes-")
			if slices.Contains(rules, rule) {
				t.Errorf("%s: findings %v, want no %s", uid, rules, rule)
			}
		}
	}
	sort.Strings(checked)
	var all []string
	for _, r := range Rules() {
		all = append(all, r.ID)
	}
	sort.Strings(all)
	if !slices.Equal(checked, all) {
		t.Errorf("rules with a firing fixture %v, want every rule %v", checked, all)
	}
	// The series without an end is checked on each of its four instances.
	for _, m := range ms {
		if m.UID == "fires-recurring-no-end" && len(m.Instances) != 4 {
			t.Errorf("series instances = %d, want 4 in 4 weeks", len(m.Instances))
		}
	}
}

func TestPurposeOf(t *testing.T) {
	a := &DecideAdvisor{}
	ta, err := a.forTeam(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ title, purpose, want string }{
		{"Sprint planning", "", "sprint planning"},
		{"Backend standup", "", "standup"},
		{"1:1 Ana / Kenji", "", "1:1"},
		{"Pick the Q2 goal", "We decide between growth and margin", "decide"},
		{"Pick the Q2 goal", "incident", "incident"},
		{"Coffee and cake", "", "coffee"},
		{"Pick the Q2 goal", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.title+"/"+tt.purpose, func(t *testing.T) {
			if got := purposeOf(ta.policy, &Meeting{Title: tt.title, Purpose: tt.purpose}); got != tt.want {
				t.Errorf("purposeOf = %q, want %q", got, tt.want)
			}
		})
	}
}
