package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxInterned bounds the string intern table of one parse.
const maxInterned = 1 << 16

type parser struct {
	opts  Options
	lx    *lexer
	cal   *Calendar
	warns []Warning
	p     prop

	stack    []string // open components, outermost first
	started  bool     // BEGIN:VCALENDAR seen
	calDepth int      // VCALENDARs read

	ev         *Event
	evBad      error
	evBadLine  int
	evHasStart bool

	tz  *vtz
	obs *vobs

	vtzs    map[string]*vtz
	zones   map[string]*time.Location // TZID → zone, nil when not (yet) known
	pending []pendingZone
	strs    map[string]string
}

type pendingZone struct {
	ev   *Event
	tzid string
	line int
}

// Parse reads an iCalendar stream. Events that cannot be read are skipped
// and reported as warnings with their line; the error is non-nil only when
// the input cannot be read at all (it then matches ErrNotCalendar when the
// input is not iCalendar). UTF-8 with or without BOM and UTF-16 with BOM
// are accepted.
func Parse(r io.Reader, opts Options) (*Calendar, []Warning, error) {
	r = decodeBOM(r)
	ps := &parser{
		opts:  opts,
		lx:    newLexer(r),
		cal:   &Calendar{input: opts.Name},
		vtzs:  map[string]*vtz{},
		zones: map[string]*time.Location{},
		strs:  map[string]string{},
	}
	if err := ps.run(); err != nil {
		return nil, ps.warns, err
	}
	ps.finish()
	return ps.cal, ps.warns, nil
}

// decodeBOM wraps r in a UTF-16 decoder when it starts with a UTF-16 BOM.
func decodeBOM(r io.Reader) io.Reader {
	var head [2]byte
	n, _ := io.ReadFull(r, head[:])
	pre := io.MultiReader(bytes.NewReader(head[:n]), r)
	if n == 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		return transform.NewReader(pre, dec)
	}
	return pre
}

func (ps *parser) errorf(line int, format string, args ...any) error {
	return &Error{Name: ps.opts.Name, Line: line, Err: fmt.Errorf(format, args...)}
}

func (ps *parser) warn(line int, uid, format string, args ...any) {
	ps.warns = append(ps.warns, Warning{Name: ps.opts.Name, Line: line, UID: uid, Msg: fmt.Sprintf(format, args...)})
}

// skipEvent warns that the event at line was left out.
func (ps *parser) skipEvent(line int, uid, format string, args ...any) {
	ps.warn(line, uid, format, args...)
	ps.warns[len(ps.warns)-1].Skipped = true
}

func (ps *parser) intern(b []byte) string {
	if s, ok := ps.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(ps.strs) < maxInterned {
		ps.strs[s] = s
	}
	return s
}

func (ps *parser) top() string {
	if len(ps.stack) == 0 {
		return ""
	}
	return ps.stack[len(ps.stack)-1]
}

func (ps *parser) run() error {
	lx := ps.lx
	for lx.next() {
		line := lx.start
		var err error
		if lx.tooLong {
			if !usedProperty(lx.line) {
				continue // e.g. an inline ATTACH: rhythm reads none of it
			}
			err = errLineTooBig
		} else {
			err = parseLine(lx.line, &ps.p)
		}
		if !ps.started {
			// A file of bare VEVENTs (one exported, pasted or attached
			// event) reads as if wrapped in a VCALENDAR.
			c := ""
			if err == nil && string(ps.p.name) == "BEGIN" {
				c = componentName(ps.p.value)
			}
			if c != "VCALENDAR" && c != "VEVENT" && c != "VTIMEZONE" {
				return &Error{Name: ps.opts.Name, Line: line, Err: fmt.Errorf("%w: expected BEGIN:VCALENDAR", ErrNotCalendar)}
			}
			ps.started = true
		}
		if err != nil {
			ps.badLine(line, err)
			continue
		}
		switch string(ps.p.name) {
		case "BEGIN":
			ps.begin(line, componentName(ps.p.value))
		case "END":
			ps.end(line, componentName(ps.p.value))
		default:
			ps.property(line)
		}
	}
	if lx.err != nil {
		return &Error{Name: ps.opts.Name, Line: lx.phys, Err: fmt.Errorf("read: %w", lx.err)}
	}
	if !ps.started {
		return &Error{Name: ps.opts.Name, Line: max(lx.phys, 1), Err: fmt.Errorf("%w: empty input", ErrNotCalendar)}
	}
	if len(ps.stack) > 0 {
		if ps.ev != nil {
			ps.skipEvent(ps.ev.Line, ps.ev.UID, "unexpected end of input inside VEVENT; event skipped")
			ps.ev = nil
		} else if ps.top() != "VCALENDAR" || len(ps.stack) > 1 {
			ps.warn(lx.phys, "", "unexpected end of input inside %s", ps.top())
		}
		ps.stack = ps.stack[:0]
	}
	return nil
}

