package main

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/store"
)

// genTeam generates a small team into a temp folder and stores its roster.
func genTeam(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "cli.db")
	if code, _, errs := runCLI(t, "", "gen", "--people", "12", "--weeks", "2", "--seed", "5", "--out", dir); code != 0 {
		t.Fatalf("gen exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "team", "import", filepath.Join(dir, "team.yaml"), "--db", db); code != 0 {
		t.Fatalf("team import exit %d: %s", code, errs)
	}
	return dir, db
}

func storedCounts(t *testing.T, dsn string) (imports, interactions int) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SQL().QueryRow("SELECT COUNT(*) FROM imports").Scan(&imports)
	db.SQL().QueryRow("SELECT COUNT(*) FROM interactions").Scan(&interactions)
	return imports, interactions
}

func TestImportGenerated(t *testing.T) {
	dir, db := genTeam(t)
	slackZip, mbox, ics := filepath.Join(dir, "slack-export.zip"), filepath.Join(dir, "mail.mbox"), filepath.Join(dir, "calendar.ics")
	code, out, errs := runCLI(t, "", "import", "--team", "Acme Engineering", "--db", db, slackZip, mbox, ics)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "slack-export.zip: slack, ") || !strings.Contains(out, "mail.mbox: mbox, ") || !strings.Contains(out, "calendar.ics: ics, ") || !strings.Contains(out, "bot_message: ") {
		t.Errorf("import said %q", out)
	}
	if errs != "" {
		t.Errorf("import wrote to stderr (not a terminal): %q", errs)
	}
	imports, rows := storedCounts(t, db)
	if imports != 3 || rows == 0 {
		t.Fatalf("%d imports, %d interactions stored", imports, rows)
	}
	// Again: nothing changes.
	code, out, _ = runCLI(t, "", "import", "--team", "Acme Engineering", "--db", db, slackZip)
	if code != 0 || !strings.Contains(out, "already imported") {
		t.Errorf("re-import exit %d: %q", code, out)
	}
	if i, r := storedCounts(t, db); i != imports || r != rows {
		t.Errorf("re-import changed the database: %d/%d → %d/%d", imports, rows, i, r)
	}
}

func TestImportBadInput(t *testing.T) {
	dir, db := genTeam(t)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipOf := func(name string, files map[string]string) string {
		p := filepath.Join(dir, name)
		f, _ := os.Create(p)
		zw := zip.NewWriter(f)
		for n, b := range files {
			w, _ := zw.Create(n)
			w.Write([]byte(b))
		}
		zw.Close()
		f.Close()
		return p
	}
	good, _ := os.ReadFile(filepath.Join(dir, "slack-export.zip"))
	tests := []struct {
		name string
		file string
		want string
	}{
		{"csv missing a column", write("m.csv", "start,end,organizer,kind\n"), `m.csv:1: missing column "participants"`},
		{"mbox without separators", write("x.mbox", "From: a@b.example\nTo: c@d.example\n\nhi\n"), `x.mbox: offset 0: not an mbox file: it does not start with a "From " line`},
		{"mail after a BOM", write("y.txt", "\xEF\xBB\xBFReturn-Path: <a@b.example>\n\nhi\n"), "y.txt: offset 0: not an mbox file"},
		{"text", write("z.txt", "Hello\nFrom: a@b.example\n"), "cannot tell what this is"},
		{"truncated zip", write("cut.zip", string(good[:len(good)/2])), "cut.zip: not a readable zip archive"},
		{"malformed day file", zipOf("bad.zip", map[string]string{"channels.json": `[{"id":"C1","name":"general"}]`, "general/2026-02-02.json": "[\n{\"ts\": }\n]"}), "bad.zip: general/2026-02-02.json:2: malformed JSON"},
		{"zip with traversal", zipOf("evil.zip", map[string]string{"users.json": "[]", "../../etc/x": "x"}), "evil.zip: refused"},
		{"missing file", filepath.Join(dir, "nope.zip"), "nope.zip: no such file"},
	}
	before, _ := storedCounts(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", "import", "--team", "Acme Engineering", "--db", db, tt.file)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, errs, tt.want)
			}
			if i, r := storedCounts(t, db); i != before || r != 0 {
				t.Errorf("the database changed: %d imports, %d interactions", i, r)
			}
		})
	}
	if code, _, errs := runCLI(t, "", "import", "--db", db, filepath.Join(dir, "mail.mbox")); code != 2 || !strings.Contains(errs, "--team is required") {
		t.Errorf("without --team: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "import", "--team", "Nobody", "--db", db, filepath.Join(dir, "mail.mbox")); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("unknown team: exit %d, %q", code, errs)
	}
}

