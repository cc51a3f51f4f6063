package testenv

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCalDAVServers starts each real CalDAV server, makes a calendar with
// one event in it, and reads it back through a Wire.
func TestCalDAVServers(t *testing.T) {
	for _, s := range []struct {
		name  string
		start func(testing.TB) CalDAV
		home  string
	}{
		{"radicale", Radicale, "/ana/"},
		{"xandikos", Xandikos, "/user/calendars/"},
	} {
		t.Run(s.name, func(t *testing.T) {
			dav := s.start(t)
			cal := s.home + "work/"
			dav.Do(t, "MKCALENDAR", cal, "", 201)
			dav.Do(t, "PUT", cal+"a.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\n"+
				"DTSTAMP:20260101T000000Z\r\nDTSTART:20260105T090000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 201)
			c := &http.Client{}
			wire := Record(c)
			req, err := http.NewRequest("REPORT", dav.URL+cal, strings.NewReader(`<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">`+
				`<d:prop><c:calendar-data/></d:prop><d:href>`+cal+`a.ics</d:href></c:calendar-multiget>`))
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(dav.Username, dav.Password)
			req.Header.Set("Content-Type", "application/xml")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := []Request{{Method: "REPORT", Path: cal, Report: "calendar-multiget", Status: http.StatusMultiStatus, Calendars: 1}}
			if diff := cmp.Diff(want, wire.Take()); diff != "" {
				t.Fatalf("recorded (-want +got):\n%s", diff)
			}
			if got := wire.Take(); len(got) != 0 {
				t.Fatalf("a second Take returned %v", got)
			}
		})
	}
}
