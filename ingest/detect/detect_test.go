package detect_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func zipOf(t *testing.T, files map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()
	return p
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		want detect.Format
		err  string
	}{
		{"slack folder", func(t *testing.T) string { return filepath.Join("..", "slack", "testdata", "export") }, detect.Slack, ""},
		{"slack zip", func(t *testing.T) string {
			return zipOf(t, map[string]string{"users.json": "[]", "general/2026-01-01.json": "[]"})
		}, detect.Slack, ""},
		{"mbox", func(t *testing.T) string { return filepath.Join("..", "mbox", "testdata", "sample.mbox") }, detect.Mbox, ""},
		{"csv", func(t *testing.T) string { return filepath.Join("..", "csvevents", "testdata", "events.csv") }, detect.CSV, ""},
		{"ics", func(t *testing.T) string { return write(t, "cal.txt", "\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\n") }, detect.ICS, ""},
		{"bare VEVENT", func(t *testing.T) string { return write(t, "event.ics", "BEGIN:VEVENT\r\nUID:x\r\n") }, detect.ICS, ""},
		{"ics with a BOM", func(t *testing.T) string { return write(t, "cal.ics", "\xEF\xBB\xBFbegin:vcalendar\r\n") }, detect.ICS, ""},
		{"a mail without the mbox line", func(t *testing.T) string { return write(t, "one.eml", "Received: from x\nFrom: a@b.example\n\nhi\n") }, detect.Mbox, ""},
		{"text", func(t *testing.T) string { return write(t, "notes.txt", "hello\n") }, "", "cannot tell what this is"},
		{"roster csv", func(t *testing.T) string { return write(t, "r.csv", "name,email\n") }, "", "cannot tell what this is"},
		{"zip that is not an export", func(t *testing.T) string { return zipOf(t, map[string]string{"a.txt": "x"}) }, "", "a zip archive that is not a Slack export"},
		{"zip with traversal", func(t *testing.T) string { return zipOf(t, map[string]string{"users.json": "[]", "../x": "x"}) }, "", "refused"},
		{"folder", func(t *testing.T) string { return t.TempDir() }, "", "a folder that is no users.json"},
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.path(t)
			got, err := detect.Detect(p, ingest.DefaultLimits())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), p) {
					t.Errorf("Detect = %q, %v; want an error naming %s with %q", got, err, p, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	for _, p := range []string{filepath.Join("..", "icsevents", "testdata", "team.ics"), filepath.Join("..", "mbox", "testdata", "sample.mbox"), filepath.Join("..", "csvevents", "testdata", "events.csv"), filepath.Join("..", "slack", "testdata", "export")} {
		src, f, err := detect.Open(p, fixture.Resolver(t), detect.Options{Limits: ingest.DefaultLimits()})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ins, _, err := fixture.Collect(t, src)
		src.Close()
		if err != nil || len(ins) == 0 {
			t.Errorf("%s (%s): %d interactions, %v", p, f, len(ins), err)
		}
	}
}
