package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"sync"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// MinKeySize is the shortest pseudonym key NewResolver accepts, in bytes.
const MinKeySize = 16

// PseudonymPrefix starts every pseudonym.
const PseudonymPrefix = "anon-"

// Resolver maps raw identities from imported data (email addresses, chat
// user IDs, names) to roster members, and everyone else to a keyed
// pseudonym, so that raw identities of people who are not members never
// leave an importer. A Resolver is safe for concurrent use.
type Resolver struct {
	members map[string]string // normalised email, alias or name → member email
	key     []byte

	mu    sync.Mutex
	mac   hash.Hash
	cache map[string]string // normalised raw identity → pseudonym
}

// NewResolver returns a resolver for the members of t (t may be nil: then
// everyone is pseudonymised). key is the secret of the pseudonyms, at least
// MinKeySize bytes; the same key gives the same pseudonym for the same
// identity, so keep it for the life of the database.
func NewResolver(t *team.Team, key []byte) (*Resolver, error) {
	if len(key) < MinKeySize {
		return nil, rhythm.Errorf(rhythm.EINVALID, "pseudonym key must have at least %d bytes", MinKeySize)
	}
	r := &Resolver{members: map[string]string{}, key: append([]byte(nil), key...), cache: map[string]string{}}
	r.mac = hmac.New(sha256.New, r.key)
	if t == nil {
		return r, nil
	}
	// Names are weaker than emails and aliases: set them first so that an
	// email or alias that equals someone's name wins.
	for _, m := range t.Members {
		if k := Normalize(m.Name); k != "" {
			r.members[k] = m.Email
		}
	}
	for _, m := range t.Members {
		for _, a := range m.Aliases {
			if k := Normalize(a); k != "" {
				r.members[k] = m.Email
			}
		}
	}
	for _, m := range t.Members {
		r.members[Normalize(m.Email)] = m.Email
	}
	return r, nil
}

// Normalize returns the form of a raw identity that is matched and hashed:
// trimmed, lower case, without a "mailto:" prefix or angle brackets.
func Normalize(id string) string {
	id = strings.TrimSpace(id)
	if len(id) >= 7 && strings.EqualFold(id[:7], "mailto:") {
		id = strings.TrimSpace(id[7:])
	}
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	return strings.ToLower(id)
}

// Member returns the roster email of the member that one of ids (emails,
// aliases such as chat user IDs, or names) belongs to.
func (r *Resolver) Member(ids ...string) (string, bool) {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if e, ok := r.members[Normalize(id)]; ok {
			return e, true
		}
	}
	return "", false
}

// Resolve returns the participant that ids stand for: the first roster
// member one of them matches, or else the pseudonym of the first non-empty
// one. It returns the zero Participant when every id is empty.
func (r *Resolver) Resolve(ids ...string) Participant {
	if e, ok := r.Member(ids...); ok {
		return Participant{ID: e, Member: true}
	}
	for _, id := range ids {
		if Normalize(id) != "" {
			return Participant{ID: r.Pseudonym(id)}
		}
	}
	return Participant{}
}

// Pseudonym returns the keyed pseudonym of a raw identity:
// "anon-" and 12 hex digits of HMAC-SHA256(key, Normalize(id)).
func (r *Resolver) Pseudonym(id string) string {
	k := Normalize(id)
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.cache[k]; ok {
		return p
	}
	r.mac.Reset()
	r.mac.Write([]byte(k))
	var sum [sha256.Size]byte
	p := PseudonymPrefix + hex.EncodeToString(r.mac.Sum(sum[:0])[:6])
	if len(r.cache) < 1<<20 {
		r.cache[k] = p
	}
	return p
}

// Hash returns a keyed hash of an opaque identifier that may carry personal
// data (such as a Message-ID with a host or address in it), with the given
// prefix; equal identifiers give equal hashes.
func (r *Resolver) Hash(prefix, id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mac.Reset()
	r.mac.Write([]byte(prefix))
	r.mac.Write([]byte{0})
	r.mac.Write([]byte(id))
	var sum [sha256.Size]byte
	return prefix + hex.EncodeToString(r.mac.Sum(sum[:0])[:10])
}
