package app

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
	ingestslack "github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// ChatEvent is a message event from Slack's Events API, after the request
// was verified: where it was posted and the inner event as Slack sent it.
// Its text is read for mentions only and never kept.
type ChatEvent struct {
	Workspace   string // the callback's team_id
	Channel     string // event.channel
	ChannelType string // event.channel_type: channel, group, im, mpim
	Event       []byte // the inner "event" object
	// Emails returns the profile emails (users.info) of the Slack users
	// the event names, and of also, where known, so people are named as an
	// export of the workspace names them. It is called only for followed
	// channels; nil means none are known.
	Emails func(ctx context.Context, also []string) map[string]string
	// Members returns the member IDs of the event's conversation when it
	// is a direct one (IM or group DM), which the event does not carry:
	// an export lists them in dms.json and mpims.json, and every message
	// is addressed to them. It is called only for followed direct
	// conversations; nil means they are not known.
	Members func(ctx context.Context) []string
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
	follows, err := a.resolvers.followers(ctx, a, ev.Workspace, ev.Channel)
	if err != nil || len(follows) == 0 {
		r.Skip = "channel not followed"
		return r, err
	}
	r.Teams = len(follows)
	kind := channelKind(ev.Channel, ev.ChannelType)
	var members []string
	if (kind == ingest.DM || kind == ingest.MPIM) && ev.Members != nil {
		members = ev.Members(ctx)
	}
	var emails map[string]string
	if ev.Emails != nil {
		emails = ev.Emails(ctx, members)
	}
	for _, f := range follows {
		res, err := a.resolvers.get(ctx, a, f.TeamID)
		if err != nil {
			return r, err
		}
		in, skip, err := ingestslack.Live(ev.Event, ingestslack.Channel{ID: ev.Channel, Name: f.Channel.Name, Kind: kind, Members: members}, res, emails)
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

// SlackCaller maps the Slack user of a verified request to a roster
// member: by their profile email (when known), else by their Slack user ID
// as an alias on the roster, on the teams linked to the request's
// workspace. A team that follows channel is preferred. It returns the
// actor to run the member's use cases as, and that team. A user on no
// linked roster is ENOTFOUND; nothing of any team is returned then.
func (a *App) SlackCaller(ctx context.Context, who Actor, channel, email, userID string) (Actor, TeamOf, error) {
	if _, err := a.Authorize(ctx, who, SlackSigned, ""); err != nil {
		return Actor{}, TeamOf{}, err
	}
	ids, err := a.db.SlackTeams(ctx, who.Slack)
	if err != nil {
		return Actor{}, TeamOf{}, err
	}
	var (
		found  team.Team
		member string
	)
	for _, id := range ids {
		t, err := a.db.Team(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			return Actor{}, TeamOf{}, err
		}
		m := slackMember(&t, email, userID)
		if m == "" {
			continue
		}
		if _, follows := t.Slack.Follows(channel); follows || member == "" {
			found, member = t, m
			if follows {
				break
			}
		}
	}
	if member == "" {
		return Actor{}, TeamOf{}, rhythm.Errorf(rhythm.ENOTFOUND, "you are not on a rhythm roster linked to this Slack workspace")
	}
	actor := SlackMember(who.Slack, member)
	t, err := a.teamFor(ctx, actor, TeamMember, strconv.FormatInt(found.ID, 10))
	return actor, t, err
}

// SlackThreadCaller is SlackCaller for a button on thread threadID (a
// reminder's or a thread message's): the team is the linked team that
// holds the thread, wherever the button was pressed, so a member of
// several linked teams acts on the right one. A user on no linked roster
// is ENOTFOUND, as for SlackCaller; one who is not on the thread's team is
// EFORBIDDEN, naming the team; a thread of no linked team is EINVALID.
func (a *App) SlackThreadCaller(ctx context.Context, who Actor, threadID int64, email, userID string) (Actor, TeamOf, error) {
	if _, err := a.Authorize(ctx, who, SlackSigned, ""); err != nil {
		return Actor{}, TeamOf{}, err
	}
	ids, err := a.db.SlackTeams(ctx, who.Slack)
	if err != nil {
		return Actor{}, TeamOf{}, err
	}
	var (
		owner  *team.Team
		onAny  bool
		member string
	)
	for _, id := range ids {
		t, err := a.db.Team(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			return Actor{}, TeamOf{}, err
		}
		m := slackMember(&t, email, userID)
		onAny = onAny || m != ""
		if owner != nil {
			continue
		}
		switch _, err := a.db.Thread(ctx, t.ID, threadID); {
		case err == nil:
			owner, member = &t, m
		case rhythm.ErrorCode(err) != rhythm.ENOTFOUND:
			return Actor{}, TeamOf{}, err
		}
	}
	switch {
	case !onAny:
		return Actor{}, TeamOf{}, rhythm.Errorf(rhythm.ENOTFOUND, "you are not on a rhythm roster linked to this Slack workspace")
	case owner == nil:
		return Actor{}, TeamOf{}, rhythm.Errorf(rhythm.EINVALID, "there is no thread %d on a rhythm team linked to this Slack workspace", threadID)
	case member == "":
		return Actor{}, TeamOf{}, rhythm.Errorf(rhythm.EFORBIDDEN, "This button belongs to team %s, and you are not on its roster.", owner.Name)
	}
	actor := SlackMember(who.Slack, member)
	t, err := a.teamFor(ctx, actor, TeamMember, strconv.FormatInt(owner.ID, 10))
	return actor, t, err
}

// slackMember finds the member with the email, else with the Slack user
// ID among their aliases, and returns their roster email.
func slackMember(t *team.Team, email, userID string) string {
	for _, m := range t.Members {
		if email != "" && strings.EqualFold(m.Email, email) {
			return m.Email
		}
	}
	for _, m := range t.Members {
		for _, al := range m.Aliases {
			if userID != "" && strings.EqualFold(al, userID) {
				return m.Email
			}
		}
	}
	return ""
}

// SnoozeReminder sends who's reminder id again at the start of their next
// working morning (in their zone, hours and days) and returns that time.
func (a *App) SnoozeReminder(ctx context.Context, who Actor, teamRef string, id int64) (time.Time, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return time.Time{}, err
	}
	m, ok := t.Member(who.Email)
	if !ok {
		return time.Time{}, rhythm.Errorf(rhythm.ENOTFOUND, "no reminder %d of yours to snooze: you are not on team %q", id, t.Name)
	}
	until := NextWorkingMorning(m, a.now())
	return until, a.db.SnoozeReminder(ctx, t.ID, id, m.Email, until)
}

// NextWorkingMorning is the start of m's first working stretch after now
// (a day off or holiday skipped), or now plus a day when m works none in
// the next three weeks.
func NextWorkingMorning(m *team.Member, now time.Time) time.Time {
	for _, iv := range m.WorkingIntervals(now, now.Add(21*24*time.Hour)) {
		if iv.Start.After(now) {
			return iv.Start
		}
	}
	return now.Add(24 * time.Hour)
}

// resolverTTL is how long a team's resolver, and a channel's followers,
// serve live events: a roster or link change reaches live chat within it,
// and a burst of events reads them once.
const resolverTTL = 5 * time.Second

// resolverCache keeps teams' identity resolvers, and the teams that follow
// each channel, for a few seconds.
type resolverCache struct {
	mu      sync.Mutex
	m       map[int64]cachedResolver
	follows map[string]cachedFollowers
}

type cachedFollowers struct {
	fs    []store.SlackFollower
	until time.Time
}

// followers returns the teams that follow channel of workspace.
func (c *resolverCache) followers(ctx context.Context, a *App, workspace, channel string) ([]store.SlackFollower, error) {
	key, now := workspace+"/"+channel, time.Now()
	c.mu.Lock()
	f, ok := c.follows[key]
	c.mu.Unlock()
	if ok && now.Before(f.until) {
		return f.fs, nil
	}
	fs, err := a.db.SlackFollowers(ctx, workspace, channel)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.follows == nil || len(c.follows) > 10_000 {
		c.follows = map[string]cachedFollowers{}
	}
	c.follows[key] = cachedFollowers{fs: fs, until: now.Add(resolverTTL)}
	c.mu.Unlock()
	return fs, nil
}

type cachedResolver struct {
	res   *ingest.Resolver
	until time.Time
}

func (c *resolverCache) get(ctx context.Context, a *App, teamID int64) (*ingest.Resolver, error) {
	now := time.Now()
	c.mu.Lock()
	r, ok := c.m[teamID]
	c.mu.Unlock()
	if ok && now.Before(r.until) {
		return r.res, nil
	}
	res, err := a.db.Resolver(ctx, teamID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 10_000 {
		c.m = map[int64]cachedResolver{}
	}
	c.m[teamID] = cachedResolver{res: res, until: now.Add(resolverTTL)}
	c.mu.Unlock()
	return res, nil
}
