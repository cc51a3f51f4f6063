package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

func checksums(t *testing.T, db *store.DB) []store.TableSum {
	t.Helper()
	sums, err := db.Checksums(context.Background())
	if err != nil {
		t.Fatalf("checksums: %v", err)
	}
	return sums
}

// TestCopySQLiteToPostgresAndBack copies realistic data SQLite → PostgreSQL
// → SQLite and checks that every table's checksum survives both trips.
func TestCopySQLiteToPostgresAndBack(t *testing.T) {
	ctx := context.Background()
	a := storetest.SQLite(t)
	storetest.Seed(t, a, 300)
	pg := storetest.Postgres(t)
	b := storetest.SQLite(t)

	want := checksums(t, a)
	if len(want) < 8 {
		t.Fatalf("only %d tables found: %v", len(want), want)
	}
	got, err := store.Copy(ctx, a, pg, store.CopyOptions{})
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("copy reported other sums than the source's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, checksums(t, pg)); diff != "" {
		t.Errorf("PostgreSQL differs from SQLite (-sqlite +postgres):\n%s", diff)
	}
	if _, err := store.Copy(ctx, pg, b, store.CopyOptions{}); err != nil {
		t.Fatalf("copy back to SQLite: %v", err)
	}
	if diff := cmp.Diff(want, checksums(t, b)); diff != "" {
		t.Errorf("the round trip changed data (-before +after):\n%s", diff)
	}
	for _, tt := range []struct {
		name string
		db   *store.DB
	}{{"postgres", pg}, {"sqlite again", b}} {
		t.Run(tt.name, func(t *testing.T) {
			for _, ref := range []string{"Platform", "Generated B-1"} {
				orig, err := a.Team(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				copied, err := tt.db.Team(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(orig, copied); diff != "" {
					t.Errorf("team %s differs (-source +copy):\n%s", ref, diff)
				}
			}
			// New rows get ids past the copied ones.
			tm, err := tt.db.CreateTeam(ctx, roster(t, "After the copy", "after@example.com"))
			if err != nil {
				t.Fatalf("create after copy: %v", err)
			}
			teams, _ := a.ListTeams(ctx)
			for _, old := range teams {
				if tm.ID <= old.ID {
					t.Errorf("new team id %d ≤ copied id %d", tm.ID, old.ID)
				}
			}
		})
	}
}

func TestCopyTarget(t *testing.T) {
	ctx := context.Background()
	src := storetest.SQLite(t)
	storetest.Seed(t, src, 20)
	want := checksums(t, src)
	for _, d := range storetest.Dialects() {
		t.Run(d.Name+"/non-empty target is refused unless forced", func(t *testing.T) {
			dst := storetest.OpenDSN(t, d.DSN(t))
			if _, err := dst.CreateTeam(ctx, roster(t, "Already here", "here@example.com")); err != nil {
				t.Fatal(err)
			}
			before := checksums(t, dst)
			_, err := store.Copy(ctx, src, dst, store.CopyOptions{})
			if got := rhythm.ErrorCode(err); got != rhythm.ECONFLICT {
				t.Fatalf("copy onto a non-empty target: code %q (%v), want %q", got, err, rhythm.ECONFLICT)
			}
			if diff := cmp.Diff(before, checksums(t, dst)); diff != "" {
				t.Errorf("a refused copy changed the target:\n%s", diff)
			}
			if _, err := store.Copy(ctx, src, dst, store.CopyOptions{Force: true}); err != nil {
				t.Fatalf("forced copy: %v", err)
			}
			if diff := cmp.Diff(want, checksums(t, dst)); diff != "" {
				t.Errorf("forced copy differs from the source:\n%s", diff)
			}
		})
		t.Run(d.Name+"/failed copy leaves nothing and can be run again", func(t *testing.T) {
			dst := storetest.OpenDSN(t, d.DSN(t))
			before := checksums(t, dst)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			tables := 0
			_, err := store.Copy(cctx, src, dst, store.CopyOptions{Progress: func(table string, rows int64) {
				if tables++; tables == 3 {
					cancel() // fail part-way
				}
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted copy: %v, want context.Canceled", err)
			}
			if diff := cmp.Diff(before, checksums(t, dst)); diff != "" {
				t.Errorf("a failed copy changed the target (-before +after):\n%s", diff)
			}
			if _, err := store.Copy(ctx, src, dst, store.CopyOptions{}); err != nil {
				t.Fatalf("copy after a failed one: %v", err)
			}
			if diff := cmp.Diff(want, checksums(t, dst)); diff != "" {
				t.Errorf("second copy differs from the source:\n%s", diff)
			}
		})
	}
}

func TestChecksumsSeeEveryChange(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.OpenDSN(t, d.DSN(t))
			tm, err := db.CreateTeam(ctx, roster(t, "Sums", "a@example.com", "b@example.com"))
			if err != nil {
				t.Fatal(err)
			}
			before := checksums(t, db)
			m := tm.Members[0]
			m.Name += "!"
			if _, err := db.UpdateMember(ctx, "Sums", m.ID, m); err != nil {
				t.Fatal(err)
			}
			after := checksums(t, db)
			changed := map[string]bool{}
			for i := range before {
				if before[i].Table != after[i].Table {
					t.Fatalf("table order changed: %v vs %v", before, after)
				}
				if before[i] != after[i] {
					changed[before[i].Table] = true
				}
			}
			if !changed["members"] {
				t.Errorf("renaming a member left the members checksum as it was")
			}
		})
	}
}
