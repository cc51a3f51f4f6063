package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

func checksums(t *testing.T, db *store.DB) []store.TableSum {
	t.Helper()
	sums, err := db.Checksums(context.Background())
	if err != nil {
		t.Fatalf("checksums: %v", err)
	}
	return sums
}

// seedGenerated stores a team made by rhythm gen and imports its Slack
// export, mailbox and calendar. It returns the team.
func seedGenerated(t *testing.T, db *store.DB) team.Team {
	t.Helper()
	ctx := context.Background()
	d, err := gen.New(gen.Config{People: 15, Weeks: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := d.Write(dir); err != nil {
		t.Fatal(err)
	}
	tm, err := db.CreateTeam(ctx, *d.Team())
	if err != nil {
		t.Fatal(err)
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.NewResolver(&tm, key)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{gen.SlackFile, gen.MboxFile, gen.CalendarFile} {
		path := filepath.Join(dir, f)
		src, format, err := detect.Open(path, res, detect.Options{Limits: ingest.DefaultLimits()})
		if err != nil {
			t.Fatal(err)
		}
		hash, err := detect.Hash(path)
		if err != nil {
			t.Fatal(err)
		}
		imp, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: f, Format: string(format), Hash: hash}, src.Import)
		src.Close()
		if err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
		if imp.Stored == 0 {
			t.Fatalf("import %s stored nothing", f)
		}
	}
	return tm
}

// interactions returns every stored interaction of a team.
func interactions(t *testing.T, db *store.DB, teamID int64) []ingest.Interaction {
	t.Helper()
	var out []ingest.Interaction
	if err := db.Interactions(context.Background(), teamID, time.Time{}, time.Time{}, func(in ingest.Interaction) error {
		out = append(out, in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCopySQLiteToPostgresAndBack copies realistic data — accounts, teams,
// and a generated team's imported Slack export, mailbox and calendar —
// SQLite → PostgreSQL → SQLite and checks that every table's checksum
// survives both trips.
func TestCopySQLiteToPostgresAndBack(t *testing.T) {
	ctx := context.Background()
	a := storetest.SQLite(t)
	storetest.Seed(t, a, 300)
	generated := seedGenerated(t, a)
	pg := storetest.Postgres(t)
	b := storetest.SQLite(t)

	want := checksums(t, a)
	if len(want) < 8 {
		t.Fatalf("only %d tables found: %v", len(want), want)
	}
	rows := map[string]int64{}
	for _, s := range want {
		rows[s.Table] = s.Rows
	}
	if rows["imports"] < 3 || rows["interactions"] < 1000 {
		t.Fatalf("the source holds %d imports and %d interactions, want the generated team's 3 and many", rows["imports"], rows["interactions"])
	}
	wantInteractions := interactions(t, a, generated.ID)
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
			if diff := cmp.Diff(wantInteractions, interactions(t, tt.db, generated.ID)); diff != "" {
				t.Errorf("the imported interactions differ (-source +copy):\n%s", diff)
			}
			imps, err := tt.db.Imports(ctx, generated.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantImps, _ := a.Imports(ctx, generated.ID)
			if diff := cmp.Diff(wantImps, imps); diff != "" {
				t.Errorf("the import records differ (-source +copy):\n%s", diff)
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

// TestCopyRefusesNULForPostgres: text holding a NUL byte (a thread title,
// a team name), stored on SQLite before input refused them, made a copy to
// PostgreSQL fail deep in COPY. The copy names the table, row and column, and leaves the
// target empty.
func TestCopyRefusesNULForPostgres(t *testing.T) {
	ctx := context.Background()
	src := storetest.SQLite(t)
	storetest.Seed(t, src, 5)
	if _, err := src.SQL().ExecContext(ctx, "UPDATE teams SET name = 'plan' || char(0) || 'b' WHERE id = (SELECT MIN(id) FROM teams)"); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Postgres(t)
	before := checksums(t, dst)
	_, err := store.Copy(ctx, src, dst, store.CopyOptions{})
	if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), "teams row 1, column name: holds a NUL byte") {
		t.Fatalf("copy of a NUL title: %v, want EINVALID naming teams row 1, column name", err)
	}
	if diff := cmp.Diff(before, checksums(t, dst)); diff != "" {
		t.Errorf("a refused copy changed the target:\n%s", diff)
	}
}
