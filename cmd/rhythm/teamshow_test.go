package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
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

// TestUnknownNamesAreBadInput: a user or team named on the command
// line that does not exist is bad input, exit 2 with one line.
func TestUnknownNamesAreBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/odd-zones.yaml", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"user", "token", "nobody@example.com", "--db", db},
		{"team", "show", "Nobody", "--db", db},
		{"team", "export", "Nobody", "--db", db},
	} {
		code, _, errs := runCLI(t, "", args...)
		if code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("rhythm %s: exit %d, stderr %q; want exit 2 and one line", strings.Join(args, " "), code, errs)
		}
	}
}

// TestUserRevokeToken: a token made with user token stops working when
// user revoke names it, by name or id, and user tokens shows it revoked.
func TestUserRevokeToken(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, errs := runCLI(t, "longpassword1\n", "user", "add", "--admin", "ana@example.com", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	code, secret, errs := runCLI(t, "", "user", "token", "ana@example.com", "--name", "ci", "--db", db)
	if code != 0 {
		t.Fatal(errs)
	}
	secret = strings.TrimSpace(secret)
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.TokenUser(ctx, account.HashSecret(secret)); err != nil {
		t.Fatalf("the new token does not work: %v", err)
	}
	if code, _, errs := runCLI(t, "", "user", "revoke", "ana@example.com", "nope", "--db", db); code != 2 || !strings.Contains(errs, `no active token "nope"`) {
		t.Errorf("revoking an unknown token: exit %d, %q", code, errs)
	}
	if code, out, errs := runCLI(t, "", "user", "revoke", "ana@example.com", "ci", "--db", db); code != 0 || !strings.Contains(out, "revoked token") {
		t.Fatalf("revoke: exit %d %s %s", code, out, errs)
	}
	if _, err := st.TokenUser(ctx, account.HashSecret(secret)); err == nil {
		t.Errorf("the revoked token still works")
	}
	_, out, _ := runCLI(t, "", "user", "tokens", "ana@example.com", "--db", db, "--tz", "Asia/Tokyo")
	if !strings.Contains(out, "revoked") || !strings.Contains(out, "CREATED (Asia/Tokyo)") {
		t.Errorf("user tokens does not show the token revoked, with times in --tz:\n%s", out)
	}
}
