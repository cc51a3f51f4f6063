package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// TestStore is the storage suite: every subtest runs unchanged against
// SQLite and PostgreSQL.
func TestStore(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Run("team round trip", func(t *testing.T) { testTeamRoundTrip(t, d) })
			t.Run("roster replace keeps member ids", func(t *testing.T) { testSaveRoster(t, d) })
			t.Run("errors carry codes", func(t *testing.T) { testErrors(t, d) })
			t.Run("members", func(t *testing.T) { testMembers(t, d) })
			t.Run("concurrent member writes", func(t *testing.T) { testConcurrentWrites(t, d) })
			t.Run("two handles see each other's writes", func(t *testing.T) { testTwoHandles(t, d) })
			t.Run("settings are set once", func(t *testing.T) { testSettings(t, d) })
			t.Run("migrations are idempotent", func(t *testing.T) { testReopen(t, d) })
			t.Run("threads", func(t *testing.T) { testThreads(t, d) })
			t.Run("concurrent responses", func(t *testing.T) { testConcurrentResponses(t, d) })
			t.Run("decisions", func(t *testing.T) { testDecisions(t, d) })
			t.Run("team playbooks", func(t *testing.T) { testTeamPlaybooks(t, d) })
			t.Run("migrations of an earlier range arriving late are applied", func(t *testing.T) { testLateMigrations(t, d) })
			t.Run("first-run setup on several servers makes one admin", func(t *testing.T) { testFirstAdminRace(t, d) })
			t.Run("admins demoting each other leave an admin", func(t *testing.T) { testLastAdminRace(t, d) })
			t.Run("servers adding members at once keep the roster order", func(t *testing.T) { testRosterWritersTakeTurns(t, d) })
			t.Run("interaction imports are atomic and idempotent", func(t *testing.T) { testImportInteractions(t, d) })
			t.Run("no message content is stored", func(t *testing.T) { testNoContentStored(t, d) })
			t.Run("pseudonym key is made once", func(t *testing.T) { testPseudonymKey(t, d) })
			t.Run("saved audits", func(t *testing.T) { testSaveAudit(t, d) })
			t.Run("reads do not wait for a writer", func(t *testing.T) { testReadsDoNotWaitForWriter(t, d) })
			t.Run("chat is stored once across imports", func(t *testing.T) { testChatStoredOnce(t, d) })
			t.Run("a re-audit of a period cannot single out a removed member", func(t *testing.T) { testAuditDifferencing(t, d) })
			t.Run("slack link", func(t *testing.T) { testSlackLink(t, d) })
			t.Run("live chat is stored once", func(t *testing.T) { testLiveChatOnce(t, d) })
			t.Run("calendar connections sync by resource", func(t *testing.T) { testCalendarConnections(t, d) })
			t.Run("calendar claims across servers", func(t *testing.T) { testCalendarClaimsAcrossServers(t, d) })
			t.Run("calendar large sync", func(t *testing.T) { testCalendarLargeSync(t, d) })
			t.Run("calendar warnings of the last sync", func(t *testing.T) { testCalendarWarnings(t, d) })
			t.Run("parallel sign-in attempts are reserved one by one", func(t *testing.T) { testParallelAttemptsReserved(t, d) })
			t.Run("sign-in backoff waits, then lets the next attempt through", func(t *testing.T) { testAttemptBackoff(t, d) })
			t.Run("single sign-on subjects", func(t *testing.T) { testOIDCSubjects(t, d) })
			t.Run("user zones", func(t *testing.T) { testUserZone(t, d) })
		})
	}
}

func roster(t *testing.T, name string, emails ...string) team.Team {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "team: %s\nnorms: {response_window: 8h, no_meeting_day: wed, min_group_size: 3}\nmembers:\n", name)
	zones := []string{"Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Europe/Lisbon"}
	for i, e := range emails {
		fmt.Fprintf(&b, "  - {name: P%d, email: %s, zone: %s, hours: \"08:30-16:45\", days: sun-thu, aliases: [U%d], holidays: [2026-12-25]}\n", i, e, zones[i%len(zones)], i)
	}
	tm, err := team.ParseRoster("test.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func stripIDs(t team.Team) team.Team {
	t.ID = 0
	ms := make([]team.Member, len(t.Members))
	for i, m := range t.Members {
		m.ID = 0
		ms[i] = m
	}
	t.Members = ms
	return t
}

