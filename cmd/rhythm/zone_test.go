package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	rhythmapp "github.com/rhythm-team/rhythm/app"
)

func TestMachineZone(t *testing.T) {
	dir := t.TempDir()
	link := func(target string) string {
		p := filepath.Join(dir, strings.ReplaceAll(target, "/", "_"))
		os.Symlink("/usr/share/zoneinfo/"+target, p)
		return p
	}
	env := func(tz string) func(string) string {
		return func(k string) string {
			if k == "TZ" {
				return tz
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name, tz, localtime, want string
	}{
		{"TZ names the zone", "Asia/Kathmandu", link("Europe/Berlin"), "Asia/Kathmandu"},
		{"TZ with a colon", ":America/St_Johns", "", "America/St_Johns"},
		{"/etc/localtime's target", "", link("Australia/Lord_Howe"), "Australia/Lord_Howe"},
		{"Etc/UTC is UTC", "", link("Etc/UTC"), "UTC"},
		{"an unknown TZ falls back to /etc/localtime", "Mars/Olympus", link("Asia/Tokyo"), "Asia/Tokyo"},
		{"nothing known is UTC", "", filepath.Join(dir, "missing"), "UTC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := machineZone(env(tc.tz), tc.localtime).String(); got != tc.want {
				t.Errorf("machineZone = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestThreadTimesFollowTheTimeRule: a due-by typed with --due is read in
// --tz (default: this machine's zone), and list, waiting and show print
// due-bys in that zone with its name, not UTC here and local there.
func TestThreadTimesFollowTheTimeRule(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	roster := platformRoster(t)
	if code, _, errs := runCLI(t, "", "team", "import", roster, "--db", db); code != 0 {
		t.Fatal(errs)
	}
	t.Setenv("TZ", "Europe/Berlin")
	code, out, errs := runCLI(t, "", "thread", "create", "--team", "Platform", "--db", db, "--title", "Q2", "--owner", "ana",
		"--with", "kenji", "--due", "2027-03-12 17:00")
	if code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	if !strings.Contains(out, "by 2027-03-12 17:00 Europe/Berlin") {
		t.Errorf("create says %q", out)
	}
	_, js, _ := runCLI(t, "", "thread", "show", "1", "--team", "Platform", "--db", db, "--json")
	if !strings.Contains(js, `"due_by":"2027-03-12T16:00:00Z"`) {
		t.Errorf("stored due-by is not 17:00 Berlin: %s", js)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"thread", "list"}, []string{"DUE BY (Europe/Berlin)", "2027-03-12 17:00"}},
		{[]string{"thread", "list", "--tz", "Asia/Tokyo"}, []string{"DUE BY (Asia/Tokyo)", "2027-03-13 01:00"}},
		{[]string{"thread", "waiting", "kenji"}, []string{"DUE BY (Europe/Berlin)", "2027-03-12 17:00"}},
		{[]string{"thread", "show", "1", "--tz", "America/New_York"}, []string{"due by 2027-03-12 11:00 America/New_York", "Sat 13 Mar 01:00 Asia/Tokyo"}},
	} {
		_, out, errs := runCLI(t, "", append(tc.args, "--team", "Platform", "--db", db)...)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("rhythm %s: output lacks %q:\n%s%s", strings.Join(tc.args, " "), w, out, errs)
			}
		}
	}
	if code, _, errs := runCLI(t, "", "thread", "list", "--team", "Platform", "--db", db, "--tz", "Mars/Olympus"); code != 2 || !strings.Contains(errs, "--tz") {
		t.Errorf("--tz Mars/Olympus: exit %d %q", code, errs)
	}
}

// TestLintStartFollowsTheTimeRule: a planned meeting's --start is read in
// --tz, short names work, and findings give times in --tz with its name.
func TestLintStartFollowsTheTimeRule(t *testing.T) {
	roster := platformRoster(t)
	lint := func(tz string) string {
		_, out, errs := runCLI(t, "", "lint", "--roster", roster, "--title", "Sync", "--start", "2027-03-10 09:30", "--duration", "30m",
			"--organizer", "ana", "--attendees", "kenji", "--agenda", "Purpose: pick one. Agenda: 1. options", "--tz", tz)
		return out + errs
	}
	// 09:30 in Lisbon is 18:30 in Tokyo: outside Kenji's hours.
	out := lint("Europe/Lisbon")
	for _, w := range []string{`"Sync" (Sync, 2027-03-10 09:30 Europe/Lisbon)`, "outside the working hours of Kenji Sato (2027-03-10 09:30 Europe/Lisbon)"} {
		if !strings.Contains(out, w) {
			t.Errorf("--tz Europe/Lisbon: output lacks %q:\n%s", w, out)
		}
	}
	// 09:30 in Tokyo is 00:30 in Lisbon: outside Ana's hours, and the
	// heading says Tokyo.
	out = lint("Asia/Tokyo")
	for _, w := range []string{`"Sync" (Sync, 2027-03-10 09:30 Asia/Tokyo)`, "outside the working hours of Ana Silva, Kenji Sato"} {
		if !strings.Contains(out, w) {
			t.Errorf("--tz Asia/Tokyo: output lacks %q:\n%s", w, out)
		}
	}
}

// TestScheduleReadsTheMachineZone: without --tz, schedule reads --between
// and shows times in this machine's zone (TZ here), not the first member's.
func TestScheduleReadsTheMachineZone(t *testing.T) {
	t.Setenv("TZ", "America/New_York")
	_, out, errs := runCLI(t, "", "schedule", "--roster", "testdata/bridge.yaml", "--with", "bea@example.com,Leo Hughes",
		"--duration", "30m", "--between", "2026-03-02", "2026-03-06", "--top", "1")
	for _, want := range []string{"times in America/New_York", "1  Mon 2026-03-02 04:30  2/2", "Mon 10:30"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errs)
		}
	}
}

