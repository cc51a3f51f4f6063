package testenv

import (
	"os/exec"
	"strings"
	"testing"
)

// Xandikos starts Debian's xandikos, a second CalDAV server beside
// Radicale, on a free loopback port with its storage (a git repository per
// collection) in a temporary folder, and stops it when the test ends. It
// skips the test when xandikos is not installed.
//
// The server has one principal, /user/, whose calendar home is
// /user/calendars/ with a calendar /user/calendars/calendar/ in it. It has
// no authentication of its own: Username and Password are sent and
// ignored. Each PUT is a commit, so a test keeps its calendars small.
func Xandikos(t testing.TB) CalDAV {
	t.Helper()
	bin, err := exec.LookPath("xandikos")
	if err != nil {
		Skip(t, "no xandikos found; skipping CalDAV test (apt-get install xandikos)")
	}
	dav := CalDAV{Username: "ana", Password: "app-pw-7Hq2", Storage: t.TempDir()}
	dav.URL = serve(t, bin, func(addr string) []string {
		host, port, _ := strings.Cut(addr, ":")
		return []string{"-d", dav.Storage, "--defaults", "-l", host, "-p", port}
	})
	return dav
}
