package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

func meeting(id string, start time.Time) ingest.Interaction {
	return ingest.Interaction{Source: ingest.SourceICS, ID: id, Mode: ingest.Sync, Kind: ingest.Meeting, Start: start, End: start.Add(30 * time.Minute),
		Organizer: "a@example.com", Participants: []ingest.Participant{{ID: "a@example.com", Member: true, Status: ingest.Accepted}, {ID: "b@example.com", Member: true}}}
}

func countInteractions(t *testing.T, db *store.DB, teamID int64) int {
	t.Helper()
	n := 0
	if err := db.Interactions(context.Background(), teamID, time.Time{}, time.Time{}, func(ingest.Interaction) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func testCalendarConnections(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, "Cal", "a@example.com", "b@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCalendarConnection(ctx, calendar.Record{TeamID: tm.ID, Member: "a@example.com", Kind: calendar.CalDAV,
		Host: "dav.example.com", Hint: "x7Qz", URLSealed: "v1:sealed-url", Username: "a", PasswordSealed: "v1:sealed-pw", Calendar: "/a/work/", CalendarName: "Work"})
	if err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	claimed, err := db.ClaimCalendarSyncs(ctx, "server-1", now, now.Add(time.Minute), 10)
	if err != nil || len(claimed) != 1 || claimed[0].ID != c.ID || claimed[0].PasswordSealed != "v1:sealed-pw" {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if again, _ := db.ClaimCalendarSyncs(ctx, "server-2", now, now.Add(time.Minute), 10); len(again) != 0 {
		t.Fatalf("a second server claimed a held connection: %+v", again)
	}
	if _, err := db.ClaimCalendarSync(ctx, "server-2", c.ID, now, now.Add(time.Minute)); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Fatalf("a sync on demand during a sync: %v", err)
	}

	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	first := &calendar.Result{SyncToken: "tok-1", Replace: []calendar.Object{
		{Key: "/a/work/1.ics", ETag: `"e1"`, Interactions: []ingest.Interaction{meeting("m1/1", t0), meeting("m1/2", t0.AddDate(0, 0, 7))}},
		{Key: "/a/work/2.ics", ETag: `"e2"`, Interactions: []ingest.Interaction{meeting("m2/1", t0.Add(time.Hour))}},
	}}
	// A server whose claim ran out changes nothing.
	if err := db.FinishCalendarSync(ctx, c.ID, "server-2", calendar.Outcome{Result: first, At: now, Next: now}); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Fatalf("finish by a server without the claim: %v", err)
	}
	if err := db.FinishCalendarSync(ctx, c.ID, "server-1", calendar.Outcome{Result: first, At: now, Next: now.Add(15 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got, err := db.CalendarConnection(ctx, c.ID)
	if err != nil || got.Events != 3 || got.SyncToken != "tok-1" || got.LastSuccess.IsZero() || got.Failures != 0 {
		t.Fatalf("after the first sync: %+v, %v", got, err)
	}
	if n := countInteractions(t, db, tm.ID); n != 3 {
		t.Fatalf("%d interactions stored, want 3", n)
	}
	busy, connected, err := db.CalendarBusy(ctx, tm.ID, t0.Add(-time.Hour), t0.AddDate(0, 0, 6))
	if err != nil || !connected["a@example.com"] || connected["b@example.com"] || len(busy["a@example.com"]) != 2 {
		t.Fatalf("busy = %v, connected %v, %v; want a's 2 meetings in the window, and only a connected", busy, connected, err)
	}
	objs, _ := db.CalendarObjects(ctx, c.ID)
	if len(objs) != 2 || objs["/a/work/1.ics"] != `"e1"` {
		t.Fatalf("objects = %v", objs)
	}

	// Not due again before next_sync_at.
	if early, _ := db.ClaimCalendarSyncs(ctx, "server-1", now.Add(time.Minute), now.Add(2*time.Minute), 10); len(early) != 0 {
		t.Fatalf("claimed before it was due: %+v", early)
	}
	later := now.Add(16 * time.Minute)
	if _, err := db.ClaimCalendarSyncs(ctx, "server-2", later, later.Add(time.Minute), 10); err != nil {
		t.Fatal(err)
	}
	second := &calendar.Result{SyncToken: "tok-2", Delete: []string{"/a/work/2.ics"}, Replace: []calendar.Object{
		{Key: "/a/work/1.ics", ETag: `"e1b"`, Interactions: []ingest.Interaction{meeting("m1/1", t0.Add(2*time.Hour))}},
	}}
	if err := db.FinishCalendarSync(ctx, c.ID, "server-2", calendar.Outcome{Result: second, At: later, Next: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if n := countInteractions(t, db, tm.ID); n != 1 {
		t.Fatalf("after changing one resource and deleting the other: %d interactions, want 1", n)
	}

	// A failed sync keeps what is stored and says why.
	later = later.Add(2 * time.Hour)
	if _, err := db.ClaimCalendarSync(ctx, "server-1", c.ID, later, later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishCalendarSync(ctx, c.ID, "server-1", calendar.Outcome{Error: "401 from dav.example.com: the user name or app password was refused", At: later, Next: later.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.CalendarConnection(ctx, c.ID)
	if got.Failures != 1 || got.LastError == "" || got.Events != 1 || countInteractions(t, db, tm.ID) != 1 {
		t.Fatalf("after a failed sync: %+v", got)
	}

	if err := db.DeleteCalendarConnection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if n := countInteractions(t, db, tm.ID); n != 0 {
		t.Fatalf("%d interactions left after removing the connection", n)
	}
	if list, _ := db.CalendarConnections(ctx, tm.ID); len(list) != 0 {
		t.Fatalf("connections left: %+v", list)
	}
	if _, err := db.CalendarConnection(ctx, c.ID); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Fatalf("a removed connection: %v", err)
	}
}

// davConnection opens a database with team teamName and one CalDAV
// connection of a@example.com to calendar cal.
func davConnection(t *testing.T, d storetest.Dialect, teamName, cal string) (*store.DB, calendar.Record) {
	t.Helper()
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, err := db.CreateTeam(ctx, roster(t, teamName, "a@example.com", "b@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCalendarConnection(ctx, calendar.Record{TeamID: tm.ID, Member: "a@example.com", Kind: calendar.CalDAV,
		Host: "dav.example.com", URLSealed: "v1:u", Username: "a", PasswordSealed: "v1:p", Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	return db, c
}

// testCalendarLargeSync: a first sync of hundreds of instances (written in
// chunks of rows) stores each under its resource, so that the next sync
// replaces and deletes exactly those of the resources it names.
func testCalendarLargeSync(t *testing.T, d storetest.Dialect) {
	db, c := davConnection(t, d, "Big", "/a/big/")
	ctx := context.Background()
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	object := func(name string, n int) calendar.Object {
		o := calendar.Object{Key: "/a/big/" + name + ".ics", ETag: `"` + name + `"`}
		for i := range n {
			o.Interactions = append(o.Interactions, meeting(fmt.Sprintf("%s/%d", name, i), t0.Add(time.Duration(i)*time.Hour)))
		}
		return o
	}
	sync := func(r *calendar.Result) {
		t.Helper()
		now := db.Now()
		if _, err := db.ClaimCalendarSync(ctx, "s", c.ID, now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishCalendarSync(ctx, c.ID, "s", calendar.Outcome{Result: r, At: now, Next: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func() map[string]int {
		t.Helper()
		out := map[string]int{}
		if err := db.Interactions(ctx, c.TeamID, time.Time{}, time.Time{}, func(in ingest.Interaction) error { out[in.ID]++; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// 150 + 101 + 7 = 258 rows: two full chunks and a remainder, across
	// resources.
	sync(&calendar.Result{Replace: []calendar.Object{object("a", 150), object("b", 101), object("c", 7)}})
	got := ids()
	if len(got) != 258 || got["a/149"] != 1 || got["b/100"] != 1 || got["c/6"] != 1 {
		t.Fatalf("after the first sync: %d interactions (a/149 %d, b/100 %d, c/6 %d), want 258 once each", len(got), got["a/149"], got["b/100"], got["c/6"])
	}
	b := object("b", 1)
	sync(&calendar.Result{Delete: []string{"/a/big/a.ics"}, Replace: []calendar.Object{b}})
	want := map[string]int{"b/0": 1}
	for i := range 7 {
		want[fmt.Sprintf("c/%d", i)] = 1
	}
	if diff := cmp.Diff(want, ids()); diff != "" {
		t.Fatalf("after deleting a and changing b (-want +got):\n%s", diff)
	}
	if objs, _ := db.CalendarObjects(ctx, c.ID); len(objs) != 2 || objs["/a/big/b.ics"] != `"b"` {
		t.Fatalf("objects = %v", objs)
	}
}

// testCalendarClaimsAcrossServers: two servers, each on its own handle,
// claiming from 50 due connections at once take each exactly once.
func testCalendarClaimsAcrossServers(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db1, db2 := storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	tm, err := db1.CreateTeam(ctx, roster(t, "Many", "a@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := db1.CreateCalendarConnection(ctx, calendar.Record{TeamID: tm.ID, Kind: calendar.ICS, Host: fmt.Sprintf("h%d.example.com", i), URLSealed: "v1:x"}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Add(time.Second)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i, db := range []*store.DB{db1, db2} {
		wg.Go(func() {
			for range 10 {
				got, err := db.ClaimCalendarSyncs(ctx, fmt.Sprintf("server-%d", i), now, now.Add(time.Minute), 4)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, c := range got {
					seen[c.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 50 {
		t.Errorf("%d connections claimed, want 50", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("connection %d claimed %d times in one round", id, n)
		}
	}
}

// testCalendarWarnings: a connection carries the warnings of the last read
// of each of its resources: a sync that leaves something out notes it, an
// unchanged calendar or an incremental sync of other resources keeps it, a
// resource that cannot be read at all keeps its events and notes why, and
// reading it cleanly (or a clean full sync) clears it.
func testCalendarWarnings(t *testing.T, d storetest.Dialect) {
	db, c := davConnection(t, d, "Warn", "/a/w/")
	ctx := context.Background()
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	sync := func(r *calendar.Result) {
		t.Helper()
		now := db.Now()
		if _, err := db.ClaimCalendarSync(ctx, "s", c.ID, now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishCalendarSync(ctx, c.ID, "s", calendar.Outcome{Result: r, At: now, Next: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	type state struct {
		Events, Warnings int
		Notes            []string
	}
	check := func(step string, want state) {
		t.Helper()
		one, err := db.CalendarConnection(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.CalendarConnections(ctx, c.TeamID)
		if err != nil || len(all) != 1 {
			t.Fatalf("%s: list = %v, %v", step, all, err)
		}
		for _, r := range []calendar.Record{one, all[0]} {
			if diff := cmp.Diff(want, state{r.Events, r.Warnings, r.WarningNotes}); diff != "" {
				t.Errorf("%s (-want +got):\n%s", step, diff)
			}
		}
	}
	dense := `/a/w/1.ics:9: event "d1": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`
	zone := `/a/w/2.ics:4: event "z2": unknown time zone "Mars/Olympus"; reading its times in UTC`
	broken := `/a/w/3.ics: not an iCalendar file`
	many := []string{"w1", "w2", "w3", "w4", "w5"}
	sync(&calendar.Result{SyncToken: "t1", Replace: []calendar.Object{
		{Key: "/a/w/1.ics", ETag: `"1"`, Interactions: []ingest.Interaction{meeting("m1", t0)}, Warnings: 1, Notes: []string{dense}},
		{Key: "/a/w/2.ics", ETag: `"2"`, Interactions: []ingest.Interaction{meeting("m2", t0)}, Warnings: 1, Notes: []string{zone}},
		{Key: "/a/w/4.ics", ETag: `"4"`, Interactions: []ingest.Interaction{meeting("m4", t0)}},
	}})
	check("first sync", state{3, 2, []string{dense, zone}})
	sync(&calendar.Result{Unchanged: true, SyncToken: "t1"})
	check("unchanged", state{3, 2, []string{dense, zone}})
	sync(&calendar.Result{SyncToken: "t2", Replace: []calendar.Object{{Key: "/a/w/1.ics", ETag: `"1b"`, Interactions: []ingest.Interaction{meeting("m1", t0)}}},
		Broken: []calendar.Object{{Key: "/a/w/4.ics", Warnings: 1, Notes: []string{broken}}}})
	check("1 fixed, 4 broken", state{3, 2, []string{zone, broken}})
	sync(&calendar.Result{SyncToken: "t3", Replace: []calendar.Object{{Key: "/a/w/5.ics", ETag: `"5"`, Warnings: 7, Notes: many}}})
	check("5 with many", state{3, 9, []string{zone, broken, "w1", "w2", "w3"}})
	sync(&calendar.Result{SyncToken: "t4", Delete: []string{"/a/w/5.ics"}, Replace: []calendar.Object{
		{Key: "/a/w/2.ics", ETag: `"2b"`, Interactions: []ingest.Interaction{meeting("m2", t0)}},
		{Key: "/a/w/4.ics", ETag: `"4b"`, Interactions: []ingest.Interaction{meeting("m4", t0)}},
	}})
	check("clean", state{3, 0, nil})
	sync(&calendar.Result{Full: true, Replace: []calendar.Object{{Key: "", ETag: `"x"`, Interactions: []ingest.Interaction{meeting("m1", t0)}, Warnings: 1, Notes: []string{dense}}}})
	check("full with a warning", state{1, 1, []string{dense}})
	sync(&calendar.Result{Full: true, Replace: []calendar.Object{{Key: "", ETag: `"y"`, Interactions: []ingest.Interaction{meeting("m1", t0)}}}})
	check("clean full", state{1, 0, nil})
}
