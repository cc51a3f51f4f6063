package app

import (
	"context"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
	ingestslack "github.com/rhythm-team/rhythm/ingest/slack"
)

// ChatEvent is a message event from Slack's Events API, after the request
// was verified: where it was posted and the inner event as Slack sent it.
// Its text is read for mentions only and never kept.
type ChatEvent struct {
	Workspace   string // the callback's team_id
	Channel     string // event.channel
	ChannelType string // event.channel_type: channel, group, im, mpim
	Event       []byte // the inner "event" object
	// Emails maps the Slack user IDs the event names to their profile
	// emails where known (users.info), so people are named as an export
	// of the workspace names them.
	Emails map[string]string
}

// ChatEventResult says what became of an event.
type ChatEventResult struct {
	Teams  int    // teams that follow the channel
	Stored int    // interactions stored (0 for a repeat delivery)
	Skip   string // why the event is no interaction, if it is none
}

// RecordChatEvent stores a live Slack message as an interaction of every
// team that follows its channel, once however often Slack delivers it
// (and once with a later export of the same message). Events from
// channels no team follows are dropped. Only the Slack app may record.
func (a *App) RecordChatEvent(ctx context.Context, who Actor, ev ChatEvent) (ChatEventResult, error) {
	var r ChatEventResult
	if _, err := a.Authorize(ctx, who, SlackSigned, ""); err != nil {
		return r, err
	}
	if ev.Workspace != who.Slack {
		return r, rhythm.Errorf(rhythm.EFORBIDDEN, "the event is for another Slack workspace than the request")
	}
	follows, err := a.db.SlackFollowers(ctx, ev.Workspace, ev.Channel)
	if err != nil || len(follows) == 0 {
		r.Skip = "channel not followed"
		return r, err
	}
	r.Teams = len(follows)
	for _, f := range follows {
		res, err := a.db.Resolver(ctx, f.TeamID)
		if err != nil {
			return r, err
		}
		in, skip, err := ingestslack.Live(ev.Event, ingestslack.Channel{ID: ev.Channel, Name: f.Channel.Name, Kind: channelKind(ev.Channel, ev.ChannelType)}, res, ev.Emails)
		if err != nil {
			return r, rhythm.Errorf(rhythm.EINVALID, "%v", err)
		}
		if skip != "" {
			r.Skip = skip
			return r, nil
		}
		stored, err := a.db.RecordLiveChat(ctx, f.TeamID, in)
		if err != nil {
			return r, err
		}
		if stored {
			r.Stored++
		}
	}
	return r, nil
}

// channelKind reads the event's channel_type, or the ID's first letter.
func channelKind(id, typ string) ingest.ChannelKind {
	switch typ {
	case "channel":
		return ingest.Public
	case "group":
		return ingest.Private
	case "im":
		return ingest.DM
	case "mpim":
		return ingest.MPIM
	}
	switch {
	case len(id) > 0 && id[0] == 'G':
		return ingest.Private
	case len(id) > 0 && id[0] == 'D':
		return ingest.DM
	}
	return ingest.Public
}
