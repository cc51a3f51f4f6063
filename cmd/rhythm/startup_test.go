package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestStartupDoesNoWork runs `rhythm --help` with GODEBUG=inittrace=1 and
// checks that the package initialisers of rhythm's own packages do no
// real work (parsing templates, compiling expressions, registering
// metrics, building tables): they must allocate next to nothing. Work
// like that belongs in sync.OnceValue, done when first needed, so that
// every command starts in milliseconds.
func TestStartupDoesNoWork(t *testing.T) {
	const perPackage, total = 8 << 10, 24 << 10 // bytes; today a few hundred each
	cmd := exec.Command(os.Args[0], "--help")
	cmd.Env = append(os.Environ(), "RHYTHM_TEST_RUN_MAIN=1", "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rhythm --help: %v\n%s", err, stderr.String())
	}
	sum, seen := 0, 0
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init github.com/rhythm-team/rhythm/report @1.2 ms, 1.0 ms clock, 161584 bytes, 3355 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/rhythm-team/rhythm") {
			continue
		}
		seen++
		n, err := strconv.Atoi(f[7])
		if err != nil || f[8] != "bytes," {
			t.Fatalf("cannot read %q", sc.Text())
		}
		sum += n
		if n > perPackage {
			t.Errorf("package %s allocates %d bytes when it initialises, want at most %d: make that work lazy", f[1], n, perPackage)
		}
	}
	if seen == 0 {
		t.Fatalf("no init trace of rhythm's packages in:\n%s", stderr.String())
	}
	if sum > total {
		t.Errorf("rhythm's %d packages allocate %d bytes when they initialise, want at most %d", seen, sum, total)
	}
	t.Logf("%d packages of rhythm allocate %d bytes when they initialise", seen, sum)
}
