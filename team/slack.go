package team

import (
	"fmt"
	"strings"
)

// SlackLink names the Slack workspace a team talks in and the channels
// whose messages count as the team's chat. Events from other channels are
// dropped; slash commands from the workspace act on the team.
type SlackLink struct {
	// Workspace is the Slack team ID, e.g. T0123ABCD.
	Workspace string `json:"workspace"`
	// Channels are the followed channels.
	Channels []SlackChannel `json:"channels,omitempty"`
}

// SlackChannel is one followed channel: its ID and, optionally, the name
// an export of the workspace gives it (so live messages and a later export
// name the channel alike).
type SlackChannel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// RosterSlack is the file form of SlackLink:
//
//	slack:
//	  workspace: T0123ABCD
//	  channels: [C0123ABCD, {id: C0456EFGH, name: platform}]
type RosterSlack struct {
	Workspace string               `yaml:"workspace" json:"workspace"`
	Channels  []RosterSlackChannel `yaml:"channels,omitempty,flow" json:"channels,omitempty"`
}

// RosterSlackChannel is a channel ID, alone or with its name.
type RosterSlackChannel struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// UnmarshalYAML reads a bare ID or {id, name}.
func (c *RosterSlackChannel) UnmarshalYAML(unmarshal func(any) error) error {
	var id string
	if err := unmarshal(&id); err == nil {
		*c = RosterSlackChannel{ID: id}
		return nil
	}
	type plain RosterSlackChannel
	var p plain
	if err := unmarshal(&p); err != nil {
		return err
	}
	*c = RosterSlackChannel(p)
	return nil
}

// slackID reports whether s is a Slack ID starting with one of first:
// an upper-case letter, then 2 to 20 upper-case letters or digits.
func slackID(s, first string) bool {
	if len(s) < 3 || len(s) > 21 || !strings.ContainsRune(first, rune(s[0])) {
		return false
	}
	for _, c := range s[1:] {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// link checks the roster's slack field; field names the part at fault.
func (r *RosterSlack) link() (SlackLink, string, error) {
	l := SlackLink{Workspace: strings.TrimSpace(r.Workspace)}
	if !slackID(l.Workspace, "TE") {
		return l, "workspace", fmt.Errorf("%q is not a Slack workspace ID such as T0123ABCD (Slack: workspace settings, or the team_id of any request)", r.Workspace)
	}
	seen := map[string]bool{}
	for i, c := range r.Channels {
		id := strings.TrimSpace(c.ID)
		if !slackID(id, "CGD") {
			return l, fmt.Sprintf("channels[%d]", i), fmt.Errorf("%q is not a Slack channel ID such as C0123ABCD (the channel's details show it)", c.ID)
		}
		if seen[id] {
			return l, fmt.Sprintf("channels[%d]", i), fmt.Errorf("channel %s is listed twice", id)
		}
		seen[id] = true
		name := strings.TrimPrefix(strings.TrimSpace(c.Name), "#")
		if len(name) > 80 || strings.ContainsAny(name, " \t\n\x00") {
			return l, fmt.Sprintf("channels[%d].name", i), fmt.Errorf("%q is not a Slack channel name", c.Name)
		}
		l.Channels = append(l.Channels, SlackChannel{ID: id, Name: name})
	}
	return l, "", nil
}

// rosterSlack is the file form of a link.
func rosterSlack(l *SlackLink) *RosterSlack {
	if l == nil {
		return nil
	}
	r := &RosterSlack{Workspace: l.Workspace}
	for _, c := range l.Channels {
		r.Channels = append(r.Channels, RosterSlackChannel(c))
	}
	return r
}

// Follows reports whether the link follows the channel, and its name.
func (l *SlackLink) Follows(channel string) (SlackChannel, bool) {
	if l == nil {
		return SlackChannel{}, false
	}
	for _, c := range l.Channels {
		if c.ID == channel {
			return c, true
		}
	}
	return SlackChannel{}, false
}

// MarshalYAML writes a bare ID when the channel has no name.
func (c RosterSlackChannel) MarshalYAML() (any, error) {
	if c.Name == "" {
		return c.ID, nil
	}
	return struct {
		ID   string `yaml:"id"`
		Name string `yaml:"name"`
	}{c.ID, c.Name}, nil
}
