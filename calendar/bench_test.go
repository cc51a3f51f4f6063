package calendar_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/internal/testenv"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// The benchmarks sync a 5,000-event calendar (4,000 single meetings and
// 1,000 weekly series over 2026, with attendees) from a local Radicale into
// a SQLite store, end to end: the claim, the requests, reading and
// expanding the events, and the transaction that stores the interactions
// and the connection's new state, as a sync round does.

// bigCalendar is the 5,000-event calendar as one iCalendar file.
func bigCalendar() []byte {
	var body bytes.Buffer
	body.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rhythm bench//EN\r\n")
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := range 5000 {
		start := t0.Add(time.Duration(i%250) * 24 * time.Hour).Add(time.Duration(i%9) * time.Hour)
		fmt.Fprintf(&body, "BEGIN:VEVENT\r\nUID:e%d@bench\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%s\r\nDURATION:PT30M\r\n", i, start.Format("20060102T150405Z"))
		if i%5 == 0 {
			body.WriteString("RRULE:FREQ=WEEKLY;COUNT=20\r\n")
		}
		body.WriteString("ORGANIZER:mailto:ana@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:kenji@example.com\r\nEND:VEVENT\r\n")
	}
	body.WriteString("END:VCALENDAR\r\n")
	return body.Bytes()
}

// seed is a Radicale storage folder holding the calendar as /ana/big/,
// made once per test binary: Radicale takes 20-40 s to take 5,000 events,
// and each benchmark starts its own Radicale on a copy.
var seed struct {
	once sync.Once
	dir  string
	err  error
}

func radicaleWith5000(b *testing.B) testenv.CalDAV {
	b.Helper()
	seed.once.Do(func() {
		dav := testenv.Radicale(b)
		dav.Do(b, "MKCALENDAR", "/ana/big/", "", 201)
		req, _ := http.NewRequest(http.MethodPut, dav.URL+"/ana/big/", bytes.NewReader(bigCalendar()))
		req.SetBasicAuth(dav.Username, dav.Password)
		req.Header.Set("Content-Type", "text/calendar")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			seed.err = err
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			seed.err = fmt.Errorf("upload: %s", resp.Status)
			return
		}
		if seed.dir, seed.err = os.MkdirTemp("", "rhythm-bench-radicale-"); seed.err == nil {
			seed.err = os.CopyFS(seed.dir, os.DirFS(dav.Storage))
		}
	})
	if seed.err != nil {
		b.Fatal(seed.err)
	}
	return testenv.RadicaleFrom(b, seed.dir)
}

// syncBench is a SQLite store with one team, and a worker whose window is
// 2026.
type syncBench struct {
	dav    testenv.CalDAV
	db     *store.DB
	w      *calendar.Worker
	teamID int64
}

func newSyncBench(b *testing.B, dav testenv.CalDAV) *syncBench {
	db := storetest.OpenDSN(b, filepath.Join(b.TempDir(), "rhythm.db"))
	tm := newTeam(b, db)
	w := worker(db, box(b), "bench", nil, func() time.Time { return time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC) })
	w.Back, w.Ahead = 182*24*time.Hour, 183*24*time.Hour
	return &syncBench{dav: dav, db: db, w: w, teamID: tm.ID}
}

// connect adds a connection to a calendar of the Radicale user.
func (s *syncBench) connect(b *testing.B, cal string) calendar.Record {
	rec, err := calendar.NewRecord(s.w.Box, s.teamID, "ana@example.com", calendar.CalDAV, s.dav.URL, s.dav.Username, s.dav.Password, cal, "Big")
	if err != nil {
		b.Fatal(err)
	}
	if rec, err = s.db.CreateCalendarConnection(context.Background(), rec); err != nil {
		b.Fatal(err)
	}
	return rec
}

// sync is one connection's part of a sync round: claim, sync, store.
func (s *syncBench) sync(b *testing.B, id int64) *calendar.Result {
	ctx := context.Background()
	now := s.w.Now()
	rec, err := s.db.ClaimCalendarSync(ctx, s.w.ID, id, now, now.Add(time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	o := s.w.Sync(ctx, &rec)
	if o.Result == nil {
		b.Fatal(o.Error)
	}
	if err := s.db.FinishCalendarSync(ctx, id, s.w.ID, o); err != nil {
		b.Fatal(err)
	}
	return o.Result
}

func reportSync(b *testing.B, res *calendar.Result) {
	n := 0
	for _, o := range res.Replace {
		n += len(o.Interactions)
	}
	b.ReportMetric(float64(len(res.Replace)), "resources")
	b.ReportMetric(float64(n), "instances")
	b.ReportMetric(float64(res.Requests), "requests")
}

// syncCollection asks Radicale for a calendar's changes since token, with
// the calendar data or without, as a phone or desktop client syncing it
// does, and returns the answer.
func syncCollection(b *testing.B, dav testenv.CalDAV, cal, token string, data bool) []byte {
	prop := `<d:getetag/>`
	if data {
		prop += `<c:calendar-data/>`
	}
	req, _ := http.NewRequest("REPORT", dav.URL+cal, strings.NewReader(`<?xml version="1.0" encoding="utf-8"?>`+
		`<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token>`+token+`</d:sync-token>`+
		`<d:sync-level>1</d:sync-level><d:prop>`+prop+`</d:prop></d:sync-collection>`))
	req.SetBasicAuth(dav.Username, dav.Password)
	req.Header.Set("Content-Type", "application/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusMultiStatus {
		b.Fatalf("sync-collection: %s, %v", resp.Status, err)
	}
	return body
}

var syncToken = regexp.MustCompile(`<sync-token>([^<]*)</sync-token>`)

// replay is a CalDAV server that answers at once with Radicale's recorded
// answers: full to a sync without token, changes to one with a token (its
// ETags made new each time, as for new changes). A sync against it costs
// rhythm's part alone.
func replay(b *testing.B, full, changes []byte) testenv.CalDAV {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(http.StatusMultiStatus)
		if bytes.Contains(body, []byte("<d:sync-token></d:sync-token>")) {
			w.Write(full)
			return
		}
		n++
		w.Write(bytes.ReplaceAll(changes, []byte(`"</getetag>`), fmt.Appendf(nil, `-%d"</getetag>`, n)))
	}))
	b.Cleanup(srv.Close)
	return testenv.CalDAV{URL: srv.URL, Username: "ana", Password: "app-pw-7Hq2"}
}

