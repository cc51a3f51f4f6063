// Package slack is rhythm's Slack app surface: request verification, the
// app manifest, and reading what people type after /rhythm. It parses and
// renders; the use cases live below it.
package slack

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
)

// MaxBody bounds a request body from Slack. Slash commands and events are a
// few kilobytes; modal submissions stay well under this.
const MaxBody = 256 << 10

// Verify reads the body of a request that claims to come from Slack and
// checks its v0 signature (HMAC-SHA256 of "v0:{timestamp}:{body}" under the
// signing secret, compared in constant time) and that its timestamp is
// within five minutes. It returns the body for the handler to parse. Any
// failure is EUNAUTHORIZED (or ETOOLARGE) and the request must change
// nothing.
func Verify(r *http.Request, signingSecret string) ([]byte, error) {
	if signingSecret == "" {
		return nil, rhythm.Errorf(rhythm.EUNAVAILABLE, "the Slack app is not configured (--slack-signing-secret)")
	}
	sv, err := slackapi.NewSecretsVerifier(r.Header, signingSecret)
	if err != nil {
		return nil, verifyError(err)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "the request body could not be read")
	}
	if len(body) > MaxBody {
		return nil, rhythm.Errorf(rhythm.ETOOLARGE, "the request body is larger than %d KB", MaxBody>>10)
	}
	if _, err := sv.Write(body); err != nil {
		return nil, verifyError(err)
	}
	if err := sv.Ensure(); err != nil {
		return nil, verifyError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// verifyError says why a request was refused, without echoing what it sent.
func verifyError(err error) error {
	switch {
	case errors.Is(err, slackapi.ErrMissingHeaders):
		return rhythm.Errorf(rhythm.EUNAUTHORIZED, "not a Slack request: the signature headers are missing")
	case errors.Is(err, slackapi.ErrExpiredTimestamp):
		return rhythm.Errorf(rhythm.EUNAUTHORIZED, "the Slack request is older than 5 minutes")
	default:
		return rhythm.Errorf(rhythm.EUNAUTHORIZED, "the Slack request signature does not match")
	}
}
