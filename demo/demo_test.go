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
	// Seeding twice keeps the organisation's teams.
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	teams, _ := db.ListTeams(context.Background())
	if len(teams) != len(demo.TeamNames()) || len(teams) < 3 {
		t.Errorf("after seeding twice: %d teams, want the %d of %v", len(teams), len(demo.TeamNames()), demo.TeamNames())
	}
}

func TestSeedAudit(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	tm, err := demo.Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	info, rep, err := db.LatestAudit(ctx, tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Current.Team
	if c.Suppressed || c.People != len(tm.Members) || c.MeetingHours == 0 || c.Messages == 0 || c.Replies == 0 || len(rep.Deltas) == 0 || len(rep.Findings) < 5 {
		t.Errorf("demo audit: %+v, %d deltas, %d findings", c, len(rep.Deltas), len(rep.Findings))
	}
	if got := info.Window.Days(); got != 7*demo.AuditWeeks {
		t.Errorf("demo audit spans %d days", got)
	}
	mine, err := db.PersonAudits(ctx, "kenji@example.com")
	if err != nil || len(mine) != 1 {
		t.Fatalf("Kenji's own figures: %v, %v", mine, err)
	}
	// Seeding again adds no second audit.
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := db.LatestAudit(ctx, tm.ID); again.ID != info.ID {
		t.Errorf("seeding again saved audit %d after %d", again.ID, info.ID)
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
	if err != nil || len(rounds) != 1+demo.Quarters {
		t.Fatalf("rounds = %+v, %v; want one open and one closed a quarter", rounds, err)
	}
	res, _, err := db.RoundResults(ctx, rounds[1].ID, db.Now())
	if err != nil || res.Suppressed || res.ENPS == nil || res.Responses != 12 {
		t.Errorf("closed demo round: %+v, %v; want 12 responses with results", res, err)
	}
}
