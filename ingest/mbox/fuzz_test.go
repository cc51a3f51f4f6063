package mbox_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/mbox"
)

func FuzzSplit(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sample.mbox"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")))
	f.Add([]byte("From a 1\n\n\nFrom b 2\nX: y\n\n>From c\n\nFrom here\n"))
	f.Add([]byte("From "))
	f.Add([]byte("From a 1\r\n\r\nFrom b 2\r\n"))
	res, _ := ingest.NewResolver(nil, []byte("fuzz-key-0123456789abcdef"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := int64(-1)
		err := mbox.Split(bytes.NewReader(data), func(off int64, h []byte, herr error) error {
			if off <= last || off >= int64(len(data)) || !bytes.HasPrefix(data[off:], []byte("From ")) {
				t.Fatalf("bad offset %d after %d", off, last)
			}
			if herr == nil && !bytes.Contains(data[off:], h) {
				t.Fatalf("header at %d is not in the input", off)
			}
			last = off
			return nil
		})
		if err != nil && err != mbox.ErrNotMbox {
			t.Fatalf("Split: %v", err)
		}
		// The importer never fails on content past the first line, and
		// never panics.
		_, err = mbox.New(bytes.NewReader(data), "f.mbox", res).Import(t.Context(), func(in ingest.Interaction) error {
			if in.Start.IsZero() || in.Kind != ingest.Email {
				t.Fatalf("bad interaction %+v", in)
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "f.mbox: offset 0: ") {
			t.Fatalf("Import: %v", err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Mon, 2 Mar 2026 09:00:00 +0000", "Mon Mar  2 09:00:00 2026", "2 Mar 26 09:00 EST", "(x) 1 Jan 1970 00:00 -1400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := mbox.ParseDate(s); err == nil && (tm.Year() < 1969 || tm.Year() > 2201) {
			t.Fatalf("ParseDate(%q) = %v", s, tm)
		}
	})
}
