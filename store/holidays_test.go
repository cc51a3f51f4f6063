package store_test

import (
	"context"
	"testing"

	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// TestHolidayRegionStored: a member's holiday region and dates survive the
// database on both dialects.
func TestHolidayRegionStored(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			db := storetest.OpenDSN(t, d.DSN(t))
			tm, err := team.ParseRoster("team.yaml", []byte("team: H\nmembers:\n  - {name: A, email: a@example.com, zone: Europe/Berlin, holidays: [DE-BE, 2026-12-24]}\n"))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := db.CreateTeam(ctx, tm); err != nil {
				t.Fatal(err)
			}
			got, err := db.Team(ctx, "H")
			if err != nil {
				t.Fatal(err)
			}
			m := got.Members[0]
			if m.HolidayRegion != "DE-BE" || len(m.Holidays) != 1 || m.Holidays[0].String() != "2026-12-24" {
				t.Fatalf("stored member: region %q, holidays %v", m.HolidayRegion, m.Holidays)
			}
		})
	}
}
