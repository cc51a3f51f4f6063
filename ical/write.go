package ical

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteOptions controls Writer and Write.
type WriteOptions struct {
	ProdID string         // PRODID; default "-//rhythm//rhythm//EN"
	Name   string         // X-WR-CALNAME, if set
	Zone   *time.Location // X-WR-TIMEZONE, if set
	Method string         // METHOD, if set (e.g. "PUBLISH")
	// Stamp is written as every event's DTSTAMP; zero means the time of
	// writing.
	Stamp time.Time
}

// Writer writes events and series as one VCALENDAR, with a VTIMEZONE for
// every zone they use, generated from Go's zone data for the years used.
// Events are kept until Close, which writes the calendar.
type Writer struct {
	w      io.Writer
	opts   WriteOptions
	events []*Event
	closed bool
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer, opts WriteOptions) *Writer {
	return &Writer{w: w, opts: opts}
}

// Add queues events (masters and overrides alike).
func (wr *Writer) Add(events ...*Event) { wr.events = append(wr.events, events...) }

// Close writes the calendar. It does not close the underlying writer.
func (wr *Writer) Close() error {
	if wr.closed {
		return nil
	}
	wr.closed = true
	return Write(wr.w, wr.events, wr.opts)
}

// WriteTo writes the calendar with its events; it implements io.WriterTo.
func (c *Calendar) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	opts := WriteOptions{ProdID: c.ProdID, Name: c.Name, Method: c.Method}
	if c.ZoneFromCalendar {
		opts.Zone = c.Zone
	}
	err := Write(cw, c.Events, opts)
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Write writes events as one VCALENDAR to w.
func Write(w io.Writer, events []*Event, opts WriteOptions) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	e := &encoder{w: bw}
	prodID := opts.ProdID
	if prodID == "" {
		prodID = "-//rhythm//rhythm//EN"
	}
	stamp := opts.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	e.line("BEGIN:VCALENDAR")
	e.line("VERSION:2.0")
	e.prop("PRODID", nil, escapeText(prodID))
	e.line("CALSCALE:GREGORIAN")
	if opts.Method != "" {
		e.prop("METHOD", nil, opts.Method)
	}
	if opts.Name != "" {
		e.prop("X-WR-CALNAME", nil, escapeText(opts.Name))
	}
	if opts.Zone != nil && opts.Zone != time.Local {
		e.prop("X-WR-TIMEZONE", nil, opts.Zone.String())
	}
	for _, z := range zonesUsed(events) {
		writeVTimezone(e, z)
	}
	st := DateTime{wall: stamp.UTC().Unix(), kind: KindUTC}.String()
	for _, ev := range events {
		writeEvent(e, ev, st)
	}
	e.line("END:VCALENDAR")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// zoneUse is a zone and the years an event uses it in.
type zoneUse struct {
	loc       *time.Location
	lo, hi    int
	unbounded bool
}

// zonesUsed lists the zones named by events' values, with the years used.
func zonesUsed(events []*Event) []*zoneUse {
	var out []*zoneUse
	byName := map[string]*zoneUse{}
	note := func(d DateTime, unbounded bool, untilYear int) {
		if d.kind != KindZoned || d.loc == nil || d.loc == time.UTC || d.tzid == "" {
			return
		}
		y, _, _, _, _, _ := d.Civil()
		z := byName[d.tzid]
		if z == nil {
			z = &zoneUse{loc: d.loc, lo: y, hi: y}
			byName[d.tzid] = z
			out = append(out, z)
		}
		z.lo, z.hi = min(z.lo, y), max(z.hi, y, untilYear)
		z.unbounded = z.unbounded || unbounded
	}
	for _, ev := range events {
		unbounded, untilYear := false, 0
		for _, r := range ev.Rules {
			switch {
			case !r.Until.IsZero():
				y, _, _, _, _, _ := r.Until.Civil()
				untilYear = max(untilYear, y+1)
			case r.Count > 0:
				// A COUNT series ends, but where is costly to know; treat
				// it as reaching ten years on.
				y, _, _, _, _, _ := ev.Start.Civil()
				untilYear = max(untilYear, y+10)
			default:
				unbounded = true
			}
		}
		note(ev.Start, unbounded, untilYear)
		note(ev.End, false, 0)
		note(ev.RecurrenceID, false, 0)
		for _, d := range ev.ExDates {
			note(d, false, 0)
		}
		for _, p := range ev.RDates {
			note(p.Start, false, 0)
			note(p.End, false, 0)
		}
	}
	return out
}

