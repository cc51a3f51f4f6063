package team

import (
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tm := Team{Name: "Platform", Members: []Member{
		{Name: "Ana Silva", Email: "ana@example.com", Aliases: []string{"U01ANA"}},
		{Name: "Anabel Costa", Email: "abc@example.com"},
		{Name: "Kenji Sato", Email: "kenji@example.com"},
		{Name: "Kenneth Lee", Email: "klee@example.com"},
		{Name: "Sujan Shrestha", Email: "sujan@example.com"},
		{Name: "Priya Nair", Email: "p.nair@example.com"},
		{Name: "Priya Das", Email: "pdas@example.com"},
	}}
	tests := []struct {
		name, in, want, err string
	}{
		{"email", "kenji@example.com", "kenji@example.com", ""},
		{"email any case", " KENJI@Example.com ", "kenji@example.com", ""},
		{"alias", "u01ana", "ana@example.com", ""},
		{"full name", "kenji sato", "kenji@example.com", ""},
		{"first name", "kenji", "kenji@example.com", ""},
		{"first name beats prefix of another", "ana", "ana@example.com", ""},
		{"email local part", "klee", "klee@example.com", ""},
		{"unique prefix", "suj", "sujan@example.com", ""},
		{"unique prefix of last name", "shre", "sujan@example.com", ""},
		{"prefix of full name", "kenji s", "kenji@example.com", ""},
		{"ambiguous first name", "priya", "", `"priya" could be Priya Das <pdas@example.com>, Priya Nair <p.nair@example.com> on team Platform`},
		{"ambiguous prefix", "ken", "", `"ken" could be Kenji Sato <kenji@example.com>, Kenneth Lee <klee@example.com>`},
		{"unknown", "noah", "", `"noah" is not on team Platform (members: Ana Silva <ana@example.com>, Anabel Costa`},
		{"empty", "  ", "", "name a member of team Platform"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tm.Resolve(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Resolve(%q) error = %v, want it to contain %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.in, err)
			}
			if m.Email != tt.want {
				t.Errorf("Resolve(%q) = %s, want %s", tt.in, m.Email, tt.want)
			}
		})
	}
}

func TestResolveAll(t *testing.T) {
	tm := Team{Name: "Platform", Members: []Member{{Name: "Ana Silva", Email: "ana@example.com"}, {Name: "Kenji Sato", Email: "kenji@example.com"}}}
	ms, err := tm.ResolveAll("with", []string{"ana", "", "Ana Silva", "kenji@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Email != "ana@example.com" || ms[1].Email != "kenji@example.com" {
		t.Errorf("ResolveAll = %v, want ana then kenji once each", ms)
	}
	if _, err := tm.ResolveAll("with", []string{"ana", "zed"}); err == nil || !strings.HasPrefix(err.Error(), `with: "zed" is not on team Platform`) {
		t.Errorf("ResolveAll unknown: %v", err)
	}
}
