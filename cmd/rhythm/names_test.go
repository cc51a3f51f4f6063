package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestShortNames: every place a member is named takes a first name or a
// unique prefix, and an ambiguous one lists the candidates (exit 2).
func TestShortNames(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "r.db")
	if code, _, errs := runCLI(t, "", "team", "import", "testdata/triangle.yaml", "--db", dsn); code != 0 {
		t.Fatalf("team import: %s", errs)
	}
	future := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	future2 := time.Now().AddDate(0, 0, 34).Format("2006-01-02")
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"schedule first names", []string{"schedule", "--roster", "testdata/triangle.yaml", "--with", "ana,kenji", "--duration", "30m", "--between", future, future2}, 0, "Kenji Sato"},
		{"schedule ambiguous prefix", []string{"schedule", "--roster", "testdata/triangle.yaml", "--with", "s", "--duration", "30m", "--between", future, future2}, 2, `"s" could be Ana Silva <ana@example.com>, Kenji Sato <kenji@example.com>`},
		{"decide first names", []string{"decide", "--purpose", "brainstorm", "--roster", "testdata/triangle.yaml", "--with", "ana,noah,kenji"}, 0, "Noah Miller"},
		{"decide unknown lists members", []string{"decide", "--purpose", "brainstorm", "--roster", "testdata/triangle.yaml", "--with", "ana,priya"}, 2, `"priya" is not on team Triangle (members: Ana Silva <ana@example.com>`},
		{"playbook roles by first name", []string{"playbook", "run", "one-on-one", "--roster", "testdata/triangle.yaml", "--date", future, "--role", "employee=kenji", "--role", "manager=ana"}, 0, "owner kenji@example.com"},
		{"thread by first names", []string{"thread", "create", "--db", dsn, "--team", "Triangle", "--title", "Pick", "--owner", "ana", "--with", "kenji,noah", "--in", "48h"}, 0, ""},
		{"thread waiting by prefix", []string{"thread", "waiting", "ken", "--db", dsn, "--team", "Triangle"}, 0, "Pick"},
		{"thread ambiguous", []string{"thread", "waiting", "s", "--db", dsn, "--team", "Triangle"}, 2, "could be Ana Silva"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.contains) {
				t.Fatalf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tt.code, tt.contains, out, errs)
			}
		})
	}
}
