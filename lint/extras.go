package lint

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// Extras are the properties of one VEVENT that the checklist needs and a
// calendar's event data leaves out: the description, links and
// attachments, and rhythm's own X-RHYTHM-* properties.
type Extras struct {
	UID         string
	Description string
	// Attach is the first ATTACH (a URI, or "inline" for binary data);
	// URL the event's URL.
	Attach, URL string
	// X-RHYTHM-PREREAD, X-RHYTHM-PREREAD-AT, X-RHYTHM-DECISION-OWNER,
	// X-RHYTHM-PURPOSE.
	PreRead       string
	PreReadAt     time.Time
	DecisionOwner string
	Purpose       string
	// Modified is LAST-MODIFIED, else CREATED: when the invite (and any
	// pre-read linked in it) was last shared.
	Modified time.Time
}

// maxExtrasLine bounds one unfolded line.
const maxExtrasLine = 4 << 20

// ScanExtras reads an iCalendar stream and returns the extras of every
// VEVENT, keyed by the physical line (1-based) of its BEGIN:VEVENT.
// Properties of components inside an event (VALARM) are ignored.
func ScanExtras(r io.Reader) (map[int]*Extras, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	out := map[int]*Extras{}
	var (
		cur      *Extras
		depth    int // components open inside the current VEVENT
		created  time.Time
		modified time.Time
		phys     int
		line     []byte
		start    int
		pending  []byte // a physical line read ahead
		havePend bool
	)
	readPhys := func() ([]byte, bool, error) {
		if havePend {
			havePend = false
			return pending, true, nil
		}
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return nil, false, nil
			}
			return nil, false, err
		}
		phys++
		b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte{'\n'}), []byte{'\r'})
		return b, true, nil
	}
	flush := func() {
		if cur == nil {
			return
		}
		if cur.Modified.IsZero() {
			if !modified.IsZero() {
				cur.Modified = modified
			} else {
				cur.Modified = created
			}
		}
	}
	for {
		b, ok, err := readPhys()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		start = phys
		line = append(line[:0], b...)
		// Unfold continuation lines.
		for {
			nb, ok, err := readPhys()
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			if len(nb) > 0 && (nb[0] == ' ' || nb[0] == '\t') {
				if len(line)+len(nb) > maxExtrasLine {
					return nil, fmt.Errorf("line %d: longer than %d bytes", start, maxExtrasLine)
				}
				line = append(line, nb[1:]...)
				continue
			}
			pending, havePend = append(pending[:0], nb...), true
			break
		}
		name, value := splitProp(line)
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VEVENT") && cur == nil:
			cur, depth, created, modified = &Extras{}, 0, time.Time{}, time.Time{}
			out[start] = cur
			continue
		case cur == nil:
			continue
		case name == "BEGIN":
			depth++
			continue
		case name == "END" && depth > 0:
			depth--
			continue
		case name == "END":
			flush()
			cur = nil
			continue
		case depth > 0:
			continue
		}
		switch name {
		case "UID":
			cur.UID = strings.TrimSpace(value)
		case "DESCRIPTION":
			cur.Description = unescape(value)
		case "X-ALT-DESC":
			if cur.Description == "" {
				cur.Description = stripTags(unescape(value))
			}
		case "ATTACH":
			if cur.Attach == "" {
				cur.Attach = strings.TrimSpace(value)
				if strings.Contains(strings.ToUpper(string(line[:len(line)-len(value)])), "VALUE=BINARY") {
					cur.Attach = "inline"
				}
			}
		case "URL":
			cur.URL = strings.TrimSpace(value)
		case "X-RHYTHM-PREREAD":
			cur.PreRead = strings.TrimSpace(unescape(value))
		case "X-RHYTHM-PREREAD-AT":
			cur.PreReadAt = parseStamp(value)
		case "X-RHYTHM-DECISION-OWNER":
			cur.DecisionOwner = strings.TrimSpace(unescape(value))
		case "X-RHYTHM-PURPOSE":
			cur.Purpose = strings.TrimSpace(unescape(value))
		case "LAST-MODIFIED":
			modified = parseStamp(value)
		case "CREATED":
			created = parseStamp(value)
		}
	}
	return out, nil
}

// splitProp returns the upper-case property name and the value of a
// content line; a colon inside a quoted parameter value does not end the
// name part.
func splitProp(line []byte) (string, string) {
	quoted := false
	nameEnd := -1
	for i, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case (c == ';' || c == ':') && nameEnd < 0 && !quoted:
			nameEnd = i
			if c == ':' {
				return strings.ToUpper(string(line[:i])), string(line[i+1:])
			}
		case c == ':' && !quoted:
			return strings.ToUpper(string(line[:nameEnd])), string(line[i+1:])
		}
	}
	return "", ""
}

var unescaper = strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)

func unescape(s string) string { return unescaper.Replace(s) }

// stripTags keeps the text of an HTML description.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parseStamp reads a UTC DATE-TIME ("20260301T100000Z") or RFC 3339; zero
// when it is neither.
func parseStamp(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("20060102T150405Z", s); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}
