package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// testSlackLink stores a team's Slack link, finds the teams that follow a
// channel, and replaces the link with the roster.
func testSlackLink(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	a := roster(t, "Alpha", "ana@example.com")
	a.Slack = &team.SlackLink{Workspace: "T0001", Channels: []team.SlackChannel{{ID: "C0002", Name: "alpha"}, {ID: "C0001"}}}
	a, err := db.CreateTeam(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	b := roster(t, "Bravo", "kenji@example.com")
	b.Slack = &team.SlackLink{Workspace: "T0001", Channels: []team.SlackChannel{{ID: "C0001", Name: "shared"}}}
	if b, err = db.CreateTeam(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := db.Team(ctx, "Alpha")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.Slack, got.Slack); diff != "" {
		t.Errorf("stored link (-want +got):\n%s", diff)
	}
	fs, err := db.SlackFollowers(ctx, "T0001", "C0001")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.SlackFollower{{TeamID: a.ID, Channel: team.SlackChannel{ID: "C0001"}}, {TeamID: b.ID, Channel: team.SlackChannel{ID: "C0001", Name: "shared"}}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("followers (-want +got):\n%s", diff)
	}
	for _, c := range [][2]string{{"T0001", "C0009"}, {"T0002", "C0001"}} {
		if fs, _ := db.SlackFollowers(ctx, c[0], c[1]); len(fs) != 0 {
			t.Errorf("followers of %v = %v, want none", c, fs)
		}
	}
	if ids, _ := db.SlackTeams(ctx, "T0001"); !cmp.Equal(ids, []int64{a.ID, b.ID}) {
		t.Errorf("SlackTeams = %v", ids)
	}
	// A roster without the field removes the link.
	b.Slack = nil
	if _, _, err := db.SaveRoster(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Team(ctx, "Bravo"); got.Slack != nil {
		t.Errorf("link kept after a roster without it: %+v", got.Slack)
	}
	if fs, _ := db.SlackFollowers(ctx, "T0001", "C0001"); len(fs) != 1 {
		t.Errorf("followers after unlinking = %v, want Alpha only", fs)
	}
	if err := db.DeleteTeam(ctx, "Alpha"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "slack_channels"); n != 0 {
		t.Errorf("%d channel rows left after the teams went", n)
	}
}

// testLiveChatOnce records live messages from several writers at once,
// each delivered twice, then imports an export holding them and more:
// each message is stored once.
func testLiveChatOnce(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Live", "ana@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		new int
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				ok, err := db.RecordLiveChat(ctx, tm.ID, chatMessage("C1", (i+w*50)%200))
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					new++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if new != 200 {
		t.Errorf("%d messages reported new, want 200", new)
	}
	imp, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "export.zip", Format: "slack", Hash: "zip"},
		func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			for i := range 300 {
				if err := emit(chatMessage("C1", i)); err != nil {
					return ingest.Stats{}, err
				}
			}
			return ingest.Stats{Read: 300}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Stored != 100 || imp.SkippedReasons["stored before"] != 200 {
		t.Errorf("export after live: stored %d, skipped %v; want 100 and 200 stored before", imp.Stored, imp.SkippedReasons)
	}
	if ok, err := db.RecordLiveChat(ctx, tm.ID, chatMessage("C1", 250)); ok || err != nil {
		t.Errorf("a live message the export stored = %v, %v; want not new", ok, err)
	}
	n := 0
	db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(ingest.Interaction) error { n++; return nil })
	if n != 300 {
		t.Errorf("%d interactions, want 300", n)
	}
	imps, _ := db.Imports(ctx, tm.ID)
	var live *store.Import
	for i := range imps {
		if imps[i].Hash == store.LiveSlackHash {
			live = &imps[i]
		}
	}
	if live == nil || live.Stored != 200 || live.Format != "slack-live" {
		t.Errorf("live import row = %+v, want 200 stored", live)
	}
}
