package ical

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// vtz is a VTIMEZONE read from a file.
type vtz struct {
	tzid string
	line int
	obs  []vobs
	bad  error
}

// vobs is one STANDARD or DAYLIGHT observance.
type vobs struct {
	daylight bool
	line     int
	start    int64 // onset, wall clock in the offset before it
	hasStart bool
	from, to int
	hasFrom  bool
	hasTo    bool
	rules    []*Recur
	rdates   []DateTime
	name     string
}

func (ps *parser) obsProp(line int) error {
	p := &ps.p
	o := ps.obs
	switch string(p.name) {
	case "DTSTART":
		wall, _, _, err := parseDateTime(bytes.TrimSpace(p.value))
		if err != nil {
			return fmt.Errorf("DTSTART: %w", err)
		}
		o.start, o.hasStart = wall, true
	case "TZOFFSETFROM":
		off, err := parseUTCOffset(bytes.TrimSpace(p.value))
		if err != nil {
			return fmt.Errorf("TZOFFSETFROM: %w", err)
		}
		o.from, o.hasFrom = off, true
	case "TZOFFSETTO":
		off, err := parseUTCOffset(bytes.TrimSpace(p.value))
		if err != nil {
			return fmt.Errorf("TZOFFSETTO: %w", err)
		}
		o.to, o.hasTo = off, true
	case "RRULE":
		r, err := parseRecur(bytes.TrimSpace(p.value))
		if err != nil {
			return fmt.Errorf("RRULE: %w", err)
		}
		o.rules = append(o.rules, r)
	case "RDATE":
		for _, v := range bytes.Split(p.value, []byte{','}) {
			v = bytes.TrimSpace(v)
			if i := bytes.IndexByte(v, '/'); i >= 0 {
				v = v[:i]
			}
			wall, date, utc, err := parseDateTime(v)
			if err != nil {
				return fmt.Errorf("RDATE: %w", err)
			}
			k := KindFloating
			if utc {
				k = KindUTC
			} else if date {
				k = KindDate
			}
			o.rdates = append(o.rdates, DateTime{wall: wall, kind: k})
		}
	case "TZNAME":
		o.name = string(bytes.TrimSpace(p.value))
	}
	return nil
}

// parseUTCOffset reads "+0100", "-0430", "+053000" or "+01:00".
func parseUTCOffset(b []byte) (int, error) {
	orig := b
	if len(b) < 3 || (b[0] != '+' && b[0] != '-') {
		return 0, fmt.Errorf("invalid UTC offset %q", clip(orig))
	}
	neg := b[0] == '-'
	b = bytes.ReplaceAll(b[1:], []byte{':'}, nil)
	var h, m, s int
	var ok1, ok2, ok3 bool = true, true, true
	switch len(b) {
	case 2:
		h, ok1 = digits(b)
	case 4:
		h, ok1 = digits(b[:2])
		m, ok2 = digits(b[2:4])
	case 6:
		h, ok1 = digits(b[:2])
		m, ok2 = digits(b[2:4])
		s, ok3 = digits(b[4:6])
	default:
		return 0, fmt.Errorf("invalid UTC offset %q", clip(orig))
	}
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || s > 59 {
		return 0, fmt.Errorf("invalid UTC offset %q", clip(orig))
	}
	off := h*3600 + m*60 + s
	if neg {
		off = -off
	}
	return off, nil
}

type transition struct {
	at       int64 // UTC instant
	from, to int
	dst      bool
	name     string
}

// VTIMEZONE rules are computed for onsets in [vtzLo, vtzHi).
var (
	vtzLo = wallOf(1900, 1, 1, 0, 0, 0)
	vtzHi = wallOf(2200, 1, 1, 0, 0, 0)
)

