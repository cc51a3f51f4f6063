package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// auditResult audits one meeting of the team in the first week of March.
func auditResult(t *testing.T, tm *team.Team) *audit.Result {
	t.Helper()
	a, err := audit.New(tm, audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 3, Day: 1}, To: team.Date{Year: 2026, Month: 3, Day: 7}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	in := ingest.Interaction{Source: ingest.SourceICS, ID: "e1", Mode: ingest.Sync, Kind: ingest.Meeting, Start: start, End: start.Add(time.Hour)}
	for _, m := range tm.Members {
		in.Participants = append(in.Participants, ingest.Participant{ID: m.Email, Member: true})
	}
	a.Add(&in)
	return a.Result()
}

func testSaveAudit(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Audited", "ana@example.com", "kenji@example.com", "liam@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.LatestAudit(ctx, tm.ID); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Fatalf("LatestAudit before any = %v, want not found", err)
	}
	first := auditResult(t, &tm)
	if _, err := db.SaveAudit(ctx, tm.ID, first); err != nil {
		t.Fatal(err)
	}
	second := auditResult(t, &tm)
	id, err := db.SaveAudit(ctx, tm.ID, second)
	if err != nil {
		t.Fatal(err)
	}
	info, rep, err := db.LatestAudit(ctx, tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != id || info.TeamName != "Audited" || info.Window != second.Report.Window {
		t.Errorf("LatestAudit info = %+v, want id %d of Audited", info, id)
	}
	if d := cmp.Diff(second.Report, rep); d != "" {
		t.Errorf("stored report differs (-saved +read):\n%s", d)
	}
	mine, err := db.PersonAudits(ctx, "KENJI@example.com")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := second.Person("kenji@example.com")
	if len(mine) != 1 || mine[0].ID != id {
		t.Fatalf("PersonAudits = %+v, want the latest audit only", mine)
	}
	if d := cmp.Diff(want, mine[0].Person); d != "" {
		t.Errorf("own figures differ (-saved +read):\n%s", d)
	}
	if none, err := db.PersonAudits(ctx, "stranger@example.com"); err != nil || len(none) != 0 {
		t.Errorf("PersonAudits of a stranger = %+v, %v; want none", none, err)
	}
	samples, err := db.Samples(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(second.Report.Samples(), samples); d != "" || len(samples) == 0 {
		t.Errorf("stored samples differ (-saved +read):\n%s", d)
	}
	if _, err := db.SaveAudit(ctx, tm.ID+100, second); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("SaveAudit of a missing team = %v, want not found", err)
	}
	if err := db.DeleteTeam(ctx, "Audited"); err != nil {
		t.Fatal(err)
	}
	if gone, err := db.PersonAudits(ctx, "kenji@example.com"); err != nil || len(gone) != 0 {
		t.Errorf("audits outlive their team: %+v, %v", gone, err)
	}
}
