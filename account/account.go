// Package account holds users, their roles, password hashing and the
// random secrets behind sessions and API tokens.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/rhythm-team/rhythm"
)

// Role is what a user may do.
type Role string

// Roles, from most to least powerful.
const (
	Admin  Role = "admin"  // the server and its users
	Lead   Role = "lead"   // the settings and roster of the teams they lead
	Member Role = "member" // their own data, and the teams whose roster has their email
)

// ParseRole reads admin, lead or member.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Admin, Lead, Member:
		return r, nil
	}
	return "", rhythm.Errorf(rhythm.EINVALID, "role %q is not one of admin, lead, member", s)
}

// User is a person who signs in. Users are linked to roster members by email.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	LeadOf    []int64   `json:"lead_of,omitempty"` // ids of the teams a lead leads
	CreatedAt time.Time `json:"created_at"`
	// Zone is the IANA zone the user chose on the account page; empty
	// means their roster zone, else UTC (app.ZoneOf decides).
	Zone string `json:"zone,omitempty"`
}

// Token is an API token as listed; its secret is shown only when made.
type Token struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	Revoked    bool      `json:"revoked"`
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// CheckNewPassword returns an EINVALID error when pw is too weak to set.
func CheckNewPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return rhythm.Errorf(rhythm.EINVALID, "password: use at least %d characters", MinPasswordLength)
	}
	if len(pw) > 1024 {
		return rhythm.Errorf(rhythm.EINVALID, "password: use at most 1024 bytes")
	}
	return nil
}

// argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash of pw in PHC string form.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches a hash made by HashPassword.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewSecret returns a random secret with the given prefix (e.g. "rhy_") and
// the hash under which it is stored.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the stored form of a session or API token secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
