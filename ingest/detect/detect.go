// Package detect tells the format of an input to import from its content,
// and opens it with the matching importer.
package detect

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/csvevents"
	"github.com/rhythm-team/rhythm/ingest/slack"
)

// Format is a kind of input.
type Format string

// Formats.
const (
	Slack Format = "slack"
	Mbox  Format = "mbox"
	ICS   Format = "ics"
	CSV   Format = "csv"
)

// Format detects the format of the file or folder at path from its content:
// a zip archive or folder with users.json or channels.json is a Slack
// export, a file starting with a "From " line an mbox, one starting with
// BEGIN:VCALENDAR (or BEGIN:VEVENT) an iCalendar file, one whose first line is the events
// CSV header a CSV file.
func Detect(path string, lim ingest.Limits) (Format, error) { return detectAs(path, path, lim) }

func detectAs(path, name string, lim ingest.Limits) (Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, unwrapPath(err))
	}
	if st.IsDir() {
		root, err := os.OpenRoot(path)
		if err != nil {
			return "", rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, unwrapPath(err))
		}
		defer root.Close()
		if _, err := slack.Root(root.FS()); err != nil {
			return "", rhythm.Errorf(rhythm.EINVALID, "%s: a folder that is %v", name, strings.TrimPrefix(err.Error(), "not a Slack export: "))
		}
		return Slack, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, unwrapPath(err))
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
	}
	return sniff(path, name, head[:n], lim)
}

func sniff(path, name string, head []byte, lim ingest.Limits) (Format, error) {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		z, err := ingest.OpenZipAs(path, name, lim)
		if err != nil {
			return "", err
		}
		defer z.Close()
		if _, err := slack.Root(z); err != nil {
			return "", rhythm.Errorf(rhythm.EINVALID, "%s: a zip archive that is %v", name, err)
		}
		return Slack, nil
	}
	text := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if bytes.HasPrefix(text, []byte("From ")) || mailHeader(text) {
		// A mail without the mbox "From " line goes to the mbox reader
		// too, which says what is missing and where.
		return Mbox, nil
	}
	t := bytes.TrimLeft(text, " \t\r\n")
	for _, begin := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT"} { // bare VEVENTs are read too
		if len(t) >= len(begin) && bytes.EqualFold(t[:len(begin)], []byte(begin)) {
			return ICS, nil
		}
	}
	first, _, _ := bytes.Cut(text, []byte("\n"))
	if csvevents.LooksLikeHeader(string(first)) {
		return CSV, nil
	}
	return "", rhythm.Errorf(rhythm.EINVALID, "%s: cannot tell what this is: expected a Slack export (zip or folder), an mbox, an iCalendar file or a CSV file with the header %s",
		name, strings.Join(csvevents.Columns, ","))
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// mailHeader reports whether text starts with a header field that mail
// starts with (a single message saved as a file, or an mbox whose
// separators were lost).
func mailHeader(text []byte) bool {
	name, _, ok := bytes.Cut(text, []byte(":"))
	if !ok || len(name) > 30 {
		return false
	}
	switch strings.ToLower(string(name)) {
	case "from", "return-path", "received", "delivered-to", "message-id", "x-gm-thrid", "x-mozilla-status", "mime-version":
		return true
	}
	return false
}
