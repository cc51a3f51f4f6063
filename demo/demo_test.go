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

func TestSeedPulse(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	for range 2 {
		if _, err := demo.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	rounds, err := db.ListRounds(ctx, demo.TeamName)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds = %+v, %v; want one open and one closed", rounds, err)
	}
	res, _, err := db.RoundResults(ctx, rounds[1].ID, db.Now())
	if err != nil || res.Suppressed || res.ENPS == nil || res.Responses != 12 {
		t.Errorf("closed demo round: %+v, %v; want 12 responses with results", res, err)
	}
}
