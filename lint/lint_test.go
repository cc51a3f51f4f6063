package lint

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/team"
)

const roster = `team: Platform
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Rui Costa, email: rui@example.com, zone: Europe/Lisbon, hours: "08:00-16:00"}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, hours: "09:30-17:30", days: sun-thu}
  - {name: Maya Cohen, email: maya@example.com, zone: America/New_York, hours: "08:00-16:00"}
`

func loadTeam(t testing.TB) *team.Team { t.Helper(); return loadTeamFrom(t, roster) }

func loadTeamFrom(t testing.TB, roster string) *team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	return &tm
}

// good is a meeting every rule passes: Tuesday 10 March 2026 11:00 UTC is
// 11:00 in Lisbon and 16:45 in Kathmandu.
func good() Meeting {
	start := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	return Meeting{UID: "m1", Title: "Pick the Q2 goal", Start: start, End: start.Add(30 * time.Minute), Organizer: "ana@example.com",
		Attendees:   []string{"rui@example.com", "sujan@example.com"},
		Description: "Purpose: choose between growth and margin for Q2.\nPre-read: https://docs.example.com/q2\nDecision owner: Ana\nJoin: https://zoom.us/j/123",
		PreReadAt:   start.Add(-48 * time.Hour)}
}

type async struct{ mode string }

func (a async) Advise(*Meeting, *team.Team) (Advice, error) {
	return Advice{Mode: a.mode, Reason: "a status update for 6 people in 3 zones reads better in writing"}, nil
}

// TestRules has, for every rule, a meeting that fires it and one that
// does not.
func TestRules(t *testing.T) {
	tm := loadTeam(t)
	tests := []struct {
		rule      string
		fires     func(*Meeting)
		passes    func(*Meeting)
		advisor   Advisor
		wantInMsg string
	}{
		{"no-purpose", func(m *Meeting) { m.Description = "" }, func(m *Meeting) { m.Description = ""; m.Purpose = "Decide the Q2 goal" }, nil, "no description"},
		{"no-purpose", func(m *Meeting) {
			m.Description = "Join Zoom Meeting\nhttps://zoom.us/j/123\nMeeting ID: 123 456\nPasscode: 42"
		},
			func(m *Meeting) { m.Description = "Agenda: 1. risks 2. dates\nhttps://zoom.us/j/1" }, nil, "only links"},
		{"no-pre-read", func(m *Meeting) { m.Description = "Purpose: choose between growth and margin. Decision owner: Ana" },
			func(m *Meeting) {
				m.Description = "Purpose: choose between growth and margin."
				m.PreRead = "https://docs.example.com/x"
			}, nil, "no pre-read"},
		{"no-pre-read", func(m *Meeting) { m.PreReadAt = m.Start.Add(-2 * time.Hour) }, func(m *Meeting) { m.PreReadAt = m.Start.Add(-25 * time.Hour) }, nil, "only 2h ahead"},
		{"no-pre-read", func(m *Meeting) { m.PreReadAt = m.Start.Add(time.Hour) }, func(m *Meeting) {
			m.Attendees = []string{"rui@example.com"}
			m.PreReadAt = m.Start.Add(time.Hour)
		}, nil, "after the meeting started"},
		{"too-many-attendees", func(m *Meeting) {
			for i := range 7 {
				m.Attendees = append(m.Attendees, fmt.Sprintf("guest%d@partner.example", i))
			}
		}, func(m *Meeting) {
			for i := range 5 { // 8 people
				m.Attendees = append(m.Attendees, fmt.Sprintf("guest%d@partner.example", i))
			}
		}, nil, "10 attendees"},
		{"too-long", func(m *Meeting) { m.End = m.Start.Add(60 * time.Minute) }, func(m *Meeting) { m.End = m.Start.Add(45 * time.Minute) }, nil, "1h long; the team's meeting maximum is 45m"},
		{"recurring-no-end", func(m *Meeting) { m.Recurring = true }, func(m *Meeting) { m.Recurring, m.HasEnd = true, true }, nil, "no end date"},
		{"no-decision-owner", func(m *Meeting) { m.Description = "Purpose: choose the Q2 goal. Pre-read https://docs.example.com/q2" },
			func(m *Meeting) {
				m.Description = "Purpose: choose the Q2 goal. Pre-read https://docs.example.com/q2"
				m.DecisionOwner = "ana@example.com"
			}, nil, "no one is named"},
		{"outside-hours", func(m *Meeting) { m.Start, m.End = m.Start.Add(2*time.Hour), m.End.Add(2*time.Hour) }, // 18:45 in Kathmandu
			func(m *Meeting) { m.Start, m.End = m.Start.Add(-time.Hour), m.End.Add(-time.Hour) }, nil, "Sujan Shrestha"},
		{"outside-hours", func(m *Meeting) {
			m.Recurring, m.HasEnd = true, true
			m.Instances = []time.Time{m.Start, m.Start.AddDate(0, 0, 7), m.Start.AddDate(0, 0, 12)} // the last on a Sunday: Rui is off
		}, func(m *Meeting) {
			m.Recurring, m.HasEnd = true, true
			m.Instances = []time.Time{m.Start, m.Start.AddDate(0, 0, 7)}
		}, nil, "1 of 3 instances"},
		{"no-meeting-day", func(m *Meeting) { m.Start, m.End = m.Start.AddDate(0, 0, 1), m.End.AddDate(0, 0, 1) },
			func(m *Meeting) { m.Start, m.End = m.Start.AddDate(0, 0, 2), m.End.AddDate(0, 0, 2) }, nil, "on wednesday"},
		{"no-meeting-day", func(m *Meeting) { // Tuesday 19:00 UTC is Wednesday 00:45 in Kathmandu
			m.Attendees = []string{"maya@example.com", "sujan@example.com"}
			m.Start = time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)
			m.End = m.Start.Add(30 * time.Minute)
		}, func(m *Meeting) {
			m.Attendees = []string{"maya@example.com", "rui@example.com"}
			m.Start = time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
			m.End = m.Start.Add(30 * time.Minute)
		}, nil, "for some attendee"},
		{"could-be-async", func(m *Meeting) {}, func(m *Meeting) {}, async{"async"}, "recommends async"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" fires", func(t *testing.T) {
			m := good()
			tt.fires(&m)
			fs := Check([]Meeting{m}, Options{Team: tm, Advisor: tt.advisor})
			var hit *Finding
			for i := range fs {
				if fs[i].Rule == tt.rule {
					hit = &fs[i]
				}
			}
			if hit == nil {
				t.Fatalf("rule did not fire; findings: %+v", fs)
			}
			if !strings.Contains(hit.Message, tt.wantInMsg) || hit.Fix == "" || hit.Event != "m1" {
				t.Errorf("finding = %+v, want the message to contain %q and a fix", hit, tt.wantInMsg)
			}
		})
		t.Run(tt.rule+" passes", func(t *testing.T) {
			m := good()
			tt.passes(&m)
			adv := tt.advisor
			if adv != nil {
				adv = async{"hybrid"}
			}
			for _, f := range Check([]Meeting{m}, Options{Team: tm, Advisor: adv}) {
				if f.Rule == tt.rule {
					t.Errorf("rule fired: %+v", f)
				}
			}
		})
	}
	if fs := Check([]Meeting{good()}, Options{Team: tm, Advisor: async{"sync"}}); len(fs) != 0 {
		t.Errorf("the good meeting has findings: %+v", fs)
	}
}

