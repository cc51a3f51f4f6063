package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTeamShowListsAliasesAndDates: team show prints what the roster says
// of each member, aliases and dates included, not only zone and hours.
func TestTeamShowListsAliasesAndDates(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	roster := `team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30", start: 2026-01-05, leave: 2026-09-30, holidays: [ES, 2026-12-24]}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00", aliases: [U024BE7LH, kenji@old.example]}
  - {name: Sujan Shrestha, email: sujan@example.com, zone: Asia/Kathmandu, holidays: [2026-10-20, 2026-10-21]}
`
	if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(roster), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "", "team", "import", filepath.Join(dir, "team.yaml"), "--db", db); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	code, out, errs := runCLI(t, "", "team", "show", "Platform", "--db", db)
	if code != 0 {
		t.Fatalf("show: %d %s", code, errs)
	}
	var got []string
	for _, l := range strings.Split(out, "\n")[3:] {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			got = append(got, l)
		}
	}
	want := []string{
		"NAME EMAIL ZONE HOURS DAYS ALIASES DATES",
		"Ana Silva ana@example.com Europe/Lisbon 09:00-17:30 mon-fri - from 2026-01-05, until 2026-09-30, holidays ES + 2026-12-24",
		"Kenji Sato kenji@example.com Asia/Tokyo 10:00-18:00 mon-fri U024BE7LH, kenji@old.example -",
		"Sujan Shrestha sujan@example.com Asia/Kathmandu 09:00-17:00 mon-fri - holidays 2 dates",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("team show (-want +got):\n%s", diff)
	}
}