func testTeamRoundTrip(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	want := roster(t, "Platform", "ana@example.com", "kenji@example.com", "liam@example.com")
	got, err := db.CreateTeam(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Members[2].ID == 0 {
		t.Fatalf("ids not set: %+v", got)
	}
	for _, ref := range []string{fmt.Sprint(got.ID), "Platform", "platform"} {
		read, err := db.Team(ctx, ref)
		if err != nil {
			t.Fatalf("Team(%q): %v", ref, err)
		}
		if diff := cmp.Diff(got, read); diff != "" {
			t.Errorf("Team(%q) differs from what was stored (-stored +read):\n%s", ref, diff)
		}
	}
	if diff := cmp.Diff(want, stripIDs(got)); diff != "" {
		t.Errorf("stored team differs from input:\n%s", diff)
	}
	list, err := db.ListTeams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.TeamSummary{{ID: got.ID, Name: "Platform", Members: 3}}, list); diff != "" {
		t.Errorf("ListTeams:\n%s", diff)
	}
	if err := db.DeleteTeam(ctx, "Platform"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Team(ctx, "Platform"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("after delete: err = %v, want not found", err)
	}
}

func testSaveRoster(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	first, created, err := db.SaveRoster(ctx, roster(t, "Core", "a@x.org", "b@x.org", "c@x.org"))
	if err != nil || !created {
		t.Fatalf("first save: created=%v err=%v", created, err)
	}
	second, created, err := db.SaveRoster(ctx, roster(t, "core", "c@x.org", "d@x.org", "A@x.org"))
	if err != nil || created {
		t.Fatalf("second save: created=%v err=%v", created, err)
	}
	if second.ID != first.ID {
		t.Errorf("team id changed: %d → %d", first.ID, second.ID)
	}
	ids := map[string]int64{}
	for _, m := range first.Members {
		ids[strings.ToLower(m.Email)] = m.ID
	}
	read, err := db.Team(ctx, "CORE")
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, m := range read.Members {
		emails = append(emails, m.Email)
		if old, ok := ids[strings.ToLower(m.Email)]; ok && old != m.ID {
			t.Errorf("%s: id %d → %d, want kept", m.Email, old, m.ID)
		}
	}
	if diff := cmp.Diff([]string{"c@x.org", "d@x.org", "A@x.org"}, emails); diff != "" {
		t.Errorf("roster order/members:\n%s", diff)
	}
}

func testErrors(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	if _, err := db.CreateTeam(ctx, roster(t, "Dup", "a@x.org")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"duplicate team name", second(db.CreateTeam(ctx, roster(t, "DUP", "b@x.org"))), rhythm.ECONFLICT},
		{"unknown team by name", second(db.Team(ctx, "nope")), rhythm.ENOTFOUND},
		{"unknown team by id", second(db.Team(ctx, "987654")), rhythm.ENOTFOUND},
		{"unknown member", second(db.Member(ctx, "Dup", 987654)), rhythm.ENOTFOUND},
		{"delete unknown member", db.DeleteMember(ctx, "Dup", 987654), rhythm.ENOTFOUND},
		{"duplicate member email", second(db.AddMember(ctx, "Dup", roster(t, "x", "A@X.org").Members[0])), rhythm.ECONFLICT},
		{"unknown setting", second(db.Setting(ctx, "nope")), rhythm.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rhythm.ErrorCode(tt.err); got != tt.code {
				t.Errorf("code = %q (%v), want %q", got, tt.err, tt.code)
			}
		})
	}
	// The failed writes above changed nothing.
	tm, err := db.Team(ctx, "Dup")
	if err != nil || len(tm.Members) != 1 {
		t.Errorf("after failed writes: %+v, %v; want the one member", tm, err)
	}
}

func second[T any](_ T, err error) error { return err }

func testMembers(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	if _, err := db.CreateTeam(ctx, roster(t, "M", "a@x.org")); err != nil {
		t.Fatal(err)
	}
	add := roster(t, "x", "b@x.org").Members[0]
	m, err := db.AddMember(ctx, "M", add)
	if err != nil {
		t.Fatal(err)
	}
	m.Zone = "America/St_Johns"
	m.Name = "Bea"
	if _, err := db.UpdateMember(ctx, "M", m.ID, m); err != nil {
		t.Fatal(err)
	}
	got, err := db.Member(ctx, "M", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("updated member:\n%s", diff)
	}
	if err := db.DeleteMember(ctx, "M", m.ID); err != nil {
		t.Fatal(err)
	}
	tm, _ := db.Team(ctx, "M")
	if len(tm.Members) != 1 || tm.Members[0].Email != "a@x.org" {
		t.Errorf("after delete: %+v", tm.Members)
	}
}

func testConcurrentWrites(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	if _, err := db.CreateTeam(ctx, roster(t, "Busy", "first@x.org")); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m := team.Member{Name: "W", Email: fmt.Sprintf("w%d-%d@x.org", w, i), Zone: "UTC", Hours: team.DefaultHours, Days: team.WeekdaysMonFri}
				if _, err := db.AddMember(ctx, "Busy", m); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	tm, err := db.Team(ctx, "Busy")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(tm.Members), 1+writers*each; got != want {
		t.Errorf("members = %d, want %d", got, want)
	}
}

func testTwoHandles(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	a := storetest.OpenDSN(t, dsn)
	b := storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	if _, err := a.CreateTeam(ctx, roster(t, "Shared", "a@x.org")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddMember(ctx, "Shared", roster(t, "x", "b@x.org").Members[0]); err != nil {
		t.Fatalf("second handle does not see the first's team: %v", err)
	}
	tm, err := a.Team(ctx, "Shared")
	if err != nil || len(tm.Members) != 2 {
		t.Errorf("first handle sees %+v, %v; want 2 members", tm.Members, err)
	}
}

func testSettings(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	var wg sync.WaitGroup
	got := make([]string, 6)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := db.EnsureSetting(ctx, "key", fmt.Sprint("value-", i))
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got[1:] {
		if v != got[0] {
			t.Fatalf("EnsureSetting returned different values: %q", got)
		}
	}
	if v, err := db.Setting(ctx, "key"); err != nil || v != got[0] {
		t.Errorf("Setting = %q, %v; want %q", v, err, got[0])
	}
}

func testReopen(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	if _, err := db.CreateTeam(context.Background(), roster(t, "Keep", "a@x.org")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := storetest.OpenDSN(t, dsn)
	if _, err := again.Team(context.Background(), "Keep"); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}