// location computes a time.Location from the observances' rules.
func (z *vtz) location() (*time.Location, error) {
	if z.bad != nil {
		return nil, z.bad
	}
	if len(z.obs) == 0 {
		return nil, errors.New("no STANDARD or DAYLIGHT observance")
	}
	var trs []transition
	for i := range z.obs {
		o := &z.obs[i]
		if !o.hasStart || !o.hasTo {
			return nil, fmt.Errorf("observance at line %d lacks DTSTART or TZOFFSETTO", o.line)
		}
		if !o.hasFrom {
			o.from = o.to
		}
		add := func(wall int64) {
			trs = append(trs, transition{at: wall - int64(o.from), from: o.from, to: o.to, dst: o.daylight, name: o.name})
		}
		add(o.start)
		for _, r := range o.rules {
			var it ruleIter
			it.init(r, o.start, vtzLo, vtzHi, nil)
			n := 1
			for {
				w, ok, err := it.next()
				if err != nil {
					return nil, err
				}
				if !ok {
					break
				}
				if w <= o.start {
					continue
				}
				if r.Count > 0 && n >= r.Count {
					break
				}
				if !r.Until.IsZero() {
					if untilPassed(r.Until, w, o.from) {
						break
					}
				}
				n++
				if w >= vtzLo {
					add(w)
				}
				if len(trs) > 100_000 {
					return nil, errTooExpensive
				}
			}
		}
		for _, d := range o.rdates {
			if d.kind == KindUTC {
				trs = append(trs, transition{at: d.wall, from: o.from, to: o.to, dst: o.daylight, name: o.name})
			} else {
				add(d.wall)
			}
		}
	}
	slices.SortStableFunc(trs, func(a, b transition) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	// Drop transitions before the table range but remember the offset
	// they established.
	initial := trs[0].from
	initName, initDST := "", false
	k := 0
	for k < len(trs) && trs[k].at < vtzLo-86400 {
		initial, initName, initDST = trs[k].to, trs[k].name, trs[k].dst
		k++
	}
	trs = trs[k:]
	data := tzif(initial, initName, initDST, trs)
	return time.LoadLocationFromTZData(z.tzid, data)
}

func untilPassed(until DateTime, w int64, from int) bool {
	switch until.kind {
	case KindUTC:
		return w-int64(from) > until.wall
	case KindDate:
		return w >= until.wall+secondsPerDay
	}
	return w > until.wall
}

// tzif encodes transitions as TZif version 2 data for
// time.LoadLocationFromTZData. Type 0 is the offset before the first
// transition.
func tzif(initial int, initName string, initDST bool, trs []transition) []byte {
	type ttype struct {
		off  int
		dst  bool
		name string
	}
	types := []ttype{{initial, initDST, abbrev(initName, initial)}}
	index := map[ttype]int{}
	var idx []byte
	var times []int64
	for _, t := range trs {
		tt := ttype{t.to, t.dst, abbrev(t.name, t.to)}
		i, ok := index[tt]
		if !ok {
			i = len(types)
			types = append(types, tt)
			index[tt] = i
		}
		if len(times) > 0 && times[len(times)-1] == t.at {
			idx[len(idx)-1] = byte(i)
			continue
		}
		times = append(times, t.at)
		idx = append(idx, byte(i))
		if len(types) > 250 {
			break
		}
	}
	var chars []byte
	nameAt := map[string]int{}
	for _, t := range types {
		if _, ok := nameAt[t.name]; !ok {
			nameAt[t.name] = len(chars)
			chars = append(chars, t.name...)
			chars = append(chars, 0)
		}
	}
	var b []byte
	header := func(ntime, ntype, nchar int) {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, ntime, ntype, nchar} {
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
	}
	header(0, 0, 0) // empty version 1 block
	header(len(times), len(types), len(chars))
	for _, t := range times {
		b = binary.BigEndian.AppendUint64(b, uint64(t))
	}
	b = append(b, idx...)
	for _, t := range types {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(t.off)))
		dst := byte(0)
		if t.dst {
			dst = 1
		}
		b = append(b, dst, byte(nameAt[t.name]))
	}
	b = append(b, chars...)
	return b
}

// abbrev returns name if usable as a zone abbreviation, else "+hhmm".
func abbrev(name string, off int) string {
	ok := len(name) >= 1 && len(name) <= 16
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c > ' ' && c < 0x7f
	}
	if ok {
		return name
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	s := []byte{sign}
	s = append2(s, off/3600)
	s = append2(s, off/60%60)
	if off%60 != 0 {
		s = append2(s, off%60)
	}
	return string(s)
}
