package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// handles opens n handles on one fresh database: n servers sharing it.
func handles(t *testing.T, d storetest.Dialect, n int) []*store.DB {
	t.Helper()
	dsn := d.DSN(t)
	dbs := make([]*store.DB, n)
	for i := range dbs {
		dbs[i] = storetest.OpenDSN(t, dsn)
	}
	return dbs
}

func testFirstAdminRace(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	for round := range 3 {
		dbs := handles(t, d, 4)
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			made int
		)
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.CreateFirstAdmin(ctx, account.User{Email: fmt.Sprintf("a%d@x.org", i), Name: "A"}, "hash")
				if err == nil {
					mu.Lock()
					made++
					mu.Unlock()
				} else if rhythm.ErrorCode(err) != rhythm.ECONFLICT {
					t.Errorf("CreateFirstAdmin: %v, want success or a conflict", err)
				}
			}()
		}
		wg.Wait()
		if n, _ := dbs[0].CountUsers(ctx); made != 1 || n != 1 {
			t.Fatalf("round %d: %d setups succeeded, %d users; want 1 and 1", round, made, n)
		}
	}
}

func testLastAdminRace(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	for round := range 3 {
		dbs := handles(t, d, 2)
		var admins [2]account.User
		for i := range admins {
			u, err := dbs[0].CreateUser(ctx, account.User{Email: fmt.Sprintf("admin%d@x.org", i), Name: "A", Role: account.Admin}, "hash")
			if err != nil {
				t.Fatal(err)
			}
			admins[i] = u
		}
		var wg sync.WaitGroup
		for i := range admins {
			wg.Add(1)
			go func() {
				defer wg.Done()
				other := admins[1-i]
				other.Role = account.Member
				if err := dbs[i].UpdateUser(ctx, other); err != nil && rhythm.ErrorCode(err) != rhythm.ECONFLICT {
					t.Errorf("demote: %v, want success or a conflict", err)
				}
			}()
		}
		wg.Wait()
		users, err := dbs[0].ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, u := range users {
			if u.Role == account.Admin {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("round %d: no admin left after two admins demoted each other at once", round)
		}
	}
}

func testRosterWritersTakeTurns(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	dbs := handles(t, d, 3)
	if _, err := dbs[0].CreateTeam(ctx, roster(t, "Turns", "first@x.org")); err != nil {
		t.Fatal(err)
	}
	const each = 15
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				m := team.Member{Name: "W", Email: fmt.Sprintf("s%d-%d@x.org", i, j), Zone: "UTC", Hours: team.DefaultHours, Days: team.WeekdaysMonFri}
				if _, err := db.AddMember(ctx, "Turns", m); err != nil {
					t.Errorf("add member on handle %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var n, positions int
	err := dbs[0].InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, "SELECT COUNT(*), COUNT(DISTINCT position) FROM members m JOIN teams t ON t.id = m.team_id WHERE t.name = ?", "Turns").Scan(&n, &positions)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(dbs)*each; n != want || positions != want {
		t.Errorf("%d members at %d distinct positions, want %d at %d", n, positions, want, want)
	}
}
