// Package mbox reads mailboxes in the mbox formats (mboxo and mboxrd, as
// Thunderbird, Gmail Takeout and mailing-list archives write them) into
// interactions: one async email per message, threaded by References and
// In-Reply-To. Only the header fields From, To, Cc, Date, Message-ID,
// In-Reply-To and References are read; subjects and bodies never are.
package mbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"regexp"
	"sync"

	"github.com/emersion/go-message/charset"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
)

// Mbox is one mailbox file.
type Mbox struct {
	r      io.Reader
	name   string
	res    *ingest.Resolver
	closer io.Closer
}

// Open opens the mbox file at path; the path names it in errors.
func Open(path string, res *ingest.Resolver) (*Mbox, error) { return OpenAs(path, path, res) }

// OpenAs opens the mbox file at path; name is used in errors (the
// uploaded file's name, say, rather than a temporary path).
func OpenAs(path, name string, res *ingest.Resolver) (*Mbox, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	c := New(f, name, res)
	c.closer = f
	return c, nil
}

// New reads an mbox from r; name is used in errors and notes.
func New(r io.Reader, name string, res *ingest.Resolver) *Mbox {
	return &Mbox{r: r, name: name, res: res}
}

// Close closes the file Open opened.
func (m *Mbox) Close() error {
	if m.closer != nil {
		return m.closer.Close()
	}
	return nil
}

// header holds the fields of a header block that are read.
type header struct {
	from, to, cc, date, messageID, inReplyTo, references []byte
}

// parseHeader picks the wanted fields out of a header block, unfolding
// continuation lines. Other fields are skipped without a copy.
func parseHeader(b []byte, h *header) {
	*h = header{}
	var cur *[]byte
	for len(b) > 0 {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur != nil {
				*cur = append(*cur, ' ')
				*cur = append(*cur, bytes.TrimLeft(line, " \t")...)
			}
			continue
		}
		cur = nil
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || colon > 20 {
			continue
		}
		var dst *[]byte
		switch name := line[:colon]; len(name) {
		case 2:
			if equalFold(name, "to") {
				dst = &h.to
			} else if equalFold(name, "cc") {
				dst = &h.cc
			}
		case 4:
			if equalFold(name, "from") {
				dst = &h.from
			} else if equalFold(name, "date") {
				dst = &h.date
			}
		case 10:
			if equalFold(name, "message-id") {
				dst = &h.messageID
			} else if equalFold(name, "references") {
				dst = &h.references
			}
		case 11:
			if equalFold(name, "in-reply-to") {
				dst = &h.inReplyTo
			}
		}
		if dst == nil || *dst != nil { // the first occurrence wins
			continue
		}
		*dst = append([]byte{}, bytes.TrimSpace(line[colon+1:])...)
		cur = dst
	}
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

var addrParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader}}

// looseAddr finds addresses in a header that net/mail cannot parse (raw
// 8-bit names, missing quotes, stray commas).
var looseAddr = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[A-Za-z0-9._%+\-=/'!#$&*?^{|}~]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
})

// addresses returns the email addresses in an address-list header value.
func addresses(v []byte) []string {
	if len(bytes.TrimSpace(v)) == 0 {
		return nil
	}
	if list, err := addrParser.ParseList(string(v)); err == nil {
		out := make([]string, 0, len(list))
		for _, a := range list {
			out = append(out, a.Address)
		}
		return out
	}
	var out []string
	for _, m := range looseAddr().FindAll(v, -1) {
		out = append(out, string(m))
	}
	return out
}

// msgIDs returns the message IDs ("<…>") in a header value, or the whole
// trimmed value when it has no angle brackets.
func msgIDs(v []byte) []string {
	var out []string
	for {
		i := bytes.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := bytes.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		if id := bytes.TrimSpace(v[i+1 : i+j]); len(id) > 0 {
			out = append(out, string(id))
		}
		v = v[i+j+1:]
	}
	if len(out) == 0 {
		if f := bytes.Fields(v); len(f) > 0 {
			out = append(out, string(f[0]))
		}
	}
	return out
}

// Import reads the mailbox and calls emit for each message. A message
// without a sender or with a date that cannot be read is skipped and
// noted with its byte offset.
func (m *Mbox) Import(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
	var st ingest.Stats
	var h header
	where := func(off int64) string { return fmt.Sprintf("%s: offset %d", m.name, off) }
	err := Split(m.r, func(off int64, hb []byte, herr error) error {
		if st.Read%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		st.Read++
		if herr != nil {
			st.Note("header too long", where(off))
			return nil
		}
		parseHeader(hb, &h)
		in, reason := m.interaction(&h)
		if reason != "" {
			w := where(off)
			if reason == "bad date" {
				w += fmt.Sprintf(" (Date: %q)", truncate(string(h.date), 60))
			}
			st.Note(reason, w)
			return nil
		}
		if err := emit(in); err != nil {
			return err
		}
		st.Emitted++
		return nil
	})
	switch {
	case errors.Is(err, ErrNotMbox):
		return st, rhythm.Errorf(rhythm.EINVALID, "%s: offset 0: %v", m.name, err)
	case err != nil && rhythm.ErrorCode(err) == rhythm.EINTERNAL && !errors.Is(err, ctx.Err()):
		return st, fmt.Errorf("%s: %w", m.name, err)
	}
	return st, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (m *Mbox) interaction(h *header) (ingest.Interaction, string) {
	from := addresses(h.from)
	if len(from) == 0 {
		return ingest.Interaction{}, "no sender"
	}
	if len(h.date) == 0 {
		return ingest.Interaction{}, "no date"
	}
	t, err := ParseDate(string(h.date))
	if err != nil {
		return ingest.Interaction{}, "bad date"
	}
	sender := m.res.Resolve(from[0])
	in := ingest.Interaction{
		Source:    ingest.SourceMbox,
		Mode:      ingest.Async,
		Kind:      ingest.Email,
		Start:     t,
		End:       t,
		Organizer: sender.ID,
	}
	for _, list := range [][]byte{h.to, h.cc} {
		for _, a := range addresses(list) {
			p := m.res.Resolve(a)
			if p.ID == "" || p.ID == sender.ID || containsID(in.Participants, p.ID) {
				continue
			}
			in.Participants = append(in.Participants, p)
		}
	}
	// Message-IDs may hold hosts and addresses: only keyed hashes are kept.
	if ids := msgIDs(h.messageID); len(ids) > 0 {
		in.ID = m.res.Hash("m-", ids[0])
	}
	refs := msgIDs(h.references)
	irt := msgIDs(h.inReplyTo)
	switch {
	case len(irt) > 0:
		in.InReplyTo = m.res.Hash("m-", irt[0])
	case len(refs) > 0:
		in.InReplyTo = m.res.Hash("m-", refs[len(refs)-1])
	}
	switch {
	case len(refs) > 0:
		in.ThreadID = m.res.Hash("m-", refs[0])
	case len(irt) > 0:
		in.ThreadID = in.InReplyTo
	default:
		in.ThreadID = in.ID
	}
	return in, ""
}

func containsID(ps []ingest.Participant, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}
