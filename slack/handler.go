package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	ingestslack "github.com/rhythm-team/rhythm/ingest/slack"
)

// Handler serves Slack's requests: events, slash commands and
// interactions. Every request is verified before anything else is read;
// the work is done by the use cases in app, as the Slack app itself or as
// the roster member a Slack user maps to.
type Handler struct {
	cfg   Config
	app   *app.App
	api   *slackapi.Client // nil without a bot token
	http  *http.Client
	log   *slog.Logger
	users *lookups[string]   // Slack user → profile email
	convs *lookups[[]string] // direct conversation → its members
	// work runs a command's slow part after the ack; tests wait on it.
	work sync.WaitGroup
}

// NewHandler returns the Slack app's handler over the use cases.
func NewHandler(a *app.App, cfg Config) *Handler {
	h := &Handler{cfg: cfg, app: a, http: cfg.HTTPClient, log: cfg.Log, users: newLookups[string](time.Hour, 100_000),
		convs: newLookups[[]string](24*time.Hour, 10_000)}
	if h.http == nil {
		h.http = &http.Client{Timeout: 10 * time.Second}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.cfg.AckWithin <= 0 {
		h.cfg.AckWithin = 2 * time.Second
	}
	if cfg.BotToken != "" {
		opts := []slackapi.Option{slackapi.OptionHTTPClient(h.http)}
		if cfg.APIURL != "" {
			opts = append(opts, slackapi.OptionAPIURL(strings.TrimRight(cfg.APIURL, "/")+"/"))
		}
		h.api = slackapi.New(cfg.BotToken, opts...)
	}
	return h
}

// Wait returns when the work started after acks has finished.
func (h *Handler) Wait() { h.work.Wait() }

// verify checks the request, answering it when it fails.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if !h.cfg.On() {
		writeError(w, rhythm.Errorf(rhythm.EUNAUTHORIZED, "the Slack app is not configured on this server (--slack-signing-secret)"))
		return nil, false
	}
	body, err := Verify(r, h.cfg.SigningSecret)
	if err != nil {
		writeError(w, err)
		return nil, false
	}
	return body, true
}

