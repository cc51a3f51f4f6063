package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/rhythm-team/rhythm/account"
)

// changePassword posts the password form as role, or with a bearer token.
func changePassword(t *testing.T, f *fixture, role, bearer, current, next string) *httptest.ResponseRecorder {
	t.Helper()
	h := map[string]string{}
	if bearer != "" {
		h["Authorization"] = "Bearer " + bearer
	}
	return f.form(t, role, "/account/password", url.Values{"current_password": {current}, "new_password": {next}, "confirm_password": {next}}, h)
}

// TestPasswordChangeGuessesAreLimited replays finding 5 of issue 16: 20
// wrong current passwords in a row, and a password change with an API
// token that answered with a browser session cookie.
func TestPasswordChangeGuessesAreLimited(t *testing.T) {
	t.Run("wrong current passwords count against the sign-in limits", func(t *testing.T) {
		f := newSQLiteFixture(t)
		advance := frozenClock(f)
		codes := map[int]int{}
		for range 20 {
			codes[changePassword(t, f, "member", "", "wrong guess", "a brand new password").Code]++
		}
		if want := account.AccountAddressLimit.Free; codes[http.StatusBadRequest] != want || codes[http.StatusTooManyRequests] != 20-want {
			t.Errorf("20 wrong current passwords: statuses %v, want %d checked and %d told to wait", codes, want, 20-want)
		}
		if w := changePassword(t, f, "member", "", "fixture password", "a brand new password"); w.Code != http.StatusTooManyRequests {
			t.Errorf("right current password during the wait = %d, want 429", w.Code)
		}
		advance(account.AccountAddressLimit.Max)
		if w := changePassword(t, f, "member", "", "fixture password", "a brand new password"); w.Code != http.StatusOK {
			t.Errorf("right current password after the wait = %d, want 200: %s", w.Code, w.Body)
		}
	})
	t.Run("an API token neither changes the password nor gets a cookie", func(t *testing.T) {
		f := newSQLiteFixture(t)
		secret, hash := account.NewSecret(tokenPrefix)
		u, _, err := f.db.UserByEmail(context.Background(), "member@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.CreateToken(context.Background(), u.ID, "script", hash); err != nil {
			t.Fatal(err)
		}
		w := changePassword(t, f, "anonymous", secret, "fixture password", "a brand new password")
		if w.Code != http.StatusForbidden {
			t.Errorf("password change with an API token = %d, want 403: %s", w.Code, w.Body)
		}
		if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("password change with an API token set cookies %q", c)
		}
		if w := signInFrom(t, f.srv, "192.0.2.1:1", "", "member@example.com", "fixture password"); w.Code != http.StatusSeeOther {
			t.Errorf("the old password no longer works (%d): the token changed it", w.Code)
		}
	})
}

// TestPasswordChangeRevokesAPITokens: a token made before a password
// change stops working with it (finding 16 of issue 16).
func TestPasswordChangeRevokesAPITokens(t *testing.T) {
	f := newSQLiteFixture(t)
	secret, hash := account.NewSecret(tokenPrefix)
	u, _, err := f.db.UserByEmail(context.Background(), "member@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateToken(context.Background(), u.ID, "script", hash); err != nil {
		t.Fatal(err)
	}
	bearer := map[string]string{"Authorization": "Bearer " + secret}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams", nil, bearer); w.Code != http.StatusOK {
		t.Fatalf("token before = %d", w.Code)
	}
	if w := changePassword(t, f, "member", "", "fixture password", "a brand new password"); w.Code != http.StatusOK {
		t.Fatalf("password change = %d", w.Code)
	}
	if w := f.request(t, "anonymous", "GET", "/api/v1/teams", nil, bearer); w.Code != http.StatusUnauthorized {
		t.Errorf("token after the password change = %d, want 401", w.Code)
	}
	tokens, _ := f.db.ListTokens(context.Background(), u.ID)
	if len(tokens) != 1 || !tokens[0].Revoked {
		t.Errorf("tokens after the password change = %+v, want the one revoked", tokens)
	}
}
