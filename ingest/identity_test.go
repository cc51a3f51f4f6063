package ingest_test

import (
	"regexp"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
)

func TestResolve(t *testing.T) {
	r := fixture.Resolver(t)
	anon := regexp.MustCompile(`^anon-[0-9a-f]{12}$`)
	tests := []struct {
		name string
		ids  []string
		want string // member email, or "anon" for a pseudonym
	}{
		{"email", []string{"ana@example.com"}, "ana@example.com"},
		{"email in other case with mailto", []string{"MAILTO:Ana@Example.COM"}, "ana@example.com"},
		{"slack user id alias", []string{"", "U024BE7LH"}, "kenji@example.com"},
		{"secondary address alias", []string{"liam.obrien@home.example"}, "liam@example.com"},
		{"name", []string{"Priya Raman"}, "priya@example.com"},
		{"first match wins", []string{"nobody@else.example", "U024BE7LH"}, "kenji@example.com"},
		{"stranger", []string{"stranger@else.example"}, "anon"},
		{"unknown slack id", []string{"U999"}, "anon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Resolve(tt.ids...)
			if tt.want == "anon" {
				if !anon.MatchString(got.ID) || got.Member {
					t.Errorf("Resolve(%q) = %+v, want a pseudonym", tt.ids, got)
				}
				return
			}
			if got != (ingest.Participant{ID: tt.want, Member: true}) {
				t.Errorf("Resolve(%q) = %+v, want member %s", tt.ids, got, tt.want)
			}
		})
	}
}

func TestPseudonymIsKeyedAndStable(t *testing.T) {
	a, _ := ingest.NewResolver(nil, fixture.Key)
	b, _ := ingest.NewResolver(nil, []byte("another-key-0123456789abcdef"))
	p := a.Pseudonym("Stranger@Else.example")
	if got := a.Pseudonym(" stranger@else.example "); got != p {
		t.Errorf("pseudonym differs by case or space: %s vs %s", got, p)
	}
	if got := b.Pseudonym("stranger@else.example"); got == p {
		t.Errorf("two keys give the same pseudonym %s", got)
	}
	if _, err := ingest.NewResolver(nil, []byte("short")); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}