// writeError answers a refused request with its code's status and a short
// plain message (Slack shows neither to people).
func writeError(w http.ResponseWriter, err error) {
	status := rhythm.HTTPStatus(rhythm.ErrorCode(err))
	msg := "internal error"
	if status != http.StatusInternalServerError {
		msg = rhythm.ErrorMessage(err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// envelope is the outer object of an Events API request.
type envelope struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	TeamID    string          `json:"team_id"`
	EventID   string          `json:"event_id"`
	Event     json.RawMessage `json:"event"`
}

// innerEvent is what the handler reads of an event before the use case.
type innerEvent struct {
	Type        string `json:"type"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
}

// Events serves POST /slack/events: the URL check Slack makes when the
// app is set up, and message events of the channels teams follow.
// Retries of an event store nothing new: a message is kept once by its
// channel and ts.
func (h *Handler) Events(w http.ResponseWriter, r *http.Request) {
	body, ok := h.verify(w, r)
	if !ok {
		return
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		writeError(w, rhythm.Errorf(rhythm.EINVALID, "the event is not JSON"))
		return
	}
	switch env.Type {
	case "url_verification":
		writeJSON(w, map[string]string{"challenge": env.Challenge})
		return
	case "event_callback":
	default:
		w.WriteHeader(http.StatusOK) // app_rate_limited and the like: nothing to do
		return
	}
	var ev innerEvent
	if err := json.Unmarshal(env.Event, &ev); err != nil || env.TeamID == "" {
		writeError(w, rhythm.Errorf(rhythm.EINVALID, "the event callback has no team_id or event"))
		return
	}
	if ev.Type != "message" {
		w.WriteHeader(http.StatusOK)
		return
	}
	members := func(ctx context.Context) []string { return h.members(ctx, env.TeamID, ev.Channel) }
	emails := func(ctx context.Context, also []string) map[string]string {
		return h.emailsOf(ctx, env.TeamID, env.Event, also)
	}
	res, err := h.app.RecordChatEvent(r.Context(), app.SlackApp(env.TeamID), app.ChatEvent{
		Workspace: env.TeamID, Channel: ev.Channel, ChannelType: ev.ChannelType, Event: env.Event, Emails: emails, Members: members})
	if err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			h.log.Error("slack event not stored", "event_id", env.EventID, "err", err)
		}
		writeError(w, err) // a 5xx makes Slack retry, and the retry stores it once
		return
	}
	h.log.Debug("slack event", "event_id", env.EventID, "teams", res.Teams, "stored", res.Stored, "skip", res.Skip)
	w.WriteHeader(http.StatusOK)
}

// emailsOf looks up the profile emails of the users an event names, and
// of also, where the bot token allows; people not found are named by their
// Slack ID.
func (h *Handler) emailsOf(ctx context.Context, workspace string, event []byte, also []string) map[string]string {
	if h.api == nil {
		return nil
	}
	ids, err := ingestslack.LiveUsers(event)
	if err != nil {
		return nil
	}
	for _, id := range also {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	out := map[string]string{}
	for _, id := range ids {
		if email := h.email(ctx, workspace, id); email != "" {
			out[id] = email
		}
	}
	return out
}

// email returns a Slack user's profile email (users.info, cached), or ""
// when it is not known. Requests that need the same user at once share
// one lookup.
func (h *Handler) email(ctx context.Context, workspace, user string) string {
	if h.api == nil || user == "" {
		return ""
	}
	return cachedLookup(ctx, h.users, workspace+"/"+user, func() (string, bool) { return h.lookup(ctx, user) })
}

// maxDirectMembers is the most members a direct conversation is read
// with: Slack's group DMs hold at most 9 people.
const maxDirectMembers = 16

// members returns the member IDs of a direct conversation (IM or group DM)
// from conversations.members, cached: a direct conversation's members
// never change (adding someone makes a new one). nil when unknown.
func (h *Handler) members(ctx context.Context, workspace, channel string) []string {
	if h.api == nil || channel == "" {
		return nil
	}
	return cachedLookup(ctx, h.convs, workspace+"/"+channel, func() ([]string, bool) {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		ids, _, err := h.api.GetUsersInConversationContext(ctx, &slackapi.GetUsersInConversationParameters{ChannelID: channel, Limit: maxDirectMembers + 1})
		if err != nil {
			var se slackapi.SlackErrorResponse
			if errors.As(err, &se) && (se.Err == "channel_not_found" || se.Err == "not_in_channel") {
				return nil, true
			}
			h.log.Warn("slack conversations.members failed", "channel", channel, "err", err)
			return nil, false
		}
		if len(ids) > maxDirectMembers {
			return nil, true // not a direct conversation
		}
		return ids, true
	})
}

// lookup asks users.info; found is false when the answer is unknown (the
// API failed), so the next request asks again.
func (h *Handler) lookup(ctx context.Context, user string) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	u, err := h.api.GetUserInfoContext(ctx, user)
	if err != nil {
		var se slackapi.SlackErrorResponse
		if errors.As(err, &se) && se.Err == "user_not_found" {
			return "", true
		}
		h.log.Warn("slack users.info failed", "user", user, "err", err)
		return "", false
	}
	if u.IsBot {
		return "", true
	}
	return u.Profile.Email, true
}

// lookups keeps the answers of Web API lookups for a while (a Slack
// user's email, a direct conversation's members), and which are under way.
type lookups[V any] struct {
	ttl      time.Duration
	max      int // entries kept; a bound, not a policy
	mu       sync.Mutex
	m        map[string]cached[V]
	inFlight map[string]chan struct{}
}

type cached[V any] struct {
	v     V
	until time.Time
}

func newLookups[V any](ttl time.Duration, max int) *lookups[V] {
	return &lookups[V]{ttl: ttl, max: max, m: map[string]cached[V]{}, inFlight: map[string]chan struct{}{}}
}

// get returns the cached answer; else a channel to wait on when another
// request is looking it up; else nil, and the caller must look it up and
// call done.
func (c *lookups[V]) get(key string) (v V, ok bool, wait <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok && time.Now().Before(e.until) {
		return e.v, true, nil
	}
	if ch, busy := c.inFlight[key]; busy {
		return v, false, ch
	}
	c.inFlight[key] = make(chan struct{})
	return v, false, nil
}

// done ends a lookup; found false keeps nothing new, so the next asks
// again, and returns the last answer for key, however old, or v.
func (c *lookups[V]) done(key string, v V, found bool) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.inFlight[key])
	delete(c.inFlight, key)
	if !found {
		if e, ok := c.m[key]; ok {
			return e.v
		}
		return v
	}
	if len(c.m) >= c.max {
		clear(c.m) // the next lookups refill it
	}
	c.m[key] = cached[V]{v: v, until: time.Now().Add(c.ttl)}
	return v
}

// cachedLookup returns the cached answer for key, or asks look (once
// however many requests want it at once) and caches what it finds. When
// look fails, the last answer, past its time, is better than none: a
// person is named as before, as an export names them.
func cachedLookup[V any](ctx context.Context, c *lookups[V], key string, look func() (V, bool)) V {
	for {
		v, ok, wait := c.get(key)
		if ok {
			return v
		}
		if wait == nil {
			break // this request looks it up
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return v
		}
	}
	v, found := look()
	return c.done(key, v, found)
}
