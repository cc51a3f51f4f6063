package calendar

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/internal/testenv"
)

// radicaleWith5000 starts Radicale with a 5,000-event calendar in
// /ana/big/ (uploaded whole, as Radicale allows): 4,000 single meetings and
// 1,000 weekly series over 2026, with attendees.
func radicaleWith5000(b *testing.B) (testenv.CalDAV, *Syncer) {
	dav := testenv.Radicale(b)
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
	srv := davServer{b, dav}
	srv.send("MKCALENDAR", "/ana/big/", "", 201)
	req, _ := http.NewRequest(http.MethodPut, dav.URL+"/ana/big/", &body)
	req.SetBasicAuth(dav.Username, dav.Password)
	req.Header.Set("Content-Type", "text/calendar")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		b.Fatalf("upload: %s", resp.Status)
	}
	sy := syncer(b)
	sy.From, sy.To = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	return dav, sy
}

// BenchmarkCalDAVFirstSync5000: the first sync of the 5,000-event calendar
// (sync-collection, multiget in batches, reading and expanding 2026).
func BenchmarkCalDAVFirstSync5000(b *testing.B) {
	dav, sy := radicaleWith5000(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		res, err := sy.Sync(ctx, &Connection{Kind: CalDAV, URL: dav.URL, Username: dav.Username, Password: dav.Password, Calendar: "/ana/big/"})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, o := range res.Replace {
			n += len(o.Interactions)
		}
		b.ReportMetric(float64(len(res.Replace)), "resources")
		b.ReportMetric(float64(n), "instances")
		b.ReportMetric(float64(res.Requests), "requests")
	}
}

var duration = regexp.MustCompile(`DURATION:PT\d+M`)

// BenchmarkCalDAVResync10: a sync after 10 events changed downloads those
// 10 and nothing else.
func BenchmarkCalDAVResync10(b *testing.B) {
	dav, sy := radicaleWith5000(b)
	ctx := context.Background()
	st := &stored{conn: Connection{Kind: CalDAV, URL: dav.URL, Username: dav.Username, Password: dav.Password, Calendar: "/ana/big/"}}
	first, err := sy.Sync(ctx, &st.conn)
	if err != nil {
		b.Fatal(err)
	}
	st.apply(first)
	var hrefs []string
	for h := range st.conn.Objects {
		hrefs = append(hrefs, h)
	}
	sort.Strings(hrefs)
	srv := davServer{b, dav}
	round := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		round++
		for i := range 10 {
			h := hrefs[(round*10+i)%len(hrefs)]
			objs, err := (&Syncer{HTTP: sy.HTTP}).getOne(ctx, &st.conn, h)
			if err != nil {
				b.Fatal(err)
			}
			body := duration.ReplaceAllString(objs, "DURATION:PT"+itoa(31+round%29)+"M")
			srv.send("PUT", h, body, 201, 204)
		}
		b.StartTimer()
		res, err := sy.Sync(ctx, &st.conn)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Replace) != 10 || res.Requests != 1 {
			b.Fatalf("re-sync downloaded %d resources in %d requests, want 10 in 1", len(res.Replace), res.Requests)
		}
		st.apply(res)
	}
}
