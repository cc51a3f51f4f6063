package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/playbook"
)

// TestPlaybookHuddleAvoidsCalendarBusy: the live session of a playbook run
// moves off the time a member's connected calendar says they are busy.
func TestPlaybookHuddleAvoidsCalendarBusy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	uc := f.app.WithScheduler(playbook.FairScheduler{})
	run := app.PlaybookRun{Date: "2027-03-08", Topic: "Q2 goal", Roles: map[string][]string{"owner": {"ana@example.com"}}}
	team := fmt.Sprint(f.teamA.ID)
	lead := f.actors["lead"]
	plan, _, err := uc.RunPlaybook(ctx, lead, team, "async-prep-huddle", run)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Sessions) == 0 {
		t.Fatal("the plan has no live session")
	}
	first := plan.Sessions[0]

	rec, err := f.db.CreateCalendarConnection(ctx, calendar.Record{TeamID: f.teamA.ID, Member: "member@example.com", Kind: calendar.ICS, Host: "calendar.example.com", URLSealed: "v1:x"})
	if err != nil {
		t.Fatal(err)
	}
	now := f.db.Now()
	if _, err := f.db.ClaimCalendarSync(ctx, "t", rec.ID, now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	busy := ingest.Interaction{Source: ingest.SourceICS, ID: "b/1", Mode: ingest.Sync, Kind: ingest.Meeting, Start: first.Start.Add(-time.Hour), End: first.End.Add(time.Hour),
		Participants: []ingest.Participant{{ID: "member@example.com", Member: true, Status: ingest.Accepted}, {ID: "x@other.example"}}}
	res := &calendar.Result{Full: true, Replace: []calendar.Object{{Interactions: []ingest.Interaction{busy}}}}
	if err := f.db.FinishCalendarSync(ctx, rec.ID, "t", calendar.Outcome{Result: res, At: now, Next: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	again, _, err := uc.RunPlaybook(ctx, lead, team, "async-prep-huddle", run)
	if err != nil {
		t.Fatal(err)
	}
	s := again.Sessions[0]
	if s.Start.Before(busy.End) && busy.Start.Before(s.End) {
		t.Fatalf("the session %s–%s overlaps the member's busy time %s–%s", s.Start, s.End, busy.Start, busy.End)
	}
}
