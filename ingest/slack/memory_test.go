//go:build load

package slack

import (
	"archive/zip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
)

// TestLargeDayFilesMemory imports an export of four large day files
// (64 MB each, long message texts, a small zip) and reports the peak
// resident memory of the decoding; it must stay well below the files'
// total size times the workers.
//
//	go test -tags load -run LargeDayFiles -v ./ingest/slack/
func TestLargeDayFilesMemory(t *testing.T) {
	const perFile = 64 << 20
	path := filepath.Join(t.TempDir(), "big.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	write := func(name, s string) {
		w, _ := zw.Create(name)
		w.Write([]byte(s))
	}
	write("users.json", `[{"id":"U1","name":"ana","profile":{"email":"ana@example.com"}}]`)
	write("channels.json", `[{"id":"C1","name":"general"}]`)
	rng := rand.New(rand.NewPCG(1, 2))
	letters := make([]byte, 1<<20)
	for i := range letters {
		letters[i] = 'a' + byte(rng.IntN(26))
	}
	for d := 1; d <= 4; d++ {
		w, _ := zw.Create(fmt.Sprintf("general/2026-03-%02d.json", d))
		w.Write([]byte("["))
		for n, size := 0, 0; size < perFile; n++ {
			at := rng.IntN(len(letters) - 8<<10)
			m := fmt.Sprintf(`{"type":"message","user":"U1","text":%q,"ts":"%d.%06d"}`, letters[at:at+8<<10], 1772409600+d*86400+n, n)
			if n > 0 {
				w.Write([]byte(","))
			}
			w.Write([]byte(m))
			size += len(m)
		}
		w.Write([]byte("]"))
	}
	zw.Close()
	f.Close()
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset the peak
	before := vm(t, "VmHWM:")
	e, err := Open(path, fixture.Resolver(t), ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	e.Workers = 4
	n := 0
	st, err := e.Import(context.Background(), func(ingest.Interaction) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	peak := vm(t, "VmHWM:")
	if peak-before > 512<<20 {
		t.Errorf("decoding four %d MB day files took %d MB, want under 512 MB", perFile>>20, (peak-before)>>20)
	}
	t.Logf("four %d MB day files, %d messages (%d emitted): peak RSS %d MB (was %d MB before the import)", perFile>>20, st.Read, n, peak>>20, before>>20)
}

func vm(t *testing.T, key string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
