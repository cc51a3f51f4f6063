package calendar

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/testenv"
	"github.com/rhythm-team/rhythm/team"
)

// The window of the tests: the 2026 spring DST changes in the US (8 March)
// and the EU (29 March) are inside it.
var (
	from = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
)

const roster = `team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
`

func resolver(t testing.TB) *ingest.Resolver {
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ingest.NewResolver(&tm, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func syncer(t testing.TB) *Syncer {
	return &Syncer{HTTP: outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), From: from, To: to, Resolver: resolver(t)}
}

// stored is what a store keeps after applying sync results: the
// interactions of each calendar resource, and the state for the next sync.
type stored struct {
	objects map[string][]ingest.Interaction
	conn    Connection
}

func (s *stored) apply(r *Result) {
	if s.objects == nil {
		s.objects = map[string][]ingest.Interaction{}
	}
	if s.conn.Objects == nil {
		s.conn.Objects = map[string]string{}
	}
	if r.Unchanged {
		return
	}
	if r.Full {
		clear(s.objects)
		clear(s.conn.Objects)
	}
	for _, k := range r.Delete {
		delete(s.objects, k)
		delete(s.conn.Objects, k)
	}
	for _, o := range r.Replace {
		s.objects[o.Key] = o.Interactions
		s.conn.Objects[o.Key] = o.ETag
	}
	s.conn.ETag, s.conn.LastModified, s.conn.SyncToken = r.ETag, r.LastModified, r.SyncToken
}

// instances lists the stored instances as "start end" lines, sorted.
func (s *stored) instances() []string {
	var out []string
	for _, ins := range s.objects {
		for _, in := range ins {
			out = append(out, in.Start.Format(time.RFC3339)+" "+in.End.Format(time.RFC3339))
		}
	}
	sort.Strings(out)
	return out
}

// expanded lists what ical/ expands from the same data in the window,
// leaving out events marked free as the importers do.
func expanded(t testing.TB, bodies ...string) []string {
	t.Helper()
	var out []string
	for _, b := range bodies {
		cal, _, err := ical.Parse(strings.NewReader(b), ical.Options{Name: "x.ics"})
		if err != nil {
			t.Fatal(err)
		}
		ins, err := cal.Expand(from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			if !in.Transparent {
				out = append(out, in.Start.UTC().Format(time.RFC3339)+" "+in.End.UTC().Format(time.RFC3339))
			}
		}
	}
	sort.Strings(out)
	return out
}

// A weekly series in New York across the US DST change, with a moved
// instance and an EXDATE; a Berlin series across the EU change; singles.
var events = map[string]string{
	"standup.ics": `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//rhythm test//EN
BEGIN:VEVENT
UID:standup@test
DTSTAMP:20260101T000000Z
DTSTART;TZID=America/New_York:20260202T090000
DURATION:PT30M
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
EXDATE;TZID=America/New_York:20260216T090000
ORGANIZER:mailto:ana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:kenji@example.com
END:VEVENT
BEGIN:VEVENT
UID:standup@test
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=America/New_York:20260309T090000
DTSTART;TZID=America/New_York:20260310T140000
DURATION:PT45M
ORGANIZER:mailto:ana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:kenji@example.com
END:VEVENT
END:VCALENDAR
`,
	"sync.ics": `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//rhythm test//EN
BEGIN:VEVENT
UID:berlin@test
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Berlin:20260319T160000
DTEND;TZID=Europe/Berlin:20260319T170000
RRULE:FREQ=WEEKLY;COUNT=4
ATTENDEE:mailto:ana@example.com
ATTENDEE:mailto:kenji@example.com
END:VEVENT
END:VCALENDAR
`,
}

func single(uid, start string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rhythm test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
		"\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDURATION:PT1H\r\nATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:kenji@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestICSSyncLeavesOutADenseEvent: a calendar link whose calendar has one
// event too dense to expand still syncs: the other events are read and the
// one left out is noted in the result.
func TestICSSyncLeavesOutADenseEvent(t *testing.T) {
	good := crlf(events["standup.ics"])
	bad := "BEGIN:VEVENT\r\nUID:bad2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260202T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"
	body := strings.Replace(good, "END:VCALENDAR", bad+"END:VCALENDAR", 1)
	line := strings.Count(good[:strings.Index(good, "END:VCALENDAR")], "\n") + 1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, body)
	}))
	defer srv.Close()
	st := &stored{conn: Connection{ID: 3, Kind: ICS, URL: srv.URL + "/private-abc/basic.ics"}}
	res, err := syncer(t).Sync(context.Background(), &st.conn)
	if err != nil {
		t.Fatalf("sync failed: %v", err)
	}
	st.apply(res)
	if diff := cmp.Diff(expanded(t, good), st.instances()); diff != "" {
		t.Errorf("(-expand without the dense event +synced):\n%s", diff)
	}
	want := []ingest.Note{{Reason: "calendar warning",
		Where: fmt.Sprintf(`calendar link:%d: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`, line)}}
	if diff := cmp.Diff(want, res.Stats.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if o := res.Replace[0]; o.Warnings != 1 || len(o.Notes) != 1 || o.Notes[0] != want[0].Where {
		t.Errorf("the link's warnings = %d %q, want 1: %q", o.Warnings, o.Notes, want[0].Where)
	}
}

