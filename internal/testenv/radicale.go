package testenv

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// CalDAV is a running CalDAV server for one test.
type CalDAV struct {
	URL      string // http://127.0.0.1:PORT
	Username string
	Password string
	// Storage is the server's storage folder: a benchmark copies it to
	// start another server with the same calendars (RadicaleFrom).
	Storage string
}

// Radicale starts Debian's radicale on a free loopback port, with htpasswd
// authentication for one user and storage in a temporary folder, and stops
// it when the test ends. It skips the test when radicale is not installed.
func Radicale(t testing.TB) CalDAV {
	t.Helper()
	return RadicaleFrom(t, "")
}

// RadicaleFrom starts Radicale as Radicale does, on a copy of the storage
// folder of an earlier one (seed; "" for an empty one): uploading thousands
// of events takes Radicale half a minute, copying them a moment.
func RadicaleFrom(t testing.TB, seed string) CalDAV {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		Skip(t, "no radicale found; skipping CalDAV test (apt-get install radicale)")
	}
	dir := t.TempDir()
	dav := CalDAV{Username: "ana", Password: "app-pw-7Hq2", Storage: filepath.Join(dir, "collections")}
	if seed != "" {
		if err := os.CopyFS(dav.Storage, os.DirFS(seed)); err != nil {
			t.Fatalf("copying Radicale's storage: %v", err)
		}
	}
	htpasswd := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(htpasswd, []byte(dav.Username+":"+dav.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dav.URL = serve(t, bin, func(addr string) []string {
		return []string{"--config", "",
			"--server-hosts", addr,
			"--auth-type", "htpasswd",
			"--auth-htpasswd-filename", htpasswd,
			"--auth-htpasswd-encryption", "plain",
			"--rights-type", "owner_only",
			"--storage-filesystem-folder", dav.Storage,
			"--logging-level", "warning"}
	})
	return dav
}

// serve starts bin with the arguments args gives for a free loopback
// address, waits until it answers HTTP there and returns its URL; the
// process is killed when the test ends. A port taken in the meantime by
// someone else gets one more try.
func serve(t testing.TB, bin string, args func(addr string) []string) string {
	t.Helper()
	name := filepath.Base(bin)
	for attempt := 0; ; attempt++ {
		addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		cmd := exec.Command(bin, args(addr)...)
		var log strings.Builder
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", name, err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-done
		})
		url := "http://" + addr
		if waitHTTP(url, done, 60*time.Second) {
			return url
		}
		if attempt == 1 {
			t.Fatalf("%s did not start on %s: %s", name, addr, log.String())
		}
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitHTTP waits until url answers, the process ends, or the time is up.
func waitHTTP(url string, exited <-chan struct{}, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Do sends one request to the CalDAV server as its user (to make
// calendars and put or delete events the way a calendar app would) and
// fails the test unless the status is one of want.
func (d CalDAV) Do(t testing.TB, method, path, body string, want ...int) {
	t.Helper()
	req, err := http.NewRequest(method, d.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(d.Username, d.Password)
	if body != "" {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, w := range want {
		if resp.StatusCode == w {
			return
		}
	}
	t.Fatalf("%s %s: %s, want %v", method, path, resp.Status, want)
}
