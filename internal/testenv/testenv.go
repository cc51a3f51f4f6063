// Package testenv finds the services tests need (PostgreSQL, Chromium) and
// skips a test with a one-line reason when one is missing. With
// RHYTHM_TEST_REQUIRE=1 (set by CI) a missing service fails the test instead.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Skip skips t with reason, or fails it when CI requires every test to run.
func Skip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("RHYTHM_TEST_REQUIRE") == "1" {
		t.Fatalf("RHYTHM_TEST_REQUIRE=1 but: %s", reason)
	}
	t.Skip(reason)
}

// PostgresDSN returns the URL of a fresh, empty schema in the database named
// by RHYTHM_TEST_POSTGRES, dropped when the test ends; it skips the test
// when the variable is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("RHYTHM_TEST_POSTGRES")
	if base == "" {
		Skip(t, "RHYTHM_TEST_POSTGRES is not set; skipping PostgreSQL tests (e.g. RHYTHM_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "rhythm_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("RHYTHM_TEST_POSTGRES: %v", err)
	}
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		t.Fatalf("RHYTHM_TEST_POSTGRES: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("RHYTHM_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Chromium returns the path of a Chromium or Chrome binary, or skips.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("RHYTHM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Skip(t, "no chromium found; skipping browser test (apt-get install chromium)")
	return ""
}
