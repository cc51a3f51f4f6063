package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store/sqlite"
)

// Backup writes a consistent copy of the database to a new SQLite file at
// path while servers go on reading and writing, and returns the sums of
// what it wrote. SQLite is copied with VACUUM INTO, PostgreSQL table by
// table from one snapshot. The file appears only when it is complete; an
// existing file is never overwritten.
func (db *DB) Backup(ctx context.Context, path string) ([]TableSum, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, rhythm.Errorf(rhythm.ECONFLICT, "%s exists already; choose a new file name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return nil, err
	}
	tmp.Close()
	tmpPath := tmp.Name()
	defer removeDB(tmpPath)
	if db.dialect == SQLite {
		// VACUUM INTO wants a file that does not exist.
		os.Remove(tmpPath)
		if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", tmpPath); err != nil {
			return nil, fmt.Errorf("backup: %w", db.unavailable(err))
		}
	} else {
		out, err := Open(ctx, tmpPath)
		if err != nil {
			return nil, err
		}
		_, err = Copy(ctx, db, out, CopyOptions{})
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	sums, err := fileSums(ctx, tmpPath)
	if err != nil {
		return nil, fmt.Errorf("check backup: %w", err)
	}
	// A backup holds password hashes and the pseudonym key: only its owner
	// may read it.
	if err := os.Chmod(tmpPath, 0o600); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err == nil {
		return nil, rhythm.Errorf(rhythm.ECONFLICT, "%s appeared while the backup ran; choose a new file name", path)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return nil, err
	}
	return sums, nil
}

// fileSums opens a SQLite file, checks its integrity and returns its sums.
func fileSums(ctx context.Context, path string) ([]TableSum, error) {
	db, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var res string
	if err := db.sql.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return nil, err
	}
	if res != "ok" {
		return nil, fmt.Errorf("%s fails its integrity check: %s", path, res)
	}
	return db.Checksums(ctx)
}

// removeDB removes a SQLite file with its journal files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Restore replaces the contents of dst with those of the backup file from
// (a SQLite file written by Backup) and returns the sums of what it wrote.
// The backup itself is not changed: a copy of it is brought to the current
// schema and copied over with Copy, so a dst that holds rows is refused
// unless opt.Force is set, and a failed restore leaves dst as it was.
func Restore(ctx context.Context, from string, dst *DB, opt CopyOptions) ([]TableSum, error) {
	f, err := os.Open(from)
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "backup file: %v", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s is not a rhythm backup (not a SQLite database)", from)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp("", "rhythm-restore-*.db")
	if err != nil {
		return nil, err
	}
	defer removeDB(tmp.Name())
	if _, err := io.Copy(tmp, f); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if hasRhythmSchema, err := isRhythmFile(ctx, tmp.Name()); err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", from, err)
	} else if !hasRhythmSchema {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s is not a rhythm backup (no rhythm schema in it)", from)
	}
	src, err := Open(ctx, tmp.Name())
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", from, err)
	}
	defer src.Close()
	return Copy(ctx, src, dst, opt)
}

// isRhythmFile reports whether the SQLite file has rhythm's migration
// table, without changing it.
func isRhythmFile(ctx context.Context, path string) (bool, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return false, err
	}
	defer db.Close()
	names, err := strings1(ctx, db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?", versionTable)
	if err != nil {
		return false, fmt.Errorf("not a readable SQLite database: %v", strings.TrimPrefix(err.Error(), "SQL logic error: "))
	}
	return len(names) == 1, nil
}
