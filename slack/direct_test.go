package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	ingestslack "github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// The direct conversations the team follows: a DM of Ana and Kenji and a
// group DM of Ana, Priya and a guest.
const (
	dmID      = "D0ANAKENJI"
	mpimID    = "G0ANAPRIYA"
	mpimName  = "mpdm-ana--priya--guest-1"
	directDir = "testdata/direct-export"
)

var directMembers = map[string][]string{
	dmID:   {"U0ANA", "U0KENJI"},
	mpimID: {"U0ANA", "U0PRIYA", "U0GUEST"},
}

// directRoster is the team's roster following #platform and the two
// direct conversations, by ID, as a roster lists them.
var directRoster = strings.Replace(teamRoster,
	"channels: [{id: "+channelID+", name: "+channelName+"}]",
	"channels: [{id: "+channelID+", name: "+channelName+"}, "+dmID+", {id: "+mpimID+", name: "+mpimName+"}]", 1)

// directEvent is the Events API body of a message in a direct
// conversation (channel_type im or mpim), as Slack sends it.
func directEvent(id, channel, typ, user, ts, threadTS string) string {
	ev := map[string]any{"type": "message", "channel": channel, "channel_type": typ, "user": user, "ts": ts, "text": "SECRET-direct", "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	b, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": workspace, "api_app_id": "A0RHYTHM", "type": "event_callback",
		"event_id": id, "event_time": 1772431200, "event": ev})
	return string(b)
}

// TestLiveDirectConversationsNameTheirMembers sends the messages of the
// export in testdata/direct-export (Slack's documented export format:
// dms.json and mpims.json list each direct conversation's members) as
// live events of followed direct conversations: every message names the
// conversation's other members as recipients, exactly as the export
// does, so replies in DMs and group DMs count for response times. conversations.members
// is asked once per conversation.
func TestLiveDirectConversationsNameTheirMembers(t *testing.T) {
	ctx := context.Background()
	live := newEnvRoster(t, storetest.SQLite(t), slack.Config{}, directRoster)
	live.api.extra["conversations.members"] = func(w http.ResponseWriter, r *http.Request) {
		members, ok := directMembers[r.Form.Get("channel")]
		if !ok {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "channel_not_found"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "members": members, "response_metadata": map[string]any{"next_cursor": ""}})
	}
	type msg struct {
		dir, channel, typ string
		m                 map[string]any
	}
	var msgs []msg
	for _, c := range []struct{ dir, channel, typ string }{{dmID, dmID, "im"}, {mpimName, mpimID, "mpim"}} {
		files, err := filepath.Glob(filepath.Join(directDir, c.dir, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no day files (%v)", c.dir, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var day []map[string]any
			if err := json.Unmarshal(b, &day); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, m := range day {
				msgs = append(msgs, msg{c.dir, c.channel, c.typ, m})
			}
		}
	}
	for i, m := range msgs {
		str := func(k string) string { s, _ := m.m[k].(string); return s }
		body := directEvent(fmt.Sprintf("EvD%d", i), m.channel, m.typ, str("user"), str("ts"), str("thread_ts"))
		if w := serve(live.h.Events, signed(t, slack.PathEvents, jsonType, body, time.Now())); w.Code != 200 {
			t.Fatalf("event %d = %d %s", i, w.Code, w.Body)
		}
	}
	got := interactions(t, live.db, live.team.ID)
	if len(got) != len(msgs) {
		t.Fatalf("%d interactions from %d events", len(got), len(msgs))
	}
	for _, in := range got {
		if len(in.Participants) == 0 {
			t.Errorf("%s (%s): no recipients", in.ID, in.ChannelKind)
		}
	}

	// The export of the same conversations, into a database with the same
	// pseudonym key, gives the same interactions.
	other := storetest.SQLite(t)
	key, err := live.db.PseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.SQL().Exec("UPDATE settings SET value = ? WHERE key = ?", string(key), store.PseudonymKeySetting); err != nil {
		t.Fatal(err)
	}
	exported := newEnvRoster(t, other, slack.Config{}, directRoster)
	res, err := other.Resolver(ctx, exported.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ingestslack.Open(directDir, res, ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := other.ImportInteractions(ctx, exported.team.ID, store.ImportMeta{Name: "export", Format: "slack", Hash: "export"}, x.Import); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(interactions(t, other, exported.team.ID), got); diff != "" {
		t.Errorf("live direct messages differ from the export's (-export +live):\n%s", diff)
	}
	// The replies are response times, the same from both.
	cfg := audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 3, Day: 2}, To: team.Date{Year: 2026, Month: 3, Day: 31}}}
	_, ra, err := live.app.AuditStored(ctx, app.System(""), "Platform", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, rb, err := exported.app.AuditStored(ctx, app.System(""), "Platform", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Kenji answers Ana in the DM, once unthreaded and once in a thread;
	// in the group DM Priya answers the guest and Ana answers Priya.
	if n := ra.Report.Current.Team.Replies; n != 4 {
		t.Errorf("%d first replies from the direct messages, want 4 (2 in the DM, 2 in the group DM): %+v", n, ra.Report.Current.Team)
	}
	if diff := cmp.Diff(rb.Report, ra.Report); diff != "" {
		t.Errorf("audit of live direct messages differs from the export's (-export +live):\n%s", diff)
	}
	if n := live.api.count("conversations.members"); n != len(directMembers) {
		t.Errorf("conversations.members asked %d times for %d conversations", n, len(directMembers))
	}
}