func TestGenBadUsage(t *testing.T) {
	for _, args := range [][]string{{"gen", "--people", "1", "--out", t.TempDir()}, {"gen", "--people", "5"}, {"gen", "--start", "monday", "--out", t.TempDir()}} {
		if code, _, errs := runCLI(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, %q; want 2 and a message", args, code, errs)
		}
	}
}

// anaBenDB returns a folder and a database holding the team Platform of
// Ana (Berlin) and Ben (New York).
func anaBenDB(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "cli.db")
	roster := filepath.Join(dir, "team.yaml")
	os.WriteFile(roster, []byte("team: Platform\nmembers:\n"+
		"  - {name: Ana Silva, email: ana@example.com, zone: Europe/Berlin}\n"+
		"  - {name: Ben Ode, email: ben@example.com, zone: America/New_York}\n"), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", roster, "--db", db); code != 0 {
		t.Fatalf("team import exit %d: %s", code, errs)
	}
	return dir, db
}

// writeCRLF writes text to dir/name with CRLF line ends, as calendars are.
func writeCRLF(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "\n", "\r\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportLeavesOutAnEventTooDenseToExpand: one event whose rule is too
// dense to expand does not stop the import of a calendar: the other events
// are stored, the import succeeds and says which event it left out.
func TestImportLeavesOutAnEventTooDenseToExpand(t *testing.T) {
	dir, db := anaBenDB(t)
	ics := writeCRLF(t, dir, "p.ics", `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//EN
BEGIN:VEVENT
UID:planning
DTSTART:20260302T090000Z
DURATION:PT1H
ORGANIZER:mailto:ana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ben@example.com
END:VEVENT
BEGIN:VEVENT
UID:review
DTSTART:20260303T150000Z
DURATION:PT30M
RRULE:FREQ=WEEKLY;COUNT=4
ORGANIZER:mailto:ben@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com
END:VEVENT
BEGIN:VEVENT
UID:bad2
DTSTART:20260302T000000Z
RRULE:FREQ=SECONDLY
END:VEVENT
END:VCALENDAR
`)
	code, out, errs := runCLI(t, "", "import", "--team", "Platform", "--db", db, ics)
	if code != 0 {
		t.Fatalf("import exit %d\n%s\n%s", code, out, errs)
	}
	want := "\n  warning: " + ics + `:19: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped` + "\n"
	if !strings.Contains(out, ics+": ics, ") || !strings.Contains(out, want) || strings.Count(out, "skipped") != 2 {
		t.Errorf("import said %q, want the import and, once,\n%s", out, want)
	}
	if imports, rows := storedCounts(t, db); imports != 1 || rows != 5 {
		t.Errorf("%d imports, %d interactions stored; want 1 and the 5 instances of the good events", imports, rows)
	}
}

// TestImportWarningsAreNotSkips: warnings of a calendar that left nothing
// out (an unknown zone, a broken line in an event still read) are printed
// as warnings and not counted as skipped.
func TestImportWarningsAreNotSkips(t *testing.T) {
	dir, db := anaBenDB(t)
	ics := writeCRLF(t, dir, "w.ics", `BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:zoned
DTSTART;TZID=Mars/Olympus:20260302T090000
DURATION:PT1H
ORGANIZER:mailto:ana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ben@example.com
END:VEVENT
BEGIN:VEVENT
UID:brokenline
DTSTART:20260303T150000Z
DURATION:PT30M
X-BROKEN
ORGANIZER:mailto:ben@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com
END:VEVENT
END:VCALENDAR
`)
	code, out, errs := runCLI(t, "", "import", "--team", "Platform", "--db", db, ics)
	if code != 0 {
		t.Fatalf("import exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{ics + ": ics, 2 read, 2 imported, 0 skipped\n", "\n  warning: " + ics + ":5: ", "\n  warning: " + ics + ":14: "} {
		if !strings.Contains(out, want) {
			t.Errorf("import said %q, want %q in it", out, want)
		}
	}
	if imports, rows := storedCounts(t, db); imports != 1 || rows != 2 {
		t.Errorf("%d imports, %d interactions stored; want 1 and 2", imports, rows)
	}
}