func TestSeveritiesAndOrder(t *testing.T) {
	tm := loadTeam(t)
	m := good()
	m.Description = ""
	m.End = m.Start.Add(2 * time.Hour)
	fs := Check([]Meeting{m}, Options{Team: tm, Disable: []string{"outside-hours"}})
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Severity)+" "+f.Rule)
	}
	want := []string{"error no-purpose", "warning no-pre-read", "error too-long", "warning no-decision-owner"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if !HasErrors(fs) || HasErrors(fs[1:2]) {
		t.Error("HasErrors wrong")
	}
	for _, r := range Rules() {
		if r.ID == "" || r.Doc == "" || r.Fix == "" || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("rule %+v lacks an id, doc, fix or severity", r)
		}
	}
}

func TestPlanned(t *testing.T) {
	tm := loadTeam(t)
	ps, err := ParsePlanned([]byte(`{"title":"Weekly sync","start":"2026-03-10 11:00","duration":"30m","organizer":"Ana Silva",
		"attendees":["rui@example.com","Sujan Shrestha"],"repeat":"weekly","until":"2026-03-31","agenda":"Purpose: weekly decisions"}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ps[0].Meeting(tm)
	if err != nil {
		t.Fatal(err)
	}
	// 11:00 in Lisbon is 11:00 UTC until the clocks change on 29 March.
	want := []time.Time{
		time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC), time.Date(2026, 3, 17, 11, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 24, 11, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC),
	}
	if diff := cmp.Diff(want, m.Instances); diff != "" || !m.Recurring || !m.HasEnd || m.Organizer != "ana@example.com" || m.Attendees[1] != "sujan@example.com" {
		t.Errorf("meeting %+v; instances (-want +got):\n%s", m, diff)
	}
	tests := []struct {
		name, json, field string
	}{
		{"no title", `{"start":"2026-03-10T11:00:00Z","duration":"30m"}`, "title:"},
		{"bad start", `{"title":"x","start":"tomorrow","duration":"30m"}`, "start:"},
		{"no duration", `{"title":"x","start":"2026-03-10T11:00:00Z"}`, "duration:"},
		{"bad duration", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"long"}`, "duration:"},
		{"end before start", `{"title":"x","start":"2026-03-10T11:00:00Z","end":"2026-03-10T10:00:00Z"}`, "end:"},
		{"stranger", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"30m","attendees":["ana@example.com","Bob"]}`, "attendees[1]:"},
		{"bad repeat", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"30m","repeat":"monthly"}`, "repeat:"},
		{"until without repeat", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"30m","until":"2026-04-01"}`, "repeat:"},
		{"bad until", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"30m","repeat":"weekly","until":"April"}`, "until:"},
		{"unknown field", `{"title":"x","start":"2026-03-10T11:00:00Z","duration":"30m","room":"A"}`, "meeting JSON:"},
		{"empty", ``, "the meeting is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ParsePlanned([]byte(tt.json))
			if err == nil {
				_, err = ps[0].Meeting(tm)
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.field) {
				t.Errorf("err = %v, want it to start %q", err, tt.field)
			}
		})
	}
}
