package csvevents_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/csvevents"
)

func FuzzImport(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "events.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("start,end,organizer,participants,kind\n2026-03-02T09:00:00Z,,a,\"b (declined);c\",message\n"))
	f.Add([]byte("kind,participants,organizer,end,start,mode\nmeeting,,x,2026-03-02 10:00+01:00,2026-03-02 09:00+01:00,async\n"))
	res, _ := ingest.NewResolver(nil, []byte("fuzz-key-0123456789abcdef"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := csvevents.New(bytes.NewReader(data), "f.csv", res).Import(t.Context(), func(in ingest.Interaction) error {
			if in.End.Before(in.Start) || in.Organizer == "" {
				t.Fatalf("bad interaction %+v", in)
			}
			return nil
		})
		if err != nil && (!strings.HasPrefix(err.Error(), "f.csv:") || strings.Contains(err.Error(), "\n")) {
			t.Fatalf("error %q does not name the file on one line", err)
		}
	})
}
