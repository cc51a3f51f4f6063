package caldav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/testenv"
)

// server makes calendars and puts and deletes events as a calendar app
// would.
type server struct {
	t   testing.TB
	dav testenv.CalDAV
}

func (s server) mkcalendar(path string) { s.dav.Do(s.t, "MKCALENDAR", path, "", 201) }
func (s server) put(path, ics string)   { s.dav.Do(s.t, "PUT", path, ics, 201, 204) }
func (s server) del(path string)        { s.dav.Do(s.t, "DELETE", path, "", 200, 204) }

func event(uid, start string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rhythm test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
		"\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDURATION:PT30M\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

func client(t testing.TB, dav testenv.CalDAV, password string) *Client {
	t.Helper()
	c, err := New(outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), dav.URL, dav.Username, password)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// davServer is a real CalDAV server the tests run against, and how it
// differs from the others.
type davServer struct {
	name  string
	start func(testing.TB) testenv.CalDAV
	// home is the account's calendar home; the test makes a calendar
	// "work" in it.
	home string
	// others are the calendars the server starts with.
	others []string
	// dataInSync: the server sends calendar data inside sync-collection.
	dataInSync bool
	// forgotten is a sync token of the server's form that it does not know.
	forgotten string
}

var davServers = []davServer{
	{name: "radicale", start: testenv.Radicale, home: "/ana/", dataInSync: true,
		forgotten: "http://radicale.org/ns/sync/not-a-token"},
	// xandikos answers sync-collection with <calendar-data/> in a 404
	// propstat, and a token it does not know (a commit of another
	// repository, as when a calendar is made again) with a 500.
	{name: "xandikos", start: testenv.Xandikos, home: "/user/calendars/", others: []string{"/user/calendars/calendar/"},
		forgotten: "0123456789abcdef0123456789abcdef01234567"},
}

// TestDiscoverAndSync discovers the calendars of an account from the server
// URL alone and follows one calendar's changes, against each real server.
func TestDiscoverAndSync(t *testing.T) {
	for _, s := range davServers {
		t.Run(s.name, func(t *testing.T) { testDiscoverAndSync(t, s) })
	}
}

func testDiscoverAndSync(t *testing.T, s davServer) {
	dav := s.start(t)
	srv := server{t, dav}
	work := s.home + "work/"
	srv.mkcalendar(work)
	for i := 1; i <= 3; i++ {
		srv.put(fmt.Sprintf("%se%d.ics", work, i), event(fmt.Sprintf("e%d@test", i), fmt.Sprintf("2026010%dT090000Z", i+4)))
	}
	ctx := context.Background()
	c := client(t, dav, dav.Password)
	wire := testenv.Record(c.HTTP)

	cals, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, cal := range cals {
		found = append(found, cal.Href)
		if cal.SyncToken == "" {
			t.Errorf("Discover: %s has no sync token", cal.Href)
		}
	}
	wantFound := append([]string{work}, s.others...)
	sort.Strings(found)
	sort.Strings(wantFound)
	if diff := cmp.Diff(wantFound, found); diff != "" {
		t.Fatalf("Discover found (-want +got):\n%s", diff)
	}
	// From the server URL alone: /.well-known/caldav (RFC 6764), which
	// both servers redirect to /, then the principal and its calendar home,
	// each asked with PROPFIND (a redirect followed with GET asks nothing).
	for _, r := range wire.Take() {
		if r.Method != "PROPFIND" {
			t.Errorf("Discover sent %s %s (%d)", r.Method, r.Path, r.Status)
		}
	}

	first, err := c.Sync(ctx, work, "", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{work + "e1.ics", work + "e2.ics", work + "e3.ics"}
	if diff := cmp.Diff(want, keys(first.Changed)); diff != "" || len(first.Deleted) != 0 {
		t.Fatalf("first sync (-want +got):\n%s deleted %v", diff, first.Deleted)
	}
	if len(first.Data) != 0 {
		t.Fatalf("a sync without data returned data for %d resources", len(first.Data))
	}
	objs, err := c.Get(ctx, work, keys(first.Changed))
	if err != nil || len(objs) != 3 {
		t.Fatalf("Get = %d objects, %v", len(objs), err)
	}
	for _, o := range objs {
		if !strings.Contains(string(o.Data), "BEGIN:VEVENT") || o.ETag == "" || o.ETag != first.Changed[o.Href] {
			t.Fatalf("object %s: etag %q (sync said %q), data %q", o.Href, o.ETag, first.Changed[o.Href], o.Data)
		}
	}
	// Asked with the data, the same sync brings every body in one request
	// from a server that sends them, and the same changes without them
	// from one that does not.
	before := c.Requests
	withData, err := c.Sync(ctx, work, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Requests - before; n != 1 {
		t.Fatalf("a sync with data sent %d requests, want 1", n)
	}
	if diff := cmp.Diff(first.Changed, withData.Changed); diff != "" {
		t.Fatalf("a sync with data listed other changes (-without +with):\n%s", diff)
	}
	if !s.dataInSync && len(withData.Data) != 0 {
		t.Fatalf("data for %v from a server that sends none", keys(withData.Data))
	}
	for _, o := range objs {
		if d, ok := withData.Data[o.Href]; (ok || s.dataInSync) && string(d) != string(o.Data) {
			t.Fatalf("%s: data sent with the changes differs from calendar-multiget's (-multiget +sync):\n%s", o.Href, cmp.Diff(string(o.Data), string(d)))
		}
	}

	// One changed, one deleted, one added: the next sync names exactly those.
	srv.put(work+"e1.ics", event("e1@test", "20260105T100000Z"))
	srv.del(work + "e2.ics")
	srv.put(work+"e4.ics", event("e4@test", "20260109T090000Z"))
	before = c.Requests
	second, err := c.Sync(ctx, work, first.Token, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{work + "e1.ics", work + "e4.ics"}, keys(second.Changed)); diff != "" {
		t.Fatalf("second sync changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{work + "e2.ics"}, second.Deleted); diff != "" {
		t.Fatalf("second sync deleted (-want +got):\n%s", diff)
	}
	if n := c.Requests - before; n != 1 {
		t.Fatalf("the second sync sent %d requests, want 1", n)
	}
	var wantData []string
	if s.dataInSync {
		wantData = []string{work + "e1.ics", work + "e4.ics"}
	}
	if diff := cmp.Diff(wantData, keys(second.Data)); diff != "" {
		t.Fatalf("second sync sent data for (-want +got):\n%s", diff)
	}

	list, err := c.List(ctx, work)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{work + "e1.ics", work + "e3.ics", work + "e4.ics"}, keys(list)); diff != "" {
		t.Fatalf("List (-want +got):\n%s", diff)
	}
	ctag, token, err := c.CTag(ctx, work)
	if err != nil || ctag == "" || token != second.Token {
		t.Fatalf("CTag = %q, %q, %v; want the token of the last sync %q", ctag, token, err, second.Token)
	}

	if _, err := c.Sync(ctx, work, s.forgotten, true); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("an unknown token: %v, want ErrTokenExpired", err)
	}
}

func TestRadicaleWrongPassword(t *testing.T) {
	dav := testenv.Radicale(t)
	c := client(t, dav, "wrong")
	_, err := c.Discover(context.Background())
	if rhythm.ErrorCode(err) != rhythm.EUNAUTHORIZED || !strings.Contains(err.Error(), "401 from 127.0.0.1") ||
		!strings.Contains(err.Error(), "app password was refused") {
		t.Fatalf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Fatalf("the error shows the password: %v", err)
	}
}

func TestServerWithoutSyncCollection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusNotImplemented)
	}))
	defer srv.Close()
	c, err := New(outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), srv.URL, "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(context.Background(), "/cal/", "", true); !errors.Is(err, ErrNoSync) {
		t.Fatalf("Sync on a server without it: %v, want ErrNoSync", err)
	}
}

