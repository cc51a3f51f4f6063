package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
)

// recorder stands in for the network: it answers name lookups from a table
// and records every address the client tries to dial, dialling for real
// only loopback addresses (the test's own servers).
type recorder struct {
	mu     sync.Mutex
	names  map[string][]netip.Addr
	dialed []string
}

func (r *recorder) lookup(_ context.Context, host string) ([]netip.Addr, error) {
	if a, ok := r.names[host]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("no such host %s", host)
}

func (r *recorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.dialed = append(r.dialed, addr)
	r.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return nil, fmt.Errorf("test network: %s is not reachable", addr)
}

func (r *recorder) policy(allow ...string) Policy {
	return Policy{Allow: allow, dial: r.dial, lookup: r.lookup}
}

func (r *recorder) dialedAny(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.dialed {
		if strings.HasPrefix(d, prefix) {
			return true
		}
	}
	return false
}

func TestRefusedAddresses(t *testing.T) {
	cases := []struct{ name, url, want string }{
		{"plain http", "http://calendar.example.com/a.ics", "plain http"},
		{"loopback literal", "https://127.0.0.1/a.ics", "loopback"},
		{"loopback v6", "https://[::1]/a.ics", "loopback"},
		{"mapped loopback", "https://[::ffff:127.0.0.1]/a.ics", "loopback"},
		{"private 10/8", "https://10.0.0.1/a.ics", "private"},
		{"private 192.168", "https://192.168.1.20/a.ics", "private"},
		{"link-local metadata", "https://169.254.169.254/latest", "link-local"},
		{"unique local v6", "https://[fd00::1]/x", "private"},
		{"multicast", "https://239.1.2.3/x", "multicast"},
		{"unspecified", "https://0.0.0.0/x", "unspecified"},
		{"carrier NAT", "https://100.64.1.1/x", "reserved"},
		{"NAT64 to private", "https://[64:ff9b::a00:1]/x", "reserved"},
		{"6to4 embedding loopback", "https://[2002:7f00:1::1]/x", "reserved"},
		{"IPv4-compatible loopback", "https://[::127.0.0.1]/x", "reserved"},
		{"Teredo", "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x", "reserved"},
		{"discard-only v6", "https://[100::1]/x", "reserved"},
		{"site-local v6", "https://[fec0::1]/x", "reserved"},
		{"name to private", "https://intranet.example.com/a.ics", "private"},
		{"name to loopback", "https://localhost.example.com/a.ics", "loopback"},
		{"name to link-local v6", "https://ll.example.com/a.ics", "link-local"},
		{"credentials in URL", "https://user:pw@calendar.example.com/a.ics", "user name or password"},
		{"not a URL", "calendar.example.com/a.ics", "not an https URL"},
		{"ftp", "ftp://calendar.example.com/a.ics", "not an https URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{names: map[string][]netip.Addr{
				"intranet.example.com":         {netip.MustParseAddr("10.1.2.3")},
				"localhost.example.com":        {netip.MustParseAddr("127.0.0.1")},
				"ll.example.com":               {netip.MustParseAddr("fe80::1")},
				"calendar.example.com":         {netip.MustParseAddr("93.184.216.34")},
				"user:pw@calendar.example.com": nil,
			}}
			p := rec.policy()
			_, err := p.Client().Get(c.url)
			if err == nil {
				t.Fatalf("GET %s: no error", c.url)
			}
			if !IsRefused(err) || !strings.Contains(rhythm.ErrorMessage(err), c.want) {
				t.Fatalf("GET %s: %v, want a refusal saying %q", c.url, err, c.want)
			}
			if len(rec.dialed) != 0 {
				t.Fatalf("dialled %v for a refused URL", rec.dialed)
			}
		})
	}
}

func TestPublicAddressIsDialled(t *testing.T) {
	rec := &recorder{names: map[string][]netip.Addr{"calendar.example.com": {netip.MustParseAddr("93.184.216.34")}}}
	p := rec.policy()
	_, err := p.Client().Get("https://calendar.example.com/a.ics")
	if err == nil || !rec.dialedAny("93.184.216.34:443") {
		t.Fatalf("err %v, dialled %v: want an attempt at the public address", err, rec.dialed)
	}
}

func TestAllowedHostsAndNetworks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, c := range []struct{ name, allow, url string }{
		{"address", "127.0.0.1", srv.URL},
		{"network", "127.0.0.0/8", srv.URL},
		{"name", "nextcloud.lan", fmt.Sprintf("http://nextcloud.lan:%d/", port)},
		{"wildcard", "*.lan", fmt.Sprintf("http://cal.office.lan:%d/", port)},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{names: map[string][]netip.Addr{
				"nextcloud.lan":  {netip.MustParseAddr("127.0.0.1")},
				"cal.office.lan": {netip.MustParseAddr("127.0.0.1")},
			}}
			allow, err := ParseAllow("--calendar-allow-hosts", c.allow)
			if err != nil {
				t.Fatal(err)
			}
			p := rec.policy(allow...)
			resp, err := p.Client().Get(c.url)
			if err != nil {
				t.Fatalf("GET %s with %q allowed: %v", c.url, c.allow, err)
			}
			resp.Body.Close()
		})
	}
}

