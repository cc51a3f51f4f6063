package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

func TestSeedImportsChatAndMail(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	tm, err := demo.Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := db.Imports(ctx, tm.ID)
	if err != nil || len(chatAndMail(imps)) != 2 {
		t.Fatalf("imports %+v, %v; want a Slack export and a mailbox", imps, err)
	}
	counts := map[ingest.Kind]int{}
	byMember, byOther := 0, 0
	var last time.Time
	err = db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(in ingest.Interaction) error {
		counts[in.Kind]++
		if strings.HasPrefix(in.Organizer, ingest.PseudonymPrefix) {
			byOther++
		} else {
			byMember++
		}
		last = in.Start
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts[ingest.Message] == 0 || counts[ingest.Reply] == 0 || counts[ingest.Call] == 0 || counts[ingest.Email] == 0 {
		t.Errorf("kinds %v: want messages, replies, calls and mail", counts)
	}
	if byOther == 0 || byMember < 20*byOther {
		t.Errorf("%d by members, %d by others: want nearly all by members, some by guests", byMember, byOther)
	}
	if time.Since(last) > 8*24*time.Hour {
		t.Errorf("latest interaction %v: want the demo data to reach this week", last)
	}
	// Seeding again imports nothing new.
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.Imports(ctx, tm.ID); len(again) != len(imps) {
		t.Errorf("after seeding twice: %d imports, want %d", len(again), len(imps))
	}
}

// chatAndMail returns the Slack and mbox imports of the latest weeks (the
// audit's step adds a calendar; earlier quarters have their own exports).
func chatAndMail(imps []store.Import) []store.Import {
	var out []store.Import
	for _, i := range imps {
		if i.Name == "demo-slack-export.zip" || i.Name == "demo-mail.mbox" {
			out = append(out, i)
		}
	}
	return out
}
