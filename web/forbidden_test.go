package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestForbiddenDoesNotNameOtherTeams asks for another team by id as a
// member of Alpha: the refusal must not tell the id's team name (finding
// 16 of issue 16).
func TestForbiddenDoesNotNameOtherTeams(t *testing.T) {
	f := newSQLiteFixture(t)
	bravo := fmt.Sprint(f.teamB.ID)
	json := map[string]string{"Content-Type": "application/json"}
	for _, tt := range []struct{ name, method, path, body string }{
		{"team", "GET", "/api/v1/teams/" + bravo, ""},
		{"team page", "GET", "/teams/" + bravo, ""},
		{"roster", "PUT", "/api/v1/teams/" + bravo, `{"team":"x","members":[]}`},
		{"schedule", "POST", "/api/v1/schedule", `{"team":"` + bravo + `"}`},
		{"decide page", "GET", "/decide?purpose=general&urgency=soon&team=" + bravo, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, role := range []string{"member", "lead"} {
				w := f.request(t, role, tt.method, tt.path, strings.NewReader(tt.body), json)
				if w.Code != http.StatusForbidden {
					t.Errorf("%s: %s %s = %d, want 403", role, tt.method, tt.path, w.Code)
				}
				if strings.Contains(w.Body.String(), "Bravo") {
					t.Errorf("%s: %s %s = 403 naming Bravo: %s", role, tt.method, tt.path, firstLine(w.Body.String()))
				}
			}
		})
	}
}

func firstLine(s string) string {
	if i := strings.Index(s, "\n"); i >= 0 && i < 300 {
		return s[:i]
	}
	return s[:min(len(s), 300)]
}
