package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestDigitTeamNameCannotShadowAnID: a team named "2" would make
// DELETE /api/v1/teams/2 ambiguous and delete the team whose id is 2.
func TestDigitTeamNameCannotShadowAnID(t *testing.T) {
	f := newSQLiteFixture(t)
	roster := "team: \"2\"\nmembers:\n  - {name: Eve, email: eve@example.com, zone: Europe/Lisbon}\n"
	w := f.request(t, "admin", "POST", "/api/v1/teams", strings.NewReader(roster), map[string]string{"Content-Type": "application/yaml"})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "digits") {
		t.Errorf("creating a team named 2: %d %s, want 400 naming the rule", w.Code, w.Body)
	}
	w = f.request(t, "admin", "PUT", "/api/v1/teams/Alpha", strings.NewReader(strings.Replace(rosterA, "team: Alpha", "team: \"17\"", 1)), map[string]string{"Content-Type": "application/yaml"})
	if w.Code != http.StatusBadRequest {
		t.Errorf("renaming a team to 17: %d %s, want 400", w.Code, w.Body)
	}
	// Whatever was attempted, the id route still names the team with that id.
	if w := f.request(t, "admin", "DELETE", "/api/v1/teams/2", nil, nil); w.Code != http.StatusNoContent && w.Code != http.StatusOK {
		t.Fatalf("DELETE /api/v1/teams/2: %d %s", w.Code, w.Body)
	}
	if _, err := f.db.Team(t.Context(), "Bravo"); err == nil {
		t.Errorf("team 2 (Bravo) survived DELETE /api/v1/teams/2")
	}
	if w := f.request(t, "admin", "GET", "/api/v1/teams/Alpha", nil, nil); w.Code != http.StatusOK {
		t.Errorf("Alpha: %d %s", w.Code, w.Body)
	}
}
