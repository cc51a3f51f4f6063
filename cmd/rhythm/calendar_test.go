package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/internal/testenv"
)

const calendarRoster = `team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
`

// calendarDB returns a new database holding the team of calendarRoster.
func calendarDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "rhythm.db")
	roster := filepath.Join(dir, "team.yaml")
	os.WriteFile(roster, []byte(calendarRoster), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", "--db", db, roster); code != 0 {
		t.Fatalf("team import: %s", errs)
	}
	return db
}

// TestCalendarCommands connects a member's CalDAV calendar and a team
// calendar link through the CLI, syncs, lists and removes them.
func TestCalendarCommands(t *testing.T) {
	dav := testenv.Radicale(t)
	dav.Do(t, "MKCALENDAR", "/ana/work/", "", 201)
	tomorrow := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).Add(10 * time.Hour) // inside the sync window on any day
	dav.Do(t, "PUT", "/ana/work/a.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:"+
		tomorrow.Format("20060102T150405Z")+"\r\nDURATION:PT1H\r\nATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 201)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html>Sign in</html>")
	}))
	defer page.Close()

	db := calendarDB(t)
	allow := "--calendar-allow-hosts=127.0.0.1"

	code, out, errs := runCLI(t, dav.Password+"\n", "calendar", "add", "--db", db, allow, "--team", "Platform", "--member", "ana",
		"--caldav", dav.URL, "--username", dav.Username, "--password-stdin")
	if code != 0 || !strings.Contains(out, "connected calendar 1 (caldav at 127.0.0.1:") || !strings.Contains(out, "ana@example.com") {
		t.Fatalf("calendar add caldav: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "calendar", "add", "--db", db, allow, "--team", "Platform", "--ics-url", page.URL+"/secret-link-k3y/basic.ics"); code != 0 {
		t.Fatalf("calendar add ics: %d %q %q", code, out, errs)
	}
	key, err := os.Stat(db + ".key")
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Fatalf("key file beside the database: %v %v", key, err)
	}

	code, out, errs = runCLI(t, "", "calendar", "sync", "--db", db, allow, "--team", "Platform")
	if code != 1 || !strings.Contains(out, "): synced, 1 event") ||
		!strings.Contains(out, "the link returned a web page, not a calendar") || !strings.Contains(errs, "1 of 2 calendars failed") {
		t.Fatalf("calendar sync: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "calendar", "list", "--db", db, "--team", "Platform", "--json")
	var first struct {
		ID     int64  `json:"id"`
		Member string `json:"member"`
		Host   string `json:"host"`
		Hint   string `json:"hint"`
		State  string `json:"state"`
		Events int    `json:"events"`
	}
	if code != 0 || json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first) != nil || first.Events != 1 || first.Member != "ana@example.com" {
		t.Fatalf("calendar list --json: %d %q", code, out)
	}
	if strings.Contains(out, dav.Password) || strings.Contains(out, "secret-link-k3y") {
		t.Fatalf("the list shows a credential: %s", out)
	}
	code, out, _ = runCLI(t, "", "calendar", "list", "--db", db, "--team", "Platform")
	if code != 0 || !strings.Contains(out, "synced, 1 event") || !strings.Contains(out, "LAST SYNC (UTC)") {
		t.Fatalf("calendar list: %s", out)
	}
	if code, out, _ := runCLI(t, "", "calendar", "remove", "--db", db, "2"); code != 0 || !strings.Contains(out, "removed calendar 2") {
		t.Fatalf("calendar remove: %d %s", code, out)
	}
	if code, _, errs := runCLI(t, "", "calendar", "sync", "--db", db, allow, "--team", "Platform"); code != 0 {
		t.Fatalf("sync after removing the failing one: %s", errs)
	}
}

