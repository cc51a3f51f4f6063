package sso

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
)

// DefaultUsedStates is how many finished sign-ins one server remembers at
// most (each for FlowLifetime after it began), so that their callbacks
// cannot be replayed to it: about a megabyte.
const DefaultUsedStates = 10000

// WithUsedStates makes the RP remember at most n finished sign-ins (n > 0).
func WithUsedStates(n int) Option {
	return func(rp *RP) {
		if n > 0 {
			rp.used.capacity = n
		}
	}
}

// usedStates are the states of sign-ins finished on this server, each kept
// until its sign-in cookie expires. Only a sign-in the provider accepted
// (a code exchanged, an ID token verified) is recorded, so that callbacks
// anyone can make with a cookie from GET /auth/oidc/login and a made-up
// code add nothing. The number is bounded: when it is full, new sign-ins
// wait (Busy) rather than a used state be forgotten early, which would
// open its callback to a replay.
type usedStates struct {
	mu       sync.Mutex
	capacity int
	expires  map[string]time.Time
	earliest time.Time // no entry expires before it
}

// prune forgets the states that have expired by now.
func (u *usedStates) prune(now time.Time) {
	if now.Before(u.earliest) {
		return
	}
	u.earliest = time.Time{}
	for s, exp := range u.expires {
		switch {
		case !now.Before(exp):
			delete(u.expires, s)
		case u.earliest.IsZero() || exp.Before(u.earliest):
			u.earliest = exp
		}
	}
}

// seen reports whether the sign-in with state finished here already.
func (u *usedStates) seen(state string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, ok := u.expires[state]
	return ok
}

// room returns how long until one more state can be recorded: 0 when it
// can be now.
func (u *usedStates) room(now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.roomLocked(now)
}

func (u *usedStates) roomLocked(now time.Time) time.Duration {
	u.prune(now)
	if len(u.expires) < u.capacity {
		return 0
	}
	return max(u.earliest.Sub(now), time.Second)
}

// use records state, used until expires. It refuses a state used already
// (a replay that raced the first callback) and, with Busy, a full record.
func (u *usedStates) use(state string, expires, now time.Time) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.expires[state]; ok {
		return errUsed
	}
	if wait := u.roomLocked(now); wait > 0 {
		return busy(wait)
	}
	if u.expires == nil {
		u.expires = map[string]time.Time{}
	}
	u.expires[state] = expires
	if u.earliest.IsZero() || expires.Before(u.earliest) {
		u.earliest = expires
	}
	return nil
}

var errUsed = refuse(rhythm.EUNAUTHORIZED, errors.New("state used already"),
	"this sign-in was finished already; sign in again")

// Busy is the refusal (code EUNAVAILABLE) of a sign-in while the server
// remembers as many finished sign-ins as it may; Wait is when the oldest
// is forgotten.
type Busy struct {
	Wait time.Duration
	err  error
}

func (e *Busy) Error() string { return e.err.Error() }

// Unwrap gives the *rhythm.Error with the code and message.
func (e *Busy) Unwrap() error { return e.err }

func busy(wait time.Duration) error {
	mins := int((wait + time.Minute - 1) / time.Minute)
	return &Busy{Wait: wait, err: refuse(rhythm.EUNAVAILABLE, fmt.Errorf("%s", "the record of finished sign-ins is full"),
		"too many people are signing in just now; try again in %d minute%s", mins, map[bool]string{true: "s"}[mins != 1])}
}

// RetryAfter is the wait of a Busy refusal in err's chain, in whole seconds.
func RetryAfter(err error) (int, bool) {
	var b *Busy
	if !errors.As(err, &b) {
		return 0, false
	}
	return int((b.Wait + time.Second - 1) / time.Second), true
}
