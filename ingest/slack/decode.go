package slack

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	json "github.com/goccy/go-json"
)

// message holds the metadata fields of a Slack message and nothing else:
// text, blocks, files and attachments are skipped by the decoder, and the
// text is only scanned for mentions.
type message struct {
	Type     string   `json:"type"`
	Subtype  string   `json:"subtype"`
	User     string   `json:"user"`
	BotID    string   `json:"bot_id"`
	TS       string   `json:"ts"`
	ThreadTS string   `json:"thread_ts"`
	Text     mentions `json:"text"`
	Room     *room    `json:"room"`
}

// room is the call of a huddle message.
type room struct {
	CreatedBy          string   `json:"created_by"`
	DateStart          int64    `json:"date_start"`
	DateEnd            int64    `json:"date_end"`
	Participants       []string `json:"participants"`
	ParticipantHistory []string `json:"participant_history"`
}

// mentions are the user IDs of the <@U…> mentions in a message's text. It
// decodes from the JSON text without keeping any of it.
type mentions []string

// UnmarshalJSON scans the raw JSON string for mentions. User IDs never
// need escaping, but the brackets around them may be escaped (\u003c@…\u003e),
// so the raw bytes are scanned for both forms and nothing is unquoted.
func (m *mentions) UnmarshalJSON(b []byte) error {
	*m = nil
	if len(b) == 0 || b[0] != '"' {
		return nil // null or not a string: no mentions
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '@')
		if i < 0 {
			return nil
		}
		open := i >= 1 && b[i-1] == '<' || i >= 6 && b[i-6] == '\\' && b[i-5] == 'u' && b[i-4] == '0' && b[i-3] == '0' && b[i-2] == '3' && (b[i-1] == 'c' || b[i-1] == 'C')
		b = b[i+1:]
		if !open {
			continue
		}
		j := 0
		for j < len(b) && j < 32 && isIDByte(b[j]) {
			j++
		}
		if j > 0 && j < len(b) && (b[j] == '>' || b[j] == '|' || bytes.HasPrefix(b[j:], []byte(`\u003e`)) || bytes.HasPrefix(b[j:], []byte(`\u003E`))) {
			*m = append(*m, string(b[:j]))
		}
		b = b[j:]
	}
	return nil
}

func isIDByte(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// decodeDay decodes one day file: a JSON array of messages. It reuses the
// memory of msgs.
func decodeDay(data []byte, msgs []message) ([]message, error) {
	// The decoder appends into the capacity without zeroing it first. Only
	// the elements of the last decode (msgs' length) were written.
	clear(msgs)
	msgs = msgs[:0]
	if err := json.Unmarshal(data, &msgs); err != nil {
		return nil, jsonError(data, err)
	}
	return msgs, nil
}

// jsonError rewrites a decoding error to name the line of the input.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		off = 0
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	if te != nil {
		if te.Field == "" {
			err = fmt.Errorf("expected a JSON array, found %s", te.Value)
		} else {
			err = fmt.Errorf("field %q: expected %s, found %s", te.Field, kindOf(te.Type.Kind().String()), te.Value)
		}
		return &lineError{line: line, err: err}
	}
	return &lineError{line: line, err: fmt.Errorf("malformed JSON: %v", err)}
}

type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

// parseTS reads a Slack timestamp "1700000000.000100" (seconds and
// microseconds since the epoch).
func parseTS(ts string) (time.Time, bool) {
	sec, frac, _ := cutByte(ts, '.')
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s < 0 || s > 1<<40 || len(frac) > 9 {
		return time.Time{}, false
	}
	var ns int64
	if frac != "" {
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return time.Time{}, false
		}
		for range 9 - len(frac) {
			f *= 10
		}
		ns = f
	}
	return time.Unix(s, ns).UTC(), true
}

func cutByte(s string, c byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func unix(s int64) time.Time { return time.Unix(s, 0).UTC() }

func kindOf(k string) string {
	switch k {
	case "slice":
		return "an array"
	case "struct", "ptr", "map":
		return "an object"
	case "int64", "int", "float64":
		return "a number"
	}
	return "a " + k
}
