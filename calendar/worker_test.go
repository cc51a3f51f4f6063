package calendar_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/internal/testenv"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

const teamYAML = `team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
`

func newTeam(t testing.TB, db *store.DB) team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(teamYAML))
	if err != nil {
		t.Fatal(err)
	}
	if tm, err = db.CreateTeam(context.Background(), tm); err != nil {
		t.Fatal(err)
	}
	return tm
}

func box(t testing.TB) *secret.Box {
	b, err := secret.New(bytes.Repeat([]byte{42}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func worker(db *store.DB, b *secret.Box, id string, log *slog.Logger, now func() time.Time) *calendar.Worker {
	return &calendar.Worker{Store: db, Box: b, HTTP: outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), Resolver: db.Resolver, ID: id, Log: log, Now: now}
}

func put(t testing.TB, dav testenv.CalDAV, path, body string) {
	t.Helper()
	if body == "" {
		dav.Do(t, "MKCALENDAR", path, "", 201)
		return
	}
	dav.Do(t, http.MethodPut, path, body, 201, 204)
}

func event(uid string, start time.Time) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rhythm test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" +
		start.UTC().Format("20060102T150405Z") + "\r\nDURATION:PT1H\r\nSUMMARY:SECRET-standup\r\nATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestWorkerSyncsRadicaleAndKeepsSecrets connects a member's CalDAV
// calendar, syncs it, and then looks for the app password and the secret
// link in the database files and a debug log.
func TestWorkerSyncsRadicaleAndKeepsSecrets(t *testing.T) {
	dav := testenv.Radicale(t)
	put(t, dav, "/ana/work/", "")
	now := time.Now().UTC().Truncate(time.Hour)
	for i := range 5 {
		put(t, dav, fmt.Sprintf("/ana/work/e%d.ics", i), event(fmt.Sprintf("e%d@test", i), now.Add(time.Duration(i*24)*time.Hour)))
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rhythm.db")
	db := storetest.OpenDSN(t, dbPath)
	tm := newTeam(t, db)
	b := box(t)
	ctx := context.Background()
	secretLink := dav.URL + "/ana/?private=k3yS3cr3tL1nk"
	rec, err := calendar.NewRecord(b, tm.ID, "ana@example.com", calendar.CalDAV, dav.URL, dav.Username, dav.Password, "/ana/work/", "Work")
	if err != nil {
		t.Fatal(err)
	}
	if rec, err = db.CreateCalendarConnection(ctx, rec); err != nil {
		t.Fatal(err)
	}
	ics, _ := calendar.NewRecord(b, tm.ID, "", calendar.ICS, secretLink, "", "", "", "")
	if _, err := db.CreateCalendarConnection(ctx, ics); err != nil {
		t.Fatal(err)
	}
	wrong, _ := calendar.NewRecord(b, tm.ID, "kenji@example.com", calendar.CalDAV, dav.URL, dav.Username, "not-the-password", "/ana/work/", "Work")
	if wrong, err = db.CreateCalendarConnection(ctx, wrong); err != nil {
		t.Fatal(err)
	}

	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w := worker(db, b, "server-1", log, nil)
	st, err := w.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Synced != 1 || st.Failed != 2 { // the ICS link is a CalDAV page, not a calendar
		t.Fatalf("round = %+v, want 1 synced and 2 failed", st)
	}
	got, _ := db.CalendarConnection(ctx, rec.ID)
	if got.State() != "synced, 5 events" {
		t.Errorf("state = %q", got.State())
	}
	bad, _ := db.CalendarConnection(ctx, wrong.ID)
	if !strings.Contains(bad.State(), "401 from 127.0.0.1") || bad.Events != 0 {
		t.Errorf("wrong password state = %q, events %d", bad.State(), bad.Events)
	}
	n := 0
	db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(in ingest.Interaction) error { n++; return nil })
	if n != 5 {
		t.Errorf("%d interactions stored, want 5", n)
	}
	db.Close()
	for _, secretText := range []string{dav.Password, "k3yS3cr3tL1nk", "SECRET-standup"} {
		for _, f := range []string{dbPath, dbPath + "-wal"} {
			data, _ := os.ReadFile(f)
			if bytes.Contains(data, []byte(secretText)) {
				t.Errorf("%s holds %q", filepath.Base(f), secretText)
			}
		}
		if strings.Contains(logBuf.String(), secretText) {
			t.Errorf("the log holds %q:\n%s", secretText, logBuf.String())
		}
	}
}

// TestTwoServersSyncEachConnectionOnce runs two workers over one database
// with 50 calendar links: each link is fetched once per round and no
// interaction is stored twice.
func TestTwoServersSyncEachConnectionOnce(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			var fetches sync.Map
			var total atomic.Int32
			start := time.Now().UTC().Truncate(time.Hour)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				v, _ := fetches.LoadOrStore(r.URL.Path, new(atomic.Int32))
				v.(*atomic.Int32).Add(1)
				total.Add(1)
				time.Sleep(2 * time.Millisecond)
				io.WriteString(w, event("shared@test"+r.URL.Path, start))
			}))
			defer srv.Close()
			dsn := d.DSN(t)
			db1, db2 := storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)
			tm := newTeam(t, db1)
			b := box(t)
			ctx := context.Background()
			for i := range 50 {
				rec, err := calendar.NewRecord(b, tm.ID, "", calendar.ICS, fmt.Sprintf("%s/cal/%02d.ics", srv.URL, i), "", "", "", "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db1.CreateCalendarConnection(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
			now := func() time.Time { return time.Now().Add(time.Minute) }
			var wg sync.WaitGroup
			for i, db := range []*store.DB{db1, db2} {
				w := worker(db, b, fmt.Sprintf("server-%d", i+1), nil, now)
				wg.Go(func() {
					if _, err := w.Round(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if total.Load() != 50 {
				t.Errorf("%d fetches in one round, want 50", total.Load())
			}
			fetches.Range(func(k, v any) bool {
				if n := v.(*atomic.Int32).Load(); n != 1 {
					t.Errorf("%s fetched %d times", k, n)
				}
				return true
			})
			n := 0
			db1.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(ingest.Interaction) error { n++; return nil })
			if n != 50 {
				t.Errorf("%d interactions stored, want 50", n)
			}
		})
	}
}

// TestSameMeetingCountsOnce: the same meeting synced from two members'
// calendars and imported from a file is one meeting in the audit.
func TestSameMeetingCountsOnce(t *testing.T) {
	start := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC) // a Tuesday
	body := event("shared@test", start)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer srv.Close()
	db := storetest.SQLite(t)
	tm := newTeam(t, db)
	b := box(t)
	ctx := context.Background()
	for _, who := range []string{"ana@example.com", "kenji@example.com"} {
		rec, _ := calendar.NewRecord(b, tm.ID, who, calendar.ICS, srv.URL+"/"+who+"/basic.ics", "", "", "", "")
		if _, err := db.CreateCalendarConnection(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	w := worker(db, b, "server-1", nil, func() time.Time { return time.Now().Add(time.Minute) })
	w.Back = 365 * 24 * time.Hour
	if st, err := w.Round(ctx); err != nil || st.Synced != 2 {
		t.Fatalf("round = %+v, %v", st, err)
	}
	res, _ := db.Resolver(ctx, tm.ID)
	if _, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "cal.ics", Format: "ics", Hash: "h"}, func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
		return icsevents.New(strings.NewReader(body), "cal.ics", res).Import(ctx, emit)
	}); err != nil {
		t.Fatal(err)
	}
	stored := 0
	a, err := audit.New(&tm, audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 11, Day: 2}, To: team.Date{Year: 2026, Month: 11, Day: 8}}})
	if err != nil {
		t.Fatal(err)
	}
	db.Interactions(ctx, tm.ID, time.Time{}, time.Time{}, func(in ingest.Interaction) error { stored++; a.Add(&in); return nil })
	if stored != 3 {
		t.Fatalf("%d interactions stored, want 3 copies of the meeting", stored)
	}
	ana, _ := a.Result().Person("ana@example.com")
	if ana.Total.Meetings != 1 || ana.Total.MeetingHours != 1 {
		t.Fatalf("Ana's audit: %v meetings, %v hours; want the one meeting once", ana.Total.Meetings, ana.Total.MeetingHours)
	}
}

