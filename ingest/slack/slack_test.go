package slack_test

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
	"github.com/rhythm-team/rhythm/ingest/slack"
)

func at(unix int64) time.Time { return time.Unix(unix, 0).UTC() }

func member(email string) ingest.Participant { return ingest.Participant{ID: email, Member: true} }

func want(t *testing.T) []ingest.Interaction {
	t.Helper()
	// Off the roster, a Slack user is the pseudonym of their Slack ID, which
	// live events carry too, not of their email.
	gina := ingest.Participant{ID: fixture.Anon(t, "U03GUEST01")}
	ana, kenji, priya := member("ana@example.com"), member("kenji@example.com"), member("priya@example.com")
	msg := func(id string, sec int64) ingest.Interaction {
		_, ts, _ := strings.Cut(id, "/")
		var micro int64
		fmt.Sscanf(ts[strings.IndexByte(ts, '.')+1:], "%d", &micro)
		t := at(sec).Add(time.Duration(micro) * time.Microsecond)
		return ingest.Interaction{Source: ingest.SourceSlack, Mode: ingest.Async, Kind: ingest.Message, Start: t, End: t, ID: id}
	}
	var out []ingest.Interaction
	add := func(in ingest.Interaction, f func(*ingest.Interaction)) { f(&in); out = append(out, in) }
	add(msg("D0DM00001/1772460000.000100", 1772460000), func(in *ingest.Interaction) {
		in.Organizer, in.Participants, in.Channel, in.ChannelKind = kenji.ID, []ingest.Participant{ana}, "D0DM00001", ingest.DM
	})
	add(msg("D0DM00001/1772460060.000200", 1772460060), func(in *ingest.Interaction) {
		in.Organizer, in.Participants, in.Channel, in.ChannelKind = ana.ID, []ingest.Participant{kenji}, "D0DM00001", ingest.DM
	})
	thread := "C01GENERAL/1772442000.000200"
	add(msg(thread, 1772442000), func(in *ingest.Interaction) {
		in.Organizer, in.Participants, in.Channel, in.ChannelKind, in.ThreadID = ana.ID, []ingest.Participant{kenji, gina}, "general", ingest.Public, thread
	})
	add(msg("C01GENERAL/1772445600.000300", 1772445600), func(in *ingest.Interaction) {
		in.Kind, in.Organizer, in.Channel, in.ChannelKind, in.ThreadID, in.InReplyTo = ingest.Reply, kenji.ID, "general", ingest.Public, thread, thread
	})
	add(msg("C01GENERAL/1772449200.000400", 1772449200), func(in *ingest.Interaction) {
		in.Kind, in.Organizer, in.Participants, in.Channel, in.ChannelKind, in.ThreadID, in.InReplyTo = ingest.Reply, gina.ID, []ingest.Participant{ana}, "general", ingest.Public, thread, thread
	})
	add(msg("C01GENERAL/1772452800.000500", 1772452800), func(in *ingest.Interaction) {
		in.Mode, in.Kind, in.Start, in.End = ingest.Sync, ingest.Call, at(1772452800), at(1772452800+30*60)
		in.Organizer, in.Participants, in.Channel, in.ChannelKind = ana.ID, []ingest.Participant{ana, kenji, priya}, "general", ingest.Public
	})
	add(msg("G01DESIGN1/1772526600.000100", 1772526600), func(in *ingest.Interaction) {
		in.Organizer, in.Channel, in.ChannelKind = priya.ID, "design-private", ingest.Private
	})
	add(msg("G0MPIM0001/1772618400.000100", 1772618400), func(in *ingest.Interaction) {
		in.Organizer, in.Participants, in.Channel, in.ChannelKind, in.ThreadID = gina.ID, []ingest.Participant{ana, kenji}, "G0MPIM0001", ingest.MPIM, "G0MPIM0001/1772618400.000100"
	})
	return out
}

