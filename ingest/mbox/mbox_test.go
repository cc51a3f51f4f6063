package mbox_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
	"github.com/rhythm-team/rhythm/ingest/mbox"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func member(email string) ingest.Participant { return ingest.Participant{ID: email, Member: true} }

func wantSample(t *testing.T) []ingest.Interaction {
	t.Helper()
	r := fixture.Resolver(t)
	h := func(id string) string { return r.Hash("m-", id) }
	anon := func(a string) ingest.Participant { return ingest.Participant{ID: r.Pseudonym(a)} }
	ana, kenji, priya := member("ana@example.com"), member("kenji@example.com"), member("priya@example.com")
	mail := func(at, from, id string) ingest.Interaction {
		return ingest.Interaction{Source: ingest.SourceMbox, Mode: ingest.Async, Kind: ingest.Email, Start: utc(at), End: utc(at), Organizer: from, ID: id}
	}
	root := mail("2026-03-02T09:00:00Z", ana.ID, h("root.1@mail.example.com"))
	root.Participants = []ingest.Participant{kenji, anon("sam.stranger@else.example"), priya}
	root.ThreadID = root.ID
	reply := mail("2026-03-02T23:05:00Z", kenji.ID, h("reply.2@mail.example.com"))
	reply.Participants = []ingest.Participant{ana}
	reply.InReplyTo, reply.ThreadID = root.ID, root.ID
	andre := mail("2026-03-03T10:00:00Z", anon("andre@else.example").ID, h("x.3@else.example"))
	andre.Participants = []ingest.Participant{ana, kenji}
	andre.InReplyTo, andre.ThreadID = reply.ID, root.ID
	jose := mail("2026-03-03T13:00:00Z", anon("jose@else.example").ID, "")
	jose.Participants = []ingest.Participant{ana, kenji}
	return []ingest.Interaction{root, reply, andre, jose}
}

func TestImport(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sample.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	badOffset := int64(bytes.Index(raw, []byte("From liam@")))
	tests := []struct {
		name string
		data []byte
		off  int64
	}{
		{"as written", raw, badOffset},
		{"CRLF line ends", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")), badOffset + int64(bytes.Count(raw[:badOffset], []byte("\n")))},
		{"with a byte order mark", append([]byte("\xEF\xBB\xBF"), raw...), badOffset + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st, err := fixture.Collect(t, mbox.New(bytes.NewReader(tt.data), "sample.mbox", fixture.Resolver(t)))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantSample(t), got); diff != "" {
				t.Errorf("interactions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int{"bad date": 1, "no sender": 1}, st.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if st.Read != 6 || st.Emitted != 4 {
				t.Errorf("read %d, emitted %d; want 6, 4", st.Read, st.Emitted)
			}
			wantNote := "sample.mbox: offset " + strconv.FormatInt(tt.off, 10) + " (Date: "
			if len(st.Notes) == 0 || !strings.HasPrefix(st.Notes[0].Where, wantNote) || st.Notes[0].Reason != "bad date" {
				t.Errorf("notes %+v, want the first at %q", st.Notes, wantNote)
			}
			fixture.NoContent(t, got, "sam.stranger", "else.example", "root.1@", "Andr")
		})
	}
}

func TestNotMbox(t *testing.T) {
	tests := []struct{ name, data string }{
		{"plain mail without envelope", "From: ana@example.com\nTo: kenji@example.com\n\nhello\n"},
		{"empty", ""},
		{"text", "Hello world\nFrom someone 2026\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := fixture.Collect(t, mbox.New(strings.NewReader(tt.data), "inbox.mbox", fixture.Resolver(t)))
			if err == nil || !strings.HasPrefix(err.Error(), "inbox.mbox: offset 0: not an mbox file") {
				t.Errorf("error = %v, want one naming inbox.mbox at offset 0", err)
			}
		})
	}
}

// oneByte reads one byte at a time, to test reads across the buffer.
type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:1]) }

