package slack

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/rhythm-team/rhythm/ingest"
)

func FuzzDecodeDay(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "export", "*", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[{"type":"message","user":"U1","ts":"1.2","text":"\u003c@U2\u003e <@U3|x> <@"}]`))
	f.Add([]byte(`[{"subtype":"huddle_thread","user":"U1","ts":"9","room":{"date_start":5,"date_end":1,"participant_history":["U1",""]}}]`))
	f.Add([]byte(`[{"ts":"1e99"}, {"ts":"-1.5"}, {"ts":".123456789123"}]`))
	res, _ := ingest.NewResolver(nil, []byte("fuzz-key-0123456789abcdef"))
	id := regexp.MustCompile(`^[A-Z0-9]{1,32}$`)
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := decodeDay(data, nil)
		if err != nil {
			if _, ok := err.(*lineError); !ok {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		r := &reader{e: &Export{res: res, name: "f"}, users: map[string]ingest.Participant{}, bots: map[string]bool{}}
		for _, kind := range []ingest.ChannelKind{ingest.Public, ingest.DM} {
			c := &conv{id: "C1", channel: "c", kind: kind, members: []string{"U1", "U2"}}
			for i := range msgs {
				for _, m := range msgs[i].Text {
					if !id.MatchString(m) {
						t.Fatalf("mention %q is not a user ID", m)
					}
				}
				in, reason := r.interaction(c, &msgs[i])
				if reason == "" && (in.Start.IsZero() || in.End.Before(in.Start) || in.ID == "") {
					t.Fatalf("bad interaction %+v", in)
				}
			}
		}
	})
}

func TestDecodeDayReusesMemoryCleanly(t *testing.T) {
	first := []byte(`[{"type":"message","subtype":"huddle_thread","user":"U1","ts":"1.5","thread_ts":"1.5","text":"<@U2>","room":{"date_start":1}},{"user":"U3","ts":"2.0"}]`)
	second := []byte(`[{"user":"U9","ts":"3.0"}]`)
	msgs, err := decodeDay(first, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeDay(second, msgs)
	if err != nil {
		t.Fatal(err)
	}
	want := message{User: "U9", TS: "3.0"}
	if len(got) != 1 || got[0].User != want.User || got[0].TS != want.TS || got[0].Subtype != "" || got[0].ThreadTS != "" || got[0].Room != nil || got[0].Text != nil {
		t.Errorf("second decode = %+v, want %+v alone", got, want)
	}
}
