package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/csvevents"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/ingest/mbox"
	"github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

const fixtures = "../ingest"

// importTeam stores the team of the ingest fixtures and returns it with a
// resolver keyed by the database's pseudonym key.
func importTeam(t *testing.T, db *store.DB) (team.Team, *ingest.Resolver) {
	t.Helper()
	ctx := context.Background()
	tm := roster(t, "Imports", "ana@example.com", "kenji@example.com", "priya@example.com")
	tm.Members[1].Aliases = []string{"U024BE7LH"}
	tm, err := db.CreateTeam(ctx, tm)
	if err != nil {
		t.Fatal(err)
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.NewResolver(&tm, key)
	if err != nil {
		t.Fatal(err)
	}
	return tm, res
}

func slackFixture(t *testing.T, res *ingest.Resolver) store.ImportFunc {
	t.Helper()
	e, err := slack.Open(filepath.Join(fixtures, "slack", "testdata", "export"), res, ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e.Import
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testImportInteractions(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	tm, res := importTeam(t, db)
	var emitted []ingest.Interaction
	read := slackFixture(t, res)
	meta := store.ImportMeta{Name: "export.zip", Format: "slack", Hash: "h1"}
	imp, err := db.ImportInteractions(ctx, tm.ID, meta, func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
		return read(ctx, func(in ingest.Interaction) error { emitted = append(emitted, in); return emit(in) })
	})
	if err != nil {
		t.Fatal(err)
	}
	if imp.ID == 0 || imp.Stored != 8 || imp.Read != 13 || imp.Skipped != 5 || imp.SkippedReasons["bot_message"] != 1 || imp.Duplicate {
		t.Errorf("import = %+v, want 13 read, 8 stored, 5 skipped", imp)
	}
	var got []ingest.Interaction
	if err := db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(in ingest.Interaction) error { got = append(got, in); return nil }); err != nil {
		t.Fatal(err)
	}
	byStart := func(ins []ingest.Interaction) map[string]ingest.Interaction {
		m := map[string]ingest.Interaction{}
		for _, in := range ins {
			m[in.ID] = in
		}
		return m
	}
	if diff := cmp.Diff(byStart(emitted), byStart(got)); diff != "" {
		t.Errorf("stored interactions differ from the imported ones (-imported +stored):\n%s", diff)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Start.Before(got[i-1].Start) {
			t.Errorf("interactions not in order of start at %d", i)
		}
	}

	// The same content again changes nothing.
	again, err := db.ImportInteractions(ctx, tm.ID, meta, slackFixture(t, res))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || again.ID != imp.ID || again.Stored != 8 || count(t, db, "interactions") != 8 || count(t, db, "imports") != 1 {
		t.Errorf("re-import = %+v with %d rows, want the first import, unchanged", again, count(t, db, "interactions"))
	}
	imps, err := db.Imports(ctx, tm.ID)
	if err != nil || len(imps) != 1 || imps[0].Stored != 8 || imps[0].Name != "export.zip" {
		t.Errorf("Imports = %+v, %v", imps, err)
	}

	// A failed import leaves no rows, even after many batches.
	boom := errors.New("boom")
	_, err = db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "bad", Format: "csv", Hash: "h2"}, func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
		for i := range 10000 {
			if err := emit(ingest.Interaction{Source: ingest.SourceCSV, Mode: ingest.Async, Kind: ingest.Message, ID: fmt.Sprint(i), Start: time.Unix(int64(i), 0)}); err != nil {
				return ingest.Stats{}, err
			}
		}
		return ingest.Stats{}, boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("failed import: err = %v, want boom", err)
	}
	if n, m := count(t, db, "interactions"), count(t, db, "imports"); n != 8 || m != 1 {
		t.Errorf("after a failed import: %d interactions, %d imports; want 8, 1", n, m)
	}
	// Bad input in a real source: also nothing.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "channels.json"), []byte(`[{"id":"C1","name":"general"}]`), 0o644)
	os.Mkdir(filepath.Join(dir, "general"), 0o755)
	os.WriteFile(filepath.Join(dir, "general", "2026-03-01.json"), []byte(`[{"type":"message","user":"U1","ts":"1.0"}]`), 0o644)
	os.WriteFile(filepath.Join(dir, "general", "2026-03-02.json"), []byte("[\n{\"type\":"), 0o644)
	e, err := slack.Open(dir, res, ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	_, err = db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "broken", Format: "slack", Hash: "h3"}, e.Import)
	if err == nil || !strings.Contains(err.Error(), "general/2026-03-02.json:2") {
		t.Errorf("broken export: err = %v, want one naming general/2026-03-02.json:2", err)
	}
	if n, m := count(t, db, "interactions"), count(t, db, "imports"); n != 8 || m != 1 {
		t.Errorf("after a broken export: %d interactions, %d imports; want 8, 1", n, m)
	}
	// An unknown team.
	if _, err := db.ImportInteractions(ctx, tm.ID+100, store.ImportMeta{Name: "x", Format: "slack", Hash: "h4"}, slackFixture(t, res)); err == nil {
		t.Error("import into a missing team succeeded")
	}
}

