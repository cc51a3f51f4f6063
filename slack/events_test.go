package slack_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

const jsonType = "application/json"

func serve(h http.HandlerFunc, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h(w, r)
	return w
}

func interactions(t testing.TB, db *store.DB, teamID int64) []ingest.Interaction {
	t.Helper()
	var out []ingest.Interaction
	if err := db.Interactions(context.Background(), teamID, time.Time{}, time.Time{}, func(in ingest.Interaction) error {
		out = append(out, in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestURLVerification(t *testing.T) {
	e := newEnv(t, slack.Config{})
	body := `{"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	w := serve(e.h.Events, signed(t, slack.PathEvents, jsonType, body, time.Now()))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"`) {
		t.Errorf("url_verification = %d %s", w.Code, w.Body)
	}
}

// TestRefusedRequestsChangeNothing sends requests that fail verification
// to every endpoint: each is refused, and the database is unchanged.
func TestRefusedRequestsChangeNothing(t *testing.T) {
	e := newEnv(t, slack.Config{})
	ctx := context.Background()
	before, err := e.db.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msg := chatMessage{User: "U0ANA", TS: "1772442000.000100", Text: "SECRET-hi"}
	event := msg.callback("Ev0001")
	now := time.Now()
	command := "team_id=" + workspace + "&channel_id=" + channelID + "&user_id=U0ANA&command=%2Frhythm&text=decision+we+ship+friday&response_url=http%3A%2F%2F127.0.0.1%3A1%2F"
	for _, ep := range []struct {
		path, ct, body string
		h              http.HandlerFunc
	}{
		{slack.PathEvents, jsonType, event, e.h.Events},
		{slack.PathCommands, "application/x-www-form-urlencoded", command, e.h.Commands},
		{slack.PathInteractions, "application/x-www-form-urlencoded", "payload=" + strings.Repeat("x", 10), e.h.Interactions},
	} {
		cases := []struct {
			name string
			req  func() *http.Request
			want int
		}{
			{"wrong signature", func() *http.Request {
				r := signed(t, ep.path, ep.ct, ep.body, now)
				r.Header.Set("X-Slack-Signature", signature("not-the-secret", r.Header.Get("X-Slack-Request-Timestamp"), ep.body))
				return r
			}, 401},
			{"stale timestamp (6 minutes)", func() *http.Request { return signed(t, ep.path, ep.ct, ep.body, now.Add(-6*time.Minute)) }, 401},
			{"replayed body with a new timestamp", func() *http.Request {
				old := signed(t, ep.path, ep.ct, ep.body, now.Add(-6*time.Minute))
				r := signed(t, ep.path, ep.ct, ep.body, now)
				r.Header.Set("X-Slack-Signature", old.Header.Get("X-Slack-Signature"))
				return r
			}, 401},
			{"missing headers", func() *http.Request {
				r := signed(t, ep.path, ep.ct, ep.body, now)
				r.Header.Del("X-Slack-Signature")
				r.Header.Del("X-Slack-Request-Timestamp")
				return r
			}, 401},
			{"tampered body", func() *http.Request {
				r := signed(t, ep.path, ep.ct, ep.body, now)
				r2 := httptest.NewRequest("POST", ep.path, strings.NewReader(ep.body+" "))
				r2.Header = r.Header
				return r2
			}, 401},
			{"oversized body", func() *http.Request {
				return signed(t, ep.path, ep.ct, ep.body+strings.Repeat(" ", slack.MaxBody), now)
			}, 413},
		}
		for _, c := range cases {
			t.Run(ep.path+" "+c.name, func(t *testing.T) {
				w := serve(ep.h, c.req())
				if w.Code != c.want {
					t.Errorf("status = %d %s, want %d", w.Code, w.Body, c.want)
				}
			})
		}
	}
	e.h.Wait()
	after, err := e.db.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("refused requests changed the database (-before +after):\n%s", diff)
	}
	if n := e.api.count("users.info") + e.api.count("chat.postMessage") + e.api.count("views.open"); n != 0 {
		t.Errorf("refused requests called the Web API %d times", n)
	}
	// And the same event, signed, is stored: the refusals were for the signature.
	if w := serve(e.h.Events, signed(t, slack.PathEvents, jsonType, event, now)); w.Code != 200 {
		t.Fatalf("signed event = %d %s", w.Code, w.Body)
	}
	if got := len(interactions(t, e.db, e.team.ID)); got != 1 {
		t.Errorf("%d interactions after the signed event, want 1", got)
	}
}

// TestEventsRetriesStoredOnce sends 1,000 message events, 10% of them
// Slack's retries of an earlier delivery (same event_id, X-Slack-Retry-Num),
// from 8 senders at once: exactly 900 interactions.
func TestEventsRetriesStoredOnce(t *testing.T) {
	dsn := storetest.SQLiteDSN(t)
	e := newEnvOn(t, storetest.OpenDSN(t, dsn), slack.Config{})
	msgs := conversation(900)
	type delivery struct {
		m     chatMessage
		id    string
		retry int
	}
	var all []delivery
	for i, m := range msgs {
		all = append(all, delivery{m, fmt.Sprintf("Ev%06d", i), 0})
		if i%9 == 4 {
			all = append(all, delivery{m, fmt.Sprintf("Ev%06d", i), 1})
		}
	}
	if len(all) != 1000 {
		t.Fatalf("%d deliveries, want 1000", len(all))
	}
	work := make(chan delivery)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				r := signed(t, slack.PathEvents, jsonType, d.m.callback(d.id), time.Now())
				if d.retry > 0 {
					r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(d.retry))
					r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
				}
				if w := serve(e.h.Events, r); w.Code != 200 {
					t.Errorf("event %s = %d %s", d.id, w.Code, w.Body)
				}
			}
		}()
	}
	for _, d := range all {
		work <- d
	}
	close(work)
	wg.Wait()
	got := interactions(t, e.db, e.team.ID)
	if len(got) != 900 {
		t.Errorf("%d interactions, want 900", len(got))
	}
	ids := map[string]bool{}
	for _, in := range got {
		ids[in.ID] = true
	}
	if len(ids) != 900 {
		t.Errorf("%d distinct interactions, want 900", len(ids))
	}
	// No text of any message is kept: not in the database file, not in its log.
	for _, f := range []string{dsn, dsn + "-wal"} {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte("SECRET-chat")) {
			t.Errorf("%s holds message text", filepath.Base(f))
		}
	}
	if n := e.api.count("users.info"); n > len(slackUsers) {
		t.Errorf("users.info called %d times for %d people: the cache does not hold", n, len(slackUsers))
	}
}

