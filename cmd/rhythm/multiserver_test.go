package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rhythm-team/rhythm/store/storetest"
)

// browser is a client that keeps no cookie jar and follows no redirects,
// so a test can carry one session cookie from server to server.
var browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func send(t *testing.T, method, target, cookie, bearer string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "rhythm_session", Value: cookie})
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func sessionCookie(res *http.Response) string {
	for _, c := range res.Cookies() {
		if c.Name == "rhythm_session" && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// TestThreeServersShareState runs three servers over one PostgreSQL
// database and checks that nothing a user does depends on which server
// answers: first-run setup, sessions, sign-out, sign-in limits, API tokens
// and team writes.
func TestThreeServersShareState(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	servers := []string{startServer(t, "--db", dsn), startServer(t, "--db", dsn), startServer(t, "--db", dsn)}
	const password = "the admin's long password"
	var adminEmail string // the admin the first-run race made

	t.Run("first-run setup races make one admin", func(t *testing.T) {
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			won []string
		)
		for i, base := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				email := fmt.Sprintf("admin%d@example.com", i)
				res := send(t, "POST", base+"/setup", "", "", url.Values{"email": {email}, "password": {password}})
				if res.StatusCode == http.StatusSeeOther && sessionCookie(res) != "" {
					mu.Lock()
					won = append(won, email)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(won) != 1 {
			t.Fatalf("setup succeeded for %v, want exactly one", won)
		}
		adminEmail = won[0]
	})
	if adminEmail == "" {
		t.FailNow()
	}

	var cookie string
	t.Run("a session made on one server works on the others", func(t *testing.T) {
		res := send(t, "POST", servers[0]+"/login", "", "", url.Values{"email": {adminEmail}, "password": {password}})
		if cookie = sessionCookie(res); res.StatusCode != http.StatusSeeOther || cookie == "" {
			t.Fatalf("sign in on server 0 = %d, cookie %q", res.StatusCode, cookie)
		}
		for i, base := range servers {
			if res := send(t, "GET", base+"/account", cookie, "", nil); res.StatusCode != 200 {
				t.Errorf("server %d: /account with server 0's session = %d", i, res.StatusCode)
			}
		}
	})

	t.Run("an API token made on one server works on the others until revoked on a third", func(t *testing.T) {
		req, _ := http.NewRequest("POST", servers[0]+"/api/v1/tokens", strings.NewReader(`{"name":"multi"}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "rhythm_session", Value: cookie})
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var tok struct {
			Token  struct{ ID int64 } `json:"token"`
			Secret string             `json:"secret"`
		}
		if err := json.Unmarshal(b, &tok); err != nil || tok.Secret == "" {
			t.Fatalf("create token = %d %s", res.StatusCode, b)
		}
		if res := send(t, "GET", servers[1]+"/api/v1/teams", "", tok.Secret, nil); res.StatusCode != 200 {
			t.Errorf("token on server 1 = %d", res.StatusCode)
		}
		if res := send(t, "DELETE", fmt.Sprintf("%s/api/v1/tokens/%d", servers[2], tok.Token.ID), "", tok.Secret, nil); res.StatusCode >= 300 {
			t.Errorf("revoke on server 2 = %d", res.StatusCode)
		}
		if res := send(t, "GET", servers[0]+"/api/v1/teams", "", tok.Secret, nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("revoked token on server 0 = %d, want 401", res.StatusCode)
		}
	})

	t.Run("team writes on one server are read on the others", func(t *testing.T) {
		tok := adminToken(t, dsn)
		for i, base := range servers {
			req, _ := http.NewRequest("POST", base+"/api/v1/rosters", strings.NewReader(fmt.Sprintf("team: Shared\nmembers:\n  - {name: P%d, email: p%d@example.com, zone: UTC}\n", i, i)))
			req.Header.Set("Content-Type", "application/yaml")
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := browser.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 300 {
				t.Fatalf("roster on server %d = %d", i, res.StatusCode)
			}
			for j, other := range servers {
				req, _ := http.NewRequest("GET", other+"/api/v1/teams/Shared/members", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := browser.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if want := fmt.Sprintf("p%d@example.com", i); !strings.Contains(string(b), want) {
					t.Errorf("server %d does not see server %d's roster: %s", j, i, b)
				}
			}
		}
	})

	t.Run("sign-in limits count failures on every server", func(t *testing.T) {
		for i := range 8 {
			res := send(t, "POST", servers[i%3]+"/login", "", "", url.Values{"email": {adminEmail}, "password": {"wrong password"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d on server %d = %d, want 401", i, i%3, res.StatusCode)
			}
		}
		for i, base := range servers {
			res := send(t, "POST", base+"/login", "", "", url.Values{"email": {adminEmail}, "password": {password}})
			if res.StatusCode != http.StatusTooManyRequests {
				t.Errorf("server %d after 8 failures spread over three servers = %d, want 429", i, res.StatusCode)
			}
		}
	})

	t.Run("signing out on one server ends the session on all", func(t *testing.T) {
		if res := send(t, "POST", servers[2]+"/logout", cookie, "", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout on server 2 = %d", res.StatusCode)
		}
		for i, base := range servers {
			res := send(t, "GET", base+"/account", cookie, "", nil)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("server %d: /account after sign-out = %d %s, want a redirect to sign in", i, res.StatusCode, res.Header.Get("Location"))
			}
		}
	})
}
