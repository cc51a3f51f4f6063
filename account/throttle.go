package account

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
)

// Limit is the backoff of one kind of sign-in key: Free failures cost
// nothing, then each further failure doubles the wait before the next
// attempt, from Base up to Max. A wait ends; nothing locks for good.
type Limit struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// Delay is how long after the last attempt a key with the given number of
// failures waits before it may try again.
func (l Limit) Delay(failures int) time.Duration {
	if failures < l.Free {
		return 0
	}
	n := failures - l.Free
	if n >= 30 {
		return l.Max
	}
	return min(l.Base<<n, l.Max)
}

// Sign-in limits, per key kind. The per-address limit counts every account
// tried from one client address; the per-account-and-address limit is the
// tight one an attacker at one address meets; the per-account limit, from
// every address together, is loose and short so that nobody can keep an
// account's owner out for long from elsewhere.
var (
	AddressLimit        = Limit{Free: 30, Base: time.Second, Max: 15 * time.Minute}
	AccountAddressLimit = Limit{Free: 8, Base: time.Second, Max: 15 * time.Minute}
	AccountLimit        = Limit{Free: 20, Base: time.Second, Max: time.Minute}
)

// ForgetFailures is how long after its last failure a key starts afresh.
const ForgetFailures = time.Hour

// AttemptKey is one counter a password attempt is reserved under.
type AttemptKey struct {
	Key   string
	Limit Limit
	// Clear says a correct password clears the key's failures; otherwise
	// it only gives back the attempt it reserved.
	Clear bool
}

// SignInKeys are the counters a password attempt for email from the client
// address addr is reserved under: the address, the account at that
// address and the account from everywhere.
func SignInKeys(email, addr string) []AttemptKey {
	email = strings.ToLower(strings.TrimSpace(email))
	return []AttemptKey{
		{Key: "ip:" + addr, Limit: AddressLimit},
		{Key: "account-ip:" + email + "|" + addr, Limit: AccountAddressLimit, Clear: true},
		{Key: "account:" + email, Limit: AccountLimit, Clear: true},
	}
}

// AttemptWait is the error (code ETOOMANY) of an attempt refused until
// Wait has passed.
type AttemptWait struct {
	Wait time.Duration
	err  *rhythm.Error
}

func (e *AttemptWait) Error() string { return e.err.Message }

// Unwrap gives the *rhythm.Error with the code and message.
func (e *AttemptWait) Unwrap() error { return e.err }

// TooManyAttempts is the error of an attempt refused until wait has passed.
func TooManyAttempts(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	return &AttemptWait{Wait: wait, err: rhythm.Errorf(rhythm.ETOOMANY, "too many failed sign-ins; try again in %d %s", secs, unit)}
}

// RetryAfter is the wait of an AttemptWait in err's chain, in whole seconds.
func RetryAfter(err error) (int, bool) {
	var w *AttemptWait
	if !errors.As(err, &w) {
		return 0, false
	}
	return int((w.Wait + time.Second - 1) / time.Second), true
}

// ParseProxies reads a list of trusted proxy addresses: CIDRs or single
// addresses, separated by commas or spaces (a YAML list works too).
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR (10.0.0.0/8) nor an address", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// ClientAddress is the address of the client behind a request that came
// from peer (host:port or host) with the given X-Forwarded-For header
// values. Forwarded addresses are believed only from trusted proxies: the
// client is the rightmost hop that is not a trusted proxy.
func ClientAddress(peer string, forwardedFor []string, trusted []netip.Prefix) string {
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !isTrusted(addr, trusted) {
		return peer
	}
	var hops []string
	for _, h := range forwardedFor {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := addr
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a proxy we trust wrote nonsense: go no further
		}
		client = hop.Unmap()
		if !isTrusted(client, trusted) {
			break
		}
	}
	return client.String()
}

// IsTrustedPeer reports whether peer (host:port or host) is a trusted proxy.
func IsTrustedPeer(peer string, trusted []netip.Prefix) bool {
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	return err == nil && isTrusted(addr, trusted)
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
