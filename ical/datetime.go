package ical

import (
	"fmt"
	"strconv"
	"time"
)

// Kind says how a DateTime is to be read.
type Kind uint8

// Kinds of DateTime values.
const (
	KindNone     Kind = iota // absent
	KindDate                 // a calendar date (VALUE=DATE)
	KindUTC                  // an instant written in UTC ("…Z")
	KindZoned                // a wall clock reading in a zone named by TZID
	KindFloating             // a wall clock reading in no zone: read in the calendar's zone
)

// DateTime is an iCalendar DATE or DATE-TIME value as written: a wall clock
// reading (which need not exist in its zone, e.g. inside a DST gap) and how
// to read it. The zero value is absent.
type DateTime struct {
	wall int64 // seconds since 1970-01-01T00:00:00 of the reading, as if UTC
	kind Kind
	tzid string         // TZID as written, for KindZoned
	loc  *time.Location // resolved zone for KindZoned
}

// Date returns the DATE value y-m-d.
func Date(y int, m time.Month, d int) DateTime {
	return DateTime{wall: daysFromCivil(y, int(m), d) * secondsPerDay, kind: KindDate}
}

// Floating returns a DATE-TIME read in no particular zone.
func Floating(y int, m time.Month, d, hh, mm, ss int) DateTime {
	return DateTime{wall: wallOf(y, int(m), d, hh, mm, ss), kind: KindFloating}
}

// InZone returns the wall clock reading y-m-d hh:mm:ss in loc; UTC gives a
// KindUTC value. loc must be a named zone (not time.Local).
func InZone(y int, m time.Month, d, hh, mm, ss int, loc *time.Location) DateTime {
	w := wallOf(y, int(m), d, hh, mm, ss)
	if loc == nil || loc == time.UTC {
		return DateTime{wall: w, kind: KindUTC}
	}
	return DateTime{wall: w, kind: KindZoned, tzid: loc.String(), loc: loc}
}

// At returns t as a DATE-TIME in t's location (UTC for UTC and Local).
func At(t time.Time) DateTime {
	loc := t.Location()
	if loc == time.UTC || loc == time.Local {
		t = t.UTC()
		loc = time.UTC
	}
	return InZone(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), loc)
}

// Kind reports how the value is to be read.
func (d DateTime) Kind() Kind { return d.kind }

// IsZero reports whether the value is absent.
func (d DateTime) IsZero() bool { return d.kind == KindNone }

// IsDate reports whether the value is a DATE.
func (d DateTime) IsDate() bool { return d.kind == KindDate }

// TZID returns the zone name as written, for KindZoned values.
func (d DateTime) TZID() string { return d.tzid }

// Location returns the resolved zone of a KindZoned value, UTC for KindUTC,
// nil otherwise.
func (d DateTime) Location() *time.Location {
	switch d.kind {
	case KindZoned:
		return d.loc
	case KindUTC:
		return time.UTC
	}
	return nil
}

// Civil returns the wall clock reading.
func (d DateTime) Civil() (year int, month time.Month, day, hour, min, sec int) {
	y, mo, dd, h, mi, s := civilOfWall(d.wall)
	return y, time.Month(mo), dd, h, mi, s
}

