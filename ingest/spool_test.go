package ingest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestOpenSpoolRemovesFoldersOfGoneProcesses(t *testing.T) {
	base := t.TempDir()
	names := map[string]bool{ // folder → kept
		strconv.Itoa(os.Getpid()) + "-earlier": false, // this pid, an earlier process (pid 1 in a container)
		"2147483646-gone":                      false, // no such process
		"junk":                                 false,
		strconv.Itoa(os.Getppid()) + "-live":   true, // the parent runs
	}
	for name := range names {
		if err := os.MkdirAll(filepath.Join(base, name, "rhythm-upload-1"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s, err := OpenSpool(base)
	if err != nil {
		t.Fatal(err)
	}
	for name, kept := range names {
		_, err := os.Stat(filepath.Join(base, name))
		if got := err == nil; got != kept {
			t.Errorf("%s kept = %v, want %v", name, got, kept)
		}
	}
	dir, err := s.MkdirTemp()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != s.Dir() || filepath.Dir(s.Dir()) != base {
		t.Errorf("upload folder %s is not in the spool %s under %s", dir, s.Dir(), base)
	}
}