func TestRedirects(t *testing.T) {
	var hops int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-private":
			http.Redirect(w, r, "https://10.0.0.1/a.ics", http.StatusFound)
		case "/to-private-name":
			http.Redirect(w, r, "https://intranet.example.com/a.ics", http.StatusFound)
		case "/loop":
			hops++
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/three":
			http.Redirect(w, r, "/two", http.StatusFound)
		case "/two":
			http.Redirect(w, r, "/one", http.StatusFound)
		case "/one":
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	rec := &recorder{names: map[string][]netip.Addr{"intranet.example.com": {netip.MustParseAddr("10.1.2.3")}}}
	c := rec.policy("127.0.0.1").Client()

	for _, path := range []string{"/to-private", "/to-private-name"} {
		t.Run(path, func(t *testing.T) {
			_, err := c.Get(srv.URL + path)
			if !IsRefused(err) {
				t.Fatalf("redirect %s: %v, want a refusal", path, err)
			}
			if rec.dialedAny("10.") {
				t.Fatalf("dialled a private address: %v", rec.dialed)
			}
		})
	}
	t.Run("at most 5", func(t *testing.T) {
		_, err := c.Get(srv.URL + "/loop")
		if err == nil || !strings.Contains(err.Error(), "more than 5 redirects") {
			t.Fatalf("redirect loop: %v", err)
		}
		if hops != 6 {
			t.Fatalf("followed %d hops, want 6 requests (the first and 5 redirects)", hops)
		}
	})
	t.Run("a few are followed", func(t *testing.T) {
		resp, err := c.Get(srv.URL + "/three")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
}

func TestReadAllLimit(t *testing.T) {
	if _, err := ReadAll(strings.NewReader(strings.Repeat("x", 100)), 100, "the calendar"); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
	_, err := ReadAll(strings.NewReader(strings.Repeat("x", 101)), 100, "the calendar")
	if rhythm.ErrorCode(err) != rhythm.ETOOLARGE || !strings.Contains(err.Error(), "the calendar is larger than the 100 bytes limit") {
		t.Fatalf("over the limit: %v", err)
	}
}

func TestRedactAndClean(t *testing.T) {
	secret := "https://calendar.google.com/calendar/ical/team%40example.com/private-5f2b9c0e7d/basic.ics"
	got := Redact(secret)
	if got != "https://calendar.google.com/….ics" || strings.Contains(got, "private-5f2b") {
		t.Fatalf("Redact = %q", got)
	}
	rec := &recorder{names: map[string][]netip.Addr{"calendar.google.com": {netip.MustParseAddr("142.250.1.1")}}}
	_, err := rec.policy().Client().Get(secret)
	err = Clean(err)
	if err == nil || strings.Contains(err.Error(), "private-5f2b") {
		t.Fatalf("Clean left the secret in %q", err)
	}
	var ue interface{ Timeout() bool }
	_ = errors.As(err, &ue)
}

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow("--calendar-allow-hosts", " Nextcloud.LAN, 10.0.0.0/8 ,,192.168.1.5")
	if err != nil || strings.Join(got, "|") != "nextcloud.lan|10.0.0.0/8|192.168.1.5" {
		t.Fatalf("ParseAllow = %v, %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "user@host", "a b"} {
		if _, err := ParseAllow("--calendar-allow-hosts", bad); rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), "--calendar-allow-hosts") {
			t.Errorf("ParseAllow(%q) = %v, want an error naming the setting", bad, err)
		}
	}
}

// A server too slow to answer, or to finish its answer, is named in plain
// words, and the error is still a timeout.
func TestTimeoutsInPlainWords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			io.WriteString(w, "BEGIN:VCALENDAR\r\n")
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := Policy{Allow: []string{"127.0.0.1"}, Timeout: 100 * time.Millisecond}.Client()
	host := srv.Listener.Addr().String()
	for _, tc := range []struct{ path, want string }{
		{"/private-k3y/headers", "no answer from " + host + " in time: the server is slow or unreachable"},
		{"/body", "the answer of " + host + " did not arrive in time: the server is slow or unreachable"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := c.Get(srv.URL + tc.path)
			if err == nil {
				_, err = ReadAll(resp.Body, 0, "the answer of "+host)
				resp.Body.Close()
			}
			err = Clean(err)
			var te interface{ Timeout() bool }
			if err == nil || err.Error() != tc.want || !errors.As(err, &te) || !te.Timeout() {
				t.Fatalf("error %v, want %q and a timeout", err, tc.want)
			}
		})
	}
}
