package slack

import (
	"log/slog"
	"net/http"
	"time"
)

// Config is the Slack app's settings on a server.
type Config struct {
	// SigningSecret verifies every request from Slack; empty means the
	// app is off and its endpoints refuse every request.
	SigningSecret string
	// BotToken calls the Web API (users.info, views.open, chat.postMessage).
	BotToken string
	// APIURL is the Web API base; empty means Slack's own. Tests point it
	// at a local stand-in.
	APIURL string
	// PublicURL is where people open rhythm, for links in answers.
	PublicURL string
	// HTTPClient calls the Web API and response_url; nil means a client
	// with a 10 s timeout.
	HTTPClient *http.Client
	// Log receives what went wrong after a request was acknowledged.
	Log *slog.Logger
	// AckWithin is how long a slash command may work before it answers
	// "working on it" and posts the result to response_url; 0 means 2 s
	// (Slack waits 3 s).
	AckWithin time.Duration
}

// On reports whether the Slack app is configured.
func (c Config) On() bool { return c.SigningSecret != "" }

// WithLog returns c logging to log, unless it has a logger already.
func (c Config) WithLog(log *slog.Logger) Config {
	if c.Log == nil {
		c.Log = log
	}
	return c
}
