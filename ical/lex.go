package ical

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxLineBytes bounds one unfolded content line; longer lines (inline
// attachments, mostly) are cut and reported.
const maxLineBytes = 4 << 20

// lexer reads unfolded content lines from a stream: CRLF or LF line ends,
// continuation lines starting with a space or tab, a leading BOM.
type lexer struct {
	r       *bufio.Reader
	phys    int    // physical lines read so far
	start   int    // physical line number where the current line starts
	line    []byte // the current unfolded line
	tooLong bool
	err     error // read error other than EOF
}

func newLexer(r io.Reader) *lexer {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 32<<10 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	l := &lexer{r: br, line: make([]byte, 0, 256)}
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	return l
}

// next reads the next non-blank unfolded line into l.line.
func (l *lexer) next() bool {
	for {
		l.line = l.line[:0]
		l.tooLong = false
		if !l.appendPhys() {
			return false
		}
		l.start = l.phys
		for {
			b, err := l.r.Peek(1)
			if err != nil || (b[0] != ' ' && b[0] != '\t') {
				break
			}
			l.r.Discard(1)
			l.appendPhys()
		}
		if len(bytes.TrimSpace(l.line)) > 0 {
			return true
		}
	}
}

// appendPhys appends one physical line, without its line end, to l.line.
func (l *lexer) appendPhys() bool {
	got := false
	for {
		frag, err := l.r.ReadSlice('\n')
		if len(frag) > 0 {
			got = true
			if frag[len(frag)-1] == '\n' {
				frag = frag[:len(frag)-1]
				if len(frag) > 0 && frag[len(frag)-1] == '\r' {
					frag = frag[:len(frag)-1]
				}
			} else if err == bufio.ErrBufferFull && frag[len(frag)-1] == '\r' {
				// The '\r' may belong to a CRLF split by the buffer edge.
				if b, e := l.r.Peek(1); e == nil && b[0] == '\n' {
					frag = frag[:len(frag)-1]
				}
			}
			if len(l.line)+len(frag) > maxLineBytes {
				l.tooLong = true
			} else {
				l.line = append(l.line, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF && l.err == nil {
			l.err = err
		}
		break
	}
	if got {
		l.phys++
	}
	return got
}

// param is one property parameter; raw is its value as written (possibly
// several comma-separated, possibly quoted values).
type param struct {
	name []byte
	raw  []byte
}

// prop is one parsed content line; slices point into the lexer's buffer.
type prop struct {
	name   []byte
	params []param
	value  []byte
}

var (
	errNoColon    = errors.New("invalid content line: no ':' after the property name")
	errBadName    = errors.New("invalid content line: bad property name")
	errBadQuote   = errors.New("invalid content line: unterminated quoted parameter value")
	errBadParam   = errors.New("invalid content line: bad parameter name")
	errLineTooBig = errors.New("content line too long")
)

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// parseLine splits line into name, parameters and value. Names are
// upper-cased in place.
func parseLine(line []byte, p *prop) error {
	p.params = p.params[:0]
	i := 0
	for i < len(line) && isNameChar(line[i]) {
		if c := line[i]; c >= 'a' && c <= 'z' {
			line[i] = c - 32
		}
		i++
	}
	if i == 0 {
		return errBadName
	}
	p.name = line[:i]
	for i < len(line) && line[i] == ';' {
		i++
		ns := i
		for i < len(line) && isNameChar(line[i]) {
			if c := line[i]; c >= 'a' && c <= 'z' {
				line[i] = c - 32
			}
			i++
		}
		if i == ns {
			return errBadParam
		}
		pr := param{name: line[ns:i]}
		if i < len(line) && line[i] == '=' {
			i++
			vs := i
			for {
				if i < len(line) && line[i] == '"' {
					j := bytes.IndexByte(line[i+1:], '"')
					if j < 0 {
						return errBadQuote
					}
					i += j + 2
				} else {
					for i < len(line) && line[i] != ';' && line[i] != ':' && line[i] != ',' {
						i++
					}
				}
				if i < len(line) && line[i] == ',' {
					i++
					continue
				}
				break
			}
			pr.raw = line[vs:i]
		}
		p.params = append(p.params, pr)
	}
	if i >= len(line) || line[i] != ':' {
		return errNoColon
	}
	p.value = line[i+1:]
	return nil
}

// param returns the raw value of parameter name (upper case), or nil.
func (p *prop) param(name string) ([]byte, bool) {
	for _, pr := range p.params {
		if string(pr.name) == name {
			return pr.raw, true
		}
	}
	return nil, false
}

// paramFirst returns the first value of parameter name, unquoted.
func (p *prop) paramFirst(name string) []byte {
	raw, ok := p.param(name)
	if !ok {
		return nil
	}
	v, _ := splitParamValue(raw)
	return v
}

// splitParamValue returns the first value of a raw parameter value,
// unquoted, and the rest after the separating comma.
func splitParamValue(raw []byte) (v, rest []byte) {
	if len(raw) > 0 && raw[0] == '"' {
		j := bytes.IndexByte(raw[1:], '"')
		if j < 0 {
			return raw[1:], nil
		}
		v, rest = raw[1:j+1], raw[j+2:]
	} else if j := bytes.IndexByte(raw, ','); j >= 0 {
		v, rest = raw[:j], raw[j:]
	} else {
		v, rest = raw, nil
	}
	if len(rest) > 0 && rest[0] == ',' {
		rest = rest[1:]
	}
	return v, rest
}

// decodeParam undoes RFC 6868 caret escapes (^n, ^', ^^).
func decodeParam(v []byte) string {
	if bytes.IndexByte(v, '^') < 0 {
		return string(v)
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '^' && i+1 < len(v) {
			switch v[i+1] {
			case 'n', 'N':
				out = append(out, '\n')
				i++
				continue
			case '\'':
				out = append(out, '"')
				i++
				continue
			case '^':
				out = append(out, '^')
				i++
				continue
			}
		}
		out = append(out, v[i])
	}
	return string(out)
}

// unescapeText decodes a TEXT value (\n, \N, \, \; \\).
func unescapeText(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
			switch v[i] {
			case 'n', 'N':
				out = append(out, '\n')
			default:
				out = append(out, v[i])
			}
			continue
		}
		out = append(out, v[i])
	}
	return string(out)
}

// upperASCII reports whether b equals the upper-case ASCII s, ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 32
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
