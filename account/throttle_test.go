package account

import (
	"testing"
	"time"
)

func TestClientAddress(t *testing.T) {
	trusted, err := ParseProxies("10.0.0.0/8, 192.168.1.1 [::1]")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct client", "203.0.113.5:1234", nil, "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:1234", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy", "10.0.0.2:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed hop left of the real client", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted proxies", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.1, 192.168.1.1"}, "198.51.100.1"},
		{"several header lines", "10.0.0.2:80", []string{"1.2.3.4", "198.51.100.1"}, "198.51.100.1"},
		{"only proxies", "10.0.0.2:80", []string{"10.0.0.9"}, "10.0.0.9"},
		{"no header from a proxy", "10.0.0.2:80", nil, "10.0.0.2"},
		{"garbage hop stops the walk", "10.0.0.2:80", []string{"198.51.100.1, nonsense"}, "10.0.0.2"},
		{"ipv6 loopback proxy", "[::1]:80", []string{"2001:db8::7"}, "2001:db8::7"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClientAddress(tt.peer, tt.xff, trusted); got != tt.want {
				t.Errorf("ClientAddress(%q, %q) = %q, want %q", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
}

func TestParseProxiesRefusesNonsense(t *testing.T) {
	if _, err := ParseProxies("10.0.0.0/8,proxy.internal"); err == nil {
		t.Error("a host name was accepted as a proxy")
	}
	if p, err := ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty list = %v, %v", p, err)
	}
}

func TestLimitDelay(t *testing.T) {
	l := Limit{Free: 3, Base: time.Second, Max: time.Minute}
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{{0, 0}, {2, 0}, {3, time.Second}, {4, 2 * time.Second}, {8, 32 * time.Second}, {9, time.Minute}, {1000, time.Minute}} {
		if got := l.Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}
