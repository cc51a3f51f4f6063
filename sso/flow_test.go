package sso_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/internal/ssotest"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// app is the smallest rhythm that signs in with sso: GET /login begins,
// the callback finishes, resolves the user and makes a session, the way the
// web server will.
type app struct {
	rp     *sso.RP
	policy sso.Policy
	db     *store.DB
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/login":
		to, err := a.rp.Begin(w, r, r.URL.Query().Get("next"))
		if err != nil {
			writeError(w, err)
			return
		}
		http.Redirect(w, r, to, http.StatusFound)
	case callbackPath:
		login, err := a.rp.Finish(w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		u, err := sso.Resolve(r.Context(), a.policy, login.Claims, a.db)
		if err != nil {
			writeError(w, err)
			return
		}
		secretValue, hash := account.NewSecret("s_")
		if err := a.db.CreateSession(r.Context(), hash, u.ID, time.Now().Add(time.Hour)); err != nil {
			writeError(w, err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "rhythm_session", Value: secretValue, Path: "/", HttpOnly: true})
		json.NewEncoder(w).Encode(map[string]any{"user": u, "next": login.Next, "claims": login.Claims})
	default:
		http.NotFound(w, r)
	}
}

func writeError(w http.ResponseWriter, err error) {
	status := map[string]int{rhythm.EINVALID: 400, rhythm.EUNAUTHORIZED: 401, rhythm.EFORBIDDEN: 403, rhythm.EUNAVAILABLE: 503}[rhythm.ErrorCode(err)]
	if status == 0 {
		status = 500
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Test-Cause", strings.ReplaceAll(err.Error(), "\n", " ")) // the detail a log would get
	if secs, ok := sso.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": rhythm.ErrorCode(err), "message": rhythm.ErrorMessage(err)}})
}

// env is one rhythm server with a fresh database, signing in at the
// shared test provider.
type env struct {
	prov *ssotest.Provider
	app  *app
	url  string
	key  []byte
}

var shared struct {
	prov *ssotest.Provider
	// rhythm's test servers need one callback URL registered at the
	// provider: one listener, its handler set per test.
	front   *httptest.Server
	mu      sync.Mutex
	handler http.Handler
}

func setHandler(h http.Handler) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.handler = h
}

