package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// newThread stores a thread owned by a@x.org with b@x.org and c@x.org.
func newThread(t *testing.T, db interface {
	CreateThread(context.Context, thread.Thread) (thread.Thread, error)
}, tm team.Team, title string, due time.Duration) thread.Thread {
	t.Helper()
	th, err := thread.NewThread{Title: title, Owner: "a@x.org", Participants: []string{"b@x.org", "c@x.org"},
		DueBy: t0.Add(due).Format(time.RFC3339)}.Validate(&tm, "a@x.org", t0)
	if err != nil {
		t.Fatal(err)
	}
	th, err = db.CreateThread(context.Background(), th)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func testThreads(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Threads", "a@x.org", "b@x.org", "c@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	late := newThread(t, db, tm, "Later", 48*time.Hour)
	soon := newThread(t, db, tm, "Sooner", 2*time.Hour)

	read, err := db.Thread(ctx, tm.ID, soon.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(soon, read); diff != "" {
		t.Errorf("read back (-stored +read):\n%s", diff)
	}

	answer := func(member string, kind thread.Kind) func(*thread.Thread) (thread.Response, error) {
		return func(th *thread.Thread) (thread.Response, error) {
			return thread.NewResponse(th, &tm, member, kind, "ok", t0.Add(time.Hour))
		}
	}
	th, err := db.AddResponse(ctx, tm.ID, soon.ID, answer("B@x.org", thread.Ack))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c@x.org"}, th.Pending()); diff != "" {
		t.Errorf("pending after b acknowledged:\n%s", diff)
	}

	list, err := db.Threads(ctx, tm.ID, store.ThreadFilter{State: thread.Open})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, th := range list {
		titles = append(titles, th.Title)
	}
	if diff := cmp.Diff([]string{"Sooner", "Later"}, titles); diff != "" {
		t.Errorf("open threads, soonest first:\n%s", diff)
	}
	if got := list[0].Responses; len(got) != 1 || got[0].Member != "b@x.org" || got[0].Kind != thread.Ack {
		t.Errorf("responses listed = %+v, want b's ack", got)
	}
	mine, err := db.Threads(ctx, tm.ID, store.ThreadFilter{Member: "C@X.ORG"})
	if err != nil || len(mine) != 2 {
		t.Errorf("threads of c = %d, %v; want 2", len(mine), err)
	}

	// Closing: once; then responses are refused and nothing is stored.
	if _, err := db.CloseThread(ctx, tm.ID, soon.ID, t0.Add(3*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseThread(ctx, tm.ID, soon.ID, t0.Add(3*time.Hour), nil); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Errorf("second close: %v, want conflict", err)
	}
	if _, err := db.AddResponse(ctx, tm.ID, soon.ID, answer("c@x.org", thread.Answer)); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Errorf("answer to closed thread: %v, want conflict", err)
	}
	if th, _ := db.Thread(ctx, tm.ID, soon.ID); len(th.Responses) != 1 || th.State != thread.Closed || !th.ClosedAt.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("closed thread = %+v", th)
	}
	if open, _ := db.Threads(ctx, tm.ID, store.ThreadFilter{State: thread.Open}); len(open) != 1 || open[0].ID != late.ID {
		t.Errorf("open threads after close = %+v", open)
	}

	// Another team cannot reach the thread.
	other, err := db.CreateTeam(ctx, roster(t, "Other", "a@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Thread(ctx, other.ID, late.ID); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("thread through another team: %v, want not found", err)
	}

	due, err := db.OpenThreadsDue(ctx, t0.Add(72*time.Hour), 100)
	if err != nil || len(due) != 1 || len(due[0].Participants) != 2 {
		t.Errorf("OpenThreadsDue = %+v, %v; want the one open thread with 2 participants", due, err)
	}
}

func testConcurrentResponses(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	emails := []string{"a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org"}
	tm, err := db.CreateTeam(ctx, roster(t, "Busy", emails...))
	if err != nil {
		t.Fatal(err)
	}
	th, err := thread.NewThread{Title: "All at once", Owner: "a@x.org", Participants: emails[1:]}.Validate(&tm, "a@x.org", t0)
	if err != nil {
		t.Fatal(err)
	}
	th, err = db.CreateThread(ctx, th)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(emails))
	for _, e := range emails[1:] {
		wg.Go(func() {
			_, err := db.AddResponse(ctx, tm.ID, th.ID, func(th *thread.Thread) (thread.Response, error) {
				return thread.NewResponse(th, &tm, e, thread.Answer, "", t0.Add(time.Minute))
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, err := db.Thread(ctx, tm.ID, th.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Responses) != 5 || len(got.Pending()) != 0 {
		t.Errorf("after 5 concurrent answers: %d responses, pending %v", len(got.Responses), got.Pending())
	}
}

func testDecisions(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Log", "a@x.org", "b@x.org", "c@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	th := newThread(t, db, tm, "Which database?", 24*time.Hour)
	record := func(n thread.NewDecision) thread.Decision {
		t.Helper()
		dec, err := n.Validate(&tm, "a@x.org", t0)
		if err != nil {
			t.Fatal(err)
		}
		dec, err = db.CreateDecision(ctx, dec, n.Close)
		if err != nil {
			t.Fatal(err)
		}
		return dec
	}
	pg := record(thread.NewDecision{What: "Use PostgreSQL for scale-out", Why: "Several servers share one database", Owner: "b@x.org",
		Date: "2026-03-09", ThreadID: th.ID, Close: true, Link: "https://wiki.example.com/adr/7"})
	record(thread.NewDecision{What: "Keep 100% of tests under a second", Why: "Fast feedback; 50_50 split", Owner: "c@x.org", Date: "2026-03-01"})
	record(thread.NewDecision{What: "Weekly status goes async", Why: "The meeting had no decisions", Owner: "a@x.org", Meeting: "status@rhythm"})

	got, err := db.Decision(ctx, tm.ID, pg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pg, got); diff != "" {
		t.Errorf("decision read back (-stored +read):\n%s", diff)
	}
	if th, _ := db.Thread(ctx, tm.ID, th.ID); th.State != thread.Closed {
		t.Errorf("decision with close left the thread %s", th.State)
	}

	search := func(q thread.Query) []string {
		t.Helper()
		ds, err := db.Decisions(ctx, tm.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, d := range ds {
			out = append(out, d.What)
		}
		return out
	}
	tests := []struct {
		name string
		q    thread.Query
		want []string
	}{
		{"all, newest first", thread.Query{}, []string{"Weekly status goes async", "Use PostgreSQL for scale-out", "Keep 100% of tests under a second"}},
		{"word in why, any case", thread.Query{Text: "SERVERS"}, []string{"Use PostgreSQL for scale-out"}},
		{"every word must match", thread.Query{Text: "postgresql weekly"}, []string{}},
		{"percent is literal", thread.Query{Text: "100%"}, []string{"Keep 100% of tests under a second"}},
		{"underscore is literal", thread.Query{Text: "0_5"}, []string{"Keep 100% of tests under a second"}},
		{"owner", thread.Query{Text: "c@x.org"}, []string{"Keep 100% of tests under a second"}},
		{"meeting", thread.Query{Text: "status@rhythm"}, []string{"Weekly status goes async"}},
		{"date range", thread.Query{From: team.Date{Year: 2026, Month: 3, Day: 2}, To: team.Date{Year: 2026, Month: 3, Day: 9}}, []string{"Use PostgreSQL for scale-out"}},
		{"by thread", thread.Query{ThreadID: th.ID}, []string{"Use PostgreSQL for scale-out"}},
		{"limit", thread.Query{Limit: 1}, []string{"Weekly status goes async"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, search(tt.q)); diff != "" {
				t.Errorf("search (-want +got):\n%s", diff)
			}
		})
	}

	other, err := db.CreateTeam(ctx, roster(t, "Other", "a@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := thread.NewDecision{What: "x", Why: "y", Owner: "a@x.org", ThreadID: th.ID}.Validate(&other, "a@x.org", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDecision(ctx, dec, false); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("decision linking another team's thread: %v, want invalid", err)
	}
	if _, err := db.Decision(ctx, other.ID, pg.ID); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("decision through another team: %v, want not found", err)
	}
}

func testTeamPlaybooks(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "P", "a@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveTeamPlaybook(ctx, tm.ID, store.TeamPlaybook{Name: "retro", YAML: "v1", UpdatedBy: "a@x.org"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveTeamPlaybook(ctx, tm.ID, store.TeamPlaybook{Name: "retro", YAML: "v2", UpdatedBy: "a@x.org"}); err != nil {
		t.Fatal(err)
	}
	ps, err := db.TeamPlaybooks(ctx, tm.ID)
	if err != nil || len(ps) != 1 || ps[0].YAML != "v2" {
		t.Errorf("team playbooks = %+v, %v; want the replaced one", ps, err)
	}
	if err := db.DeleteTeamPlaybook(ctx, tm.ID, "retro"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTeamPlaybook(ctx, tm.ID, "retro"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
}

// testLateMigrations opens a database whose later migrations ran before
// this feature's (00030–00039) existed, as when features land out of
// number order, and checks that the missing ones are applied.
func testLateMigrations(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	for _, q := range []string{"DROP TABLE team_playbooks", "DROP TABLE reminders", "DROP TABLE decisions", "DROP TABLE thread_responses",
		"DROP TABLE thread_participants", "DROP TABLE threads", "DELETE FROM goose_db_version WHERE version_id BETWEEN 30 AND 39"} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db = storetest.OpenDSN(t, dsn)
	tm, err := db.CreateTeam(ctx, roster(t, "Late", "a@x.org", "b@x.org", "c@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	newThread(t, db, tm, "After the late migrations", time.Hour)
}
