// Package outbound is the one HTTP client for URLs that people type:
// calendar links, CalDAV servers and webhooks. It refuses what a server must
// not be made to fetch on an attacker's behalf: plain http, loopback,
// private, link-local, multicast and other special addresses, checked on the
// address actually dialled (after DNS, on every redirect and every
// connection), unless an admin allowed the host or network.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
)

// Defaults of a Policy's zero fields.
const (
	DefaultMaxRedirects = 5
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBytes     = 50 << 20
)

// Policy says what a client may reach. The zero value is the safe default:
// https only, public addresses only.
type Policy struct {
	// Allow lists host names (exact, case-insensitive; "*.example.com"
	// for subdomains), IP addresses and CIDR networks that may be reached
	// even when private, and over plain http.
	Allow []string
	// MaxRedirects bounds the redirects followed; 0 means DefaultMaxRedirects.
	MaxRedirects int
	// Timeout bounds one whole request, body included; 0 means DefaultTimeout.
	Timeout time.Duration

	// dial opens the connection to an address already checked; tests
	// replace it so that no refused address is ever contacted.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// lookup resolves a host name; tests replace it.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// ParseAllow splits a comma-separated list of hosts and networks (the
// --calendar-allow-hosts setting) and checks each entry.
func ParseAllow(field, list string) ([]string, error) {
	var out []string
	for _, e := range strings.Split(list, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if strings.Contains(e, "/") {
			if _, err := netip.ParsePrefix(e); err != nil {
				return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a network such as 192.168.1.0/24", field, e)
			}
		} else if strings.ContainsAny(e, ":@ ") && net.ParseIP(e) == nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a host name, address or network", field, e)
		}
		out = append(out, e)
	}
	return out, nil
}

// allowedHost reports whether the admin allowed host by name.
func (p *Policy) allowedHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, a := range p.Allow {
		switch {
		case a == host:
			return true
		case strings.HasPrefix(a, "*.") && strings.HasSuffix(host, a[1:]):
			return true
		}
	}
	return false
}

// allowedAddr reports whether the admin allowed ip, as an address or network.
func (p *Policy) allowedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, a := range p.Allow {
		if pfx, err := netip.ParsePrefix(a); err == nil && pfx.Contains(ip) {
			return true
		}
		if addr, err := netip.ParseAddr(a); err == nil && addr.Unmap() == ip {
			return true
		}
	}
	return false
}

// special lists the networks that are not the public internet, beyond what
// netip's own predicates cover.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated; embeds any IPv4)
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64 (may reach IPv4 private space)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/32"),       // Teredo (embeds any IPv4)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4 (embeds any IPv4)
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated, private use)
}

// kind names why ip is not a public address, or returns "" when it is.
func kind(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip.IsUnspecified():
		return "an unspecified address"
	}
	for _, p := range special {
		if p.Contains(ip) {
			return "a reserved address"
		}
	}
	return ""
}

// refused is the error for an address or URL the policy does not allow.
func refused(format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, format+" (an admin can allow it with --calendar-allow-hosts)", args...)
}

// CheckURL checks what can be checked before any connection: an absolute
// https URL (http only for allowed hosts), with no credentials in it, and
// not naming a refused address literally.
func (p *Policy) CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s is not an https URL", Redact(raw))
	}
	host := u.Hostname()
	if u.Scheme == "http" && !p.allowedHost(host) && !p.literalAllowed(host) {
		return nil, refused("%s uses plain http: only https is fetched", Redact(raw))
	}
	if u.User != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s holds a user name or password: give them as separate settings", Redact(raw))
	}
	if ip, err := netip.ParseAddr(host); err == nil && !p.allowedAddr(ip) {
		if k := kind(ip); k != "" {
			return nil, refused("%s is %s", host, k)
		}
	}
	return u, nil
}

func (p *Policy) literalAllowed(host string) bool {
	ip, err := netip.ParseAddr(host)
	return err == nil && p.allowedAddr(ip)
}

