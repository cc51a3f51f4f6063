package main

import (
	"archive/zip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/audit"
)

// slackFiles is a small Slack export: two messages on 2 March in #general,
// and, when withApril is set, one more on 1 April (a later monthly export
// that overlaps the first).
func slackFiles(withApril bool) map[string]string {
	files := map[string]string{
		"users.json":              `[{"id":"U1","name":"ana","profile":{"email":"ana@example.com"}},{"id":"U2","name":"liam","profile":{"email":"liam@example.com"}}]`,
		"channels.json":           `[{"id":"C1","name":"general","members":["U1","U2"]}]`,
		"general/2026-03-02.json": `[{"type":"message","user":"U1","text":"hello","ts":"1772442000.000100"},{"type":"message","user":"U2","text":"hi","ts":"1772442600.000200","thread_ts":"1772442000.000100"}]`,
	}
	if withApril {
		files["general/2026-04-01.json"] = `[{"type":"message","user":"U2","text":"later","ts":"1775034000.000300"}]`
	}
	return files
}

// writeZip packs files into path: in the given order, under prefix,
// compressed or stored.
func writeZip(t *testing.T, path, prefix string, files map[string]string, order []string, method uint16) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range order {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestChatDeduplicatedAcrossImports: the same Slack messages in three
// differently packed zips were stored three times (same ext_id), and an
// overlapping monthly export added its overlap again. Chat is stored once
// per (source, channel, ts), and an overlapping export adds only what is
// new.
func TestChatDeduplicatedAcrossImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chat.db")
	roster := filepath.Join(dir, "team.yaml")
	os.WriteFile(roster, []byte("team: Chat\nnorms: {min_group_size: 3}\nmembers:\n  - {name: Ana, email: ana@example.com, zone: Europe/Lisbon}\n  - {name: Liam, email: liam@example.com, zone: America/St_Johns}\n  - {name: Mia, email: mia@example.com, zone: UTC}\n"), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", roster, "--db", db); code != 0 {
		t.Fatalf("team import: exit %d: %s", code, errs)
	}
	march := slackFiles(false)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range march {
			if !yield(n) {
				return
			}
		}
	})
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	zips := []string{filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip"), filepath.Join(dir, "c.zip")}
	writeZip(t, zips[0], "", march, names, zip.Deflate)
	writeZip(t, zips[1], "", march, reversed, zip.Store)
	writeZip(t, zips[2], "slack-export/", march, names, zip.Deflate)
	for _, z := range zips {
		if code, out, errs := runCLI(t, "", "import", "--team", "Chat", "--db", db, z); code != 0 {
			t.Fatalf("import %s: exit %d: %s %s", z, code, out, errs)
		}
	}
	args := []string{"audit", "--roster", roster, "--from", "2026-03-02", "--to", "2026-03-08", "--format", "json", "--out", filepath.Join(dir, "audit.json")}
	for _, z := range zips {
		args = append(args, "--slack", z)
	}
	if code, _, errs := runCLI(t, "", args...); code != 0 {
		t.Fatalf("audit: exit %d: %s", code, errs)
	}
	var rep audit.Report
	b, _ := os.ReadFile(filepath.Join(dir, "audit.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	// Messages is per person-week: two messages over three people.
	if got := rep.Current.Team.Messages; math.Abs(got-2.0/3) > 0.01 {
		t.Errorf("audit of three packings of two messages: %.2f messages per person-week, want 0.67 (2 messages, 3 people)", got)
	}
	if imports, rows := storedCounts(t, db); imports != 3 || rows != 2 {
		t.Errorf("three packings of two messages: %d imports, %d interactions stored, want 3 and 2", imports, rows)
	}
	monthly := filepath.Join(dir, "march-april.zip")
	all := slackFiles(true)
	writeZip(t, monthly, "", all, append(names, "general/2026-04-01.json"), zip.Deflate)
	code, out, errs := runCLI(t, "", "import", "--team", "Chat", "--db", db, monthly)
	if code != 0 {
		t.Fatalf("overlapping import: exit %d: %s", code, errs)
	}
	if _, rows := storedCounts(t, db); rows != 3 {
		t.Errorf("after an overlapping export: %d interactions stored, want 3", rows)
	}
	if !strings.Contains(out, "1 stored") && !strings.Contains(out, "stored 1") {
		t.Logf("overlapping import said %q", out)
	}
}
