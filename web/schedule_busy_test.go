package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ingest"
)

// TestFindAvoidsConnectedCalendarBusy: once Mia's calendar is connected
// and synced with a meeting at the best time, Find proposes other times
// and says whose calendar it could not see.
func TestFindAvoidsConnectedCalendarBusy(t *testing.T) {
	f := newSQLiteFixture(t)
	body := `{"team":"Alpha","with":["member@example.com","ana@example.com"],"duration":"30m","between":["2026-03-02","2026-03-06"],"top":5}`
	type result struct {
		Summary struct {
			Warnings []string
		}
		Slots []struct {
			Start time.Time
			End   time.Time
		}
	}
	find := func() result {
		t.Helper()
		w := f.request(t, "member", "POST", "/api/v1/schedule", strings.NewReader(body), jsonHeader)
		var res result
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil || len(res.Slots) == 0 {
			t.Fatalf("schedule: %d %s", w.Code, w.Body)
		}
		return res
	}
	before := find()
	best := before.Slots[0]

	ctx := context.Background()
	rec, err := f.db.CreateCalendarConnection(ctx, calendar.Record{TeamID: f.teamA.ID, Member: "member@example.com", Kind: calendar.ICS, Host: "calendar.example.com", URLSealed: "v1:x"})
	if err != nil {
		t.Fatal(err)
	}
	now := f.db.Now()
	if _, err := f.db.ClaimCalendarSync(ctx, "t", rec.ID, now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	meeting := ingest.Interaction{Source: ingest.SourceICS, ID: "busy/1", Mode: ingest.Sync, Kind: ingest.Meeting, Start: best.Start.Add(-30 * time.Minute), End: best.End.Add(30 * time.Minute),
		Participants: []ingest.Participant{{ID: "member@example.com", Member: true, Status: ingest.Accepted}, {ID: "x@other.example"}}}
	res := &calendar.Result{Full: true, Replace: []calendar.Object{{Key: "", Interactions: []ingest.Interaction{meeting}}}}
	if err := f.db.FinishCalendarSync(ctx, rec.ID, "t", calendar.Outcome{Result: res, At: now, Next: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	after := find()
	for _, s := range after.Slots {
		if s.Start.Before(meeting.End) && meeting.Start.Before(s.End) {
			t.Fatalf("slot %s overlaps Mia's synced meeting %s–%s", s.Start, meeting.Start, meeting.End)
		}
	}
	joined := strings.Join(after.Summary.Warnings, "\n")
	if !strings.Contains(joined, "no calendar connected for Ana Silva") || strings.Contains(joined, "Mia Member") {
		t.Fatalf("warnings %q: want Ana named as having no calendar", after.Summary.Warnings)
	}
	if strings.Contains(strings.Join(before.Summary.Warnings, "\n"), "no calendar connected") {
		t.Fatalf("before any calendar was connected the answer already warned: %q", before.Summary.Warnings)
	}
}
