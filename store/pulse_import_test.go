package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// testImportIntoCollectedRoundRefused replays finding 6 of issue 16: two
// fake rows imported beside one real answer of an open round (the export
// would then show the real answer), and a seventh row imported into a
// closed round whose results were published with six.
func testImportIntoCollectedRoundRefused(t *testing.T, d storetest.Dialect) {
	ctx := context.Background()
	t.Run("open round", func(t *testing.T) {
		db, tm := pulseDB(t, d, 6)
		r := createRound(t, db)
		if err := db.SubmitResponse(ctx, r.ID, tm.Members[0].ID, answers(2, 1)); err != nil {
			t.Fatal(err)
		}
		_, err := db.ImportResponses(ctx, r.ID, "fake", []pulse.Answers{answers(9, 5), answers(9, 5)})
		if rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("import into an open round: %v, want a conflict", err)
		}
		if got, _ := db.Round(ctx, r.ID); got.Responses != 1 {
			t.Errorf("the open round holds %d responses, want the 1 collected", got.Responses)
		}
	})
	t.Run("closed round", func(t *testing.T) {
		db, tm := pulseDB(t, d, 6)
		r := createRound(t, db)
		for i, m := range tm.Members {
			if err := db.SubmitResponse(ctx, r.ID, m.ID, answers(i+4, 3)); err != nil {
				t.Fatal(err)
			}
		}
		after := roundCloses.Add(time.Hour)
		db.Now = func() time.Time { return after }
		before, _, err := db.RoundResults(ctx, r.ID, after)
		if err != nil || before.Suppressed || before.Responses != 6 {
			t.Fatalf("published results: %+v, %v", before, err)
		}
		_, err = db.ImportResponses(ctx, r.ID, "late", []pulse.Answers{answers(0, 1)})
		if rhythm.ErrorCode(err) != rhythm.ECONFLICT || !strings.Contains(rhythm.ErrorMessage(err), "closed") {
			t.Errorf("import into a closed round: %v, want a conflict saying it is closed", err)
		}
		got, _, _ := db.RoundResults(ctx, r.ID, after)
		if got.Responses != 6 || got.ENPS.Score != before.ENPS.Score {
			t.Errorf("published results changed: %d responses, eNPS %v; want 6 and %v", got.Responses, got.ENPS.Score, before.ENPS.Score)
		}
	})
}
