package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// sign builds a request exactly as Slack documents it: X-Slack-Request-Timestamp
// and X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)).
func sign(t testing.TB, body string, at time.Time, key string) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return r
}

func TestVerify(t *testing.T) {
	body := "token=x&team_id=T1&user_id=U1&command=%2Frhythm&text=help"
	now := time.Now()

	r := sign(t, body, now, secret)
	got, err := Verify(r, secret)
	if err != nil || string(got) != body {
		t.Fatalf("a valid request: %q, %v", got, err)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("text") != "help" {
		t.Fatalf("the body is not readable after Verify: %v %v", err, r.PostForm)
	}

	replay := sign(t, body, now, secret)
	replay.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	noHeaders := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	badPrefix := sign(t, body, now, secret)
	badPrefix.Header.Set("X-Slack-Signature", "v1="+strings.TrimPrefix(badPrefix.Header.Get("X-Slack-Signature"), "v0="))
	tampered := sign(t, body, now, secret)
	tampered.Body = httpBody(body + "&admin=1")

	cases := []struct {
		name string
		r    *http.Request
		code string
		want string
	}{
		{"wrong secret", sign(t, body, now, "another-secret"), rhythm.EUNAUTHORIZED, "signature does not match"},
		{"stale timestamp (6 minutes)", sign(t, body, now.Add(-6*time.Minute), secret), rhythm.EUNAUTHORIZED, "older than 5 minutes"},
		{"replayed body with a new timestamp", replay, rhythm.EUNAUTHORIZED, "signature does not match"},
		{"missing headers", noHeaders, rhythm.EUNAUTHORIZED, "headers are missing"},
		{"not v0", badPrefix, rhythm.EUNAUTHORIZED, "signature does not match"},
		{"body changed after signing", tampered, rhythm.EUNAUTHORIZED, "signature does not match"},
		{"oversized body", sign(t, strings.Repeat("a", MaxBody+1), now, secret), rhythm.ETOOLARGE, "larger than 256 KB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(c.r, secret)
			if rhythm.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Verify: %v (code %s), want %s saying %q", err, rhythm.ErrorCode(err), c.code, c.want)
			}
		})
	}
	if _, err := Verify(sign(t, body, now, secret), ""); rhythm.ErrorCode(err) != rhythm.EUNAVAILABLE {
		t.Fatalf("no secret configured: %v", err)
	}
}
