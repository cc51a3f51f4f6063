package slack_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"testing/fstest"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/slack"
)

// generated returns a generated export unpacked in memory, and its size.
func generated(tb testing.TB, people, weeks int) (fstest.MapFS, *ingest.Resolver, int64) {
	tb.Helper()
	d, err := gen.New(gen.Config{People: people, Weeks: weeks, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.WriteSlack(&buf); err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	var size int64
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		fsys[f.Name] = &fstest.MapFile{Data: b}
		size += int64(len(b))
	}
	res, err := ingest.NewResolver(d.Team(), []byte("bench-key-0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	return fsys, res, size
}

func TestGeneratedExport(t *testing.T) {
	fsys, res, _ := generated(t, 15, 2)
	e, err := slack.New(fsys, "gen", res)
	if err != nil {
		t.Fatal(err)
	}
	var calls, replies, members, anon int
	st, err := e.Import(t.Context(), func(in ingest.Interaction) error {
		switch in.Kind {
		case ingest.Call:
			calls++
		case ingest.Reply:
			replies++
		}
		if len(in.Organizer) > 5 && in.Organizer[:5] == "anon-" {
			anon++
		} else {
			members++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || replies == 0 || members == 0 || anon == 0 || st.Skipped["bot_message"] == 0 || st.Skipped["channel_join"] == 0 {
		t.Errorf("calls %d, replies %d, by members %d, by others %d, skipped %v: want some of each", calls, replies, members, anon, st.Skipped)
	}
}

// BenchmarkParse measures decoding an unpacked export, in bytes of JSON.
func BenchmarkParse(b *testing.B) {
	fsys, res, size := generated(b, 60, 4)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		e, err := slack.New(fsys, "gen", res)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Import(b.Context(), func(ingest.Interaction) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
