package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	pw := "app-password-xq7Z"
	sealed := b.Seal([]byte(pw), "calendar:1:password")
	if strings.Contains(sealed, pw) || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("sealed value %q shows the secret or lacks its version", sealed)
	}
	if sealed == b.Seal([]byte(pw), "calendar:1:password") {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	got, err := b.Open(sealed, "calendar:1:password")
	if err != nil || string(got) != pw {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	for name, open := range map[string]func() ([]byte, error){
		"other context": func() ([]byte, error) { return b.Open(sealed, "calendar:2:password") },
		"other key":     func() ([]byte, error) { return other.Open(sealed, "calendar:1:password") },
		"damaged":       func() ([]byte, error) { return b.Open(sealed[:len(sealed)-2]+"AA", "calendar:1:password") },
		"no version":    func() ([]byte, error) { return b.Open(strings.TrimPrefix(sealed, "v1:"), "calendar:1:password") },
		"empty":         func() ([]byte, error) { return b.Open("", "calendar:1:password") },
		"short":         func() ([]byte, error) { return b.Open("v1:AAAA", "calendar:1:password") },
	} {
		if _, err := open(); err != ErrOpen {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
	if _, err := New(key[:16]); err == nil {
		t.Error("a 16-byte key was accepted")
	}
}

func TestParseKey(t *testing.T) {
	hexKey := strings.Repeat("ab", KeySize)
	for _, s := range []string{hexKey, " " + hexKey + "\n", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s"} {
		k, err := ParseKey(s)
		if err != nil || !bytes.Equal(k, bytes.Repeat([]byte{0xab}, KeySize)) {
			t.Errorf("ParseKey(%q) = %x, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "short", strings.Repeat("ab", 16)} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}

func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rhythm.key")
	if _, _, err := LoadOrCreate(path, false); err == nil {
		t.Fatal("a missing key file was accepted without create")
	}
	// Several servers starting at once end with one key.
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, _, err := LoadOrCreate(path, true)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) {
			t.Fatal("concurrent starts made different keys")
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", info.Mode(), err)
	}
	again, created, err := LoadOrCreate(path, true)
	if err != nil || created || !bytes.Equal(again, keys[0]) {
		t.Fatalf("reload: created=%v err=%v", created, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(path, true); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable key file: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left temporary files behind: %v", entries)
	}
}
