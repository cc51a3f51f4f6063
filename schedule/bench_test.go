package schedule_test

import (
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

var benchZones = []string{
	"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
	"America/Chicago", "America/New_York", "America/Sao_Paulo", "America/St_Johns",
	"Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Helsinki",
	"Asia/Jerusalem", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi",
	"Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
	"Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
}

// bigTeam builds a team of n members spread over 24 zones with a few usual
// working hours, Sunday-Thursday weeks in Israel, and holidays for every
// fifth member.
func bigTeam(tb testing.TB, n int) *team.Team {
	tb.Helper()
	hours := []string{"09:00-17:00", "08:00-16:00", "09:00-17:30", "10:00-18:00", "08:30-17:00"}
	r := team.Roster{Team: "Big", Norms: &team.RosterNorms{NoMeetingDay: "wednesday"}}
	for i := range n {
		z := benchZones[i%len(benchZones)]
		m := team.RosterMember{Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%d@example.com", i), Zone: z, Hours: hours[(i/len(benchZones))%len(hours)]}
		if z == "Asia/Jerusalem" {
			m.Days = "sun-thu"
		}
		if i%5 == 0 {
			for k := range 3 {
				m.Holidays = append(m.Holidays, time.Date(2026, time.Month(1+(i+4*k)%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
			}
		}
		r.Members = append(r.Members, m)
	}
	tm, err := r.Validate()
	if err != nil {
		tb.Fatal(err)
	}
	return &tm
}

// BenchmarkRotate plans 52 weekly instances for 200 members in 24 zones
// from every 15-minute start of a week.
func BenchmarkRotate(b *testing.B) {
	tm := bigTeam(b, 200)
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	req := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 52, Zone: time.UTC}
	cpu := cpuTime()
	for b.Loop() {
		if _, err := schedule.Rotate(req); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkFind ranks a week of 15-minute starts for 200 members.
func BenchmarkFind(b *testing.B) {
	tm := bigTeam(b, 200)
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	req := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7)}
	cpu := cpuTime()
	for b.Loop() {
		if _, err := schedule.Find(req); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkOverlap computes the heat map of 200 members.
func BenchmarkOverlap(b *testing.B) {
	tm := bigTeam(b, 200)
	cpu := cpuTime()
	for b.Loop() {
		if _, err := schedule.Overlap(tm, nil, time.UTC, team.Date{Year: 2026, Month: 3, Day: 2}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// reportCPU adds the process CPU time per operation since start, which
// stays meaningful on a busy machine where wall time does not. It
// includes the garbage collector's work on other threads.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

func TestBigTeamPlans(t *testing.T) {
	tm := bigTeam(t, 200)
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	req := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 52, Zone: time.UTC}
	s, err := schedule.Rotate(req)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, s)
	again, err := schedule.Rotate(req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(s, again); diff != "" {
		t.Errorf("the same request planned differently (-first +second):\n%s", diff)
	}
}