// TestWorkerRetriesAfterTimeout: a CalDAV server that answers the first
// sync later than the outbound client waits (30 s in production, 200 ms
// here) leaves the connection failing with a state that says so; the
// worker does not try again before the backoff, and then syncs.
func TestWorkerRetriesAfterTimeout(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Second).Add(time.Minute)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then a client that gives up closes the request's context
		if requests.Add(1) == 1 {
			select { // as a server busy with the first sync of a big calendar
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		if r.Method != "REPORT" {
			http.Error(w, "only sync-collection here", http.StatusMethodNotAllowed)
			return
		}
		var data strings.Builder
		xml.EscapeText(&data, []byte(event("slow@test", start.Add(24*time.Hour))))
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprintf(w, `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/cal/work/a.ics</d:href>`+
			`<d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>%s</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`+
			`</d:response><d:sync-token>t1</d:sync-token></d:multistatus>`, data.String())
	}))
	defer srv.Close()
	db := storetest.SQLite(t)
	tm := newTeam(t, db)
	b := box(t)
	ctx := context.Background()
	rec, err := calendar.NewRecord(b, tm.ID, "ana@example.com", calendar.CalDAV, srv.URL, "ana", "app-password", "/cal/work/", "Work")
	if err != nil {
		t.Fatal(err)
	}
	if rec, err = db.CreateCalendarConnection(ctx, rec); err != nil {
		t.Fatal(err)
	}
	now := start
	w := worker(db, b, "server-1", nil, func() time.Time { return now })
	w.HTTP = outbound.Policy{Allow: []string{"127.0.0.1"}, Timeout: 200 * time.Millisecond}.Client()

	for _, step := range []struct {
		name     string
		at       time.Duration // after start
		want     calendar.RoundStats
		requests int32 // the server has had, in all
		state    string
		failures int
	}{
		{"the first sync times out", 0, calendar.RoundStats{Failed: 1}, 1, "failing: no answer from " + srv.Listener.Addr().String() + " in time: the server is slow or unreachable", 1},
		{"not tried again before the backoff", 59 * time.Second, calendar.RoundStats{}, 1, "failing: no answer", 1},
		{"the retry after the backoff syncs", time.Minute, calendar.RoundStats{Synced: 1}, 2, "synced, 1 event", 0},
	} {
		t.Run(step.name, func(t *testing.T) {
			now = start.Add(step.at)
			st, err := w.Round(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st != step.want {
				t.Errorf("round = %+v, want %+v", st, step.want)
			}
			if n := requests.Load(); n != step.requests {
				t.Errorf("the server has had %d requests, want %d", n, step.requests)
			}
			got, err := db.CalendarConnection(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got.State(), step.state) || got.Failures != step.failures {
				t.Errorf("state %q, %d failures; want %q…, %d", got.State(), got.Failures, step.state, step.failures)
			}
		})
	}
}
