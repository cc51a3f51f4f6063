package slack_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
	"github.com/rhythm-team/rhythm/ingest/slack"
)

// TestLiveEqualsExport sends every message of the export fixture as a
// live event and checks that each gives exactly the interaction the export
// import gives.
func TestLiveEqualsExport(t *testing.T) {
	res := fixture.Resolver(t)
	dir := filepath.Join("testdata", "export")
	var users []struct {
		ID      string `json:"id"`
		Profile struct {
			Email string `json:"email"`
		} `json:"profile"`
	}
	readJSON(t, filepath.Join(dir, "users.json"), &users)
	emails := map[string]string{}
	for _, u := range users {
		if u.Profile.Email != "" {
			emails[u.ID] = u.Profile.Email
		}
	}
	exported := map[string]ingest.Interaction{}
	for _, in := range want(t) {
		exported[in.ID] = in
	}
	type conversation struct {
		ID, Name string
		Members  []string
	}
	seen := 0
	for _, l := range []struct {
		file string
		kind ingest.ChannelKind
	}{{"channels.json", ingest.Public}, {"groups.json", ingest.Private}, {"mpims.json", ingest.MPIM}, {"dms.json", ingest.DM}} {
		var cs []conversation
		readJSON(t, filepath.Join(dir, l.file), &cs)
		for _, c := range cs {
			folder := c.Name
			if l.kind == ingest.DM || c.Name == "" {
				folder = c.ID
			}
			days, _ := filepath.Glob(filepath.Join(dir, folder, "*.json"))
			for _, day := range days {
				var msgs []json.RawMessage
				readJSON(t, day, &msgs)
				for _, raw := range msgs {
					got, skip, err := slack.Live(raw, slack.Channel{ID: c.ID, Name: c.Name, Kind: l.kind, Members: c.Members}, res, emails)
					if err != nil {
						t.Fatal(err)
					}
					if skip != "" {
						continue
					}
					seen++
					if diff := cmp.Diff(exported[got.ID], got); diff != "" {
						t.Errorf("live %s differs from the export (-export +live):\n%s", got.ID, diff)
					}
				}
			}
		}
	}
	if seen != len(exported) {
		t.Errorf("%d live messages became interactions, the export has %d", seen, len(exported))
	}
	if _, _, err := slack.Live([]byte(`{"type":"message",`), slack.Channel{ID: "C1"}, res, nil); err == nil {
		t.Error("malformed JSON accepted")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestLiveUsers(t *testing.T) {
	for _, c := range []struct {
		name, event string
		want        []string
	}{
		{"author and mentions once each", `{"type":"message","user":"U1","text":"<@U2> and <@U3|c> and \u003c@U2\u003e"}`, []string{"U1", "U2", "U3"}},
		{"huddle people", `{"type":"message","subtype":"huddle_thread","user":"U1","room":{"created_by":"U4","participants":["U5","U1"],"participant_history":["U6"]}}`, []string{"U1", "U4", "U6", "U5"}},
		{"no user", `{"type":"message","bot_id":"B1"}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := slack.LiveUsers([]byte(c.event))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("LiveUsers (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := slack.LiveUsers([]byte(`{"type":`)); err == nil {
		t.Error("malformed JSON accepted")
	}
}