// TestPulseRoundDatesFollowTheTimeRule: a round's dates are midnights in
// --tz (default: this machine's zone), not UTC midnights, and the list
// names the zone it shows.
func TestPulseRoundDatesFollowTheTimeRule(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pulse.db")
	mustRun(t, "team", "import", "testdata/pulse-team.yaml", "--db", db)
	t.Setenv("TZ", "Asia/Tokyo")
	out := mustRun(t, "pulse", "round", "create", "--team", "Pulse Team", "--opens", "2020-01-10", "--closes", "2020-01-20 18:00", "--imported", "--db", db)
	if !strings.Contains(out, "opens 2020-01-10 00:00, closes 2020-01-20 18:00 (Asia/Tokyo)") {
		t.Errorf("round create said %q", out)
	}
	js := mustRun(t, "pulse", "round", "list", "--team", "Pulse Team", "--json", "--db", db)
	if !strings.Contains(js, `"opens":"2020-01-09T15:00:00Z"`) || !strings.Contains(js, `"closes":"2020-01-20T09:00:00Z"`) {
		t.Errorf("stored times are not Tokyo's: %s", js)
	}
	if out := mustRun(t, "pulse", "round", "list", "--team", "Pulse Team", "--tz", "Europe/Berlin", "--db", db); !strings.Contains(out, "OPENS (Europe/Berlin)") || !strings.Contains(out, "2020-01-09 16:00") {
		t.Errorf("round list --tz Europe/Berlin:\n%s", out)
	}
}

// TestPlaybookRunShowsTheMachineZone: a plan's times are shown in --tz,
// default this machine's zone (it was UTC).
func TestPlaybookRunShowsTheMachineZone(t *testing.T) {
	roster := platformRoster(t)
	t.Setenv("TZ", "Asia/Tokyo")
	out := mustRun(t, "playbook", "run", "async-prep-huddle", "--roster", roster, "--date", "2027-03-09", "--role", "owner=ana")
	if !strings.Contains(out, "times in Asia/Tokyo") {
		t.Errorf("plan does not show Tokyo times:\n%s", out)
	}
	out = mustRun(t, "playbook", "run", "async-prep-huddle", "--roster", roster, "--date", "2027-03-09", "--role", "owner=ana", "--tz", "Europe/Lisbon")
	if !strings.Contains(out, "times in Europe/Lisbon") {
		t.Errorf("--tz Europe/Lisbon ignored:\n%s", out)
	}
}

// platformRoster writes a two-member roster (Lisbon, and Tokyo working
// 10:00-18:00) and returns its path.
func platformRoster(t *testing.T) string {
	t.Helper()
	roster := filepath.Join(t.TempDir(), "team.yaml")
	err := os.WriteFile(roster, []byte(`team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return roster
}

// TestCalendarListNamesItsZone: a connection's last sync is shown in --tz
// with the zone in the header.
func TestCalendarListNamesItsZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	var out strings.Builder
	views := []rhythmapp.CalendarView{{State: "synced, 5 events"}}
	views[0].ID, views[0].Member, views[0].Host = 3, "ana@example.com", "calendar.example.com"
	views[0].LastSuccess = time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC)
	if err := writeCalendars(&out, views, tokyo); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LAST SYNC (Asia/Tokyo)", "2026-03-10 17:30"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("calendar list lacks %q:\n%s", want, out.String())
		}
	}
}