// TestWarningNotes: a connection keeps the first MaxWarnings calendar
// warnings, each on one line of at most maxWarningLen bytes.
func TestWarningNotes(t *testing.T) {
	long := strings.Repeat("é", 150)
	var st ingest.Stats
	st.Skip("marked free")
	for _, w := range []string{
		`x.ics:6: invalid content line: unterminated quoted parameter value; line skipped`,
		`x.ics:10: event "s2": unknown time zone "Mars/Olympus"; reading its times in UTC`,
		"/dav/a.ics: not\n an\x00 iCalendar file",
		`x.ics:20: event "` + long + `": event has no DTSTART; event skipped`,
		"w5", "w6", "w7",
	} {
		st.Note(icsevents.Warning, w)
	}
	st.Note("bad date", "elsewhere")
	n, notes := WarningNotes(st)
	want := []string{
		`x.ics:6: invalid content line: unterminated quoted parameter value; line skipped`,
		`x.ics:10: event "s2": unknown time zone "Mars/Olympus"; reading its times in UTC`,
		"/dav/a.ics: not an iCalendar file",
		`x.ics:20: event "` + strings.Repeat("é", (maxWarningLen-len(`x.ics:20: event "`)-len("…"))/2) + "…",
		"w5",
	}
	if diff := cmp.Diff(want, notes); n != 7 || diff != "" {
		t.Errorf("WarningNotes = %d, (-want +got):\n%s", n, diff)
	}
	for _, w := range notes {
		if len(w) > maxWarningLen || strings.Contains(w, "layoffs") {
			t.Errorf("note %q: longer than %d bytes or quotes the skipped line", w, maxWarningLen)
		}
	}
}

// crlf writes a calendar as servers keep it: CRLF lines and a VTIMEZONE
// for each zone it names (ical/'s writer adds them).
func crlf(s string) string {
	cal, _, err := ical.Parse(strings.NewReader(s), ical.Options{Name: "x.ics"})
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	if _, err := cal.WriteTo(&b); err != nil {
		panic(err)
	}
	return b.String()
}

// davServer is a real CalDAV server to sync against, and how it differs
// from the others.
type davServer struct {
	name  string
	start func(testing.TB) testenv.CalDAV
	// home is the account's calendar home: the test makes "work" in it.
	home string
	// dataInSync: the server sends calendar data inside sync-collection;
	// from the others rhythm downloads the changes with calendar-multiget.
	dataInSync bool
	// forgotten is a sync token of the server's form that it does not know.
	forgotten string
	// checksPassword: the server refuses a wrong password.
	checksPassword bool
}

var davServers = []davServer{
	{name: "radicale", start: testenv.Radicale, home: "/ana/", dataInSync: true,
		forgotten: "http://radicale.org/ns/sync/forgotten", checksPassword: true},
	{name: "xandikos", start: testenv.Xandikos, home: "/user/calendars/",
		forgotten: "0123456789abcdef0123456789abcdef01234567"},
}

// TestCalDAVSyncAppliesChanges syncs a calendar twice on each real server:
// as Radicale allows, with the calendar data inside sync-collection (one
// request a sync), and as for a server that sends only ETags (xandikos;
// and Radicale asked so) with a calendar-multiget of what changed.
func TestCalDAVSyncAppliesChanges(t *testing.T) {
	for _, s := range davServers {
		modes := []bool{false}
		if s.dataInSync {
			modes = append(modes, true)
		}
		for _, separate := range modes {
			name := s.name + "/data with the changes"
			if separate || !s.dataInSync {
				name = s.name + "/changes then multiget"
			}
			t.Run(name, func(t *testing.T) { testCalDAVSyncAppliesChanges(t, s, separate) })
		}
	}
}

