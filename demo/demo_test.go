package demo_test

import (
	"context"
	"testing"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store/storetest"
)

func TestSeed(t *testing.T) {
	db := storetest.SQLite(t)
	tm, err := demo.Seed(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]bool{}
	halfHour := false
	for _, m := range tm.Members {
		zones[m.Zone] = true
		switch m.Zone {
		case "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe":
			halfHour = true
		}
	}
	if len(tm.Members) < 12 || len(zones) < 6 || !halfHour {
		t.Errorf("demo team has %d members in %d zones (half-hour zone: %v); want ≥12 in ≥6 with a half-hour zone", len(tm.Members), len(zones), halfHour)
	}
	// Seeding twice keeps one team.
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	teams, _ := db.ListTeams(context.Background())
	if len(teams) != 1 {
		t.Errorf("after seeding twice: %d teams, want 1", len(teams))
	}
}
