package app_test

import (
	"context"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
)

// TestZoneOf is the default of the time rule: the account's zone, else the
// roster zone of the first team listing the user's email, else UTC.
func TestZoneOf(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	// Carl is on team C only; Olga's email is on B, then on C: B is first.
	if _, err := f.db.CreateTeam(ctx, roster(rosterC+"  - {name: Olga Again, email: OTHER@example.com, zone: Europe/Oslo}\n")); err != nil {
		t.Fatal(err)
	}
	carl, err := f.db.CreateUser(ctx, account.User{Email: "carl@example.com", Name: "Carl", Role: account.Member}, "x")
	if err != nil {
		t.Fatal(err)
	}
	chose := f.actors["member"]
	chose.User.Zone = "Europe/Berlin"
	gone := f.actors["member"]
	gone.User.Zone = "Mars/Olympus_Mons" // stored once, unknown now
	for _, tc := range []struct {
		name               string
		who                app.Actor
		wantZone, wantFrom string
	}{
		{"nobody signed in", app.Anonymous(), "UTC", "default"},
		{"on one roster", f.actors["member"], "Asia/Kathmandu", "roster"},
		{"on another team only", app.As(carl), "Europe/Oslo", "roster"},
		{"on two rosters: the first team", f.actors["lead of another team"], "Australia/Lord_Howe", "roster"},
		{"on no roster", f.actors["admin"], "UTC", "default"},
		{"chosen on the account page", chose, "Europe/Berlin", "account"},
		{"a chosen zone no longer known", gone, "Asia/Kathmandu", "roster"},
		{"the command line acting as a member", app.System("ana@example.com"), "Europe/Lisbon", "roster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := f.app.ZoneOf(ctx, tc.who)
			if err != nil {
				t.Fatal(err)
			}
			if z.Name != tc.wantZone || z.Source != tc.wantFrom || z.Location().String() != tc.wantZone {
				t.Errorf("ZoneOf = %s (%s, location %s), want %s (%s)", z.Name, z.Source, z.Location(), tc.wantZone, tc.wantFrom)
			}
		})
	}
}

// TestSetZone stores a zone, refuses a name that is not one without
// storing anything, and clears it back to the roster zone.
func TestSetZone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	who := f.actors["member"]
	z, err := f.app.SetZone(ctx, who, " Europe/Berlin ")
	if err != nil || z.Name != "Europe/Berlin" || z.Source != "account" {
		t.Fatalf("SetZone = %+v, %v; want Europe/Berlin from the account", z, err)
	}
	for _, bad := range []string{"Europe/Berlinn", "Local", "CEST", "Europe/Berlin x"} {
		_, err := f.app.SetZone(ctx, who, bad)
		if rhythm.ErrorCode(err) != rhythm.EINVALID {
			t.Errorf("SetZone(%q) = %v, want EINVALID", bad, err)
		}
	}
	if u, _ := f.db.User(ctx, who.User.ID); u.Zone != "Europe/Berlin" {
		t.Errorf("after refused names the stored zone is %q, want Europe/Berlin", u.Zone)
	}
	if z, err = f.app.SetZone(ctx, who, ""); err != nil || z.Name != "Asia/Kathmandu" || z.Source != "roster" {
		t.Errorf("clearing: %+v, %v; want the roster zone Asia/Kathmandu", z, err)
	}
	if _, err := f.app.SetZone(ctx, app.System(""), "Europe/Berlin"); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("the command line: %v, want EINVALID (it has --tz)", err)
	}
}