var secretRE = regexp.MustCompile(`SECRET-[A-Za-z0-9-]+`)

// dump returns every value of every table as text.
func dump(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"settings", "teams", "members", "imports", "interactions", "slack_channels"} {
		rows, err := db.SQL().Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v\t", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

func testNoContentStored(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	tm, res := importTeam(t, db)
	// The fixtures carry content markers: make sure they are there to find.
	var fixtureText []byte
	for _, p := range []string{"slack/testdata/export/general/2026-03-02.json", "mbox/testdata/sample.mbox", "csvevents/testdata/events.csv", "icsevents/testdata/team.ics"} {
		b, err := os.ReadFile(filepath.Join(fixtures, p))
		if err != nil {
			t.Fatal(err)
		}
		fixtureText = append(fixtureText, b...)
	}
	markers := secretRE.FindAll(fixtureText, -1)
	if len(markers) < 15 {
		t.Fatalf("only %d content markers in the fixtures", len(markers))
	}
	m, err := mbox.Open(filepath.Join(fixtures, "mbox", "testdata", "sample.mbox"), res)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c, err := csvevents.Open(filepath.Join(fixtures, "csvevents", "testdata", "events.csv"), res)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cal, err := icsevents.OpenAs(filepath.Join(fixtures, "icsevents", "testdata", "team.ics"), "team.ics", res)
	if err != nil {
		t.Fatal(err)
	}
	defer cal.Close()
	total := 0
	for i, read := range []store.ImportFunc{slackFixture(t, res), m.Import, c.Import, cal.Import} {
		imp, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: fmt.Sprint(i), Format: "x", Hash: fmt.Sprint(i)}, read)
		if err != nil {
			t.Fatal(err)
		}
		total += imp.Stored
	}
	if total < 20 {
		t.Fatalf("only %d interactions stored", total)
	}
	if live := recordLive(t, db); live < 3 {
		t.Fatalf("only %d live messages stored", live)
	}
	all := dump(t, db)
	for _, mk := range markers {
		if strings.Contains(all, string(mk)) {
			t.Errorf("the database holds content %q", mk)
		}
	}
	for _, raw := range []string{"gina@partner.example", "sam.stranger@else.example", "andre@else.example", "guest@partner.example", "root.1@mail.example.com", "Gina Guest", "launch", "standup-1@example.com", "room-lisbon", "Room Lisbon"} {
		if strings.Contains(strings.ToLower(all), strings.ToLower(raw)) {
			t.Errorf("the database holds %q", raw)
		}
	}
	if !strings.Contains(all, "anon-") {
		t.Error("no pseudonym stored; the check above proves nothing")
	}
	if d.Name == store.SQLite {
		// And the bytes on disk, log included.
		db.Close()
		for _, f := range []string{dsn, dsn + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if m := secretRE.Find(b); m != nil {
				t.Errorf("%s holds content %q", filepath.Base(f), m)
			}
			if bytes.Contains(b, []byte("gina@partner.example")) {
				t.Errorf("%s holds a non-member's address", filepath.Base(f))
			}
		}
	}
}

func testPseudonymKey(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	k1, err := db.PseudonymKey(context.Background())
	if err != nil || len(k1) < ingest.MinKeySize {
		t.Fatalf("PseudonymKey = %q, %v", k1, err)
	}
	db2 := storetest.OpenDSN(t, dsn)
	k2, err := db2.PseudonymKey(context.Background())
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("reopened key %q, %v; want %q", k2, err, k1)
	}
}

// recordLive stores the messages of the Slack fixture's #general as live
// events of a team linked to the workspace, and returns how many.
func recordLive(t *testing.T, db *store.DB) int {
	t.Helper()
	ctx := context.Background()
	tm := roster(t, "Live", "ana@example.com", "kenji@example.com")
	tm.Slack = &team.SlackLink{Workspace: "T0FIXTURE", Channels: []team.SlackChannel{{ID: "C0GENERAL", Name: "general"}}}
	tm, err := db.CreateTeam(ctx, tm)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Resolver(ctx, tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(fixtures, "slack/testdata/export/general/2026-03-02.json"))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []json.RawMessage
	if err := json.Unmarshal(b, &msgs); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		in, skip, err := slack.Live(m, slack.Channel{ID: "C0GENERAL", Name: "general", Kind: ingest.Public}, res, nil)
		if err != nil || skip != "" {
			continue
		}
		if ok, err := db.RecordLiveChat(ctx, tm.ID, in); err != nil {
			t.Fatal(err)
		} else if ok {
			n++
		}
	}
	return n
}