// A server that has sync-collection but refuses calendar-data in it is
// asked again without the data: its changes still come by token.
func TestServerRefusingDataInSyncCollection(t *testing.T) {
	var asked []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		data := strings.Contains(string(body), "calendar-data")
		asked = append(asked, data)
		if data {
			http.Error(w, "unsupported property", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprint(w, `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/cal/a.ics</d:href>`+
			`<d:propstat><d:prop><d:getetag>"1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`+
			`<d:sync-token>t2</d:sync-token></d:multistatus>`)
	}))
	defer srv.Close()
	c, err := New(outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), srv.URL, "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Sync(context.Background(), "/cal/", "t1", true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bool{true, false}, asked); diff != "" {
		t.Errorf("requests asked for data (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"/cal/a.ics": `"1"`}, ch.Changed); diff != "" || ch.Token != "t2" || len(ch.Data) != 0 {
		t.Errorf("changes (-want +got):\n%s token %q, data for %d", diff, ch.Token, len(ch.Data))
	}
}

func TestNotACalDAVServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>hello</html>")
	}))
	defer srv.Close()
	c, _ := New(outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), srv.URL, "u", "p")
	if _, err := c.Discover(context.Background()); err == nil || !strings.Contains(err.Error(), "200 from 127.0.0.1") {
		t.Fatalf("Discover on a web site: %v", err)
	}
	if _, err := New(nil, "cloud.example.com", "u", "p"); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Fatalf("a server without scheme: %v", err)
	}
}

