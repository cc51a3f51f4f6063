package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// allowed is the access table: may this role pass this access check, for
// the team in the path (team Alpha, which "lead" leads and "member" is on)?
func allowed(a access, role string) bool {
	switch a {
	case public, unguarded:
		return true
	case signedIn:
		return role != "anonymous"
	case teamMember:
		return role == "member" || role == "lead" || role == "admin"
	case teamLead:
		return role == "lead" || role == "admin"
	case adminOnly:
		return role == "admin"
	case slackSigned:
		return false // no session or token stands in for Slack's signature
	}
	panic("unknown access")
}

// TestAuthorizationTable sends every registered route as every role and
// checks who gets through.
func TestAuthorizationTable(t *testing.T) {
	probe := newSQLiteFixture(t)
	if len(probe.srv.routeList) < 20 {
		t.Fatalf("only %d routes registered", len(probe.srv.routeList))
	}
	for _, role := range roles {
		// A fresh fixture per role: admins may delete what others need.
		f := newSQLiteFixture(t)
		routes := slices.Clone(f.srv.routeList)
		// Signing out ends the session the other requests use: do it last.
		slices.SortStableFunc(routes, func(a, b route) int {
			return cmp.Compare(boolInt(a.pattern == "POST /logout"), boolInt(b.pattern == "POST /logout"))
		})
		for _, rt := range routes {
			method, path, ok := strings.Cut(rt.pattern, " ")
			if !ok {
				method, path = "GET", rt.pattern
			}
			path = strings.NewReplacer("{team}", fmt.Sprint(f.teamA.ID), "{member}", fmt.Sprint(f.teamA.Members[0].ID),
				"{id}", "999999", "{name}", "no-such-playbook", "{$}", "").Replace(path)
			if strings.HasSuffix(path, "/") && path != "/" {
				path += "anything"
			}
			t.Run(role+" "+rt.pattern, func(t *testing.T) {
				w := f.request(t, role, method, path, strings.NewReader(""), nil)
				got := w.Code
				loc := w.Header().Get("Location")
				denied := got == http.StatusUnauthorized || got == http.StatusForbidden || strings.HasPrefix(loc, "/login?next=")
				if got >= 500 {
					t.Errorf("%s %s as %s = %d: %s", method, path, role, got, w.Body)
				}
				if rt.access == public || rt.access == unguarded {
					return // public routes may refuse bad credentials themselves
				}
				want := allowed(rt.access, role)
				if want && denied {
					t.Errorf("%s %s as %s = %d %s, want it let through", method, path, role, got, loc)
				}
				if !want && !denied {
					t.Errorf("%s %s as %s = %d, want 401/403 or a sign-in redirect", method, path, role, got)
				}
				if !want && strings.HasPrefix(path, "/api/") {
					wantCode := http.StatusForbidden
					if role == "anonymous" {
						wantCode = http.StatusUnauthorized
					}
					var e apiError
					if got != wantCode || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Message == "" {
						t.Errorf("API denial = %d %s, want %d with the JSON error shape", got, w.Body, wantCode)
					}
				}
			})
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestMemberCannotReadOtherTeamOrChangeRoster(t *testing.T) {
	f := newSQLiteFixture(t)
	other := fmt.Sprint(f.teamB.ID)
	mine := fmt.Sprint(f.teamA.ID)
	checks := []struct {
		name, method, path, body string
		want                     int
	}{
		{"read other team", "GET", "/api/v1/teams/" + other, "", 403},
		{"read other team by name", "GET", "/api/v1/teams/Bravo", "", 403},
		{"other team page", "GET", "/teams/" + other, "", 403},
		{"replace own roster", "PUT", "/api/v1/teams/" + mine, `{"team":"Alpha","members":[{"name":"X","email":"x@x.org","zone":"UTC"}]}`, 403},
		{"add member to own team", "POST", "/api/v1/teams/" + mine + "/members", `{"name":"X","email":"x@x.org","zone":"UTC"}`, 403},
		{"roster editor", "GET", "/teams/" + mine + "/roster", "", 403},
		{"read own team", "GET", "/api/v1/teams/" + mine, "", 200},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			w := f.request(t, "member", c.method, c.path, strings.NewReader(c.body), map[string]string{"Content-Type": "application/json"})
			if w.Code != c.want {
				t.Errorf("%s %s = %d, want %d: %s", c.method, c.path, w.Code, c.want, w.Body)
			}
		})
	}
	w := f.request(t, "member", "GET", "/api/v1/teams", nil, nil)
	if strings.Contains(w.Body.String(), "Bravo") || !strings.Contains(w.Body.String(), "Alpha") {
		t.Errorf("member's team list = %s, want Alpha only", w.Body)
	}
	tm, _ := f.db.Team(context.Background(), mine)
	if len(tm.Members) != 3 {
		t.Errorf("roster changed: %d members", len(tm.Members))
	}
}

func TestForgedCrossOriginPostIsRefused(t *testing.T) {
	f := newSQLiteFixture(t)
	target := fmt.Sprintf("/teams/%d/roster", f.teamA.ID)
	evil := url.Values{"yaml": {"team: Alpha\nmembers:\n  - {name: Evil, email: evil@example.com, zone: UTC}\n"}}
	for name, h := range map[string]map[string]string{
		"sec-fetch-site cross-site": {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		"origin only":               {"Origin": "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			w := f.form(t, "lead", target, evil, h)
			if w.Code != http.StatusForbidden {
				t.Errorf("forged POST = %d, want 403", w.Code)
			}
		})
	}
	tm, _ := f.db.Team(context.Background(), "Alpha")
	if len(tm.Members) != 3 {
		t.Errorf("forged POST changed the roster: %+v", tm.Members)
	}
	// The same form from the same origin goes through.
	w := f.form(t, "lead", target, evil, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"})
	if w.Code != http.StatusSeeOther {
		t.Errorf("same-origin POST = %d %s, want 303", w.Code, w.Body)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	f := newSQLiteFixture(t)
	for _, tt := range []struct {
		name   string
		header map[string]string
		secure bool
		cookie string
	}{
		{"plain http", nil, false, sessionCookie},
		{"behind a TLS proxy", map[string]string{"X-Forwarded-Proto": "https"}, true, "__Host-" + sessionCookie},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := f.form(t, "anonymous", "/login", url.Values{"email": {"lead@example.com"}, "password": {"fixture password"}}, tt.header)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("login = %d %s", w.Code, w.Body)
			}
			var c *http.Cookie
			for _, k := range w.Result().Cookies() {
				if k.Name == tt.cookie {
					c = k
				}
			}
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure || c.Path != "/" {
				t.Errorf("cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q; want HttpOnly, Lax, Secure=%v, /", c.HttpOnly, c.SameSite, c.Secure, c.Path, tt.secure)
			}
		})
	}
}

