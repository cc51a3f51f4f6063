package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rhythm-team/rhythm"
)

// TestRowsMigrationsSeedDoNotMakeATargetFull checks that a target holding
// only what migrations insert counts as empty, and one with rows of its
// own does not.
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
	// As if a migration inserted the setting "seeded.a".
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
		{"a changed seeded row", []string{"z"}, false, rhythm.ECONFLICT},
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