// edit changes the duration of 10 events, as a calendar app would.
func edit(b *testing.B, dav testenv.CalDAV, hrefs []string, round int) {
	for i := range 10 {
		h := hrefs[(round*10+i)%len(hrefs)]
		body := duration.ReplaceAllString(get(b, dav, h), fmt.Sprintf("DURATION:PT%dM", 31+round%29))
		dav.Do(b, http.MethodPut, h, body, 201, 204)
	}
}

// copyNeverSynced copies the calendar /ana/big/ to /ana/NAME/ inside
// Radicale's storage as a calendar no client has synced yet: its items and
// item cache, without the sync history.
func copyNeverSynced(b *testing.B, dav testenv.CalDAV, name string) string {
	src := filepath.Join(dav.Storage, "collection-root", "ana", "big")
	dst := filepath.Join(dav.Storage, "collection-root", "ana", name)
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	for _, d := range []string{"history", "sync-token"} {
		if err := os.RemoveAll(filepath.Join(dst, ".Radicale.cache", d)); err != nil {
			b.Fatal(err)
		}
	}
	return "/ana/" + name + "/"
}

// BenchmarkCalDAVFirstSync5000: a new connection's first sync of the
// 5,000-event calendar, into the store.
//
// "calendar in use": a client (a phone, a desktop app) has synced the
// calendar before, as any calendar in use has been. "never synced": no
// client ever asked Radicale for the calendar's changes, so the first
// sync-collection makes Radicale write a history entry for each of the
// 5,000 items (files written and fsynced one by one); that work is
// Radicale's, done once per calendar, and timed here with the rest. On a
// busy disk it can take Radicale longer than the 30 s that rhythm's
// outbound client waits for an answer (the worker's retry then finds the
// history written), so this case syncs through a client without timeouts.
// "rhythm alone": the same sync against Radicale's recorded answer,
// served at once: what rhythm's part costs.
func BenchmarkCalDAVFirstSync5000(b *testing.B) {
	for _, name := range []string{"calendar_in_use", "never_synced", "rhythm_alone"} {
		b.Run(name, func(b *testing.B) {
			dav := radicaleWith5000(b)
			if name != "never_synced" {
				full := syncCollection(b, dav, "/ana/big/", "", true)
				if name == "rhythm_alone" {
					dav = replay(b, full, nil)
				}
			}
			s := newSyncBench(b, dav)
			if name == "never_synced" {
				s.w.HTTP = &http.Client{}
			}
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				cal := "/ana/big/"
				if name == "never_synced" {
					cal = copyNeverSynced(b, s.dav, fmt.Sprintf("copy%d", round))
				}
				rec := s.connect(b, cal)
				b.StartTimer()
				res := s.sync(b, rec.ID)
				b.StopTimer()
				if len(res.Replace) != 5000 {
					b.Fatalf("first sync read %d resources, want 5000", len(res.Replace))
				}
				reportSync(b, res)
				b.StartTimer()
			}
		})
	}
}

var duration = regexp.MustCompile(`DURATION:PT\d+M`)

// BenchmarkCalDAVResync10: a sync after 10 of the 5,000 events changed
// downloads those 10 and nothing else, and replaces their instances in the
// store. "rhythm alone" syncs against Radicale's recorded answer to such a
// sync, served at once.
func BenchmarkCalDAVResync10(b *testing.B) {
	for _, name := range []string{"radicale", "rhythm_alone"} {
		b.Run(name, func(b *testing.B) {
			dav := radicaleWith5000(b)
			full := syncCollection(b, dav, "/ana/big/", "", true) // the calendar is in use
			var hrefs []string
			for _, m := range regexp.MustCompile(`<href>([^<]*)</href>`).FindAllSubmatch(full, -1) {
				hrefs = append(hrefs, string(m[1]))
			}
			sort.Strings(hrefs)
			if name == "rhythm_alone" {
				edit(b, dav, hrefs, 0)
				dav = replay(b, full, syncCollection(b, dav, "/ana/big/", string(syncToken.FindSubmatch(full)[1]), true))
			}
			s := newSyncBench(b, dav)
			rec := s.connect(b, "/ana/big/")
			s.sync(b, rec.ID)
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				if name == "radicale" {
					edit(b, dav, hrefs, round)
				}
				b.StartTimer()
				res := s.sync(b, rec.ID)
				b.StopTimer()
				if len(res.Replace) != 10 || len(res.Delete) != 0 || res.Requests != 1 {
					b.Fatalf("re-sync read %d resources and deleted %d in %d requests, want 10 and 0 in 1", len(res.Replace), len(res.Delete), res.Requests)
				}
				b.StartTimer()
			}
		})
	}
}

// get downloads one event as a calendar app would before editing it.
func get(b *testing.B, dav testenv.CalDAV, href string) string {
	req, _ := http.NewRequest(http.MethodGet, dav.URL+href, nil)
	req.SetBasicAuth(dav.Username, dav.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d, %v", href, resp.StatusCode, err)
	}
	return string(data)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seed.dir != "" {
		os.RemoveAll(seed.dir)
	}
	os.Exit(code)
}
