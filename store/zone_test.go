package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// testUserZone stores a user's zone and reads it back by every way a user
// is read, and finds a roster zone by email in the first team listing it.
func testUserZone(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	u, err := db.CreateUser(ctx, account.User{Email: "ana@example.com", Name: "Ana", Role: account.Member}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if u.Zone != "" {
		t.Fatalf("a new user has zone %q, want none", u.Zone)
	}
	if err := db.SetUserZone(ctx, u.ID, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserZone(ctx, u.ID+100, "Europe/Berlin"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("SetUserZone of a missing user: %v, want not found", err)
	}
	byID, err := db.User(ctx, u.ID)
	if err != nil || byID.Zone != "Europe/Berlin" {
		t.Errorf("User = %+v, %v; want zone Europe/Berlin", byID, err)
	}
	byEmail, _, err := db.UserByEmail(ctx, "ANA@example.com")
	if err != nil || byEmail.Zone != "Europe/Berlin" {
		t.Errorf("UserByEmail = %+v, %v; want zone Europe/Berlin", byEmail, err)
	}
	if err := db.CreateSession(ctx, "session-hash", u.ID, db.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionUser(ctx, "session-hash"); err != nil || s.Zone != "Europe/Berlin" {
		t.Errorf("SessionUser = %+v, %v; want zone Europe/Berlin", s, err)
	}
	if list, err := db.ListUsers(ctx); err != nil || len(list) != 1 || list[0].Zone != "Europe/Berlin" {
		t.Errorf("ListUsers = %+v, %v; want one user in Europe/Berlin", list, err)
	}
	if err := db.SetUserZone(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	if byID, _ := db.User(ctx, u.ID); byID.Zone != "" {
		t.Errorf("after clearing, zone %q, want none", byID.Zone)
	}

	// Roster zones: the first team (by id) that lists the email.
	if _, err := db.CreateTeam(ctx, roster(t, "First", "kim@example.com", "ana@example.com")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTeam(ctx, roster(t, "Second", "ana@example.com")); err != nil {
		t.Fatal(err)
	}
	for email, want := range map[string]string{"Ana@Example.com": "America/St_Johns", "kim@example.com": "Asia/Kathmandu", "nobody@example.com": ""} {
		if got, err := db.RosterZone(ctx, email); err != nil || got != want {
			t.Errorf("RosterZone(%s) = %q, %v; want %q", email, got, err, want)
		}
	}
}
