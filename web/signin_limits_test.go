package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/account"
)

// signInFrom posts the sign-in form from the peer address remote, with an
// optional X-Forwarded-For header.
func signInFrom(t *testing.T, h http.Handler, remote, forwardedFor, email, password string) *httptest.ResponseRecorder {
	t.Helper()
	body := url.Values{"email": {email}, "password": {password}}.Encode()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// frozenClock stops the database's clock so backoff delays are exact; the
// returned function moves it on.
func frozenClock(f *fixture) func(time.Duration) {
	var mu sync.Mutex
	now := time.Now().Truncate(time.Second) // near the server clock, which the sign-in page also reads
	f.db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	return func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

// TestParallelWrongPasswordsAreReserved sends 50 wrong passwords for one
// account at once: each attempt is counted before its password is checked,
// so only the free attempts are checked (finding 3 of issue 16).
func TestParallelWrongPasswordsAreReserved(t *testing.T) {
	f := newSQLiteFixture(t)
	frozenClock(f)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		codes = map[int]int{}
	)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := signInFrom(t, f.srv, "203.0.113.7:4000", "", "lead@example.com", "wrong guess")
			mu.Lock()
			codes[w.Code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if want := account.AccountAddressLimit.Free; codes[http.StatusUnauthorized] != want || codes[http.StatusTooManyRequests] != 50-want {
		t.Errorf("50 parallel wrong passwords: statuses %v, want %d checked (401) and %d told to wait (429)", codes, want, 50-want)
	}
}

// TestSignInLimitsAreNotAWeapon replays the lockouts of finding 4 of issue
// 16: failures from one client behind the proxy, from one address with any
// emails, and against one account, must not keep the owner's correct
// password out.
func TestSignInLimitsAreNotAWeapon(t *testing.T) {
	const proxy = "10.0.0.2:40000"
	newServer := func(t *testing.T, trusted string) (*fixture, http.Handler, func(time.Duration)) {
		f := newSQLiteFixture(t)
		advance := frozenClock(f)
		prefixes, err := account.ParseProxies(trusted)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(Config{DB: f.db, TrustedProxies: prefixes, Logger: slog.New(slog.NewTextHandler(f.logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return f, srv, advance
	}
	t.Run("behind a trusted proxy each client has its own limits", func(t *testing.T) {
		_, srv, _ := newServer(t, "10.0.0.0/8")
		for i := range 40 {
			signInFrom(t, srv, proxy, "203.0.113.66", fmt.Sprintf("nobody%d@example.com", i), "wrong guess")
		}
		if w := signInFrom(t, srv, proxy, "198.51.100.5", "admin@example.com", "fixture password"); w.Code != http.StatusSeeOther {
			t.Errorf("admin behind the same proxy = %d, want 303: %s", w.Code, w.Body)
		}
		// The attacker's own address is slowed down.
		if w := signInFrom(t, srv, proxy, "203.0.113.66", "admin@example.com", "fixture password"); w.Code != http.StatusTooManyRequests {
			t.Errorf("attacker's address after 40 failures = %d, want 429", w.Code)
		}
	})
	t.Run("X-Forwarded-For from an untrusted peer is ignored", func(t *testing.T) {
		_, srv, _ := newServer(t, "10.0.0.0/8")
		for i := range 40 {
			signInFrom(t, srv, "203.0.113.66:1", fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("nobody%d@example.com", i), "wrong guess")
		}
		if w := signInFrom(t, srv, "203.0.113.66:1", "198.51.100.99", "nobody@example.com", "wrong guess"); w.Code != http.StatusTooManyRequests {
			t.Errorf("spoofed X-Forwarded-For escaped the address limit: %d, want 429", w.Code)
		}
	})
	t.Run("a throttled address still gets in with the right password after the wait", func(t *testing.T) {
		_, srv, advance := newServer(t, "")
		for i := range 40 {
			signInFrom(t, srv, "192.0.2.10:1", "", fmt.Sprintf("nobody%d@example.com", i), "wrong guess")
		}
		w := signInFrom(t, srv, "192.0.2.10:1", "", "admin@example.com", "fixture password")
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("right password right after 40 failures = %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
		}
		advance(account.AddressLimit.Max)
		if w := signInFrom(t, srv, "192.0.2.10:1", "", "admin@example.com", "fixture password"); w.Code != http.StatusSeeOther {
			t.Errorf("right password after the longest wait = %d, want 303: %s", w.Code, w.Body)
		}
	})
	t.Run("failures against one account do not lock it from everywhere", func(t *testing.T) {
		_, srv, _ := newServer(t, "")
		for range 12 {
			signInFrom(t, srv, "203.0.113.66:1", "", "admin@example.com", "wrong guess")
		}
		if w := signInFrom(t, srv, "198.51.100.5:1", "", "admin@example.com", "fixture password"); w.Code != http.StatusSeeOther {
			t.Errorf("owner from another address after 12 failures elsewhere = %d, want 303: %s", w.Code, w.Body)
		}
	})
}
