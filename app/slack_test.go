package app_test

import (
	"context"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
)

// TestSlackActors: a Slack user acts as a member only on the teams linked
// to their own workspace; the Slack app records only its workspace's events.
func TestSlackActors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		who  app.Actor
		team string
		want string
	}{
		{"member from the linked workspace", app.SlackMember("T0ALPHA", "member@example.com"), "Alpha", ""},
		{"member from another workspace", app.SlackMember("T0OTHER", "member@example.com"), "Alpha", rhythm.EFORBIDDEN},
		{"team not linked to Slack", app.SlackMember("T0ALPHA", "other@example.com"), "Bravo", rhythm.EFORBIDDEN},
		{"not on the roster", app.SlackMember("T0ALPHA", "stranger@example.com"), "Alpha", rhythm.EFORBIDDEN},
		{"the app itself reads no team", app.SlackApp("T0ALPHA"), "Alpha", rhythm.EFORBIDDEN},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.app.Team(ctx, c.who, c.team)
			if got := rhythm.ErrorCode(err); (err == nil) != (c.want == "") || (err != nil && got != c.want) {
				t.Errorf("Team(%s) as %+v = %v, want %q", c.team, c.who, err, c.want)
			}
		})
	}
	ev := func(ws, ch, ts string) app.ChatEvent {
		return app.ChatEvent{Workspace: ws, Channel: ch, ChannelType: "channel",
			Event: []byte(`{"type":"message","user":"U1","ts":"` + ts + `","channel":"` + ch + `","text":"SECRET-hello <@U2>"}`)}
	}
	slackApp := app.SlackApp("T0ALPHA")
	for _, c := range []struct {
		name       string
		who        app.Actor
		ev         app.ChatEvent
		stored     int
		skip, code string
	}{
		{"followed channel", slackApp, ev("T0ALPHA", "C0ALPHA", "1772442000.000100"), 1, "", ""},
		{"the same message again", slackApp, ev("T0ALPHA", "C0ALPHA", "1772442000.000100"), 0, "", ""},
		{"channel no team follows", slackApp, ev("T0ALPHA", "C0NOBODY", "1772442001.000100"), 0, "channel not followed", ""},
		{"another workspace's event", slackApp, ev("T0OTHER", "C0ALPHA", "1772442002.000100"), 0, "", rhythm.EFORBIDDEN},
		{"a bot", slackApp, app.ChatEvent{Workspace: "T0ALPHA", Channel: "C0ALPHA", Event: []byte(`{"type":"message","bot_id":"B1","user":"U1","ts":"1772442003.000100"}`)}, 0, "bot", ""},
		{"a Slack member cannot record", app.SlackMember("T0ALPHA", "member@example.com"), ev("T0ALPHA", "C0ALPHA", "1772442004.000100"), 0, "", rhythm.EFORBIDDEN},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.app.RecordChatEvent(ctx, c.who, c.ev)
			if rhythm.ErrorCode(err) != c.code && !(err == nil && c.code == "") {
				t.Fatalf("err = %v, want %q", err, c.code)
			}
			if r.Stored != c.stored || r.Skip != c.skip {
				t.Errorf("result = %+v, want %d stored, skip %q", r, c.stored, c.skip)
			}
		})
	}
}
