package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
)

// slash is a /rhythm request as Slack sends it.
type slash struct {
	Workspace, Channel, User, Text, ResponseURL, TriggerID string
}

// reply is a slash command's answer (or a response_url post).
type reply struct {
	ResponseType string `json:"response_type"` // ephemeral or in_channel
	Text         string `json:"text"`
	// ReplaceOriginal is for answers to buttons.
	ReplaceOriginal bool `json:"replace_original,omitempty"`
	// Blocks, when set, show Text with buttons.
	Blocks []slackapi.Block `json:"blocks,omitempty"`
}

func ephemeral(format string, args ...any) reply {
	return reply{ResponseType: "ephemeral", Text: fmt.Sprintf(format, args...)}
}

// Commands serves POST /slack/commands. The answer comes within
// cfg.AckWithin (Slack waits 3 s); work that takes longer is acknowledged
// with "working on it" and its answer posted to the response_url.
func (h *Handler) Commands(w http.ResponseWriter, r *http.Request) {
	body, ok := h.verify(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err == nil && form.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK) // Slack checking the certificate
		return
	}
	if err != nil || form.Get("team_id") == "" || form.Get("user_id") == "" {
		writeError(w, rhythm.Errorf(rhythm.EINVALID, "not a slash command: team_id and user_id are required"))
		return
	}
	c := slash{Workspace: form.Get("team_id"), Channel: form.Get("channel_id"), User: form.Get("user_id"),
		Text: form.Get("text"), ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id")}
	done := make(chan reply, 1)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	h.work.Add(1)
	go func() {
		defer h.work.Done()
		defer cancel()
		done <- h.command(ctx, c)
	}()
	select {
	case rep := <-done:
		writeJSON(w, rep)
	case <-time.After(h.cfg.AckWithin):
		writeJSON(w, ephemeral("Working on it…"))
		h.work.Add(1)
		go func() {
			defer h.work.Done()
			h.respond(c.ResponseURL, <-done)
		}()
	}
}

// respond posts a late answer to the command's response_url.
func (h *Handler) respond(responseURL string, rep reply) {
	u, err := url.Parse(responseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		h.log.Warn("slack command: no usable response_url; the answer is dropped")
		return
	}
	b, _ := json.Marshal(rep)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(b))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.http.Do(req)
	if err != nil {
		h.log.Warn("slack response_url post failed", "host", u.Host, "err", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		h.log.Warn("slack response_url refused the answer", "host", u.Host, "status", resp.StatusCode)
	}
}

// command runs one /rhythm request and says what to answer. Errors a
// person can act on are answered to them alone; others are logged.
func (h *Handler) command(ctx context.Context, c slash) reply {
	cmd, err := ParseCommand(c.Text)
	if err != nil {
		return ephemeral("%s", rhythm.ErrorMessage(err))
	}
	if cmd.Name == "help" {
		return ephemeral("%s", Help())
	}
	var rep reply
	if cmd.Name == "decide" {
		rep, err = h.decide(ctx, c, cmd.Text)
	} else {
		var who app.Actor
		var t app.TeamOf
		who, t, err = h.caller(ctx, c.Workspace, c.Channel, c.User)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return ephemeral("%s", unmapped)
		}
		if err == nil {
			rep, err = h.memberCommand(ctx, c, cmd, who, t)
		}
	}
	if err != nil {
		if code := rhythm.ErrorCode(err); code == rhythm.EINTERNAL || code == rhythm.EUNAVAILABLE {
			h.log.Error("slack command failed", "command", cmd.Name, "err", err)
			return ephemeral("Something went wrong on the rhythm server; try again in a minute.")
		}
		return ephemeral("%s", rhythm.ErrorMessage(err))
	}
	return rep
}

// unmapped is the answer to a Slack user who is on no linked roster.
const unmapped = "I can't find you on a rhythm team linked to this Slack workspace. " +
	"Ask your team lead to add your Slack profile email (or your Slack member ID, as an alias) to the team's roster, " +
	"and the workspace to its `slack:` field."

func (h *Handler) memberCommand(ctx context.Context, c slash, cmd Command, who app.Actor, t app.TeamOf) (reply, error) {
	switch cmd.Name {
	case "thread":
		return h.thread(ctx, c, cmd.Text, who, t)
	case "waiting":
		return h.waiting(ctx, who, t)
	case "decision":
		return h.decision(ctx, c, cmd.Text, who, t)
	case "time":
		return h.findTime(ctx, cmd.Text, who, t)
	}
	return reply{}, rhythm.Errorf(rhythm.EINVALID, "/rhythm %s: unknown command", cmd.Name)
}

// caller maps a Slack user to the roster member they are.
func (h *Handler) caller(ctx context.Context, workspace, channel, user string) (app.Actor, app.TeamOf, error) {
	return h.app.SlackCaller(ctx, app.SlackApp(workspace), channel, h.email(ctx, workspace, user), user)
}

// slackLink is the address of a conversation in Slack, for the records
// made from it.
func slackLink(workspace, channel string) string {
	if channel == "" {
		return ""
	}
	return "https://app.slack.com/client/" + url.PathEscape(workspace) + "/" + url.PathEscape(channel)
}

// pageURL is an address in rhythm, or "" without a public URL.
func (h *Handler) pageURL(path string) string {
	if h.cfg.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(h.cfg.PublicURL, "/") + path
}
