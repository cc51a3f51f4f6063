package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestManifest(t *testing.T) {
	out, err := Manifest("https://rhythm.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command, URL string
				ShouldEscape bool `json:"should_escape"`
			} `json:"slash_commands"`
		}
		OAuth struct {
			Scopes struct{ Bot []string }
		} `json:"oauth_config"`
		Settings struct {
			Events struct {
				RequestURL string   `json:"request_url"`
				BotEvents  []string `json:"bot_events"`
			} `json:"event_subscriptions"`
			Interactivity struct {
				Enabled    bool   `json:"is_enabled"`
				RequestURL string `json:"request_url"`
			}
		}
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("the manifest is not JSON: %v\n%s", err, out)
	}
	sc := m.Features.SlashCommands
	if len(sc) != 1 || sc[0].Command != "/rhythm" || sc[0].URL != "https://rhythm.example.com/slack/commands" || !sc[0].ShouldEscape {
		t.Errorf("slash command: %+v", sc)
	}
	if m.Settings.Events.RequestURL != "https://rhythm.example.com/slack/events" || !m.Settings.Interactivity.Enabled ||
		m.Settings.Interactivity.RequestURL != "https://rhythm.example.com/slack/interactions" {
		t.Errorf("settings: %+v", m.Settings)
	}
	if diff := cmp.Diff(BotScopes, m.OAuth.Scopes.Bot); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	for _, s := range m.OAuth.Scopes.Bot {
		if strings.Contains(s, "write") && s != "chat:write" && s != "im:write" || strings.HasPrefix(s, "admin") || s == "files:read" {
			t.Errorf("scope %q is more than the app needs", s)
		}
	}
	for _, bad := range []string{"http://rhythm.example.com", "rhythm.example.com", "https://", "https://x.example.com/?a=1"} {
		if _, err := Manifest(bad); err == nil || !strings.Contains(err.Error(), "--url") {
			t.Errorf("Manifest(%q) = %v, want an error naming --url", bad, err)
		}
	}
}