// Time returns the instant of the value. DATE and floating values are read
// in floating (UTC if nil); a DATE gives the start of its day. Readings in a
// DST gap move forward by the gap, ambiguous ones take the first occurrence.
func (d DateTime) Time(floating *time.Location) time.Time {
	loc := floating
	switch d.kind {
	case KindNone:
		return time.Time{}
	case KindUTC:
		return time.Unix(d.wall, 0).UTC()
	case KindZoned:
		if d.loc != nil {
			loc = d.loc
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Unix(tableFor(loc, nil).toUTC(d.wall), 0).In(loc)
}

// String returns the value in iCalendar form, e.g. "20260329T020000Z".
func (d DateTime) String() string {
	if d.kind == KindNone {
		return ""
	}
	b := appendDateTime(nil, d.wall, d.kind == KindDate)
	if d.kind == KindUTC {
		b = append(b, 'Z')
	}
	return string(b)
}

func appendDateTime(b []byte, wall int64, date bool) []byte {
	y, mo, d, h, mi, s := civilOfWall(wall)
	b = append4(b, y)
	b = append2(b, mo)
	b = append2(b, d)
	if !date {
		b = append(b, 'T')
		b = append2(b, h)
		b = append2(b, mi)
		b = append2(b, s)
	}
	return b
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }
func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// Duration is an iCalendar DURATION: nominal days (weeks count as seven
// days; a day is 23 or 25 hours across a DST change) plus an exact part.
// A negative duration has both parts negative or zero.
type Duration struct {
	Days int
	Time time.Duration
}

// IsZero reports whether d is empty.
func (d Duration) IsZero() bool { return d.Days == 0 && d.Time == 0 }

// String returns d in iCalendar form, e.g. "P1DT2H" or "-PT15M".
func (d Duration) String() string {
	days, t := d.Days, d.Time
	b := make([]byte, 0, 16)
	if days < 0 || t < 0 {
		b = append(b, '-')
		days, t = -days, -t
	}
	b = append(b, 'P')
	if days == 0 && t == 0 {
		return string(append(b, "T0S"...))
	}
	if days > 0 {
		if days%7 == 0 && t == 0 {
			return string(strconv.AppendInt(b, int64(days/7), 10)) + "W"
		}
		b = strconv.AppendInt(b, int64(days), 10)
		b = append(b, 'D')
	}
	if t > 0 {
		b = append(b, 'T')
		secs := int64(t / time.Second)
		if h := secs / 3600; h > 0 {
			b = append(strconv.AppendInt(b, h, 10), 'H')
		}
		if m := secs / 60 % 60; m > 0 {
			b = append(strconv.AppendInt(b, m, 10), 'M')
		}
		if s := secs % 60; s > 0 {
			b = append(strconv.AppendInt(b, s, 10), 'S')
		}
	}
	return string(b)
}

// parseDuration reads a DURATION value such as "P1DT2H30M", "-PT15M" or
// "P2W". It is lenient about "PT1H0M0S" and a trailing "T".
func parseDuration(b []byte) (Duration, error) {
	var d Duration
	orig := b
	bad := func() (Duration, error) {
		return Duration{}, fmt.Errorf("invalid duration %q", clip(orig))
	}
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || (b[0] != 'P' && b[0] != 'p') {
		return bad()
	}
	b = b[1:]
	inTime, any := false, false
	var secs int64
	for len(b) > 0 {
		c := b[0]
		if c == 'T' || c == 't' {
			inTime = true
			b = b[1:]
			continue
		}
		n, i := int64(0), 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			n = n*10 + int64(b[i]-'0')
			if n > 1e9 {
				return bad()
			}
			i++
		}
		if i == 0 || i == len(b) {
			return bad()
		}
		unit := b[i] | 0x20
		b = b[i+1:]
		any = true
		switch {
		case unit == 'w' && !inTime:
			d.Days += int(n) * 7
		case unit == 'd' && !inTime:
			d.Days += int(n)
		case unit == 'h' && inTime:
			secs += n * 3600
		case unit == 'm' && inTime:
			secs += n * 60
		case unit == 's' && inTime:
			secs += n
		default:
			return bad()
		}
		if d.Days > 1e6 || secs > 1e11 {
			return bad()
		}
	}
	if !any {
		return bad()
	}
	d.Time = time.Duration(secs) * time.Second
	if neg {
		d.Days, d.Time = -d.Days, -d.Time
	}
	return d, nil
}

// Period is an RDATE value: a start, and either an end or a duration when
// the value was a PERIOD.
type Period struct {
	Start    DateTime
	End      DateTime // set for "start/end" periods
	Duration Duration // set for "start/duration" periods
}

// parseDateTime reads a DATE ("20260329") or DATE-TIME ("20260329T020000",
// optionally with "Z") value. It also accepts lower-case letters, missing
// seconds ("T0200") and the extended form "2026-03-29T02:00:00Z".
func parseDateTime(b []byte) (wall int64, date, utc bool, err error) {
	orig := b
	bad := func() (int64, bool, bool, error) {
		return 0, false, false, fmt.Errorf("invalid date-time %q", clip(orig))
	}
	if len(b) >= 10 && b[4] == '-' {
		// Extended format: strip '-' and ':'.
		var tmp [24]byte
		n := 0
		for _, c := range b {
			if c == '-' || c == ':' {
				continue
			}
			if n == len(tmp) {
				return bad()
			}
			tmp[n] = c
			n++
		}
		b = tmp[:n]
	}
	if n := len(b); n > 0 && (b[n-1] == 'Z' || b[n-1] == 'z') {
		utc = true
		b = b[:n-1]
	}
	if len(b) < 8 {
		return bad()
	}
	y, ok1 := digits(b[0:4])
	mo, ok2 := digits(b[4:6])
	d, ok3 := digits(b[6:8])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || y < 1 {
		return bad()
	}
	if len(b) == 8 {
		if utc {
			return bad()
		}
		return daysFromCivil(y, mo, d) * secondsPerDay, true, false, nil
	}
	if b[8] != 'T' && b[8] != 't' {
		return bad()
	}
	t := b[9:]
	var h, mi, s int
	var ok bool
	switch len(t) {
	case 6:
		var ok4, ok5 bool
		h, ok = digits(t[0:2])
		mi, ok4 = digits(t[2:4])
		s, ok5 = digits(t[4:6])
		ok = ok && ok4 && ok5
	case 4:
		var ok4 bool
		h, ok = digits(t[0:2])
		mi, ok4 = digits(t[2:4])
		ok = ok && ok4
	default:
		return bad()
	}
	if !ok || h > 23 || mi > 59 || s > 60 {
		return bad()
	}
	if s == 60 {
		s = 59 // no leap seconds in rhythm
	}
	return wallOf(y, mo, d, h, mi, s), false, utc, nil
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// clip shortens a value for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
