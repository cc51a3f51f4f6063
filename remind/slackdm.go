package remind

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
)

// SlackDM sends reminders as direct messages from the rhythm Slack app's
// bot (chat.postMessage with the bot token), with buttons to answer,
// acknowledge or snooze. Members are found by their roster email
// (users.lookupByEmail, cached).
type SlackDM struct {
	client *slackapi.Client

	mu    sync.Mutex
	users map[string]string // email → Slack user ID
}

// NewSlackDM returns a sender for the bot token. apiURL is the Web API base
// ("" for Slack's own, https://slack.com/api/); tests point it at a local
// stand-in. hc nil means a client with a 15 s timeout.
func NewSlackDM(token, apiURL string, hc *http.Client) *SlackDM {
	if hc == nil {
		hc = defaultClient
	}
	opts := []slackapi.Option{slackapi.OptionHTTPClient(hc)}
	if apiURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(strings.TrimRight(apiURL, "/")+"/"))
	}
	return &SlackDM{client: slackapi.New(token, opts...), users: map[string]string{}}
}

// Channel implements Sender.
func (s *SlackDM) Channel() string { return "slack_dm" }

// Send implements Sender.
func (s *SlackDM) Send(ctx context.Context, m Message) error {
	user, err := s.user(ctx, m.Member)
	if err != nil {
		return err
	}
	_, _, err = s.client.PostMessageContext(ctx, user,
		slackapi.MsgOptionText(m.Text, false),
		slackapi.MsgOptionBlocks(reminderBlocks(m)...),
	)
	return slackError("chat.postMessage", err)
}

// user finds the Slack user of a roster email.
func (s *SlackDM) user(ctx context.Context, email string) (string, error) {
	key := strings.ToLower(email)
	s.mu.Lock()
	id, ok := s.users[key]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	u, err := s.client.GetUserByEmailContext(ctx, email)
	if err != nil {
		return "", slackError("users.lookupByEmail", err)
	}
	s.mu.Lock()
	s.users[key] = u.ID
	s.mu.Unlock()
	return u.ID, nil
}

// Action IDs of the reminder buttons; the interactivity endpoint reads them.
const (
	ActionAnswer      = "rhythm_answer"
	ActionAcknowledge = "rhythm_ack"
	ActionSnooze      = "rhythm_snooze"
)

func reminderBlocks(m Message) []slackapi.Block {
	text := slackapi.NewTextBlockObject(slackapi.MarkdownType, escapeMrkdwn(m.Text), false, false)
	value := strconv.FormatInt(m.ThreadID, 10)
	answer := slackapi.NewButtonBlockElement(ActionAnswer, value, slackapi.NewTextBlockObject(slackapi.PlainTextType, "Answer", false, false))
	answer.Style = slackapi.StylePrimary
	if m.URL != "" {
		answer.URL = m.URL
	}
	ack := slackapi.NewButtonBlockElement(ActionAcknowledge, value, slackapi.NewTextBlockObject(slackapi.PlainTextType, "Acknowledge", false, false))
	snooze := slackapi.NewButtonBlockElement(ActionSnooze, value, slackapi.NewTextBlockObject(slackapi.PlainTextType, "Snooze to my next working morning", false, false))
	return []slackapi.Block{
		slackapi.NewSectionBlock(text, nil, nil),
		slackapi.NewActionBlock("rhythm_reminder_"+strconv.FormatInt(m.ID, 10), answer, ack, snooze),
	}
}

// escapeMrkdwn escapes the three characters Slack treats as control
// characters in message text.
func escapeMrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// RetryAfterError asks the worker to wait at least Wait before the next
// attempt, as a server's 429 Retry-After said.
type RetryAfterError struct {
	Wait time.Duration
	Err  error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.Wait)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// slackError turns the Web API's answers into errors the worker can act on:
// 429 → wait as told; ok:false with a reason → that reason.
func slackError(method string, err error) error {
	if err == nil {
		return nil
	}
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return &RetryAfterError{Wait: rl.RetryAfter, Err: fmt.Errorf("slack %s: rate limited", method)}
	}
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "users_not_found":
			return rhythm.Errorf(rhythm.ENOTFOUND, "slack %s: no Slack user has this member's email", method)
		case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
			return rhythm.Errorf(rhythm.EUNAUTHORIZED, "slack %s: the bot token was refused (%s)", method, se.Err)
		}
		return fmt.Errorf("slack %s: %s", method, se.Err)
	}
	return fmt.Errorf("slack %s: %w", method, err)
}
