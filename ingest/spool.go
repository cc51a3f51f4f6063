package ingest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Spool is the folder this process keeps uploads in while it imports
// them: <base>/<pid>-<token>, where token is made when the process
// starts. Opening a spool removes what processes that are gone (killed
// mid-upload, say) left under base.
type Spool struct {
	dir string
}

// processToken tells this process from an earlier one with the same pid
// (as in a container, where the server is always pid 1).
var processToken = func() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

var spools sync.Map // base → *Spool, one per base in a process

// OpenSpool returns this process's spool under base (os.TempDir()/
// rhythm-uploads when empty), removing the folders of processes that no
// longer run.
func OpenSpool(base string) (*Spool, error) {
	if base == "" {
		base = filepath.Join(os.TempDir(), "rhythm-uploads")
	}
	if s, ok := spools.Load(base); ok {
		return s.(*Spool), nil
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil, fmt.Errorf("upload folder: %w", err)
	}
	own := strconv.Itoa(os.Getpid()) + "-" + processToken
	entries, err := os.ReadDir(base)
	if err != nil {
		return nil, fmt.Errorf("upload folder: %w", err)
	}
	for _, e := range entries {
		if e.Name() != own && !running(e.Name()) {
			os.RemoveAll(filepath.Join(base, e.Name()))
		}
	}
	s := &Spool{dir: filepath.Join(base, own)}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("upload folder: %w", err)
	}
	v, _ := spools.LoadOrStore(base, s)
	return v.(*Spool), nil
}

// running reports whether the spool folder name belongs to a process
// that still runs: another pid that answers signal 0. A folder of this
// pid with another token is from an earlier process.
func running(name string) bool {
	pidText, token, ok := strings.Cut(name, "-")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return token == processToken
	}
	if runtime.GOOS == "windows" {
		return true // no signal 0 there: leave other processes' folders
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// MkdirTemp makes a new folder in the spool for one upload; the caller
// removes it when done.
func (s *Spool) MkdirTemp() (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(s.dir, "rhythm-upload-")
}

// Dir returns the spool's folder.
func (s *Spool) Dir() string { return s.dir }
