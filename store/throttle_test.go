package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// testParallelAttemptsReserved sends 50 parallel wrong-password attempts
// for one account from one address through four servers sharing the
// database: only the free ones may reach the password check (finding 3 of
// issue 16).
func testParallelAttemptsReserved(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	dbs := handles(t, d, 4)
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, db := range dbs {
		db.Now = func() time.Time { return clock }
	}
	keys := account.SignInKeys("lead@example.com", "203.0.113.7")
	var (
		wg              sync.WaitGroup
		mu              sync.Mutex
		checked, waited int
	)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := dbs[i%len(dbs)].ReserveAttempt(ctx, keys)
			mu.Lock()
			defer mu.Unlock()
			switch rhythm.ErrorCode(err) {
			case "":
				checked++
			case rhythm.ETOOMANY:
				waited++
			default:
				t.Errorf("ReserveAttempt: %v", err)
			}
		}()
	}
	wg.Wait()
	if want := account.AccountAddressLimit.Free; checked != want || waited != 50-want {
		t.Fatalf("%d attempts reached the password check and %d were told to wait; want %d and %d", checked, waited, want, 50-want)
	}
}

// testAttemptBackoff checks that a throttled key waits, then may try
// again, and that a correct password clears the account's failures.
func testAttemptBackoff(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	db := storetest.OpenDSN(t, d.DSN(t))
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	keys := account.SignInKeys("lead@example.com", "203.0.113.7")
	for range account.AccountAddressLimit.Free {
		if err := db.ReserveAttempt(ctx, keys); err != nil {
			t.Fatal(err)
		}
	}
	err := db.ReserveAttempt(ctx, keys)
	if rhythm.ErrorCode(err) != rhythm.ETOOMANY || rhythm.ErrorMessage(err) != "too many failed sign-ins; try again in 1 second" {
		t.Fatalf("attempt %d = %v, want a 1 second wait", account.AccountAddressLimit.Free+1, err)
	}
	clock = clock.Add(time.Second)
	if err := db.ReserveAttempt(ctx, keys); err != nil {
		t.Fatalf("after the wait: %v, want the attempt counted", err)
	}
	if err := db.ReserveAttempt(ctx, keys); rhythm.ErrorCode(err) != rhythm.ETOOMANY || rhythm.ErrorMessage(err) != "too many failed sign-ins; try again in 2 seconds" {
		t.Fatalf("next attempt = %v, want a 2 second wait", err)
	}
	// Another address is not held up by this address's failures.
	if err := db.ReserveAttempt(ctx, account.SignInKeys("lead@example.com", "198.51.100.1")); err != nil {
		t.Fatalf("other address: %v", err)
	}
	clock = clock.Add(2 * time.Second)
	if err := db.ReserveAttempt(ctx, keys); err != nil {
		t.Fatal(err)
	}
	if err := db.AttemptSucceeded(ctx, keys); err != nil {
		t.Fatal(err)
	}
	for i := range account.AccountAddressLimit.Free {
		if err := db.ReserveAttempt(ctx, keys); err != nil {
			t.Fatalf("attempt %d after a correct password: %v", i+1, err)
		}
	}
	// Failures are forgotten an hour after the last.
	clock = clock.Add(account.ForgetFailures)
	if err := db.ReserveAttempt(ctx, keys); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
}