func componentName(v []byte) string {
	v = bytes.TrimSpace(v)
	switch {
	case equalFold(v, "VCALENDAR"):
		return "VCALENDAR"
	case equalFold(v, "VEVENT"):
		return "VEVENT"
	case equalFold(v, "VTIMEZONE"):
		return "VTIMEZONE"
	case equalFold(v, "STANDARD"):
		return "STANDARD"
	case equalFold(v, "DAYLIGHT"):
		return "DAYLIGHT"
	case equalFold(v, "VALARM"):
		return "VALARM"
	}
	return strings.ToUpper(string(v))
}

// badLine handles a content line that could not be split.
func (ps *parser) badLine(line int, err error) {
	if ps.ev != nil {
		// Inside a VEVENT a bad line is skipped with a warning, unless the
		// event cannot be read right without it: then the event is bad.
		// Inside its VALARM (or another sub-component rhythm does not
		// read) the line is dropped.
		if ps.top() != "VEVENT" {
			return
		}
		if essentialLine(ps.lx.line) {
			if ps.evBad == nil {
				ps.evBad, ps.evBadLine = err, line
			}
			return
		}
		ps.warn(line, "", "%v; line skipped", err)
		ps.warns[len(ps.warns)-1].Content = clip(ps.lx.line)
		return
	}
	if ps.tz != nil && ps.tz.bad == nil {
		ps.tz.bad = ps.errorf(line, "%v", err)
	}
	ps.warn(line, "", "%v; line ignored", err)
}

func (ps *parser) begin(line int, name string) {
	parent := ps.top()
	if len(ps.stack) >= 32 {
		ps.warn(line, "", "components nested too deeply")
		ps.evBadOrWarn(line, errors.New("components nested too deeply"))
		return
	}
	if parent == "" && (name == "VEVENT" || name == "VTIMEZONE") {
		// Outside any VCALENDAR (a bare event, or one after END:VCALENDAR
		// in concatenated calendars): as if inside one.
		ps.stack = append(ps.stack, "VCALENDAR")
		ps.calDepth++
		parent = "VCALENDAR"
	}
	ps.stack = append(ps.stack, name)
	switch {
	case name == "VCALENDAR" && parent == "":
		ps.calDepth++
	case name == "VEVENT" && parent == "VCALENDAR":
		ps.ev = &Event{Line: line}
		ps.evBad, ps.evBadLine, ps.evHasStart = nil, 0, false
	case name == "VTIMEZONE" && parent == "VCALENDAR":
		ps.tz = &vtz{line: line}
	case (name == "STANDARD" || name == "DAYLIGHT") && parent == "VTIMEZONE" && ps.tz != nil:
		ps.obs = &vobs{daylight: name == "DAYLIGHT", line: line}
	}
}

func (ps *parser) evBadOrWarn(line int, err error) {
	if ps.ev != nil && ps.evBad == nil {
		ps.evBad, ps.evBadLine = err, line
	}
}

func (ps *parser) end(line int, name string) {
	idx := -1
	for i := len(ps.stack) - 1; i >= 0; i-- {
		if ps.stack[i] == name {
			idx = i
			break
		}
	}
	if idx < 0 {
		ps.warn(line, "", "END:%s without BEGIN; line ignored", name)
		return
	}
	for len(ps.stack) > idx {
		top := ps.top()
		if top != name {
			ps.warn(line, "", "END:%s closes %s that was not ended", name, top)
		}
		ps.stack = ps.stack[:len(ps.stack)-1]
		parent := ps.top()
		switch {
		case top == "VEVENT" && parent == "VCALENDAR" && ps.ev != nil:
			ps.finishEvent(line)
		case top == "VTIMEZONE" && parent == "VCALENDAR" && ps.tz != nil:
			ps.finishTZ()
		case (top == "STANDARD" || top == "DAYLIGHT") && parent == "VTIMEZONE" && ps.obs != nil:
			if ps.tz != nil {
				ps.tz.obs = append(ps.tz.obs, *ps.obs)
			}
			ps.obs = nil
		}
	}
}

