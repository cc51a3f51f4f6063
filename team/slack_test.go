package team_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/team"
)

const slackRoster = `team: Platform
slack:
  workspace: T0123ABCD
  channels: [C0123ABCD, {id: C0456EFGH, name: platform}]
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
`

func TestRosterSlackLink(t *testing.T) {
	tm, err := team.ParseRoster("team.yaml", []byte(slackRoster))
	if err != nil {
		t.Fatal(err)
	}
	want := &team.SlackLink{Workspace: "T0123ABCD", Channels: []team.SlackChannel{{ID: "C0123ABCD"}, {ID: "C0456EFGH", Name: "platform"}}}
	if diff := cmp.Diff(want, tm.Slack); diff != "" {
		t.Errorf("slack link (-want +got):\n%s", diff)
	}
	if c, ok := tm.Slack.Follows("C0456EFGH"); !ok || c.Name != "platform" {
		t.Errorf("Follows(C0456EFGH) = %v, %v", c, ok)
	}
	if _, ok := tm.Slack.Follows("C9999"); ok {
		t.Error("follows a channel not listed")
	}
	out, err := team.MarshalRoster(tm)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "workspace: T0123ABCD") {
		t.Errorf("export has no workspace:\n%s", out)
	}
	again, err := team.ParseRoster("export.yaml", out)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	if diff := cmp.Diff(tm, again); diff != "" {
		t.Errorf("round trip changed the team (-first +second):\n%s\nexport:\n%s", diff, out)
	}
	// JSON (the API) reads the same field.
	js := `{"team":"Platform","slack":{"workspace":"T0123ABCD","channels":[{"id":"C0123ABCD"},{"id":"C0456EFGH","name":"platform"}]},"members":[{"name":"Ana Silva","email":"ana@example.com","zone":"Europe/Lisbon"}]}`
	fromJSON, err := team.ParseRosterJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tm, fromJSON); diff != "" {
		t.Errorf("JSON roster differs (-yaml +json):\n%s", diff)
	}
}

func TestRosterSlackErrors(t *testing.T) {
	const members = "members:\n  - {name: A, email: a@x.org, zone: UTC}\n"
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "team: P\nslack:\n  workspace: T0123ABCD\n  channel: [C0123ABCD]\n" + members, "team.yaml:4:"},
		{"unknown channel key", "team: P\nslack:\n  workspace: T0123ABCD\n  channels: [{id: C0123ABCD, topic: x}]\n" + members, "team.yaml:4:"},
		{"no workspace", "team: P\nslack:\n  channels: [C0123ABCD]\n" + members, `slack.workspace: "" is not a Slack workspace ID`},
		{"bad workspace", "team: P\nslack:\n  workspace: acme\n" + members, `team.yaml:3: slack.workspace: "acme" is not a Slack workspace ID`},
		{"channel name for id", "team: P\nslack:\n  workspace: T0123ABCD\n  channels: [general]\n" + members, `slack.channels[0]: "general" is not a Slack channel ID`},
		{"twice", "team: P\nslack:\n  workspace: T0123ABCD\n  channels: [C0123ABCD, C0123ABCD]\n" + members, "slack.channels[1]: channel C0123ABCD is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := team.ParseRoster("team.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
