package main

import (
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/internal/testenv"
)

// The client secret of the flag tests: it must never reach the output.
const flagSecret = "s3cret-never-shown-0123"

// TestServeSignOnFlags: a single sign-on setting that is missing or wrong
// stops `rhythm serve` with exit 2 and one line naming it; the client
// secret is never printed.
func TestServeSignOnFlags(t *testing.T) {
	base := []string{"--oidc-issuer", "https://accounts.google.com", "--oidc-client-id", "rhythm.apps.googleusercontent.com",
		"--oidc-client-secret", flagSecret, "--public-url", "https://rhythm.example.com"}
	with := func(edit ...string) []string {
		out := append([]string(nil), base...)
		for i := 0; i+1 < len(edit); i += 2 {
			found := false
			for j := 0; j+1 < len(out); j += 2 {
				if out[j] == edit[i] {
					out[j+1], found = edit[i+1], true
				}
			}
			if !found {
				out = append(out, edit[i], edit[i+1])
			}
		}
		return out
	}
	secretFile := filepath.Join(t.TempDir(), "secret")
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"issuer alone", []string{"--oidc-issuer", "https://accounts.google.com"}, nil, "--oidc-client-id: set the client id"},
		{"no client secret", []string{"--oidc-issuer", "https://accounts.google.com", "--oidc-client-id", "x"}, nil, "--oidc-client-secret: set the client secret"},
		{"client id from the environment only", nil, map[string]string{"RHYTHM_OIDC_CLIENT_ID": "x"}, "--oidc-issuer: set the provider's issuer URL"},
		{"no public URL", with("--public-url", ""), nil, "--public-url: set the address people open rhythm at"},
		{"issuer without a scheme", with("--oidc-issuer", "accounts.google.com"), nil, `--oidc-issuer: "accounts.google.com" is not an absolute http(s) URL`},
		{"issuer over plain http", with("--oidc-issuer", "http://id.example.com"), nil, "--oidc-issuer: \"http://id.example.com\" must use https"},
		{"not a domain", with("--oidc-allowed-domains", "example.com,not a domain"), nil, "--oidc-allowed-domains: \"not a domain\" is not a domain name"},
		{"secret twice", with("--oidc-client-secret-file", secretFile), nil, "--oidc-client-secret: give the value or --oidc-client-secret-file, not both"},
		{"secret file missing", with("--oidc-client-secret", "", "--oidc-client-secret-file", secretFile), nil, "--oidc-client-secret-file:"},
		{"passwords off without single sign-on", []string{"--password-login=false"}, nil, "--password-login=false: set up single sign-on"},
		{"passwords off from the environment", nil, map[string]string{"RHYTHM_PASSWORD_LOGIN": "false"}, "--password-login=false: set up single sign-on"},
		{"password-login not a boolean", nil, map[string]string{"RHYTHM_PASSWORD_LOGIN": "sometimes"}, "RHYTHM_PASSWORD_LOGIN:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errs := runCLI(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "x.db")}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line naming %q", code, errs, tt.want)
			}
			if strings.Contains(out+errs, flagSecret) {
				t.Errorf("the client secret was printed: %s%s", out, errs)
			}
		})
	}
}