// TestDroppedEvents: channels no team follows, other workspaces, bots,
// edits and other event types store nothing.
func TestDroppedEvents(t *testing.T) {
	e := newEnv(t, slack.Config{})
	for _, c := range []struct{ name, body string }{
		{"channel no team follows", strings.Replace(chatMessage{User: "U0ANA", TS: "1772442000.000100"}.callback("Ev1"), channelID, "C0ELSEWHERE", 1)},
		{"another workspace", strings.Replace(chatMessage{User: "U0ANA", TS: "1772442000.000200"}.callback("Ev2"), workspace, "T0OTHER", 1)},
		{"bot message", `{"type":"event_callback","team_id":"` + workspace + `","event_id":"Ev3","event":{"type":"message","subtype":"bot_message","bot_id":"B1","channel":"` + channelID + `","ts":"1772442000.000300"}}`},
		{"edit", `{"type":"event_callback","team_id":"` + workspace + `","event_id":"Ev4","event":{"type":"message","subtype":"message_changed","channel":"` + channelID + `","ts":"1772442000.000400"}}`},
		{"reaction", `{"type":"event_callback","team_id":"` + workspace + `","event_id":"Ev5","event":{"type":"reaction_added","user":"U0ANA","reaction":"tada"}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if w := serve(e.h.Events, signed(t, slack.PathEvents, jsonType, c.body, time.Now())); w.Code != 200 {
				t.Errorf("status %d %s, want 200 (Slack would retry anything else)", w.Code, w.Body)
			}
		})
	}
	if got := interactions(t, e.db, e.team.ID); len(got) != 0 {
		t.Errorf("%d interactions stored, want none: %+v", len(got), got)
	}
	if n := e.api.count("users.info"); n != 0 {
		t.Errorf("dropped events looked up %d users", n)
	}
	bad := serve(e.h.Events, signed(t, slack.PathEvents, jsonType, `{"type":"event_callback",`, time.Now()))
	if bad.Code != 400 {
		t.Errorf("malformed JSON = %d, want 400", bad.Code)
	}
}

// TestLiveAuditEqualsExportAudit builds one conversation, sends it as live
// events to one database and imports it as an export into another: the
// audit's figures (response times included) are the same, and a later
// import of the export into the live database adds nothing.
func TestLiveAuditEqualsExportAudit(t *testing.T) {
	ctx := context.Background()
	msgs := conversation(600)
	live := newEnv(t, slack.Config{})
	for i, m := range msgs {
		if w := serve(live.h.Events, signed(t, slack.PathEvents, jsonType, m.callback(fmt.Sprintf("Ev%d", i)), time.Now())); w.Code != 200 {
			t.Fatalf("event %d = %d %s", i, w.Code, w.Body)
		}
	}
	dir := writeExport(t, msgs)
	// The second database takes the first one's pseudonym key, so that
	// people off the roster get the same pseudonyms in both.
	other := storetest.SQLite(t)
	key, err := live.db.PseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.SQL().Exec("UPDATE settings SET value = ? WHERE key = ?", string(key), store.PseudonymKeySetting); err != nil {
		t.Fatal(err)
	}
	exported := newEnvOn(t, other, slack.Config{})
	importExport := func(db *store.DB, teamID int64) store.Import {
		res, err := db.Resolver(ctx, teamID)
		if err != nil {
			t.Fatal(err)
		}
		x, err := ingestslack.Open(dir, res, ingest.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		imp, err := db.ImportInteractions(ctx, teamID, store.ImportMeta{Name: "export", Format: "slack", Hash: "export"}, x.Import)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	if imp := importExport(exported.db, exported.team.ID); imp.Stored != len(msgs) {
		t.Fatalf("export stored %d of %d messages", imp.Stored, len(msgs))
	}
	a, b := interactions(t, live.db, live.team.ID), interactions(t, exported.db, exported.team.ID)
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("live interactions differ from the export's (-export +live):\n%s", diff)
	}
	cfg := audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 3, Day: 2}, To: team.Date{Year: 2026, Month: 3, Day: 31}}}
	_, ra, err := live.app.AuditStored(ctx, app.System(""), "Platform", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, rb, err := exported.app.AuditStored(ctx, app.System(""), "Platform", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Report.Current.Team.ResponseMedianWorkingHours == 0 || ra.Report.Current.Team.ResponseP90Hours == 0 {
		t.Fatalf("no response times measured: %+v", ra.Report.Current.Team)
	}
	if diff := cmp.Diff(rb.Report, ra.Report); diff != "" {
		t.Errorf("audit of live events differs from the export's (-export +live):\n%s", diff)
	}
	t.Logf("response time: median %.2f working h (%.2f h wall), p90 %.2f working h",
		ra.Report.Current.Team.ResponseMedianWorkingHours, ra.Report.Current.Team.ResponseMedianHours, ra.Report.Current.Team.ResponseP90WorkingHours)
	if imp := importExport(live.db, live.team.ID); imp.Stored != 0 || imp.SkippedReasons["stored before"] != len(msgs) {
		t.Errorf("export after live events: stored %d, skipped %v; want all %d stored before", imp.Stored, imp.SkippedReasons, len(msgs))
	}
}

// TestUnknownEmailNamesPeopleAsExport: when users.info fails, a person off
// the roster is named by the same pseudonym an export gives them (with
// their profile email in users.json), and a roster member known by an
// alias is still that member.
func TestUnknownEmailNamesPeopleAsExport(t *testing.T) {
	ctx := context.Background()
	msgs := []chatMessage{
		{User: "U0GUEST", TS: "1772442000.000100", Text: "SECRET-from the guest to <@U0KENJI>"},
		{User: "U0KENJI", TS: "1772442060.000200", ThreadTS: "1772442000.000100", Text: "SECRET-reply to <@U0GUEST>"},
	}
	live := newEnv(t, slack.Config{})
	live.api.extra["users.info"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError) // Slack's API is down
	}
	for i, m := range msgs {
		if w := serve(live.h.Events, signed(t, slack.PathEvents, jsonType, m.callback(fmt.Sprintf("Ev%d", i)), time.Now())); w.Code != 200 {
			t.Fatalf("event %d = %d %s", i, w.Code, w.Body)
		}
	}
	if live.api.count("users.info") == 0 {
		t.Fatal("users.info was not asked")
	}
	other := storetest.SQLite(t)
	key, err := live.db.PseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.SQL().Exec("UPDATE settings SET value = ? WHERE key = ?", string(key), store.PseudonymKeySetting); err != nil {
		t.Fatal(err)
	}
	exported := newEnvOn(t, other, slack.Config{})
	res, err := other.Resolver(ctx, exported.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ingestslack.Open(writeExport(t, msgs), res, ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := other.ImportInteractions(ctx, exported.team.ID, store.ImportMeta{Name: "export", Format: "slack", Hash: "export"}, x.Import); err != nil {
		t.Fatal(err)
	}
	got, want := interactions(t, live.db, live.team.ID), interactions(t, other, exported.team.ID)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("live messages without users.info differ from the export's (-export +live):\n%s", diff)
	}
	for _, in := range got {
		if in.Organizer == "U0GUEST" || strings.Contains(in.Organizer, "guest@") {
			t.Errorf("%s: the guest is named %q, not by a pseudonym", in.ID, in.Organizer)
		}
	}
}
