package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rhythm-team/rhythm"
)

// TestRowsMigrationsSeedDoNotMakeATargetFull checks that a target holding
// no more rows than a new database (seed rows, keys made at start-up, which
// differ between databases) counts as empty, and one with more does not.
func TestRowsMigrationsSeedDoNotMakeATargetFull(t *testing.T) {
	ctx := context.Background()
	open := func(name string, settings ...string) *DB {
		t.Helper()
		db, err := Open(ctx, filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		for _, v := range settings {
			if _, err := db.EnsureSetting(ctx, "seeded."+v, v); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	// As if a migration or Open inserted one setting.
	pristine, err := open("pristine.db", "a").Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seed := map[string]TableSum{}
	for _, s := range pristine {
		seed[s.Table] = s
	}
	tests := []struct {
		name     string
		settings []string
		force    bool
		code     string
	}{
		{"only seeded rows", []string{"a"}, false, ""},
		{"a row of its own", []string{"a", "b"}, false, rhythm.ECONFLICT},
		{"a start-up key of its own", []string{"z"}, false, ""},
		{"forced", []string{"a", "b"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := open("target.db", tt.settings...)
			tx, err := db.sql.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			tables, err := discover(ctx, tx, db.dialect)
			if err != nil {
				t.Fatal(err)
			}
			err = clearTarget(ctx, tx, db.dialect, tables, tt.force, seed)
			if got := rhythm.ErrorCode(err); got != tt.code {
				t.Fatalf("clearTarget: code %q (%v), want %q", got, err, tt.code)
			}
			var n int
			tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings").Scan(&n)
			if err == nil && n != 0 {
				t.Errorf("%d settings left, want the target emptied", n)
			}
		})
	}
}
