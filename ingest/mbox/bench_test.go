package mbox_test

import (
	"bytes"
	"testing"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/mbox"
)

func generated(tb testing.TB, people, weeks int) ([]byte, *ingest.Resolver) {
	tb.Helper()
	d, err := gen.New(gen.Config{People: people, Weeks: weeks, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.WriteMbox(&buf); err != nil {
		tb.Fatal(err)
	}
	res, err := ingest.NewResolver(d.Team(), []byte("bench-key-0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), res
}

func TestGeneratedMbox(t *testing.T) {
	data, res := generated(t, 12, 2)
	var replies, n int
	st, err := mbox.New(bytes.NewReader(data), "gen.mbox", res).Import(t.Context(), func(in ingest.Interaction) error {
		n++
		if in.InReplyTo != "" {
			replies++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.SkippedTotal() != st.Skipped["bad date"] || n == 0 || replies == 0 || n+st.Skipped["bad date"] != bytes.Count(data, []byte("\nMessage-ID: ")) {
		t.Errorf("%v; %d mails, %d replies: want every mail imported, some replies", st, n, replies)
	}
}

func BenchmarkImport(b *testing.B) {
	data, res := generated(b, 40, 4)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		_, err := mbox.New(bytes.NewReader(data), "gen.mbox", res).Import(b.Context(), func(ingest.Interaction) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}
