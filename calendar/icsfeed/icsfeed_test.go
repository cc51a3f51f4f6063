package icsfeed

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/outbound"
)

const calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260105T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// server serves a calendar with an ETag and counts full downloads.
func server(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var full atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/cal.ics", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, calendar)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html><html><body><form>Sign in</form></body></html>")
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusNotFound) })
	mux.HandleFunc("/denied", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusUnauthorized) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, "BEGIN:VCALENDAR\r\n")
		chunk := strings.Repeat("X-PAD:"+strings.Repeat("x", 1018)+"\r\n", 1024) // 1 MiB
		for i := 0; i < 200; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return // the client stopped reading: the point of the test
			}
		}
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://10.0.0.1/cal.ics", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &full
}

func fetcher(max int64) *Fetcher {
	return &Fetcher{Client: outbound.Policy{Allow: []string{"127.0.0.1"}}.Client(), MaxBytes: max}
}

func TestETagHonoured(t *testing.T) {
	srv, full := server(t)
	f := fetcher(0)
	first, err := f.Fetch(context.Background(), srv.URL+"/cal.ics", Validators{})
	if err != nil || first.NotModified || string(first.Body) != calendar || first.Validators.ETag != `"v1"` {
		t.Fatalf("first fetch: %+v, %v", first, err)
	}
	second, err := f.Fetch(context.Background(), srv.URL+"/cal.ics", first.Validators)
	if err != nil || !second.NotModified || second.Body != nil {
		t.Fatalf("second fetch: %+v, %v; want 304 Not Modified", second, err)
	}
	if n := full.Load(); n != 1 {
		t.Fatalf("the calendar was downloaded %d times, want 1", n)
	}
}

func TestFetchErrors(t *testing.T) {
	srv, _ := server(t)
	cases := []struct {
		name, path string
		max        int64
		code, want string
	}{
		{"html login page", "/login", 0, rhythm.EINVALID, "the link returned a web page, not a calendar: use the ICS link"},
		{"not a calendar", "/text", 0, rhythm.EINVALID, "did not return a calendar"},
		{"not found", "/gone", 0, rhythm.ENOTFOUND, "404 from 127.0.0.1"},
		{"refused", "/denied", 0, rhythm.EUNAUTHORIZED, "401 from 127.0.0.1"},
		{"over the limit", "/huge", 50 << 20, rhythm.ETOOLARGE, "larger than the 50 MB limit"},
		{"redirect to a private address", "/to-private", 0, rhythm.EINVALID, "10.0.0.1 is a private address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := fetcher(c.max).Fetch(context.Background(), srv.URL+c.path, Validators{})
			if rhythm.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Fetch %s: %v (code %s), want %s saying %q", c.path, err, rhythm.ErrorCode(err), c.code, c.want)
			}
		})
	}
}

func TestLoopbackRefusedUnlessAllowed(t *testing.T) {
	srv, full := server(t)
	f := &Fetcher{Client: outbound.Policy{}.Client()}
	_, err := f.Fetch(context.Background(), srv.URL+"/cal.ics", Validators{})
	if !outbound.IsRefused(err) || full.Load() != 0 {
		t.Fatalf("fetch from loopback without allowing it: %v, downloads %d", err, full.Load())
	}
}

func TestWebcalAndHost(t *testing.T) {
	if got := webcal("webcal://p01-caldav.icloud.com/published/2/abc"); got != "https://p01-caldav.icloud.com/published/2/abc" {
		t.Errorf("webcal = %q", got)
	}
	if got := Host("webcal://calendar.example.com/secret/basic.ics"); got != "calendar.example.com" {
		t.Errorf("Host = %q", got)
	}
}
