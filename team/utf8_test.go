package team

import (
	"errors"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm"
)

// TestRosterRefusesInvalidUTF8: a roster saved as Latin-1 was stored with
// U+FFFD in place of its accents; now it is refused at its line (finding
// 16 of issue 16).
func TestRosterRefusesInvalidUTF8(t *testing.T) {
	latin1 := "team: Alpha\nmembers:\n  - {name: Jos\xe9 Silva, email: jose@example.com, zone: Europe/Lisbon}\n"
	_, err := ParseRoster("team.yaml", []byte(latin1))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Line != 3 || !strings.HasPrefix(err.Error(), "team.yaml:3: ") || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("Latin-1 roster: %v, want team.yaml:3 naming UTF-8", err)
	}
	if rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("code = %q, want invalid", rhythm.ErrorCode(err))
	}
	_, err = ParseRosterJSON([]byte(`{"team":"Alpha","members":[{"name":"Jos` + "\xe9" + `","email":"j@example.com","zone":"UTC"}]}`))
	if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(rhythm.ErrorMessage(err), "UTF-8") {
		t.Errorf("Latin-1 JSON roster: %v, want a UTF-8 error", err)
	}
}