// dialContext resolves addr itself, refuses it unless every address it
// dials is allowed, and dials the checked address (so a DNS answer cannot
// change between the check and the connection).
func (p *Policy) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		lookup := p.lookup
		if lookup == nil {
			lookup = func(ctx context.Context, h string) ([]netip.Addr, error) {
				return net.DefaultResolver.LookupNetIP(ctx, "ip", h)
			}
		}
		if ips, err = lookup(ctx, host); err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: no such host", host)
		}
	}
	byName := p.allowedHost(host)
	var lastErr error
	for _, ip := range ips {
		if k := kind(ip); k != "" && !byName && !p.allowedAddr(ip) {
			lastErr = refused("%s resolves to %s, %s", host, ip.Unmap(), k)
			continue
		}
		dial := p.dial
		if dial == nil {
			d := &net.Dialer{Timeout: 10 * time.Second}
			dial = d.DialContext
		}
		conn, err := dial(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	if lastErr == nil {
		lastErr = rhythm.Errorf(rhythm.EINVALID, "%s: no address", host)
	}
	return nil, lastErr
}

// Client returns an http.Client that enforces the policy on every request,
// redirect and connection. Environment proxies are not used: a proxy would
// hide the address actually reached.
func (p Policy) Client() *http.Client {
	pol := p
	max := pol.MaxRedirects
	if max == 0 {
		max = DefaultMaxRedirects
	}
	timeout := pol.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	tr := &http.Transport{
		DialContext:           pol.dialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
	return &http.Client{
		Transport: &checked{policy: &pol, next: tr},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > max {
				return rhythm.Errorf(rhythm.EINVALID, "more than %d redirects from %s", max, Redact(via[0].URL.String()))
			}
			return nil
		},
	}
}

// checked checks each request's URL, redirects included, before it is sent.
type checked struct {
	policy *Policy
	next   http.RoundTripper
}

func (c *checked) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, err := c.policy.CheckURL(req.URL.String()); err != nil {
		return nil, err
	}
	return c.next.RoundTrip(req)
}

// ReadAll reads r up to max bytes (DefaultMaxBytes when max is 0) and fails
// with an ETOOLARGE error naming what was read when r holds more.
func ReadAll(r io.Reader, max int64, what string) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if isTimeout(err) {
		return nil, &timeoutError{msg: what + " did not arrive in time: the server is slow or unreachable", err: err}
	}
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, rhythm.Errorf(rhythm.ETOOLARGE, "%s is larger than the %s limit", what, sizeText(max))
	}
	return b, nil
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Redact shows a URL the way a secret link may be shown back: scheme, host
// and the last 4 characters of the rest, never credentials, the path or
// the query in full.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "a URL ending in …" + last4(raw)
	}
	rest := u.EscapedPath()
	if u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	if rest == "" || rest == "/" {
		return u.Scheme + "://" + u.Host + "/"
	}
	return u.Scheme + "://" + u.Host + "/…" + last4(rest)
}

func last4(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return ""
	}
	return string(r[len(r)-4:])
}

// Clean returns err without the full URL that net/http puts in its
// errors, so that a secret link never reaches a log or a person; a
// timeout says which server did not answer in time.
func Clean(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		var re *rhythm.Error
		if errors.As(ue.Err, &re) {
			return re
		}
		if ue.Timeout() {
			host := ue.URL
			if u, err := url.Parse(ue.URL); err == nil {
				host = u.Host
			}
			return &timeoutError{msg: "no answer from " + host + " in time: the server is slow or unreachable", err: ue.Err}
		}
		return fmt.Errorf("%s %s: %w", ue.Op, Redact(ue.URL), ue.Err)
	}
	return err
}

// timeoutError is a request that ran out of time, said in plain words (a
// person reads it in the calendar's state) and still a timeout to code.
type timeoutError struct {
	msg string
	err error
}

func (e *timeoutError) Error() string { return e.msg }
func (e *timeoutError) Unwrap() error { return e.err }
func (e *timeoutError) Timeout() bool { return true }

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// IsRefused reports whether err is a policy refusal or limit rather than a
// failure of the remote server.
func IsRefused(err error) bool {
	var e *rhythm.Error
	return errors.As(err, &e) && (e.Code == rhythm.EINVALID || e.Code == rhythm.ETOOLARGE)
}
