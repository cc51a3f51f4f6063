package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// Seed fills db with realistic data: the demo team and its admin, and
// generated teams and users (with sessions, API tokens, team leads, failed
// sign-ins and settings), with names in several scripts and quotes. It is
// deterministic apart from the random secrets and the demo admin's
// password.
func Seed(t testing.TB, db *store.DB, users int) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	if _, _, err := demo.Admin(ctx, db); err != nil {
		t.Fatalf("seed demo admin: %v", err)
	}
	names := []string{"Zoë Ångström", "李雷", "Liam O'Brien", `Ana "Nana" Silva`, "Þór Δημήτρης", "Sam; DROP TABLE users"}
	zones := []string{"Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Europe/Lisbon", "Asia/Kolkata", "Pacific/Chatham"}
	var teamIDs []int64
	for i := range 4 {
		var b strings.Builder
		fmt.Fprintf(&b, "team: Generated %c-%d\nnorms: {response_window: %dh, min_group_size: 3}\nmembers:\n", 'A'+i, i, (i+1)*6)
		for j := range 25 {
			fmt.Fprintf(&b, "  - {name: %s, email: p%02d.t%d@example.org, zone: %s", strconv.Quote(fmt.Sprintf("%s %d", names[j%len(names)], j)), j, i, zones[(i+j)%len(zones)])
			if j%3 == 0 {
				fmt.Fprintf(&b, ", aliases: [U%05d]", i*100+j)
			}
			if j%5 == 0 {
				b.WriteString(", holidays: [2026-12-25, 2027-01-01], hours: \"22:00-06:00\", days: sun-thu")
			}
			b.WriteString("}\n")
		}
		tm, err := team.ParseRoster("generated.yaml", []byte(b.String()))
		if err != nil {
			t.Fatalf("generated team: %v", err)
		}
		saved, err := db.CreateTeam(ctx, tm)
		if err != nil {
			t.Fatalf("seed team: %v", err)
		}
		teamIDs = append(teamIDs, saved.ID)
	}
	hash, err := account.HashPassword("a generated password")
	if err != nil {
		t.Fatal(err)
	}
	roles := []account.Role{account.Member, account.Member, account.Lead, account.Admin}
	for i := range users {
		u := account.User{Email: fmt.Sprintf("user%04d@example.org", i), Name: names[i%len(names)], Role: roles[i%len(roles)]}
		u, err := db.CreateUser(ctx, u, hash)
		if err != nil {
			t.Fatalf("seed user: %v", err)
		}
		if u.Role == account.Lead {
			u.LeadOf = []int64{teamIDs[i%len(teamIDs)]}
			if err := db.UpdateUser(ctx, u); err != nil {
				t.Fatalf("seed lead: %v", err)
			}
		}
		_, h := account.NewSecret("rs_")
		if err := db.CreateSession(ctx, h, u.ID, time.Now().Add(time.Hour)); err != nil {
			t.Fatalf("seed session: %v", err)
		}
		if i%2 == 0 {
			_, h := account.NewSecret("rhy_")
			tok, err := db.CreateToken(ctx, u.ID, fmt.Sprintf("token %d", i), h)
			if err != nil {
				t.Fatalf("seed token: %v", err)
			}
			if i%6 == 0 {
				if err := db.RevokeToken(ctx, u.ID, tok.ID); err != nil {
					t.Fatalf("revoke token: %v", err)
				}
			}
		}
		if i%10 == 0 {
			if err := db.ReserveAttempt(ctx, account.SignInKeys(u.Email, "127.0.0.1")); err != nil {
				t.Fatalf("seed login failure: %v", err)
			}
		}
	}
	for i := range 5 {
		if _, err := db.EnsureSetting(ctx, fmt.Sprintf("seed.%d", i), fmt.Sprintf("värde %d ✓", i)); err != nil {
			t.Fatalf("seed setting: %v", err)
		}
	}
}