func (ps *parser) finishEvent(endLine int) {
	ev := ps.ev
	ps.ev = nil
	if ps.evBad != nil {
		ps.skipEvent(ps.evBadLine, ev.UID, "%v; event skipped (lines %d-%d)", ps.evBad, ev.Line, endLine)
		ps.dropPending(ev)
		return
	}
	if !ps.evHasStart {
		ps.skipEvent(ev.Line, ev.UID, "event has no DTSTART; event skipped")
		ps.dropPending(ev)
		return
	}
	if ev.UID == "" {
		ev.UID = "rhythm-line-" + strconv.Itoa(ev.Line)
		ps.warn(ev.Line, "", "event has no UID; calling it %q", ev.UID)
	}
	if !ev.RecurrenceID.IsZero() {
		ev.Rules, ev.ExRules, ev.RDates = nil, nil, nil
	}
	for i := range ps.pending {
		if ps.pending[i].ev == ev && ps.pending[i].line == 0 {
			ps.pending[i].line = ev.Line
		}
	}
	ps.cal.Events = append(ps.cal.Events, ev)
}

func (ps *parser) dropPending(ev *Event) {
	out := ps.pending[:0]
	for _, p := range ps.pending {
		if p.ev != ev {
			out = append(out, p)
		}
	}
	ps.pending = out
}

func (ps *parser) finishTZ() {
	tz := ps.tz
	ps.tz = nil
	if tz.tzid == "" {
		ps.warn(tz.line, "", "VTIMEZONE without TZID; ignored")
		return
	}
	if _, dup := ps.vtzs[tz.tzid]; !dup {
		ps.vtzs[tz.tzid] = tz
	}
}

func (ps *parser) property(line int) {
	p := &ps.p
	switch ps.top() {
	case "VEVENT":
		if ps.ev != nil {
			if err := ps.eventProp(line); err != nil && ps.evBad == nil {
				ps.evBad, ps.evBadLine = err, line
			}
		}
	case "VCALENDAR":
		switch string(p.name) {
		case "X-WR-TIMEZONE":
			tzid := strings.TrimSpace(string(p.value))
			loc := lookupZone(tzid)
			if loc == nil {
				ps.warn(line, "", "unknown time zone %q in X-WR-TIMEZONE; ignored", tzid)
				return
			}
			ps.cal.Zone, ps.cal.ZoneFromCalendar = loc, true
		case "X-WR-CALNAME":
			ps.cal.Name = unescapeText(p.value)
		case "PRODID":
			ps.cal.ProdID = unescapeText(p.value)
		case "METHOD":
			ps.cal.Method = strings.ToUpper(string(bytes.TrimSpace(p.value)))
		}
	case "VTIMEZONE":
		if ps.tz != nil && string(p.name) == "TZID" {
			ps.tz.tzid = strings.TrimSpace(string(p.value))
		}
	case "STANDARD", "DAYLIGHT":
		if ps.obs != nil && ps.tz != nil {
			if err := ps.obsProp(line); err != nil && ps.tz.bad == nil {
				ps.tz.bad = ps.errorf(line, "%v", err)
			}
		}
	}
}