// A server that moves /.well-known/caldav elsewhere than / (Nextcloud:
// 301 to /remote.php/dav/) and has no DAV at /: discovery follows the
// redirect with PROPFIND, as RFC 6764 asks, where net/http would send GET.
func TestWellKnownRedirect(t *testing.T) {
	answers := map[string]string{
		"/remote.php/dav/":                      `<d:current-user-principal><d:href>/remote.php/dav/principals/users/ana/</d:href></d:current-user-principal>`,
		"/remote.php/dav/principals/users/ana/": `<c:calendar-home-set><d:href>/remote.php/dav/calendars/ana/</d:href></c:calendar-home-set>`,
	}
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, r.Method+" "+r.URL.Path)
		if u, _, ok := r.BasicAuth(); !ok || u != "ana" {
			http.Error(w, "who?", http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method != "PROPFIND":
			http.Error(w, "a web page", http.StatusOK)
		case r.URL.Path == "/.well-known/caldav":
			http.Redirect(w, r, "/remote.php/dav/", http.StatusMovedPermanently)
		case r.URL.Path == "/remote.php/dav/calendars/ana/":
			w.WriteHeader(http.StatusMultiStatus)
			fmt.Fprint(w, `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/remote.php/dav/calendars/ana/personal/</d:href>`+
				`<d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Personal</d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`)
		case answers[r.URL.Path] != "":
			w.WriteHeader(http.StatusMultiStatus)
			fmt.Fprintf(w, `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>%s</d:href><d:propstat><d:prop>%s</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`, r.URL.Path, answers[r.URL.Path])
		default:
			http.Error(w, "no DAV here", http.StatusMethodNotAllowed)
		}
	}))
	defer srv.Close()
	c, err := New(outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), srv.URL, "ana", "p")
	if err != nil {
		t.Fatal(err)
	}
	cals, err := c.Discover(context.Background())
	if err != nil {
		t.Fatalf("Discover: %v (requests %v)", err, sent)
	}
	if len(cals) != 1 || cals[0].Href != "/remote.php/dav/calendars/ana/personal/" || cals[0].Name != "Personal" {
		t.Errorf("Discover = %+v", cals)
	}
	want := []string{"PROPFIND /.well-known/caldav", "PROPFIND /remote.php/dav/", "PROPFIND /remote.php/dav/principals/users/ana/", "PROPFIND /remote.php/dav/calendars/ana/"}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