func TestPasswordsAndSecretsNeverStoredOrLoggedInClear(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "secrets.db")
	db := storetest.OpenDSN(t, dbPath)
	f := newFixture(t, db)
	const pw = "Plain-Text-Password-4711"
	// A user set up through the pages, signed in, with an API token.
	w := f.form(t, "admin", "/admin/users", url.Values{"email": {"new@example.com"}, "password": {pw}, "role": {"member"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("add user = %d %s", w.Code, w.Body)
	}
	w = f.form(t, "anonymous", "/login", url.Values{"email": {"new@example.com"}, "password": {pw}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("login = %d", w.Code)
	}
	cookie := w.Result().Cookies()[0].Value
	f.form(t, "anonymous", "/login", url.Values{"email": {"new@example.com"}, "password": {pw + "-wrong"}}, nil)
	w = f.request(t, "admin", "POST", "/api/v1/tokens", strings.NewReader(`{"name":"ci"}`), map[string]string{"Content-Type": "application/json"})
	var tok struct{ Secret string }
	json.Unmarshal(w.Body.Bytes(), &tok)
	if !strings.HasPrefix(tok.Secret, "rhy_") {
		t.Fatalf("token = %s", w.Body)
	}
	db.Close()
	var stored []byte
	for _, p := range []string{dbPath, dbPath + "-wal"} {
		b, _ := os.ReadFile(p)
		stored = append(stored, b...)
	}
	for name, secret := range map[string]string{"password": pw, "session cookie": cookie, "API token": tok.Secret} {
		if strings.Contains(string(stored), secret) {
			t.Errorf("the database holds the %s in clear", name)
		}
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("the log holds the %s in clear", name)
		}
	}
	if len(stored) == 0 {
		t.Fatal("read nothing of the database")
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newSQLiteFixture(t)
	for i := range account.AccountAddressLimit.Free {
		w := f.form(t, "anonymous", "/login", url.Values{"email": {"lead@example.com"}, "password": {"wrong"}}, nil)
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, w.Code)
		}
	}
	w := f.form(t, "anonymous", "/login", url.Values{"email": {"lead@example.com"}, "password": {"fixture password"}}, nil)
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "too many failed sign-ins") {
		t.Errorf("after %d failures the right password = %d, want 429", account.AccountAddressLimit.Free, w.Code)
	}
	// Another account from the same address is not locked yet.
	w = f.form(t, "anonymous", "/login", url.Values{"email": {"admin@example.com"}, "password": {"fixture password"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Errorf("other account = %d, want 303", w.Code)
	}
}

func TestAPITokens(t *testing.T) {
	f := newSQLiteFixture(t)
	w := f.request(t, "member", "POST", "/api/v1/tokens", strings.NewReader(`{"name":"script"}`), map[string]string{"Content-Type": "application/json"})
	var created struct {
		Token  account.Token `json:"token"`
		Secret string        `json:"secret"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil || w.Code != 201 {
		t.Fatalf("create = %d %s", w.Code, w.Body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + created.Secret}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams/Alpha", nil, bearer); w.Code != 200 {
		t.Errorf("with token = %d, want 200", w.Code)
	}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams/Bravo", nil, bearer); w.Code != 403 {
		t.Errorf("token of a member on another team = %d, want 403", w.Code)
	}
	if w := f.request(t, "member", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.Token.ID), nil, nil); w.Code != 204 {
		t.Fatalf("revoke = %d", w.Code)
	}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams/Alpha", nil, bearer); w.Code != 401 {
		t.Errorf("revoked token = %d, want 401", w.Code)
	}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams", nil, map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}); w.Code != 401 {
		t.Errorf("basic auth = %d, want 401", w.Code)
	}
}

func TestMalformedRosterUploadShowsLineAndChangesNothing(t *testing.T) {
	f := newSQLiteFixture(t)
	before, _ := f.db.Team(context.Background(), "Alpha")
	bad := "team: Alpha\nmembers:\n  - {name: Mia Member, email: member@example.com, zone: Asia/Kathmandu}\n  - {name: B, email: b@example.com, zone: Europe/Pariss}\n"
	w := f.upload(t, "lead", fmt.Sprintf("/teams/%d/roster", f.teamA.ID), "file", "team.yaml", bad)
	if w.Code != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{`team.yaml:4: members[1].zone: unknown time zone &#34;Europe/Pariss&#34;`, "see line 4", "Europe/Pariss"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	after, _ := f.db.Team(context.Background(), "Alpha")
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("failed upload changed the team")
	}
}

func TestFirstRunSetup(t *testing.T) {
	db := storetest.SQLite(t)
	srv, err := New(Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, srv: srv, cookies: map[string]string{}}
	if w := f.request(t, "anonymous", "GET", "/", nil, nil); w.Header().Get("Location") != "/setup" {
		t.Errorf("/ on a new server redirects to %q, want /setup", w.Header().Get("Location"))
	}
	w := f.form(t, "anonymous", "/setup", url.Values{"email": {"first@example.com"}, "password": {"short"}}, nil)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "at least 10 characters") {
		t.Errorf("weak password = %d", w.Code)
	}
	w = f.form(t, "anonymous", "/setup", url.Values{"email": {"first@example.com"}, "password": {"long enough password"}}, nil)
	if w.Code != http.StatusSeeOther || len(w.Result().Cookies()) == 0 {
		t.Fatalf("setup = %d", w.Code)
	}
	// A second setup is refused once an admin exists.
	w = f.form(t, "anonymous", "/setup", url.Values{"email": {"second@example.com"}, "password": {"long enough password"}}, nil)
	if w.Code != http.StatusConflict {
		t.Errorf("second setup = %d, want 409", w.Code)
	}
	users, _ := db.ListUsers(context.Background())
	if len(users) != 1 || users[0].Role != account.Admin {
		t.Errorf("users = %+v, want one admin", users)
	}
}

func TestDemoOneClickSignIn(t *testing.T) {
	db := storetest.SQLite(t)
	hash, _ := account.HashPassword("demo password 123")
	if _, err := db.CreateUser(context.Background(), account.User{Email: "admin@demo.example", Name: "Demo", Role: account.Admin}, hash); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{DB: db, Demo: &DemoLogin{Email: "admin@demo.example", Password: "demo password 123"}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, srv: srv, cookies: map[string]string{}}
	page := f.request(t, "anonymous", "GET", "/login", nil, nil)
	if !strings.Contains(page.Body.String(), `id="demo-signin"`) {
		t.Error("the demo sign-in button is missing")
	}
	w := f.form(t, "anonymous", "/login/demo", url.Values{}, nil)
	if w.Code != http.StatusSeeOther || len(w.Result().Cookies()) == 0 {
		t.Errorf("demo sign-in = %d, want 303 with a session", w.Code)
	}
	// Without demo mode there is no such button or route.
	plain := newSQLiteFixture(t)
	if w := plain.form(t, "anonymous", "/login/demo", url.Values{}, nil); w.Code != http.StatusNotFound {
		t.Errorf("demo sign-in on a normal server = %d, want 404", w.Code)
	}
}