func (ps *parser) eventProp(line int) error {
	p := &ps.p
	ev := ps.ev
	val := p.value
	switch string(p.name) {
	case "UID":
		ev.UID = ps.intern(bytes.TrimSpace(val))
	case "SUMMARY":
		ev.Summary = unescapeText(val)
	case "DTSTART":
		if ps.evHasStart {
			return nil
		}
		dt, err := ps.dateTime(line, val)
		if err != nil {
			return fmt.Errorf("DTSTART: %w", err)
		}
		ev.Start, ps.evHasStart = dt, true
	case "DTEND":
		dt, err := ps.dateTime(line, val)
		if err != nil {
			return fmt.Errorf("DTEND: %w", err)
		}
		ev.End = dt
	case "DURATION":
		d, err := parseDuration(bytes.TrimSpace(val))
		if err != nil {
			return fmt.Errorf("DURATION: %w", err)
		}
		ev.Duration = &d
	case "RECURRENCE-ID":
		dt, err := ps.dateTime(line, val)
		if err != nil {
			return fmt.Errorf("RECURRENCE-ID: %w", err)
		}
		ev.RecurrenceID = dt
		if r := p.paramFirst("RANGE"); equalFold(r, "THISANDFUTURE") {
			ev.ThisAndFuture = true
		}
	case "RRULE", "EXRULE":
		r, err := parseRecur(bytes.TrimSpace(val))
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		if string(p.name) == "RRULE" {
			ev.Rules = append(ev.Rules, r)
		} else {
			ev.ExRules = append(ev.ExRules, r)
		}
	case "RDATE":
		isPeriod := equalFold(p.paramFirst("VALUE"), "PERIOD")
		for _, v := range bytes.Split(val, []byte{','}) {
			v = bytes.TrimSpace(v)
			if len(v) == 0 {
				continue
			}
			var per Period
			var err error
			if i := bytes.IndexByte(v, '/'); i >= 0 || isPeriod {
				if i < 0 {
					return fmt.Errorf("RDATE: invalid period %q", clip(v))
				}
				per.Start, err = ps.dateTime(line, v[:i])
				if err == nil {
					rest := v[i+1:]
					if len(rest) > 0 && (rest[0] == 'P' || rest[0] == 'p' || rest[0] == '+' || rest[0] == '-') {
						per.Duration, err = parseDuration(rest)
					} else {
						per.End, err = ps.dateTime(line, rest)
					}
				}
			} else {
				per.Start, err = ps.dateTime(line, v)
			}
			if err != nil {
				return fmt.Errorf("RDATE: %w", err)
			}
			ev.RDates = append(ev.RDates, per)
		}
	case "EXDATE":
		for _, v := range bytes.Split(val, []byte{','}) {
			v = bytes.TrimSpace(v)
			if len(v) == 0 {
				continue
			}
			dt, err := ps.dateTime(line, v)
			if err != nil {
				return fmt.Errorf("EXDATE: %w", err)
			}
			ev.ExDates = append(ev.ExDates, dt)
		}
	case "STATUS":
		switch v := bytes.TrimSpace(val); {
		case equalFold(v, "CANCELLED"), equalFold(v, "CANCELED"):
			ev.Status = StatusCancelled
		case equalFold(v, "CONFIRMED"):
			ev.Status = StatusConfirmed
		case equalFold(v, "TENTATIVE"):
			ev.Status = StatusTentative
		}
	case "TRANSP":
		ev.Transparent = equalFold(bytes.TrimSpace(val), "TRANSPARENT")
	case "X-MICROSOFT-CDO-BUSYSTATUS":
		if equalFold(bytes.TrimSpace(val), "FREE") {
			ev.Transparent = true
		}
	case "SEQUENCE":
		if n, err := strconv.Atoi(string(bytes.TrimSpace(val))); err == nil {
			ev.Sequence = n
		}
	case "ORGANIZER":
		o := ps.attendee()
		o.PartStat, o.Role = "", ""
		ev.Organizer = &o
	case "ATTENDEE":
		ev.Attendees = append(ev.Attendees, ps.attendee())
	}
	return nil
}

func (ps *parser) attendee() Attendee {
	p := &ps.p
	a := Attendee{PartStat: PartNeedsAction, Role: RoleRequired, CUType: CUIndividual}
	addr := bytes.TrimSpace(p.value)
	if len(addr) >= 7 && equalFold(addr[:7], "MAILTO:") {
		addr = addr[7:]
	} else if e := p.paramFirst("EMAIL"); len(e) > 0 {
		addr = e
	}
	a.Email = ps.intern(lowerASCII(addr))
	if cn := p.paramFirst("CN"); len(cn) > 0 {
		a.Name = ps.intern([]byte(decodeParam(cn)))
	}
	if v := p.paramFirst("PARTSTAT"); len(v) > 0 {
		a.PartStat = PartStat(ps.intern(upperASCII(v)))
	}
	if v := p.paramFirst("ROLE"); len(v) > 0 {
		a.Role = Role(ps.intern(upperASCII(v)))
	}
	if v := p.paramFirst("CUTYPE"); len(v) > 0 {
		a.CUType = CUType(ps.intern(upperASCII(v)))
	} else if strings.HasSuffix(a.Email, "@resource.calendar.google.com") {
		a.CUType = CUResource // Google lists rooms with resource addresses
	}
	return a
}

func lowerASCII(b []byte) []byte {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			out := bytes.ToLower(b)
			return out
		}
	}
	return b
}

