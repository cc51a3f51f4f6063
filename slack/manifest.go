package slack

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// The endpoints Slack calls, below the public URL.
const (
	PathCommands     = "/slack/commands"
	PathInteractions = "/slack/interactions"
	PathEvents       = "/slack/events"
)

// BotScopes are the scopes the app asks for, and no more: the slash command,
// posting answers and reminders, direct messages, mapping Slack users to
// roster members by their profile email, message metadata in the channels
// and direct conversations the app is added to, and the members of those
// direct conversations (their recipients).
var BotScopes = []string{
	"commands",
	"chat:write",
	"im:write",
	"users:read",
	"users:read.email",
	"channels:history",
	"groups:history",
	"im:history",
	"mpim:history",
	"im:read",
	"mpim:read",
}

// BotEvents are the events the app subscribes to: messages (and replies) in
// public and private channels and direct conversations it is a member of.
// Only their metadata is kept, and only of conversations a team follows.
var BotEvents = []string{"message.channels", "message.groups", "message.im", "message.mpim"}

// Manifest returns the app manifest for a rhythm server reachable at
// publicURL, as JSON for Slack's "Create an app → From a manifest".
func Manifest(publicURL string) ([]byte, error) {
	u, err := url.Parse(strings.TrimRight(publicURL, "/"))
	if err != nil || u.Host == "" || u.Scheme != "https" || u.RawQuery != "" || u.Fragment != "" {
		return nil, rhythm.Errorf(rhythm.EINVALID, "--url: %q is not the https address of the rhythm server (Slack calls only https URLs), e.g. https://rhythm.example.com", publicURL)
	}
	base := u.String()
	m := map[string]any{
		"_metadata": map[string]any{"major_version": 1, "minor_version": 1},
		"display_information": map[string]any{
			"name":             "rhythm",
			"description":      "Decide async or sync, run threads and decisions, and find fair meeting times across time zones.",
			"background_color": "#1f3a5f",
		},
		"features": map[string]any{
			"bot_user": map[string]any{"display_name": "rhythm", "always_online": false},
			"slash_commands": []any{map[string]any{
				"command":       "/rhythm",
				"url":           base + PathCommands,
				"description":   "Decide, open threads, record decisions, find a time",
				"usage_hint":    "decide | thread <title> @people due 2d | waiting | decision <what> because <why> | time @people 30m | help",
				"should_escape": true,
			}},
		},
		"oauth_config": map[string]any{"scopes": map[string]any{"bot": BotScopes}},
		"settings": map[string]any{
			"event_subscriptions":    map[string]any{"request_url": base + PathEvents, "bot_events": BotEvents},
			"interactivity":          map[string]any{"is_enabled": true, "request_url": base + PathInteractions},
			"org_deploy_enabled":     false,
			"socket_mode_enabled":    false,
			"token_rotation_enabled": false,
		},
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
