package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets tests run this test binary as the rhythm command in a
// child process (RHYTHM_TEST_RUN_MAIN=1), to send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("RHYTHM_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// process is rhythm running as a child process.
type process struct {
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan error
}

// startProcess runs `rhythm serve` as a child process on a free loopback
// port and returns it with its base URL; it is killed when the test ends.
func startProcess(t *testing.T, args ...string) (*process, string) {
	t.Helper()
	p := &process{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(), "RHYTHM_TEST_RUN_MAIN=1")
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(p.stdout.String(), "\n") {
			if url, ok := strings.CutPrefix(line, "rhythm is listening on "); ok {
				return p, strings.TrimSuffix(url, "/")
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("serve exited (%v) before listening; stderr:\n%s", err, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start; stderr:\n%s", p.stderr)
	return nil, ""
}

// waitFor waits until the process's stderr holds text.
func (p *process) waitFor(t *testing.T, text string) {
	t.Helper()
	eventually(t, "stderr shows "+text, func() bool { return strings.Contains(p.stderr.String(), text) })
}

// TestSIGTERMDrainsInFlightRequests sends SIGTERM to a server while a
// request is half-way through its body: the server stops taking new
// connections, finishes that request, and exits 0.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "drain.db")
	token := adminToken(t, dsn)
	p, base := startProcess(t, "--db", dsn)
	addr := strings.TrimPrefix(base, "http://")

	roster := "team: Drained\nmembers:\n  - {name: Ana, email: ana@example.com, zone: Asia/Kathmandu}\n"
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/rosters HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/yaml\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		addr, token, len(roster))
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue once the handler reads the body; got %v %v", res, err)
	}
	// The handler is now waiting for the body.
	half := len(roster) / 2
	conn.Write([]byte(roster[:half]))

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "draining in-flight requests")
	eventually(t, "a draining server refuses new connections", func() bool {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})

	conn.Write([]byte(roster[half:]))
	res, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request lost on SIGTERM: %v; stderr:\n%s", err, p.stderr)
	}
	if res.StatusCode != http.StatusCreated {
		t.Errorf("in-flight request = %d, want 201", res.StatusCode)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("server exit: %v, want 0; stderr:\n%s", err, p.stderr)
		}
		p.done <- err
	case <-time.After(30 * time.Second):
		t.Fatal("server did not exit after draining")
	}
	if code, out, errs := runCLI(t, "", "team", "show", "Drained", "--db", dsn); code != 0 || !strings.Contains(out, "Ana") {
		t.Errorf("the drained request's team is not stored: exit %d %s %s", code, out, errs)
	}
}