func upperASCII(b []byte) []byte {
	for _, c := range b {
		if c >= 'a' && c <= 'z' {
			return bytes.ToUpper(b)
		}
	}
	return b
}

// dateTime reads a DATE or DATE-TIME value v of the current property,
// taking its TZID parameter into account.
func (ps *parser) dateTime(line int, v []byte) (DateTime, error) {
	wall, date, utc, err := parseDateTime(bytes.TrimSpace(v))
	if err != nil {
		return DateTime{}, err
	}
	switch {
	case date:
		return DateTime{wall: wall, kind: KindDate}, nil
	case utc:
		return DateTime{wall: wall, kind: KindUTC}, nil
	}
	tzid := bytes.TrimSpace(ps.p.paramFirst("TZID"))
	if len(tzid) == 0 {
		return DateTime{wall: wall, kind: KindFloating}, nil
	}
	name := ps.intern(tzid)
	loc, known := ps.zones[name]
	if !known {
		loc = lookupZone(name)
		ps.zones[name] = loc
	}
	if loc == nil && ps.ev != nil {
		ps.addPending(ps.ev, name, line)
	}
	return DateTime{wall: wall, kind: KindZoned, tzid: name, loc: loc}, nil
}

func (ps *parser) addPending(ev *Event, tzid string, line int) {
	for _, p := range ps.pending {
		if p.ev == ev && p.tzid == tzid {
			return
		}
	}
	ps.pending = append(ps.pending, pendingZone{ev: ev, tzid: tzid, line: line})
}

// finish resolves zones named only by the calendar's VTIMEZONEs and sets
// the calendar zone.
func (ps *parser) finish() {
	cal := ps.cal
	if cal.Zone == nil {
		cal.Zone = ps.opts.DefaultZone
		if cal.Zone == nil {
			cal.Zone = time.UTC
		}
	}
	if len(ps.pending) == 0 {
		return
	}
	built := map[string]*time.Location{}
	for _, pz := range ps.pending {
		loc, done := built[pz.tzid]
		if !done {
			if tz := ps.vtzs[pz.tzid]; tz != nil {
				var err error
				loc, err = tz.location()
				if err != nil {
					ps.warn(tz.line, "", "VTIMEZONE %q: %v", pz.tzid, err)
					loc = nil
				}
			}
			built[pz.tzid] = loc
		}
		if loc == nil {
			ps.warn(pz.line, pz.ev.UID, "unknown time zone %q; reading its times in %s", pz.tzid, cal.Zone)
			loc = cal.Zone
		}
		setZone(pz.ev, pz.tzid, loc)
	}
}

// setZone sets loc on every value of ev whose TZID is tzid.
func setZone(ev *Event, tzid string, loc *time.Location) {
	fix := func(d *DateTime) {
		if d.kind == KindZoned && d.loc == nil && d.tzid == tzid {
			d.loc = loc
		}
	}
	fix(&ev.Start)
	fix(&ev.End)
	fix(&ev.RecurrenceID)
	for i := range ev.ExDates {
		fix(&ev.ExDates[i])
	}
	for i := range ev.RDates {
		fix(&ev.RDates[i].Start)
		fix(&ev.RDates[i].End)
	}
}

// essentialLine reports whether a content line that cannot be read makes
// its event unreadable, judged by the property name it starts with: the
// start, the rule, the identity and the component structure.
func essentialLine(line []byte) bool {
	n := 0
	for n < len(line) && isNameChar(line[n]) {
		n++
	}
	switch strings.ToUpper(string(line[:n])) {
	case "DTSTART", "RRULE", "RECURRENCE-ID", "UID", "BEGIN", "END":
		return true
	}
	return false
}

// usedProperty reports whether a content line (maybe cut short) is one of
// the properties rhythm reads, judged by its name.
func usedProperty(line []byte) bool {
	n := 0
	for n < len(line) && isNameChar(line[n]) {
		n++
	}
	switch strings.ToUpper(string(line[:n])) {
	case "BEGIN", "END", "UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID",
		"RRULE", "EXRULE", "RDATE", "EXDATE", "STATUS", "TRANSP", "SEQUENCE", "ORGANIZER",
		"ATTENDEE", "TZID", "TZOFFSETFROM", "TZOFFSETTO", "X-WR-TIMEZONE":
		return true
	}
	return false
}
