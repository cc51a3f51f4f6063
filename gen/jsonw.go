package gen

import (
	"strconv"
	"unicode/utf8"
)

// jw appends JSON the way Slack's exporter writes it: four-space indents,
// slashes escaped, UTF-8 kept.
type jw struct {
	b     []byte
	depth int
	first []bool
}

func (w *jw) nl() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, "    "...)
	}
}

func (w *jw) sep() {
	if n := len(w.first); n > 0 {
		if !w.first[n-1] {
			w.b = append(w.b, ',')
		}
		w.first[n-1] = false
		w.nl()
	}
}

func (w *jw) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = append(w.first, true)
}

func (w *jw) close(c byte) {
	empty := w.first[len(w.first)-1]
	w.first = w.first[:len(w.first)-1]
	w.depth--
	if !empty {
		w.nl()
	}
	w.b = append(w.b, c)
}

func (w *jw) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, `": `...)
}

// obj starts an object as a value (after key) or an element (in an array).
func (w *jw) obj()           { w.open('{') }
func (w *jw) endObj()        { w.close('}') }
func (w *jw) arr()           { w.open('[') }
func (w *jw) endArr()        { w.close(']') }
func (w *jw) elem()          { w.sep() }
func (w *jw) str(s string)   { w.b = appendJSONString(w.b, s) }
func (w *jw) num(n int64)    { w.b = strconv.AppendInt(w.b, n, 10) }
func (w *jw) boolean(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jw) kstr(k, v string)       { w.key(k); w.str(v) }
func (w *jw) knum(k string, v int64) { w.key(k); w.num(v) }
func (w *jw) kbool(k string, v bool) { w.key(k); w.boolean(v) }
func (w *jw) kstrs(k string, vs []string) {
	w.key(k)
	w.b = append(w.b, '[')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		w.str(v)
	}
	w.b = append(w.b, ']')
}

const hexDigits = "0123456789abcdef"

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			i++
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' && c != '/' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\', '/':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
