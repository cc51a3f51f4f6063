package store_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// chattyAudit audits the week of from, in which member i of tm writes
// 5·(i+1) messages.
func chattyAudit(t *testing.T, tm *team.Team, from team.Date) *audit.Result {
	t.Helper()
	w := audit.Window{From: from, To: addDays(from, 6)}
	a, err := audit.New(tm, audit.Config{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(from.Year, time.Month(from.Month), from.Day, 10, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	for i, m := range tm.Members {
		for j := range 5 * (i + 1) {
			in := ingest.Interaction{Source: ingest.SourceSlack, ID: fmt.Sprintf("%s-%d", m.Email, j), Mode: ingest.Async, Kind: ingest.Message,
				Start: day.Add(time.Duration(j) * time.Minute), Channel: "general", ChannelKind: ingest.Public, Organizer: m.Email,
				Participants: []ingest.Participant{{ID: m.Email, Member: true}}}
			in.End = in.Start
			a.Add(&in)
		}
	}
	return a.Result()
}

func addDays(d team.Date, n int) team.Date {
	return team.DateOf(time.Date(d.Year, time.Month(d.Month), d.Day+n, 12, 0, 0, 0, time.UTC))
}

// testAuditDifferencing runs the differencing attack of finding 7 of issue
// 16: audit a team of six (min group 5), remove one member, audit the same
// week again. Saving both would let anyone who reads the two team averages
// work out the removed member's own figures, so the second is refused.
func testAuditDifferencing(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	emails := []string{"a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org"}
	tm := roster(t, "Six", emails...)
	tm.Norms.MinGroupSize = 5
	tm, err := db.CreateTeam(ctx, tm)
	if err != nil {
		t.Fatal(err)
	}
	week := team.Date{Year: 2026, Month: 3, Day: 2}
	first := chattyAudit(t, &tm, week)
	if first.Report.Current.Team.Suppressed {
		t.Fatalf("six people at min group 5 are suppressed: %+v", first.Report.Current.Team)
	}
	if _, err := db.SaveAudit(ctx, tm.ID, first); err != nil {
		t.Fatal(err)
	}
	removed := tm.Members[5]
	if err := db.DeleteMember(ctx, "Six", removed.ID); err != nil {
		t.Fatal(err)
	}
	five, err := db.Team(ctx, "Six")
	if err != nil {
		t.Fatal(err)
	}
	second := chattyAudit(t, &five, week)
	_, err = db.SaveAudit(ctx, tm.ID, second)
	if err == nil {
		// The attack: the difference of the totals is the removed member's own.
		a, b := first.Report.Current.Team, second.Report.Current.Team
		own, _ := first.Person(removed.Email)
		got := a.Messages*float64(a.People) - b.Messages*float64(b.People)
		t.Fatalf("the re-audit without %s was saved: 6×%.2f − 5×%.2f = %.2f messages a week, their own figure is %.2f",
			removed.Email, a.Messages, b.Messages, got, own.Total.Messages)
	}
	if rhythm.ErrorCode(err) != rhythm.ECONFLICT || !strings.Contains(rhythm.ErrorMessage(err), "1 person") {
		t.Fatalf("re-audit after removing one member: %v, want a conflict naming the change", err)
	}
	_, rep, _ := db.LatestAudit(ctx, tm.ID)
	if rep.Current.Team.People != 6 || math.IsNaN(rep.Current.Team.Messages) {
		t.Errorf("latest audit has %d people, want the first audit's 6", rep.Current.Team.People)
	}
	// Another week is a new period: it is computed once for its membership.
	if _, err := db.SaveAudit(ctx, tm.ID, chattyAudit(t, &five, addDays(week, 7))); err != nil {
		t.Errorf("audit of the next week: %v", err)
	}
	// The same membership again changes nobody's figures in the difference.
	if _, err := db.SaveAudit(ctx, tm.ID, chattyAudit(t, &five, addDays(week, 7))); err != nil {
		t.Errorf("same week, same members: %v", err)
	}
}
