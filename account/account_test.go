package account_test

import (
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/account"
)

func TestPasswordHash(t *testing.T) {
	h, err := account.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "correct horse") || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q holds the password or is not argon2id", h)
	}
	if !account.CheckPassword(h, "correct horse battery") {
		t.Error("the right password does not match")
	}
	for _, wrong := range []string{"", "correct horse batter", "Correct horse battery"} {
		if account.CheckPassword(h, wrong) {
			t.Errorf("%q matches", wrong)
		}
	}
	h2, _ := account.HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "plain"} {
		if account.CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

func TestSecrets(t *testing.T) {
	a, ha := account.NewSecret("rhy_")
	b, _ := account.NewSecret("rhy_")
	if a == b || !strings.HasPrefix(a, "rhy_") || len(a) < 40 {
		t.Errorf("secrets %q, %q are not random and prefixed", a, b)
	}
	if account.HashSecret(a) != ha || strings.Contains(ha, a) {
		t.Error("hash does not match or holds the secret")
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"admin", "Lead", " member "} {
		if _, err := account.ParseRole(s); err != nil {
			t.Errorf("ParseRole(%q): %v", s, err)
		}
	}
	if _, err := account.ParseRole("owner"); err == nil || !strings.Contains(err.Error(), "admin, lead, member") {
		t.Errorf("ParseRole(owner) = %v, want an error listing the roles", err)
	}
}
