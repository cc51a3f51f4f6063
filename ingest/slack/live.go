package slack

import (
	"fmt"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/rhythm-team/rhythm/ingest"
)

// Channel is the conversation a live message belongs to, as the app knows
// it from the team's Slack link: its ID, the name an export would use, its
// kind, and for direct conversations the members.
type Channel struct {
	ID      string
	Name    string
	Kind    ingest.ChannelKind
	Members []string
}

// Live reads the inner "event" object of an Events API message callback
// into the interaction an export of the same message gives (same ID,
// thread, reply link, mentions and recipients), so that a live message and
// a later export of it count once. The text is only scanned for mentions;
// nothing of it is kept. emails maps Slack user IDs to their profile
// emails where known (users.info); skip says why an event is not an
// interaction (a bot, an edit, a join).
func Live(event []byte, ch Channel, res *ingest.Resolver, emails map[string]string) (in ingest.Interaction, skip string, err error) {
	var m message
	if err := json.Unmarshal(event, &m); err != nil {
		return in, "", fmt.Errorf("slack event: malformed JSON: %v", err)
	}
	r := &reader{e: &Export{res: res}, users: map[string]ingest.Participant{}, bots: map[string]bool{}}
	for id, email := range emails {
		r.users[id] = person(res, email, id)
	}
	c := &conv{id: ch.ID, channel: ch.Name, kind: ch.Kind, members: ch.Members}
	if c.channel == "" || ch.Kind == ingest.DM || ch.Kind == ingest.MPIM {
		c.channel = ch.ID // as the export names direct conversations
	}
	in, skip = r.interaction(c, &m)
	return in, skip, nil
}

// LiveUsers returns the Slack user IDs a live message event names: its
// author and the people it mentions (and a huddle's people), the users
// whose profile emails Live needs to name them as an export would.
func LiveUsers(event []byte) ([]string, error) {
	var m message
	if err := json.Unmarshal(event, &m); err != nil {
		return nil, fmt.Errorf("slack event: malformed JSON: %v", err)
	}
	var out []string
	add := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	add(m.User)
	add(m.Text...)
	if m.Room != nil {
		add(m.Room.CreatedBy)
		add(m.Room.ParticipantHistory...)
		add(m.Room.Participants...)
	}
	return out, nil
}