func TestSplit(t *testing.T) {
	body := strings.Repeat("line of body text\n", 50)
	tests := []struct {
		name string
		data string
		want []string // header blocks
	}{
		{"two messages", "From a 2026\nA: 1\n\nbody\n\nFrom b 2026\nB: 2\n\nbody\n", []string{"A: 1\n", "B: 2\n"}},
		{"from line in body without blank line before", "From a 1\nA: 1\n\nx\nFrom b 2\n\n", []string{"A: 1\n"}},
		{"from line in body that is not an envelope", "From a 1\nA: 1\n\nx\n\nFrom here on\n", []string{"A: 1\n"}},
		{"escaped from line", "From a 1\nA: 1\n\n>From b 2\n\nFrom c 3\nC: 3\n", []string{"A: 1\n", "C: 3\n"}},
		{"empty header block", "From a 1\n\nbody\n\nFrom b 2\nB: 2\n\n", []string{"", "B: 2\n"}},
		{"header to the end", "From a 1\nA: 1\nB: 2", []string{"A: 1\nB: 2"}},
		{"long bodies", "From a 1\nA: 1\n\n" + body + "\nFrom b 2\nB: 2\n\n" + body, []string{"A: 1\n", "B: 2\n"}},
		{"envelope only", "From a 1", nil},
	}
	for _, tt := range tests {
		for _, mode := range []string{"whole", "byte by byte"} {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tt.data)
				if mode != "whole" {
					r = oneByte{r}
				}
				var got []string
				err := mbox.Split(r, func(off int64, h []byte, herr error) error {
					if !strings.HasPrefix(tt.data[off:], "From ") {
						t.Errorf("offset %d is not at a From line", off)
					}
					got = append(got, string(h))
					return herr
				})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("headers (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestSplitStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := mbox.Split(strings.NewReader("From a 1\n\n\nFrom b 2\n\n"), func(int64, []byte, error) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("err = %v after %d calls, want stop after 1", err, n)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for an error
	}{
		{"Mon, 2 Mar 2026 09:00:00 +0000", "2026-03-02T09:00:00Z"},
		{"Mon, 02 Mar 2026 09:00:00 -0330", "2026-03-02T12:30:00Z"},
		{"2 Mar 2026 09:00 +0530", "2026-03-02T03:30:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 -0800 (PST)", "2026-03-02T17:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 EST", "2026-03-02T14:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 PDT", "2026-03-02T16:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 CET", "2026-03-02T08:00:00Z"},
		{"Mon, 2 Mar 26 09:00:00 GMT", "2026-03-02T09:00:00Z"},
		{"Mon, 2 Mar 99 09:00:00 GMT", "1999-03-02T09:00:00Z"},
		{"Tue, 2 Mar 104 09:00:00 UT", "2004-03-02T09:00:00Z"},
		{"Monday, 2 March 2026 09:00:00 +0100", "2026-03-02T08:00:00Z"},
		{"Mon Mar  2 09:00:00 2026", "2026-03-02T09:00:00Z"},
		{"Mon Mar  2 09:00:00 2026 +0100", "2026-03-02T08:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 GMT+0200", "2026-03-02T07:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 +05:45", "2026-03-02T03:15:00Z"},
		{"Mon, 2 Mar 2026 09:00:00 Z", "2026-03-02T09:00:00Z"},
		{"Mon, 2 Mar 2026 09:00:00", "2026-03-02T09:00:00Z"},
		{"Mon,2 Mar 2026 09:00:00 +0000", "2026-03-02T09:00:00Z"},
		{"Mon, 2 Mar 2026 23:59:60 +0000", "2026-03-02T23:59:59Z"},
		{"  Mon, 2\r\n Mar 2026 09:00:00 +0000", "2026-03-02T09:00:00Z"},
		{"yesterday afternoon", ""},
		{"Mon, 31 Feb 2026 09:00:00 +0000", ""},
		{"Mon, 2 Mar 2026 25:00:00 +0000", ""},
		{"Mon, 2 Mar 2026 09:00:00 +9999", ""},
		{"Mon, 2 Foo 2026 09:00:00 +0000", ""},
		{"Mon, 2 Mar 2026", ""},
		{"Mon, 2 Mar 2026 09:00:00 XYZT", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := mbox.ParseDate(tt.in)
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("ParseDate(%q) = %v, want an error", tt.in, got)
			case tt.want != "" && err != nil:
				t.Errorf("ParseDate(%q): %v, want %s", tt.in, err, tt.want)
			case tt.want != "" && !got.Equal(utc(tt.want)):
				t.Errorf("ParseDate(%q) = %v, want %s", tt.in, got, tt.want)
			}
		})
	}
}
