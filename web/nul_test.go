package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/store/storetest"
)

// TestNULBytesRefused: PostgreSQL cannot store a NUL byte, so one in a
// thread title, team name, path or query answered 500 there (and a
// NUL-titled thread stored on SQLite broke copying to PostgreSQL). Every
// way in refuses it with 400 on both databases, and nothing is stored.
func TestNULBytesRefused(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			f := newFixture(t, storetest.OpenDSN(t, d.DSN(t)))
			json := map[string]string{"Content-Type": "application/json"}
			form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			cases := []struct {
				name, method, target, body string
				header                     map[string]string
			}{
				{"thread title", "POST", "/api/v1/teams/Alpha/threads", `{"title":"plan\u0000b","owner":"lead@example.com","participants":["ana@example.com"]}`, json},
				{"thread title raw byte", "POST", "/api/v1/teams/Alpha/threads", "{\"title\":\"plan\x00b\",\"owner\":\"lead@example.com\"}", json},
				{"team name", "POST", "/api/v1/teams", `{"team":"Gam\u0000ma","members":[{"name":"E","email":"e@example.com","zone":"UTC"}]}`, json},
				{"team name yaml", "POST", "/api/v1/teams", "team: \"Gam\\0ma\"\nmembers:\n  - {name: E, email: e@example.com, zone: UTC}\n", map[string]string{"Content-Type": "application/yaml"}},
				{"path", "GET", "/api/v1/teams/Al%00pha", "", nil},
				{"query", "GET", "/api/v1/teams/Alpha/decisions?q=a%00b", "", nil},
				{"page query", "GET", "/teams/Alpha/decisions?q=%00", "", nil},
				{"form field", "POST", "/teams/Alpha/threads", url.Values{"title": {"t\x00"}, "owner": {"lead@example.com"}, "participants": {"ana@example.com"}}.Encode(), form},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					w := f.request(t, "admin", c.method, c.target, strings.NewReader(c.body), c.header)
					if w.Code != http.StatusBadRequest {
						t.Errorf("%s %s: %d %.300s, want 400", c.method, c.target, w.Code, w.Body)
					}
				})
			}
			var threads, teams int
			f.db.SQL().QueryRow("SELECT COUNT(*) FROM threads").Scan(&threads)
			f.db.SQL().QueryRow("SELECT COUNT(*) FROM teams").Scan(&teams)
			if threads != 0 || teams != 2 {
				t.Errorf("stored %d threads and %d teams, want 0 and 2", threads, teams)
			}
		})
	}
}
