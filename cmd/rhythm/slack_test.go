package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSlackManifestCommand(t *testing.T) {
	code, out, errs := runCLI(t, "", "slack", "manifest", "--url", "https://rhythm.example.com/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m struct {
		Settings struct {
			EventSubscriptions struct {
				RequestURL string `json:"request_url"`
			} `json:"event_subscriptions"`
			Interactivity struct {
				RequestURL string `json:"request_url"`
			} `json:"interactivity"`
		} `json:"settings"`
		Features struct {
			SlashCommands []struct {
				Command, URL string
			} `json:"slash_commands"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got := m.Settings.EventSubscriptions.RequestURL; got != "https://rhythm.example.com/slack/events" {
		t.Errorf("events URL = %q", got)
	}
	if got := m.Settings.Interactivity.RequestURL; got != "https://rhythm.example.com/slack/interactions" {
		t.Errorf("interactivity URL = %q", got)
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].URL != "https://rhythm.example.com/slack/commands" {
		t.Errorf("slash commands = %+v", m.Features.SlashCommands)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no url", []string{"slack", "manifest"}, "--url: give the https address"},
		{"http", []string{"slack", "manifest", "--url", "http://rhythm.example.com"}, "Slack calls only https URLs"},
		{"bad api url", []string{"serve", "--slack-signing-secret", "s3cret-s3cret-s3cret", "--slack-api-url", "ftp://x"}, "--slack-api-url"},
		{"token without secret", []string{"serve", "--slack-bot-token", "xoxb-1-2-3"}, "--slack-bot-token: give --slack-signing-secret too"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", c.args...)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, c.want)
			}
			if strings.Contains(errs, "xoxb-1-2-3") {
				t.Errorf("the bot token is shown: %s", errs)
			}
		})
	}
}
