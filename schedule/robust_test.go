package schedule_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// TestNoPanicOnOddInput throws random teams, members and requests at the
// package: every call must return a result or an error, never panic.
func TestNoPanicOnOddInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := append([]string{"UTC", "Pacific/Chatham", "Pacific/Kiritimati", "America/Santiago", "Asia/Tehran", "Australia/Lord_Howe", "Africa/Casablanca", "Mars/Base", ""}, benchZones...)
	pick := func(n int) int { return rng.IntN(n) }
	for i := range 300 {
		tm := &team.Team{Name: "Odd", Norms: team.DefaultNorms()}
		tm.Norms.NoMeetingDay = team.Weekday(pick(8) - 1)
		for k := range pick(6) {
			m := team.Member{Name: fmt.Sprintf("M%d", k), Email: fmt.Sprintf("m%d@example.com", k), Zone: zones[pick(len(zones))],
				Hours: team.Hours{Start: pick(25) * 60, End: pick(25) * 60}, Days: team.Days(pick(128))}
			if pick(3) == 0 {
				m.Holidays = []team.Date{{Year: 2026, Month: time.Month(1 + pick(12)), Day: 1 + pick(28)}}
			}
			if pick(5) == 0 {
				m.Start = team.Date{Year: 2026, Month: time.Month(1 + pick(12)), Day: 1 + pick(28)}
			}
			if pick(5) == 0 {
				m.Leave = team.Date{Year: 2026, Month: time.Month(1 + pick(12)), Day: 1 + pick(28)}
			}
			tm.Members = append(tm.Members, m)
		}
		from := time.Date(2025+pick(3), time.Month(1+pick(12)), 1+pick(28), pick(24), 15*pick(4), 0, 0, time.UTC)
		to := from.Add(time.Duration(pick(20*24)-24) * time.Hour)
		req := schedule.Request{Team: tm, Duration: time.Duration(pick(26*60)-30) * time.Minute, From: from, To: to,
			Weeks: pick(8) - 1, Top: pick(20), Rotation: pick(6) - 1}
		if pick(4) == 0 && len(tm.Members) > 0 {
			req.Busy = map[string][]team.Interval{tm.Members[0].Email: {{Start: from.Add(time.Hour), End: from.Add(time.Duration(pick(100)) * time.Hour)}}}
		}
		if pick(4) == 0 {
			req.Model = schedule.Model{Early: rng.Float64() * 5, Late: rng.Float64() * 5, EarlyWindow: time.Duration(pick(30)) * time.Hour, LateWindow: time.Duration(pick(30)) * time.Hour, Night: rng.Float64() * 20, OffDay: rng.Float64() * 20}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v\nrequest %+v\nmembers %+v", p, req, tm.Members)
				}
			}()
			schedule.Find(req)
			schedule.Rotate(req)
			schedule.Overlap(tm, nil, nil, team.DateOf(from))
		})
	}
}