// freeAddr returns a loopback address no one listens on, for a server
// whose public URL must be known before it starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestServeSignOnAndBreakGlassCLI runs `rhythm serve` with single sign-on
// at a real provider, set through the environment, and passwords off: a
// person signs in at the provider's form, the password sign-in is
// refused, the secret is not logged, and the command line still makes an
// admin and an API token that the server takes.
func TestServeSignOnAndBreakGlassCLI(t *testing.T) {
	dsn, _ := importRoster(t, `team: Corp
members:
  - {name: Ana Tester, email: ana@corp.example, zone: Europe/Lisbon}
`)
	// The break-glass admin, made with the same environment the server gets.
	prov, err := ssotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	addr := freeAddr(t)
	public := "http://" + addr
	prov.Register(public+ssotest.CallbackPath, public+"/login")
	for k, v := range map[string]string{"RHYTHM_OIDC_ISSUER": prov.URL, "RHYTHM_OIDC_CLIENT_ID": ssotest.ClientID,
		"RHYTHM_OIDC_CLIENT_SECRET": ssotest.ClientSecret, "RHYTHM_PUBLIC_URL": public, "RHYTHM_PASSWORD_LOGIN": "false",
		"RHYTHM_OIDC_NAME": "Corp ID"} {
		t.Setenv(k, v)
	}
	if code, out, errs := runCLI(t, "a long enough password\n", "user", "add", "--admin", "root@corp.example", "--db", dsn); code != 0 {
		t.Fatalf("user add with passwords off: exit %d: %s%s", code, out, errs)
	}
	cliToken := userToken(t, dsn, "root@corp.example")

	url, logs := startServerLogs(t, "--db", dsn, "--addr", addr)
	if url != public {
		t.Fatalf("serve listens on %s, want %s", url, public)
	}
	b := ssotest.NewBrowser()
	resp, err := b.Get(url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Sign in with Corp ID") || strings.Contains(string(page), `name="password"`) {
		t.Errorf("sign-in page does not offer Corp ID alone:\n%s", page)
	}
	resp, err = b.PostForm(url+"/login", map[string][]string{"email": {"root@corp.example"}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /login with passwords off = %d, want 403", resp.StatusCode)
	}

	resp, err = b.Get(b.SignIn(t, url+"/auth/oidc/login?next=/teams", "ana"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/teams" {
		t.Errorf("single sign-on ended at %d %s, want /teams", resp.StatusCode, resp.Request.URL.Path)
	}

	// The token the command line made works on the API.
	req, _ := http.NewRequest("GET", url+"/api/v1/users", nil)
	req.Header.Set("Authorization", "Bearer "+cliToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(users), "ana@corp.example") {
		t.Errorf("GET /api/v1/users with the CLI's admin token = %d %s, want 200 listing ana", resp.StatusCode, users)
	}
	if l := logs.String(); strings.Contains(l, ssotest.ClientSecret) || !strings.Contains(l, "single_sign_on=on") ||
		!strings.Contains(l, fmt.Sprintf("issuer=%s", prov.URL)) {
		t.Errorf("the log shows the client secret or not the single sign-on settings:\n%s", l)
	}
}

// TestServeSignOnOnPostgresNeedsSecretKey: servers sharing PostgreSQL
// must open each other's sign-in cookies, so `rhythm serve` with single
// sign-on over PostgreSQL and no secret key stops with exit 2 and one line
// saying which setting is missing, before it touches the database.
func TestServeSignOnOnPostgresNeedsSecretKey(t *testing.T) {
	sso := []string{"--oidc-issuer", "https://accounts.google.com", "--oidc-client-id", "rhythm.apps.googleusercontent.com",
		"--oidc-client-secret", flagSecret, "--public-url", "https://rhythm.example.com"}
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"flags", sso, nil},
		{"environment", nil, map[string]string{"RHYTHM_OIDC_ISSUER": "https://accounts.google.com", "RHYTHM_OIDC_CLIENT_ID": "x",
			"RHYTHM_OIDC_CLIENT_SECRET": flagSecret, "RHYTHM_PUBLIC_URL": "https://rhythm.example.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dsn := testenv.PostgresDSN(t)
			t.Setenv("RHYTHM_SECRET_KEY", "")
			t.Setenv("RHYTHM_SECRET_KEY_FILE", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			t.Setenv("RHYTHM_DB", dsn)
			code, out, errs := runCLI(t, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
			const want = "--oidc-issuer with PostgreSQL needs --secret-key-file or RHYTHM_SECRET_KEY"
			if code != 2 || !strings.Contains(errs, want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line saying %q", code, errs, want)
			}
			if strings.Contains(out+errs, flagSecret) {
				t.Errorf("the client secret was printed: %s%s", out, errs)
			}
			if n := postgresTables(t, dsn); n != 0 {
				t.Errorf("the refused serve made %d tables: it opened the database before checking its settings", n)
			}
		})
	}
}

// postgresTables counts the tables in the schema dsn works in.
func postgresTables(t *testing.T, dsn string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