func TestMain(m *testing.M) {
	// The example provider logs every request; the tests read results instead.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	prov, err := ssotest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared.prov = prov
	shared.front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		shared.mu.Lock()
		h := shared.handler
		shared.mu.Unlock()
		if h == nil {
			http.Error(w, "no test is running", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	prov.Register(shared.front.URL + callbackPath)
	code := m.Run()
	shared.front.Close()
	prov.Close()
	os.Exit(code)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	if shared.prov == nil {
		t.Fatal("TestMain did not start the provider")
	}
	shared.prov.Set(nil, nil)
	key := make([]byte, secret.KeySize)
	copy(key, "a test key of thirty-two bytes!!")
	e := &env{prov: shared.prov, url: shared.front.URL, key: key}
	e.app = e.newApp(t, storetest.SQLite(t))
	setHandler(e.app)
	t.Cleanup(func() { setHandler(nil) })
	return e
}

func (e *env) newApp(t *testing.T, db *store.DB) *app {
	t.Helper()
	ctx := context.Background()
	tm, err := team.ParseRoster("team.yaml", []byte(`team: Core
members:
  - {name: Ana, email: ana@corp.example, zone: Europe/Lisbon}
  - {name: Boss, email: boss@corp.example, zone: Europe/Lisbon}
  - {name: Max, email: max@corp.example, zone: Europe/Lisbon}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, account.User{Email: "root@corp.example", Name: "Root", Role: account.Admin}, "hash"); err != nil {
		t.Fatal(err)
	}
	rp, policy := e.newRP(t)
	return &app{rp: rp, policy: policy, db: db}
}

// newRP returns a relying party as one rhythm server makes it; servers made
// with one env share the secret key, like servers behind a load balancer.
func (e *env) newRP(t *testing.T, opts ...sso.Option) (*sso.RP, sso.Policy) {
	t.Helper()
	box, err := secret.New(e.key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sso.Config{
		Issuer: e.prov.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		RedirectURL: e.url + callbackPath, AllowedDomains: []string{"partner.example"},
		AdminGroup: adminGroup, ProviderName: "Test ID",
	}
	rp, err := sso.New(cfg, box, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return rp, cfg.Policy()
}

// result is what rhythm's callback answered.
type result struct {
	status     int
	cause      string
	retryAfter string
	body       struct {
		User   account.User
		Next   string
		Claims sso.Claims
		Error  struct{ Code, Message string }
	}
}

func (e *env) get(t *testing.T, c *http.Client, rawURL string, cookies ...*http.Cookie) result {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r result
	r.status, r.cause, r.retryAfter = resp.StatusCode, resp.Header.Get("X-Test-Cause"), resp.Header.Get("Retry-After")
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &r.body); err != nil {
		t.Fatalf("GET %s: %d %s", rawURL, resp.StatusCode, data)
	}
	return r
}

// counts returns how many users and sessions rhythm has.
func (e *env) counts(t *testing.T) (users, sessions int) {
	t.Helper()
	return countRows(t, e.app.db)
}

func countRows(t *testing.T, db *store.DB) (users, sessions int) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&users); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT COUNT(*) FROM sessions").Scan(&sessions)
	})
	if err != nil {
		t.Fatal(err)
	}
	return users, sessions
}

func TestSignInAtARealProvider(t *testing.T) {
	tests := []struct {
		username string
		want     account.Role
		groups   []string
	}{
		{"ana", account.Member, []string{"staff"}},             // on a roster
		{"boss", account.Admin, []string{"staff", adminGroup}}, // in the admin group
		{"pat", account.Member, nil},                           // allowed domain, on no roster
	}
	for _, tt := range tests {
		t.Run(tt.username, func(t *testing.T) {
			e := newEnv(t)
			b := newBrowser(t)
			r := e.get(t, b.Client, b.signInAtProvider(t, e.url, tt.username))
			if r.status != http.StatusOK {
				t.Fatalf("callback: %d %+v (%s)", r.status, r.body.Error, r.cause)
			}
			p := personNamed(tt.username)
			if r.body.User.Email != p.Email || r.body.User.Role != tt.want || r.body.User.ID == 0 {
				t.Errorf("signed in as %+v, want %s as %s", r.body.User, p.Email, tt.want)
			}
			wantClaims := sso.Claims{Issuer: e.prov.URL, Subject: "id-" + tt.username, Email: p.Email, EmailVerified: true,
				Name: strings.ToUpper(tt.username[:1]) + tt.username[1:] + " Tester", Groups: tt.groups}
			if got := r.body.Claims; got.Issuer != wantClaims.Issuer || got.Subject != wantClaims.Subject || got.Email != wantClaims.Email ||
				!got.EmailVerified || got.Name != wantClaims.Name || strings.Join(got.Groups, ",") != strings.Join(wantClaims.Groups, ",") {
				t.Errorf("claims = %+v, want %+v", got, wantClaims)
			}
			if r.body.Next != "/teams" {
				t.Errorf("next = %q, want /teams", r.body.Next)
			}
			if _, sessions := e.counts(t); sessions != 1 {
				t.Errorf("%d sessions, want 1", sessions)
			}
			if len(b.Jar.Cookies(mustURL(e.url))) == 0 {
				t.Errorf("no session cookie")
			}
			if c := b.flowCookies(e.url); len(c) != 0 {
				t.Errorf("the sign-in cookie outlived the sign-in: %v", c)
			}
			// The second sign-in finds the user by subject and makes no new one.
			users, _ := e.counts(t)
			r = e.get(t, b.Client, b.signInAtProvider(t, e.url, tt.username))
			if r.status != http.StatusOK || r.body.User.Role != tt.want {
				t.Fatalf("second sign-in: %d %+v", r.status, r.body)
			}
			if again, _ := e.counts(t); again != users {
				t.Errorf("second sign-in: %d users, want %d", again, users)
			}
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
