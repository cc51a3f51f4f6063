package ingest_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
)

type entry struct {
	name string
	body []byte
	mode fs.FileMode
	// claim, when set, is the uncompressed size written in the headers.
	claim uint64
}

func makeZip(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.claim == 0 && e.mode == 0 {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.body)
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(e.body)
		fw.Close()
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.body),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(e.body))}
		if e.claim != 0 {
			h.UncompressedSize64 = e.claim
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(z *ingest.Zip) error {
	return fs.WalkDir(z, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := z.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(io.Discard, f)
		return err
	})
}

func TestZipRefusesUnsafeArchives(t *testing.T) {
	zeros := make([]byte, 16<<20)
	small := ingest.DefaultLimits()
	small.MaxEntries = 3
	tests := []struct {
		name    string
		entries []entry
		lim     ingest.Limits
		want    string
	}{
		{"parent traversal", []entry{{name: "users.json", body: []byte("[]")}, {name: "../../etc/cron.d/x", body: []byte("x")}}, ingest.DefaultLimits(), "climbs out"},
		{"traversal inside", []entry{{name: "general/../../x.json", body: []byte("[]")}}, ingest.DefaultLimits(), "climbs out"},
		{"absolute path", []entry{{name: "/etc/passwd", body: []byte("x")}}, ingest.DefaultLimits(), "absolute path"},
		{"windows traversal", []entry{{name: `..\..\evil.json`, body: []byte("x")}}, ingest.DefaultLimits(), "backslash"},
		{"drive letter", []entry{{name: "C:/evil.json", body: []byte("x")}}, ingest.DefaultLimits(), "drive letter"},
		{"symbolic link", []entry{{name: "users.json", body: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}}, ingest.DefaultLimits(), "symbolic link"},
		{"too many entries", []entry{{name: "a", body: nil}, {name: "b"}, {name: "c"}, {name: "d"}}, small, "4 entries"},
		{"compression bomb", []entry{{name: "general/2026-01-01.json", body: zeros}}, ingest.DefaultLimits(), "decompression bomb"},
		{"entry too large", []entry{{name: "big.json", body: bytes.Repeat([]byte("[1,2,3,4,5,6,7,8,9]\n"), 1<<16)}},
			ingest.Limits{MaxEntries: 10, MaxTotal: 1 << 30, MaxEntry: 1 << 20, MaxRatio: 1000, RatioFloor: 1 << 20}, "more than the limit"},
		{"total too large", []entry{{name: "a.json", body: make([]byte, 600<<10)}, {name: "b.json", body: make([]byte, 600<<10)}},
			ingest.Limits{MaxEntries: 10, MaxTotal: 1 << 20, MaxEntry: 1 << 20, MaxRatio: 10000, RatioFloor: 1 << 20}, "more than the limit"},
		{"bomb with lying headers", []entry{{name: "general/2026-01-01.json", body: zeros, claim: 1000}}, ingest.DefaultLimits(), "general/2026-01-01.json"},
		{"duplicate entry", []entry{{name: "users.json", body: []byte("[]")}, {name: "users.json", body: []byte("[]")}}, ingest.DefaultLimits(), "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := makeZip(t, tt.entries...)
			z, err := ingest.NewZip(bytes.NewReader(b), int64(len(b)), "upload.zip", tt.lim)
			if err == nil {
				err = readAll(z)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "upload.zip: ") {
				t.Errorf("error = %v, want one starting upload.zip: and containing %q", err, tt.want)
			}
		})
	}
}

func TestZipReadsSafeArchives(t *testing.T) {
	b := makeZip(t, entry{name: "users.json", body: []byte(`[]`)}, entry{name: "general/2026-01-01.json", body: bytes.Repeat([]byte(`{"type":"message"},`), 1000)})
	z, err := ingest.NewZip(bytes.NewReader(b), int64(len(b)), "ok.zip", ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if err := readAll(z); err != nil {
		t.Fatal(err)
	}
}

func TestSafePath(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"users.json", true}, {"general/2026-01-01.json", true}, {"dir/", true}, {"a/./b", false},
		{"../x", false}, {"a/../../x", false}, {"/x", false}, {`a\b`, false}, {"C:x", false}, {"", false}, {"a\x00b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ingest.SafePath(tt.name); (err == nil) != tt.ok {
				t.Errorf("SafePath(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
		})
	}
}