// zipDir writes the files under dir into a zip archive, under prefix.
func zipDir(t *testing.T, dir, prefix string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImport(t *testing.T) {
	dir := filepath.Join("testdata", "export")
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"folder", func(t *testing.T) string { return dir }},
		{"zip", func(t *testing.T) string { return zipDir(t, dir, "") }},
		{"zip with a top folder", func(t *testing.T) string { return zipDir(t, dir, "Acme Slack export Mar 1 2026/") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := slack.Open(tt.path(t), fixture.Resolver(t), ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			got, st, err := fixture.Collect(t, e)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want(t), got); diff != "" {
				t.Errorf("interactions (-want +got):\n%s", diff)
			}
			wantSkipped := map[string]int{"channel_join": 1, "channel_leave": 1, "bot_message": 1, "channel_topic": 1, "pinned_item": 1}
			if diff := cmp.Diff(wantSkipped, st.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if st.Read != 13 || st.Emitted != 8 {
				t.Errorf("read %d, emitted %d; want 13, 8", st.Read, st.Emitted)
			}
			fixture.NoContent(t, got, "gina@partner.example", "U03GUEST01", "mpdm-ana")
		})
	}
}

func TestFixturesHaveContentMarkers(t *testing.T) {
	// Guards the no-content check above: the fixtures do carry text.
	if n := len(fixture.Secrets(t, filepath.Join("testdata", "export"))); n < 10 {
		t.Errorf("only %d content markers in the fixtures", n)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // substring of the error
	}{
		{"malformed day file", map[string]string{
			"channels.json":           `[{"id":"C1","name":"general"}]`,
			"general/2026-03-02.json": "[\n {\"type\":\"message\",\"ts\":\"1.0\",\"user\":\"U1\"},\n {\"type\": \"message\" \"ts\": \"2.0\"}\n]",
		}, "general/2026-03-02.json:3: malformed JSON"},
		{"day file is not an array", map[string]string{
			"channels.json":           `[]`,
			"general/2026-03-02.json": `{"messages": []}`,
		}, "general/2026-03-02.json:1: expected a JSON array"},
		{"malformed users.json", map[string]string{
			"users.json": "[\n{\"id\": \"U1\",\n",
		}, "users.json:"},
		{"no export", map[string]string{"readme.txt": "hello"}, "not a Slack export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, path := range []string{dir, zipDir(t, dir, "")} {
				e, err := slack.Open(path, fixture.Resolver(t), ingest.DefaultLimits())
				if err == nil {
					_, _, err = fixture.Collect(t, e)
					e.Close()
				}
				t.Logf("%v", err)
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("error = %v, want one naming %s and %q", err, path, tt.want)
				}
				if err != nil && strings.Contains(err.Error(), "\n") {
					t.Errorf("error has more than one line: %q", err)
				}
			}
		})
	}
}

func TestTruncatedZip(t *testing.T) {
	full := zipDir(t, filepath.Join("testdata", "export"), "")
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{len(b) / 2, len(b) - 10, 100} {
		p := filepath.Join(t.TempDir(), "cut.zip")
		if err := os.WriteFile(p, b[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := slack.Open(p, fixture.Resolver(t), ingest.DefaultLimits())
		if err == nil {
			_, _, err = fixture.Collect(t, e)
			e.Close()
		}
		t.Logf("cut at %d: %v", cut, err)
		if err == nil || !strings.Contains(err.Error(), "cut.zip") {
			t.Errorf("cut at %d: error = %v, want one naming cut.zip", cut, err)
		}
	}
}

func TestStopsWhenEmitFails(t *testing.T) {
	e, err := slack.Open(filepath.Join("testdata", "export"), fixture.Resolver(t), ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	n := 0
	_, err = e.Import(t.Context(), func(ingest.Interaction) error {
		n++
		if n == 2 {
			return io.ErrShortWrite
		}
		return nil
	})
	if err != io.ErrShortWrite || n != 2 {
		t.Errorf("err = %v after %d interactions, want %v after 2", err, n, io.ErrShortWrite)
	}
}
