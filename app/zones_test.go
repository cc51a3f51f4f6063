package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

// TestParseTyped: a wall time is read in the given zone (a skipped one
// moves forward, a repeated one is the first); RFC 3339 keeps its offset.
func TestParseTyped(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typed string
		want  time.Time
	}{
		{"2026-03-10T17:00", time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)},
		{"2026-07-10 17:00", time.Date(2026, 7, 10, 15, 0, 0, 0, time.UTC)},
		{"2026-03-10T17:00:30", time.Date(2026, 3, 10, 16, 0, 30, 0, time.UTC)},
		{"2026-03-29T02:30", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},  // skipped: 03:30 CEST
		{"2026-10-25T02:30", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)}, // repeated: the first, CEST
		{"2026-03-10T17:00:00+09:00", time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)},
		{" 2026-03-10T17:00:00Z ", time.Date(2026, 3, 10, 17, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			got, err := app.ParseTyped("due_by", tc.typed, berlin)
			if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("ParseTyped(%q) = %s, %v; want %s", tc.typed, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "10/03/2026 17:00", "2026-03-10", "2026-03-10T25:00"} {
		if _, err := app.ParseTyped("due_by", bad, berlin); rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), "due_by: ") {
			t.Errorf("ParseTyped(%q) = %v, want EINVALID naming due_by", bad, err)
		}
	}
}
