package mbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxHeader is the largest header block read; a message with a larger one
// is skipped.
const MaxHeader = 1 << 20

// The window starts small, for small inputs, and grows to bufSize as a
// large input streams through it.
const (
	bufStart = 64 << 10
	bufSize  = 4 << 20
)

// ErrNotMbox means the input does not start with a "From " line.
var ErrNotMbox = errors.New(`not an mbox file: it does not start with a "From " line`)

// ErrHeaderTooLong is passed to the callback (with a nil header) for a
// message whose header block is larger than MaxHeader.
var ErrHeaderTooLong = fmt.Errorf("header block larger than %d bytes", MaxHeader)

// Split reads an mbox (mboxo or mboxrd) from r and calls fn with the byte
// offset of each message's "From " line and its header block, up to the
// blank line that ends it. Bodies are skipped without being parsed. A
// message starts at a "From " line at the start of the input or after a
// blank line, whose rest looks like an envelope (a sender, then a date
// with at least one digit). header is only valid during the call; for a
// header block larger than MaxHeader, fn gets a nil header and
// ErrHeaderTooLong. Split stops at the first error fn returns.
func Split(r io.Reader, fn func(off int64, header []byte, herr error) error) error {
	s := &splitter{r: r, buf: make([]byte, bufStart)}
	return s.run(fn)
}

// splitter is a window on the input; positions are absolute offsets.
type splitter struct {
	r    io.Reader
	buf  []byte
	base int64 // offset of buf[0]
	n    int   // bytes of data in buf
	eof  bool
	err  error
}

func (s *splitter) end() int64 { return s.base + int64(s.n) }

// at returns the byte at absolute offset i, which must be in the window.
func (s *splitter) at(i int64) byte { return s.buf[i-s.base] }

// from returns the data from absolute offset i to the end of the window.
func (s *splitter) from(i int64) []byte { return s.buf[i-s.base : s.n] }

// more drops the data before keep and reads more. It reports whether any
// data came.
func (s *splitter) more(keep int64) bool {
	if s.eof {
		return false
	}
	if k := int(keep - s.base); k > 0 {
		copy(s.buf, s.buf[k:s.n])
		s.n -= k
		s.base = keep
	}
	if s.n == len(s.buf) || len(s.buf) < bufSize && s.base > int64(4*len(s.buf)) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.n])
		s.buf = nb
	}
	m, err := s.r.Read(s.buf[s.n:])
	for m == 0 && err == nil {
		m, err = s.r.Read(s.buf[s.n:])
	}
	s.n += m
	if err != nil {
		s.eof = true
		if err != io.EOF {
			s.err = err
		}
	}
	return m > 0
}

// have makes sure the window holds the bytes up to absolute offset i
// (exclusive), keeping keep; false when the input ends first.
func (s *splitter) have(i, keep int64) bool {
	for s.end() < i {
		if !s.more(keep) {
			return false
		}
	}
	return true
}

func (s *splitter) run(fn func(int64, []byte, error) error) error {
	s.have(8, 0)
	if s.err != nil {
		return s.err
	}
	var pos int64
	if bytes.HasPrefix(s.from(0), []byte("\xEF\xBB\xBF")) {
		pos = 3
	}
	if !bytes.HasPrefix(s.from(pos), []byte("From ")) {
		return ErrNotMbox
	}
	for {
		// The envelope line.
		nl := s.index(pos, '\n', pos)
		if nl < 0 {
			return s.err // the input ends in the envelope line
		}
		h := nl + 1
		hend, herr := s.headerEnd(nl, pos)
		var header []byte
		if herr == nil {
			header = s.buf[h-s.base : hend-s.base]
		}
		if err := fn(pos, header, herr); err != nil {
			return err
		}
		if s.err != nil {
			return s.err
		}
		next, ok := s.nextFrom(hend)
		if s.err != nil {
			return s.err
		}
		if !ok {
			return nil
		}
		pos = next
	}
}

// index finds byte c at or after i, keeping keep; -1 if the input ends.
func (s *splitter) index(i int64, c byte, keep int64) int64 {
	for {
		if j := bytes.IndexByte(s.from(i), c); j >= 0 {
			return i + int64(j)
		}
		i = s.end()
		if !s.more(keep) {
			return -1
		}
	}
}

// headerEnd returns the offset of the blank line that ends the header
// block whose first line follows the newline at nl, or the end of the
// input. The window keeps keep onwards.
func (s *splitter) headerEnd(nl, keep int64) (int64, error) {
	for p := nl; ; {
		// p is at a newline: is the next line blank?
		s.have(p+3, keep)
		if p+1 >= s.end() {
			return s.end(), nil
		}
		if c := s.at(p + 1); c == '\n' || c == '\r' && p+2 < s.end() && s.at(p+2) == '\n' {
			return p + 1, nil
		}
		if p-nl > MaxHeader {
			return p, ErrHeaderTooLong
		}
		q := s.index(p+1, '\n', keep)
		if q < 0 {
			return s.end(), nil
		}
		p = q
	}
}

var fromSep = []byte("From ")

// nextFrom finds the next message's envelope line at or after p: "From "
// at the start of a line after a blank line, that looks like an envelope.
func (s *splitter) nextFrom(p int64) (int64, bool) {
	keep := max(s.base, p-3) // the bytes before p tell whether a line before is blank
	for {
		b := s.from(keep)
		off := int(p - keep)
		for {
			j := bytes.Index(b[off:], fromSep)
			if j < 0 {
				break
			}
			i := off + j
			if !(i >= 2 && b[i-1] == '\n' && (b[i-2] == '\n' || i >= 3 && b[i-2] == '\r' && b[i-3] == '\n')) {
				off = i + 1
				continue
			}
			nl := bytes.IndexByte(b[i:], '\n')
			if nl < 0 && !s.eof {
				off = i - 1 // read more and look again
				goto more
			}
			if line := b[i:]; nl < 0 && envelope(line) || nl >= 0 && envelope(line[:nl]) {
				return keep + int64(i), true
			}
			off = i + 1
		}
		off = max(off, len(b)-len(fromSep)-3)
	more:
		p = keep + int64(max(off, 0))
		keep = max(s.base, p-3)
		if !s.more(keep) {
			return 0, false
		}
	}
}

// envelope reports whether a "From " line looks like an mbox envelope:
// "From sender date", the date having a digit, e.g.
// "From MAILER-DAEMON Fri Jul  8 12:08:34 2011".
func envelope(line []byte) bool {
	rest := bytes.TrimRight(line[len(fromSep):], "\r")
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return false
	}
	return bytes.ContainsAny(rest[sp:], "0123456789")
}
