package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// teamSize is the number of members every team the writers store has; a
// backup that caught a write half-way would show another number.
const teamSize = 5

func writerRoster(t *testing.T, name string, gen int) []string {
	t.Helper()
	emails := make([]string, teamSize)
	for i := range emails {
		emails[i] = fmt.Sprintf("m%d.g%d@%s.example.org", i, gen, name)
	}
	return emails
}

// TestBackupDuringWritesRestoresConsistently takes a backup while writers
// create and replace teams, restores it into both dialects and checks that
// it holds every write acknowledged before it began and no half-done one.
func TestBackupDuringWritesRestoresConsistently(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.OpenDSN(t, filepath.Join(dir, "live.db"))
	storetest.Seed(t, db, 10)

	var (
		mu      sync.Mutex
		acked   = map[string]bool{} // teams whose creation was acknowledged
		stop    atomic.Bool
		wg      sync.WaitGroup
		writes  atomic.Int64
		started = make(chan struct{})
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load() && i < 5000; i++ {
				name := fmt.Sprintf("w%d-%d", w, i)
				if i%3 == 2 {
					// Replace an earlier team's members in one transaction.
					old := fmt.Sprintf("w%d-%d", w, i-1)
					if _, err := db.ReplaceTeam(ctx, old, roster(t, old, writerRoster(t, old, i)...)); err != nil {
						t.Errorf("replace %s: %v", old, err)
						return
					}
				} else if _, err := db.CreateTeam(ctx, roster(t, name, writerRoster(t, name, 0)...)); err != nil {
					t.Errorf("create %s: %v", name, err)
					return
				} else {
					mu.Lock()
					acked[name] = true
					mu.Unlock()
				}
				if writes.Add(1) == 40 {
					close(started)
				}
			}
		}()
	}
	<-started
	mu.Lock()
	before := make(map[string]bool, len(acked))
	for k := range acked {
		before[k] = true
	}
	mu.Unlock()
	out := filepath.Join(dir, "backup.db")
	sums, err := db.Backup(ctx, out)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	t.Logf("%d writes, %d acknowledged before the backup began", writes.Load(), len(before))
	if _, err := db.Backup(ctx, out); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Errorf("backup onto an existing file: %v, want a conflict", err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v (%v), want -rw------- : it holds password hashes", fi.Mode(), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".backup.db.partial-*")); len(leftovers) > 0 {
		t.Errorf("backup left %v behind", leftovers)
	}

	for _, d := range storetest.Dialects() {
		t.Run("restore into "+d.Name, func(t *testing.T) {
			dst := storetest.OpenDSN(t, d.DSN(t))
			got, err := store.Restore(ctx, out, dst, store.CopyOptions{})
			if err != nil {
				t.Fatalf("restore: %v", err)
			}
			if diff := cmp.Diff(sums, got); diff != "" {
				t.Errorf("restored sums differ from the backup's (-backup +restored):\n%s", diff)
			}
			if diff := cmp.Diff(sums, checksums(t, dst)); diff != "" {
				t.Errorf("restored database differs from the backup (-backup +restored):\n%s", diff)
			}
			teams, err := dst.ListTeams(ctx)
			if err != nil {
				t.Fatal(err)
			}
			present := map[string]bool{}
			for _, tm := range teams {
				present[tm.Name] = true
				if tm.Name[0] == 'w' && tm.Members != teamSize {
					t.Errorf("team %s has %d members, want %d: the backup caught a write half-way", tm.Name, tm.Members, teamSize)
				}
			}
			for name := range before {
				if !present[name] {
					t.Errorf("team %s, acknowledged before the backup began, is missing", name)
				}
			}
			if _, err := dst.Team(ctx, "Platform"); err != nil {
				t.Errorf("demo team: %v", err)
			}
		})
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("restoring changed the backup file: %v", err)
	}
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a database at all, just some words"), 0o644)
	other := filepath.Join(dir, "other.db")
	raw := storetest.OpenDSN(t, filepath.Join(dir, "raw.db"))
	raw.SQL().Exec("VACUUM INTO ?", other) // a rhythm file…
	foreign := filepath.Join(dir, "foreign.db")
	if _, err := raw.SQL().Exec("ATTACH DATABASE ? AS f; CREATE TABLE f.things (x); DETACH DATABASE f", foreign); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"missing file", filepath.Join(dir, "nope.db"), "no such file"},
		{"text file", text, "not a SQLite database"},
		{"another program's SQLite file", foreign, "no rhythm schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := storetest.SQLite(t)
			_, err := store.Restore(ctx, tt.path, dst, store.CopyOptions{})
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("restore %s: %v, want an invalid-input error saying %q", tt.name, err, tt.want)
			}
		})
	}
	t.Run("an empty rhythm backup restores", func(t *testing.T) {
		if _, err := store.Restore(ctx, other, storetest.SQLite(t), store.CopyOptions{}); err != nil {
			t.Errorf("restore: %v", err)
		}
	})
}

func TestBackupOfPostgres(t *testing.T) {
	ctx := context.Background()
	pg := storetest.Postgres(t)
	storetest.Seed(t, pg, 30)
	out := filepath.Join(t.TempDir(), "pg-backup.db")
	sums, err := pg.Backup(ctx, out)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if diff := cmp.Diff(checksums(t, pg), sums); diff != "" {
		t.Errorf("backup differs from the database (-postgres +backup):\n%s", diff)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(out + suffix); err == nil {
			t.Errorf("backup left %s beside the file", out+suffix)
		}
	}
}
