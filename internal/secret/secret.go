// Package secret encrypts credentials that rhythm must keep to act for a
// person later (calendar app passwords, secret calendar links) with
// AES-256-GCM under one key per installation. Several servers that share a
// database share the key.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

// prefix marks the format of a sealed value, so that it can change later.
const prefix = "v1:"

// Box seals and opens values with one key.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a KeySize-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, rhythm.Errorf(rhythm.EINVALID, "the secret key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext. context binds the value to where it is stored
// (for example "calendar:12:password"): a value copied to another row or
// field does not open.
func (b *Box) Seal(plaintext []byte, context string) string {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	out := b.aead.Seal(nonce, nonce, plaintext, []byte(context))
	return prefix + base64.RawStdEncoding.EncodeToString(out)
}

// ErrOpen is returned when a sealed value does not open: another key, another
// context, or a damaged value.
var ErrOpen = errors.New("secret: the stored value does not open with this key (was the secret key changed?)")

// Open decrypts a value made by Seal with the same context.
func (b *Box) Open(sealed, context string) ([]byte, error) {
	raw, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return nil, ErrOpen
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, ErrOpen
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, data[:n], data[n:], []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// ParseKey reads a key written as 64 hex digits or as standard base64 (with
// or without padding), surrounding space ignored.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, rhythm.Errorf(rhythm.EINVALID, "a secret key is %d random bytes written as 64 hex digits or base64 (make one with: head -c 32 /dev/urandom | base64)", KeySize)
}

// LoadOrCreate reads the key file at path, or, when there is none and
// create is true, makes a new random key and writes it there with mode 0600.
// A key file that others may read is refused.
func LoadOrCreate(path string, create bool) (key []byte, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		info, statErr := os.Stat(path)
		if statErr == nil && info.Mode().Perm()&0o077 != 0 {
			return nil, false, rhythm.Errorf(rhythm.EINVALID, "%s: the secret key file must be readable by its owner only (chmod 600 %s)", path, path)
		}
		k, err := ParseKey(string(data))
		if err != nil {
			return nil, false, rhythm.Errorf(rhythm.EINVALID, "%s: %s", path, rhythm.ErrorMessage(err))
		}
		return k, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("reading the secret key: %w", err)
	case !create:
		return nil, false, rhythm.Errorf(rhythm.EINVALID, "no secret key at %s", path)
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	// Written aside, then linked into place: two servers starting at once
	// keep one key, the first, and nobody reads a half-written file.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rhythm-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("writing the secret key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadOrCreate(path, false)
	} else if err != nil {
		return nil, false, fmt.Errorf("writing the secret key: %w", err)
	}
	return k, true, nil
}
