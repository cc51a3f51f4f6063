package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// testReadsDoNotWaitForWriter holds a write transaction open, as a long
// import does, and checks that reads of teams, sessions, imports and
// interactions answer meanwhile instead of queueing behind it.
func testReadsDoNotWaitForWriter(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Readers", "ana@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, account.User{Email: "ana@example.com", Name: "Ana", Role: account.Member}, "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, u.ID, "script", "token-hash"); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "big.zip", Format: "slack", Hash: "h1"},
			func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
				for i := range 5000 {
					in := chatMessage("C1", i)
					if err := emit(in); err != nil {
						return ingest.Stats{}, err
					}
				}
				close(inside)
				<-release
				return ingest.Stats{Read: 5000}, nil
			})
		done <- err
	}()
	<-inside
	// Well under the busy timeout: a reader queued behind the writer
	// would miss it.
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	reads := map[string]func() error{
		"team":    func() error { _, err := db.Team(rctx, "Readers"); return err },
		"teams":   func() error { _, err := db.ListTeams(rctx); return err },
		"imports": func() error { _, err := db.Imports(rctx, tm.ID); return err },
		"interactions": func() error {
			return db.Interactions(rctx, tm.ID, time.Time{}, time.Time{}, func(ingest.Interaction) error { return nil })
		},
		"setting": func() error { _, err := db.PseudonymKey(rctx); return err },
		// A token's first use in a minute is noted, but not before it answers.
		"token": func() error { _, err := db.TokenUser(rctx, "token-hash"); return err },
	}
	for name, read := range reads {
		start := time.Now()
		err := read()
		t.Logf("%s read during an open import: %v", name, time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Errorf("%s read during an open import: %v", name, err)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// chatMessage is Slack message i of channel ch.
func chatMessage(ch string, i int) ingest.Interaction {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	return ingest.Interaction{
		Source: ingest.SourceSlack, Mode: ingest.Async, Kind: ingest.Message, ID: ch + "/" + itoaTS(at),
		Start: at, End: at, Organizer: "ana@example.com", Channel: ch,
		Participants: []ingest.Participant{{ID: "ana@example.com", Member: true}},
	}
}

func itoaTS(at time.Time) string { return at.Format("20060102150405") + ".000100" }

// testChatStoredOnce imports the same chat messages under three content
// hashes (three packings of one export) and then an overlapping export:
// each message is stored once and the overlap adds only what is new.
func testChatStoredOnce(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Chat", "ana@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	messages := func(from, to int) store.ImportFunc {
		return func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			for i := from; i < to; i++ {
				if err := emit(chatMessage("C1", i)); err != nil {
					return ingest.Stats{}, err
				}
			}
			return ingest.Stats{Read: to - from}, nil
		}
	}
	for i, hash := range []string{"zip-a", "zip-b", "zip-c"} {
		imp, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: hash, Format: "slack", Hash: hash}, messages(0, 5000))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 5000, false: 0}[i == 0]; imp.Stored != want {
			t.Errorf("%s: stored %d, want %d", hash, imp.Stored, want)
		}
	}
	imp, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "monthly", Format: "slack", Hash: "monthly"}, messages(4000, 6000))
	if err != nil {
		t.Fatal(err)
	}
	if imp.Stored != 1000 || imp.SkippedReasons["stored before"] != 1000 {
		t.Errorf("overlapping export: stored %d, skipped %v; want 1000 new and 1000 stored before", imp.Stored, imp.SkippedReasons)
	}
	n := 0
	db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(ingest.Interaction) error { n++; return nil })
	if n != 6000 {
		t.Errorf("%d interactions stored, want 6000", n)
	}
}