// observance is one STANDARD or DAYLIGHT block to write.
type observance struct {
	dst      bool
	from, to int
	name     string
	onsets   []int64 // wall readings in the "from" offset
	rule     *Recur
}

// writeVTimezone writes a VTIMEZONE for z, covering the year before the
// first used to the last used (with yearly rules continuing for ever when
// the zone's recent changes follow one).
func writeVTimezone(e *encoder, z *zoneUse) {
	loY, hiY := z.lo-1, z.hi+1
	if z.unbounded {
		hiY = max(hiY, z.lo+12)
	}
	start := time.Date(loY, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	end := time.Date(hiY+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	type tr struct {
		at       int64
		from, to int
		dst      bool
		name     string
	}
	var trs []tr
	cur := time.Unix(start, 0).In(z.loc)
	initName, initOff := cur.Zone()
	initDST := cur.IsDST()
	prevName, prevDST := initName, initDST
	for n := 0; n < 5000; n++ {
		next := nextBound(cur)
		if next.IsZero() || next.Unix() >= end {
			break
		}
		_, fromOff := cur.Zone()
		cur = next
		name, off := cur.Zone()
		if off == fromOff && name == prevName && cur.IsDST() == prevDST {
			continue // a bound without a change
		}
		prevName, prevDST = name, cur.IsDST()
		trs = append(trs, tr{at: next.Unix(), from: fromOff, to: off, dst: cur.IsDST(), name: name})
	}
	e.prop("BEGIN", nil, "VTIMEZONE")
	e.prop("TZID", nil, z.loc.String())
	if len(trs) == 0 {
		o := observance{from: initOff, to: initOff, name: initName, dst: initDST,
			onsets: []int64{wallOf(1970, 1, 1, 0, 0, 0)}}
		writeObservance(e, &o)
		e.prop("END", nil, "VTIMEZONE")
		return
	}
	// Group transitions into observances with equal offsets and name,
	// then find a yearly rule for each group's trailing run.
	var obs []*observance
	for _, t := range trs {
		var o *observance
		for _, c := range obs {
			if c.from == t.from && c.to == t.to && c.name == t.name && c.dst == t.dst {
				o = c
				break
			}
		}
		if o == nil {
			o = &observance{dst: t.dst, from: t.from, to: t.to, name: t.name}
			obs = append(obs, o)
		}
		o.onsets = append(o.onsets, t.at+int64(t.from))
	}
	lastYear := hiY
	for _, o := range obs {
		writeObservanceRuns(e, o, lastYear)
	}
	e.prop("END", nil, "VTIMEZONE")
}

// ruleKey describes an onset as "the nth weekday of month m at time t".
type ruleKey struct {
	month, wday, nth int
	tod              int64
}

func onsetKey(wall int64) (ruleKey, int) {
	y, m, d, _, _, _ := civilOfWall(wall)
	nth := (d-1)/7 + 1
	if d+7 > daysInMonth(y, m) {
		nth = -1
	}
	return ruleKey{month: m, wday: weekdayOf(floorDiv(wall, secondsPerDay)), nth: nth, tod: floorMod(wall, secondsPerDay)}, y
}

// writeObservanceRuns writes o's onsets: a trailing run of yearly onsets
// that follow one rule as an RRULE, the rest as DTSTART/RDATE.
func writeObservanceRuns(e *encoder, o *observance, lastYear int) {
	on := o.onsets
	// Find the longest trailing run of consecutive years with one key.
	runStart := len(on)
	if len(on) >= 3 {
		k, y := onsetKey(on[len(on)-1])
		runStart = len(on) - 1
		for i := len(on) - 2; i >= 0; i-- {
			k2, y2 := onsetKey(on[i])
			if k2 != k || y2 != y-1 {
				break
			}
			runStart, y = i, y2
		}
		if len(on)-runStart < 3 {
			runStart = len(on)
		}
	}
	if runStart > 0 {
		single := &observance{dst: o.dst, from: o.from, to: o.to, name: o.name, onsets: on[:runStart]}
		writeObservance(e, single)
	}
	if runStart < len(on) {
		k, _ := onsetKey(on[runStart])
		r := &Recur{Freq: Yearly, ByMonth: []int{k.month}, ByDay: []WeekdayNum{{N: k.nth, Day: WeekdayOf(time.Weekday(k.wday))}}}
		if _, y := onsetKey(on[len(on)-1]); y < lastYear {
			// The rule stopped before the end of the range.
			r.Until = DateTime{wall: on[len(on)-1] - int64(o.from), kind: KindUTC}
		}
		run := &observance{dst: o.dst, from: o.from, to: o.to, name: o.name, onsets: on[runStart : runStart+1], rule: r}
		writeObservance(e, run)
	}
}

func writeObservance(e *encoder, o *observance) {
	kind := "STANDARD"
	if o.dst {
		kind = "DAYLIGHT"
	}
	e.prop("BEGIN", nil, kind)
	e.prop("DTSTART", nil, string(appendDateTime(nil, o.onsets[0], false)))
	e.prop("TZOFFSETFROM", nil, formatOffset(o.from))
	e.prop("TZOFFSETTO", nil, formatOffset(o.to))
	if o.name != "" {
		e.prop("TZNAME", nil, escapeText(o.name))
	}
	if o.rule != nil {
		e.prop("RRULE", nil, o.rule.String())
	}
	if len(o.onsets) > 1 {
		var b []byte
		for i, w := range o.onsets[1:] {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDateTime(b, w, false)
		}
		e.prop("RDATE", nil, string(b))
	}
	e.prop("END", nil, kind)
}

func formatOffset(off int) string {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b := []byte{sign}
	b = append2(b, off/3600)
	b = append2(b, off/60%60)
	if off%60 != 0 {
		b = append2(b, off%60)
	}
	return string(b)
}

func writeEvent(e *encoder, ev *Event, stamp string) {
	e.line("BEGIN:VEVENT")
	e.prop("UID", nil, escapeText(ev.UID))
	e.prop("DTSTAMP", nil, stamp)
	e.dateTime("DTSTART", ev.Start, nil)
	if !ev.End.IsZero() {
		e.dateTime("DTEND", ev.End, nil)
	} else if ev.Duration != nil {
		e.prop("DURATION", nil, ev.Duration.String())
	}
	if !ev.RecurrenceID.IsZero() {
		var extra []string
		if ev.ThisAndFuture {
			extra = []string{"RANGE", "THISANDFUTURE"}
		}
		e.dateTime("RECURRENCE-ID", ev.RecurrenceID, extra)
	}
	for _, r := range ev.Rules {
		e.prop("RRULE", nil, ruleFor(r, ev.Start).String())
	}
	for _, r := range ev.ExRules {
		e.prop("EXRULE", nil, ruleFor(r, ev.Start).String())
	}
	for _, p := range ev.RDates {
		switch {
		case !p.End.IsZero():
			e.dateTimeValue("RDATE", p.Start, []string{"VALUE", "PERIOD"}, "/"+p.End.String())
		case !p.Duration.IsZero():
			e.dateTimeValue("RDATE", p.Start, []string{"VALUE", "PERIOD"}, "/"+p.Duration.String())
		default:
			e.dateTime("RDATE", p.Start, nil)
		}
	}
	for _, d := range ev.ExDates {
		e.dateTime("EXDATE", d, nil)
	}
	if ev.Summary != "" {
		e.prop("SUMMARY", nil, escapeText(ev.Summary))
	}
	if ev.Status != StatusNone {
		e.prop("STATUS", nil, string(ev.Status))
	}
	if ev.Transparent {
		e.prop("TRANSP", nil, "TRANSPARENT")
	}
	if ev.Sequence != 0 {
		e.prop("SEQUENCE", nil, strconv.Itoa(ev.Sequence))
	}
	if ev.Organizer != nil && !ev.Organizer.IsZero() {
		var ps []string
		if ev.Organizer.Name != "" {
			ps = append(ps, "CN", ev.Organizer.Name)
		}
		e.prop("ORGANIZER", ps, calAddress(ev.Organizer.Email))
	}
	for _, a := range ev.Attendees {
		var ps []string
		if a.CUType != "" && a.CUType != CUIndividual {
			ps = append(ps, "CUTYPE", string(a.CUType))
		}
		if a.Role != "" {
			ps = append(ps, "ROLE", string(a.Role))
		}
		if a.PartStat != "" {
			ps = append(ps, "PARTSTAT", string(a.PartStat))
		}
		if a.Name != "" {
			ps = append(ps, "CN", a.Name)
		}
		e.prop("ATTENDEE", ps, calAddress(a.Email))
	}
	e.line("END:VEVENT")
}

func calAddress(email string) string {
	if email == "" || strings.Contains(email, ":") {
		return email
	}
	return "mailto:" + email
}

// ruleFor returns r with an UNTIL of the value type RFC 5545 requires for
// dtstart: a DATE for DATE, UTC for zoned, floating for floating.
func ruleFor(r *Recur, dtstart DateTime) *Recur {
	u := r.Until
	if u.IsZero() {
		return r
	}
	c := *r
	switch dtstart.kind {
	case KindDate:
		if u.kind != KindDate {
			wall := u.wall
			if u.kind == KindUTC || u.kind == KindZoned {
				wall = floorDiv(u.wall, secondsPerDay) * secondsPerDay
			}
			c.Until = DateTime{wall: floorDiv(wall, secondsPerDay) * secondsPerDay, kind: KindDate}
		}
	case KindZoned, KindUTC:
		switch u.kind {
		case KindFloating, KindZoned:
			loc := dtstart.loc
			if u.kind == KindZoned && u.loc != nil {
				loc = u.loc
			}
			if loc == nil {
				loc = time.UTC
			}
			c.Until = DateTime{wall: tableFor(loc, nil).toUTC(u.wall), kind: KindUTC}
		case KindDate:
			loc := dtstart.loc
			if loc == nil {
				loc = time.UTC
			}
			// Through the end of that date in the event's zone.
			c.Until = DateTime{wall: tableFor(loc, nil).toUTC(u.wall + secondsPerDay - 1), kind: KindUTC}
		}
	case KindFloating:
		if u.kind == KindDate {
			c.Until = DateTime{wall: u.wall + secondsPerDay - 1, kind: KindFloating}
		} else if u.kind != KindFloating {
			c.Until = DateTime{wall: u.wall, kind: KindFloating}
		}
	}
	return &c
}

// encoder writes folded content lines.
type encoder struct {
	w   *bufio.Writer
	buf []byte
	err error
}

func (e *encoder) line(s string) {
	e.buf = append(e.buf[:0], s...)
	e.flushLine()
}

// prop writes name;k=v;...:value; params are name/value pairs.
func (e *encoder) prop(name string, params []string, value string) {
	e.buf = append(e.buf[:0], name...)
	for i := 0; i+1 < len(params); i += 2 {
		e.buf = append(e.buf, ';')
		e.buf = append(e.buf, params[i]...)
		e.buf = append(e.buf, '=')
		e.buf = appendParamValue(e.buf, params[i+1])
	}
	e.buf = append(e.buf, ':')
	e.buf = append(e.buf, value...)
	e.flushLine()
}

func (e *encoder) dateTime(name string, d DateTime, params []string) {
	e.dateTimeValue(name, d, params, "")
}

func (e *encoder) dateTimeValue(name string, d DateTime, params []string, suffix string) {
	ps := slices.Clone(params)
	switch d.kind {
	case KindDate:
		if !slices.Contains(ps, "VALUE") {
			ps = append(ps, "VALUE", "DATE")
		}
	case KindZoned:
		if d.tzid != "" {
			ps = append(ps, "TZID", d.tzid)
		}
	}
	e.prop(name, ps, d.String()+suffix)
}

var paramEscaper = strings.NewReplacer("^", "^^", "\n", "^n", `"`, "^'")

func appendParamValue(b []byte, v string) []byte {
	if strings.ContainsAny(v, "^\n\"") {
		v = paramEscaper.Replace(v)
	}
	if strings.ContainsAny(v, ":;,") {
		b = append(b, '"')
		b = append(b, v...)
		return append(b, '"')
	}
	return append(b, v...)
}

// flushLine writes e.buf folded at 75 octets without splitting UTF-8
// sequences.
func (e *encoder) flushLine() {
	if e.err != nil {
		return
	}
	b := e.buf
	first := true
	for len(b) > 0 {
		limit := 75
		if !first {
			limit = 74
			e.w.WriteByte(' ')
		}
		n := len(b)
		if n > limit {
			n = limit
			for n > 0 && !utf8.RuneStart(b[n]) {
				n--
			}
		}
		e.w.Write(b[:n])
		e.w.WriteString("\r\n")
		b = b[n:]
		first = false
	}
	if _, err := e.w.Write(nil); err != nil {
		e.err = err
	}
}

// escapeText escapes a TEXT value.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "\\;,\n\r") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