// TestCalendarCommandsXandikos connects a calendar of a second CalDAV
// server through the CLI, choosing among the account's calendars, and
// syncs it twice: xandikos sends no calendar data inside sync-collection,
// so each sync fetches the changes with calendar-multiget, and the second
// stores only what changed.
func TestCalendarCommandsXandikos(t *testing.T) {
	dav := testenv.Xandikos(t)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	event := func(uid string, at time.Time) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" +
			at.Format("20060102T150405Z") + "\r\nDURATION:PT1H\r\nATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	dav.Do(t, "MKCALENDAR", "/user/calendars/work/", "", 201)
	dav.Do(t, "PUT", "/user/calendars/work/a.ics", event("a@test", day.Add(10*time.Hour)), 201)
	dav.Do(t, "PUT", "/user/calendars/work/b.ics", event("b@test", day.Add(11*time.Hour)), 201)
	db := calendarDB(t)
	allow := "--calendar-allow-hosts=127.0.0.1"
	add := []string{"calendar", "add", "--db", db, allow, "--team", "Platform", "--member", "ana", "--caldav", dav.URL, "--username", dav.Username, "--password-stdin"}
	if code, _, errs := runCLI(t, dav.Password+"\n", add...); code != 2 || !strings.Contains(errs, "--calendar: the account has 2 calendars, choose one (") ||
		!strings.Contains(errs, `"work"`) || !strings.Contains(errs, `"calendar"`) {
		t.Fatalf("calendar add on an account with 2 calendars: %d %q", code, errs)
	}
	if code, out, errs := runCLI(t, dav.Password+"\n", append(add, "--calendar", "work")...); code != 0 || !strings.Contains(out, "connected calendar 1 (caldav at 127.0.0.1:") {
		t.Fatalf("calendar add --calendar work: %d %q %q", code, out, errs)
	}
	sync := func(want string) {
		t.Helper()
		code, out, errs := runCLI(t, "", "calendar", "sync", "--db", db, allow, "--team", "Platform")
		if code != 0 || !strings.Contains(out, "): "+want+"\n") {
			t.Fatalf("calendar sync: %d %q %q, want %q", code, out, errs, want)
		}
	}
	sync("synced, 2 events")
	dav.Do(t, "DELETE", "/user/calendars/work/a.ics", "", 204)
	dav.Do(t, "PUT", "/user/calendars/work/b.ics", event("b@test", day.Add(12*time.Hour)), 204)
	dav.Do(t, "PUT", "/user/calendars/work/c.ics", event("c@test", day.Add(13*time.Hour)), 201)
	dav.Do(t, "PUT", "/user/calendars/work/d.ics", event("d@test", day.Add(14*time.Hour)), 201)
	sync("synced, 3 events")
}