func testCalDAVSyncAppliesChanges(t *testing.T, s davServer, separate bool) {
	dav := s.start(t)
	work := s.home + "work/"
	dav.Do(t, "MKCALENDAR", work, "", 201)
	bodies := map[string]string{}
	put := func(name, body string) {
		bodies[work+name] = crlf(body)
		dav.Do(t, "PUT", work+name, bodies[work+name], 201, 204)
	}
	del := func(name string) {
		delete(bodies, work+name)
		dav.Do(t, "DELETE", work+name, "", 200, 204)
	}
	for name, b := range events {
		put(name, b)
	}
	for i := range 6 {
		put(fmt.Sprintf("s%d.ics", i), single(fmt.Sprintf("s%d@test", i), fmt.Sprintf("202603%02dT120000Z", 10+i)))
	}
	all := func() []string {
		var out []string
		for _, b := range bodies {
			out = append(out, b)
		}
		return out
	}

	st := &stored{conn: Connection{ID: 1, Kind: CalDAV, URL: dav.URL, Username: dav.Username, Password: dav.Password, Calendar: work}}
	sy := syncer(t)
	sy.SeparateData = separate
	wire := testenv.Record(sy.HTTP)
	// What a sync of n changed resources asks and downloads: the changes
	// with their data, or the changes and then a multiget of them.
	want := func(n int) []testenv.Request {
		if s.dataInSync && !separate {
			return []testenv.Request{{Method: "REPORT", Path: work, Report: "sync-collection", Status: 207, Calendars: n}}
		}
		return []testenv.Request{
			{Method: "REPORT", Path: work, Report: "sync-collection", Status: 207},
			{Method: "REPORT", Path: work, Report: "calendar-multiget", Status: 207, Calendars: n},
		}
	}
	ctx := context.Background()
	first, err := sy.Sync(ctx, &st.conn)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want(8), wire.Take()); diff != "" || first.Requests != len(want(8)) {
		t.Errorf("first sync sent %d requests (-want +got):\n%s", first.Requests, diff)
	}
	st.apply(first)
	if diff := cmp.Diff(expanded(t, all()...), st.instances()); diff != "" {
		t.Fatalf("after the first sync, instances differ from ical expand (-expand +synced):\n%s", diff)
	}
	if n := len(st.instances()); n != 9+4+6 {
		t.Fatalf("%d instances, want 19 (9 standups, 4 Berlin, 6 singles)", n)
	}

	// Change 3, delete 2, add 1.
	put("s0.ics", single("s0@test", "20260320T080000Z"))
	put("s1.ics", single("s1@test", "20260321T080000Z"))
	put("sync.ics", strings.Replace(events["sync.ics"], "COUNT=4", "COUNT=2", 1))
	del("s2.ics")
	del("s3.ics")
	put("new.ics", single("new@test", "20260401T100000Z"))
	second, err := sy.Sync(ctx, &st.conn)
	if err != nil {
		t.Fatal(err)
	}
	var replaced []string
	for _, o := range second.Replace {
		replaced = append(replaced, o.Key)
	}
	sort.Strings(replaced)
	if diff := cmp.Diff([]string{work + "new.ics", work + "s0.ics", work + "s1.ics", work + "sync.ics"}, replaced); diff != "" {
		t.Errorf("second sync replaced (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{work + "s2.ics", work + "s3.ics"}, second.Delete); diff != "" {
		t.Errorf("second sync deleted (-want +got):\n%s", diff)
	}
	// The 4 changed are downloaded, none of the 4 unchanged.
	if diff := cmp.Diff(want(4), wire.Take()); diff != "" || second.Requests != len(want(4)) {
		t.Errorf("second sync sent %d requests (-want +got):\n%s", second.Requests, diff)
	}
	st.apply(second)
	if diff := cmp.Diff(expanded(t, all()...), st.instances()); diff != "" {
		t.Fatalf("after the second sync (-expand +synced):\n%s", diff)
	}

	third, err := sy.Sync(ctx, &st.conn)
	if err != nil || !third.Unchanged || third.Requests != 1 {
		t.Fatalf("a sync with nothing changed: %+v, %v", third, err)
	}

	// A token the server forgot: start over, and what is gone is deleted.
	st.conn.SyncToken = s.forgotten
	st.conn.Objects[work+"ghost.ics"] = `"x"`
	st.objects[work+"ghost.ics"] = []ingest.Interaction{{Start: from}}
	again, err := sy.Sync(ctx, &st.conn)
	if err != nil {
		t.Fatal(err)
	}
	st.apply(again)
	if diff := cmp.Diff(expanded(t, all()...), st.instances()); diff != "" {
		t.Fatalf("after a restart (-expand +synced):\n%s", diff)
	}

	if !s.checksPassword {
		return
	}
	bad := st.conn
	bad.Password = "wrong"
	if _, err := sy.Sync(ctx, &bad); rhythm.ErrorCode(err) != rhythm.EUNAUTHORIZED || !strings.Contains(Describe(err), "401 from 127.0.0.1") {
		t.Fatalf("a wrong password: %v", err)
	}
}

func TestICSSync(t *testing.T) {
	body := crlf(events["standup.ics"])
	var downloads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		downloads.Add(1)
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	st := &stored{conn: Connection{ID: 2, Kind: ICS, URL: srv.URL + "/private-abc/basic.ics"}}
	sy := syncer(t)
	first, err := sy.Sync(context.Background(), &st.conn)
	if err != nil {
		t.Fatal(err)
	}
	st.apply(first)
	if diff := cmp.Diff(expanded(t, body), st.instances()); diff != "" {
		t.Fatalf("(-expand +synced):\n%s", diff)
	}
	second, err := sy.Sync(context.Background(), &st.conn)
	if err != nil || !second.Unchanged || downloads.Load() != 1 {
		t.Fatalf("second fetch: %+v, %v, %d downloads; want a 304", second, err, downloads.Load())
	}
}
