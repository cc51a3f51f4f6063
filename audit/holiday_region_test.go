package audit

import (
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
)

// TestRegionHolidayIsOff: a meeting on Good Friday 2026 is after hours for
// the member whose roster says holidays: DE-BE, and inside hours for the
// member in the same zone without a region.
func TestRegionHolidayIsOff(t *testing.T) {
	tm := mustTeam(t, `team: Berlin
norms: {min_group_size: 3}
members:
  - {name: Ana, email: ana@example.com, zone: Europe/Berlin, hours: "09:00-17:00", holidays: DE-BE}
  - {name: Ben, email: ben@example.com, zone: Europe/Berlin, hours: "09:00-17:00"}
  - {name: Cai, email: cai@example.com, zone: Europe/Berlin, hours: "09:00-17:00"}
`)
	cfg := Config{Window: Window{From: date("2026-03-30"), To: date("2026-04-05")}}
	// 10:00-11:00 Berlin (UTC+2) on Friday 3 April.
	res := runAudit(t, tm, cfg, []ingest.Interaction{meet("good-friday", "2026-04-03 08:00", "2026-04-03 09:00", member("ana@example.com"), member("ben@example.com"))})
	ana, _ := res.Person("ana@example.com")
	ben, _ := res.Person("ben@example.com")
	if ana.Total.AfterHoursMeetingHours != 1 || ben.Total.AfterHoursMeetingHours != 0 {
		t.Fatalf("after-hours meeting hours: Ana %v (want 1, a public holiday in Berlin), Ben %v (want 0)",
			ana.Total.AfterHoursMeetingHours, ben.Total.AfterHoursMeetingHours)
	}
}