func TestCalendarCommandsBadInput(t *testing.T) {
	db := calendarDB(t)
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"both kinds", "", []string{"--ics-url", "https://a.example.com/x.ics", "--caldav", "https://b.example.com"}, "one of --ics-url or --caldav"},
		{"neither", "", nil, "one of --ics-url or --caldav"},
		{"private address", "", []string{"--ics-url", "https://10.0.0.1/x.ics"}, "10.0.0.1 is a private address"},
		{"plain http", "", []string{"--ics-url", "http://calendar.example.com/x.ics"}, "plain http"},
		{"caldav without password", "", []string{"--caldav", "https://dav.example.com", "--username", "ana"}, "--password-stdin"},
		{"empty password", "\n", []string{"--caldav", "https://dav.example.com", "--username", "ana", "--password-stdin"}, "no password"},
		{"unknown member", "", []string{"--member", "zed", "--ics-url", "https://a.example.com/x.ics"}, "--member"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"calendar", "add", "--db", db, "--team", "Platform"}, c.args...)
			code, _, errs := runCLI(t, c.stdin, args...)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errs, c.want)
			}
		})
	}
	if code, _, errs := runCLI(t, "", "calendar", "remove", "--db", db, "x"); code != 2 || !strings.Contains(errs, "not a calendar id") {
		t.Fatalf("remove x: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "calendar", "remove", "--db", db, "99"); code == 0 || !strings.Contains(errs, "no calendar connection 99") {
		t.Fatalf("remove 99: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "calendar", "sync", "--db", db, "--team", "Platform"); code != 2 || !strings.Contains(errs, "no calendars connected") {
		t.Fatalf("sync with none: %d %s", code, errs)
	}
}

// TestCalendarSyncShowsWarnings: a sync that leaves something out says so
// in the connection's state (sync, list, --json) without quoting what the
// events say, and a later clean sync clears it.
func TestCalendarSyncShowsWarnings(t *testing.T) {
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).Add(10 * time.Hour)
	good := "BEGIN:VEVENT\r\nUID:good@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + day.Format("20060102T150405Z") +
		"\r\nDURATION:PT1H\r\nSUMMARY:Quarterly plan\r\nATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\n"
	dense := "BEGIN:VEVENT\r\nUID:dense@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + day.Format("20060102T150405Z") +
		"\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:Layoffs\r\nEND:VEVENT\r\n"
	broken := "BEGIN:VEVENT\r\nUID:broken@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + day.Format("20060102T150405Z") +
		"\r\nDURATION:PT1H\r\nSUMMARY;X=\"unclosed:Secret reorg\r\nEND:VEVENT\r\n"
	var body atomic.Value
	body.Store("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + good + dense + broken + "END:VCALENDAR\r\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, body.Load().(string))
	}))
	defer srv.Close()
	db := calendarDB(t)
	allow := "--calendar-allow-hosts=127.0.0.1"
	if code, out, errs := runCLI(t, "", "calendar", "add", "--db", db, allow, "--team", "Platform", "--ics-url", srv.URL+"/link.ics"); code != 0 {
		t.Fatalf("calendar add: %d %q %q", code, out, errs)
	}
	denseWarn := `calendar link:13: event "dense@test": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`
	brokenWarn := `calendar link:25: invalid content line: unterminated quoted parameter value; line skipped`
	code, out, errs := runCLI(t, "", "calendar", "sync", "--db", db, allow, "--team", "Platform")
	if code != 0 || !strings.Contains(out, "): synced, 2 events; 2 warnings: "+brokenWarn+"\n  warning: "+denseWarn+"\n") {
		t.Fatalf("calendar sync: %d\n%s\n%s\nwant the state with %q and %q", code, out, errs, denseWarn, brokenWarn)
	}
	for _, secret := range []string{"Layoffs", "Secret reorg", "Quarterly plan"} {
		if strings.Contains(out, secret) {
			t.Errorf("calendar sync quotes an event's text %q:\n%s", secret, out)
		}
	}
	if code, out, _ := runCLI(t, "", "calendar", "list", "--db", db, "--team", "Platform"); code != 0 || !strings.Contains(out, "synced, 2 events; 2 warnings: "+brokenWarn) {
		t.Fatalf("calendar list: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "calendar", "list", "--db", db, "--team", "Platform", "--json")
	var got struct {
		Warnings     int      `json:"warnings"`
		WarningNotes []string `json:"warning_notes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("calendar list --json: %d %q", code, out)
	}
	if diff := cmp.Diff([]string{brokenWarn, denseWarn}, got.WarningNotes); got.Warnings != 2 || diff != "" {
		t.Errorf("calendar list --json: %d warnings, notes (-want +got):\n%s", got.Warnings, diff)
	}

	body.Store("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + good + "END:VCALENDAR\r\n")
	if code, out, errs := runCLI(t, "", "calendar", "sync", "--db", db, allow, "--team", "Platform"); code != 0 || !strings.Contains(out, "): synced, 1 event\n") || strings.Contains(out, "warning") {
		t.Fatalf("clean sync: %d\n%s\n%s", code, out, errs)
	}
	if _, out, _ := runCLI(t, "", "calendar", "list", "--db", db, "--team", "Platform", "--json"); strings.Contains(out, "warning") {
		t.Errorf("the warnings outlived a clean sync: %s", out)
	}
}
