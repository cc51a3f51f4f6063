package schedule

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// rateAt returns the rate (points per hour) and working flag of member m at
// instant t, through the engine.
func rateAt(t *testing.T, m *team.Member, model Model, at time.Time) (float64, bool) {
	t.Helper()
	loc, err := team.LoadZone(m.Zone)
	if err != nil {
		t.Fatal(err)
	}
	u := unixMinute(at)
	e := newEngine(model, []*team.Member{m}, []*time.Location{loc}, 1, team.NoDay, u, u+1)
	x, in := e.memberCost(0, u)
	return x * 60, in == 1
}

func TestModelRates(t *testing.T) {
	m := &team.Member{Email: "a@example.com", Zone: "UTC", Hours: team.Hours{Start: 9 * 60, End: 17 * 60}, Days: team.WeekdaysMonFri,
		Holidays: []team.Date{{Year: 2026, Month: 1, Day: 8}}}
	tests := []struct {
		name   string
		at     string
		want   float64
		inside bool
	}{
		{"inside working hours", "2026-01-06T10:00:00Z", 0, true},
		{"last working minute", "2026-01-06T16:59:00Z", 0, true},
		{"just after work costs Late", "2026-01-06T17:00:00Z", 2 + 8*0.5/240, false},
		{"evening grows towards night", "2026-01-06T19:00:00Z", 2 + 8*120.5/240, false},
		{"night", "2026-01-06T23:00:00Z", 10, false},
		{"early morning grows towards night", "2026-01-06T08:00:00Z", 1 + 9*59.5/180, false},
		{"just before work costs Early", "2026-01-06T08:59:00Z", 1 + 9*0.5/180, false},
		{"saturday daytime is a day off", "2026-01-10T11:00:00Z", 8, false},
		{"saturday night takes the larger rate", "2026-01-10T02:00:00Z", 10, false},
		{"friday evening is still an evening", "2026-01-09T18:00:00Z", 2 + 8*60.5/240, false},
		{"monday early morning", "2026-01-12T07:00:00Z", 1 + 9*119.5/180, false},
		{"sunday evening is a day off", "2026-01-11T18:00:00Z", 8, false},
		{"holiday in working hours is a day off", "2026-01-08T10:00:00Z", 8, false},
		{"evening before a holiday is still an evening", "2026-01-07T18:00:00Z", 2 + 8*60.5/240, false},
		{"early morning of a holiday is a day off", "2026-01-08T08:00:00Z", 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tt.at)
			got, in := rateAt(t, m, DefaultModel(), at)
			if math.Abs(got-tt.want) > 1e-9 || in != tt.inside {
				t.Errorf("rate at %s = %v (inside %v), want %v (inside %v)", tt.at, got, in, tt.want, tt.inside)
			}
		})
	}
}

func TestModelRateGrowsWithDistance(t *testing.T) {
	for _, hours := range []string{"09:00-17:00", "08:00-20:00", "22:00-06:00", "00:00-23:00", "06:30-10:00"} {
		t.Run(hours, func(t *testing.T) {
			h, err := team.ParseHours(hours)
			if err != nil {
				t.Fatal(err)
			}
			tp := newTemplates(DefaultModel(), h)
			rate := tp.rate[7] // every day a working day
			length := int(h.Length() / time.Minute)
			gap := minutesPerDay - length
			// From the end of work the rate rises to the night rate, then
			// falls until the next start: once falling it never rises.
			prev, falling := 0.0, false
			for k := range gap {
				r := rate[(h.End+k)%minutesPerDay]
				if k > 0 && r < prev {
					falling = true
				}
				if falling && r > prev {
					t.Fatalf("rate %d minutes after work = %v, up from %v after it began to fall", k, r*60, prev*60)
				}
				if r*60 > DefaultModel().Night+1e-9 {
					t.Fatalf("rate %d minutes after work = %v, above the night rate", k, r*60)
				}
				prev = r
			}
		})
	}
}

func TestModelValidate(t *testing.T) {
	tests := []struct {
		name  string
		model Model
		want  string // "" for valid
	}{
		{"default", DefaultModel(), ""},
		{"negative early", Model{Early: -1, Late: 1, Night: 1, OffDay: 1}, "model.early must be a rate"},
		{"NaN night", Model{Early: 1, Late: 1, Night: math.NaN(), OffDay: 1}, "model.night must be a rate"},
		{"window over a day", Model{Early: 1, Late: 1, Night: 1, OffDay: 1, LateWindow: 25 * time.Hour}, "model.late_window must be between"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.model.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || rhythm.ErrorCode(err) != rhythm.EINVALID || !contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

// TestInsideMatchesTeam checks the engine's notion of working time against
// team.Member.InWorkingHours through a whole year, for members with odd
// zones, night shifts, start dates and holidays.
func TestInsideMatchesTeam(t *testing.T) {
	data, err := os.ReadFile("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := team.ParseRoster("mixed.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var members []*team.Member
	var locs []*time.Location
	for i := range tm.Members {
		members = append(members, &tm.Members[i])
		locs = append(locs, tm.Members[i].Location())
	}
	from := time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	e := newEngine(DefaultModel(), members, locs, 1, team.NoDay, unixMinute(from), unixMinute(to))
	var ts []int64
	for at := from; at.Before(to); at = at.Add(23 * time.Minute) {
		ts = append(ts, unixMinute(at))
	}
	costs, ins := make([]float64, len(ts)), make([]int32, len(ts))
	for _, g := range e.groups {
		e.row(g, ts, costs, ins)
		for _, i := range g.members {
			m := members[i]
			for k, u := range ts {
				at := time.Unix(u*60, 0)
				want := m.InWorkingHours(at)
				if got := ins[k] == 1; got != want {
					t.Fatalf("%s at %s (%s): inside = %v, want %v", m.Email, at.UTC().Format(time.RFC3339), at.In(locs[i]).Format("Mon 15:04"), got, want)
				}
				if (costs[k] == 0) != want {
					t.Fatalf("%s at %s: cost %v while inside = %v", m.Email, at.UTC().Format(time.RFC3339), costs[k], want)
				}
			}
		}
	}
}
