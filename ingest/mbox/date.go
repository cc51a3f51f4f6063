package mbox

import (
	"errors"
	"strings"
	"time"
)

// zones are the zone names real mail uses in Date fields, with their
// offsets in minutes. RFC 5322 names the US ones; the rest are common in
// archives. Military single letters mean "unknown" by RFC 5322 and read
// as UTC.
var zones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 60, "EDT": -4 * 60, "CST": -6 * 60, "CDT": -5 * 60,
	"MST": -7 * 60, "MDT": -6 * 60, "PST": -8 * 60, "PDT": -7 * 60,
	"AKST": -9 * 60, "AKDT": -8 * 60, "HST": -10 * 60, "AST": -4 * 60, "ADT": -3 * 60,
	"NST": -(3*60 + 30), "NDT": -(2*60 + 30),
	"BST": 60, "IST": 5*60 + 30, "WEST": 60, "CET": 60, "CEST": 2 * 60, "MET": 60, "MEST": 2 * 60,
	"MEZ": 60, "MESZ": 2 * 60, "EET": 2 * 60, "EEST": 3 * 60, "MSK": 3 * 60,
	"JST": 9 * 60, "KST": 9 * 60, "HKT": 8 * 60, "SGT": 8 * 60, "AWST": 8 * 60,
	"ACST": 9*60 + 30, "ACDT": 10*60 + 30, "AEST": 10 * 60, "AEDT": 11 * 60,
	"NZST": 12 * 60, "NZDT": 13 * 60,
}

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var errDate = errors.New("not a date")

// ParseDate reads a mail Date field in the forms real mail uses: RFC 5322
// ("Mon, 2 Feb 2026 09:15:00 +0100"), obsolete forms (two- and
// three-digit years, named zones, comments such as "(CET)"), missing
// seconds or weekday, full month and day names, asctime
// ("Mon Feb  2 09:15:00 2026") and "GMT+0100". A missing zone reads as UTC.
// The result is in UTC.
func ParseDate(s string) (time.Time, error) {
	// Drop comments and commas; split into words.
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == ',' || c == '\t' || c == '\r' || c == '\n':
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	f := strings.Fields(b.String())
	if len(f) > 0 && isWeekday(f[0]) {
		f = f[1:]
	}
	if len(f) < 3 {
		return time.Time{}, errDate
	}
	var day, year int
	var mon time.Month
	var clock string
	var rest []string
	var ok bool
	if mon, ok = month(f[0]); ok {
		// asctime: Feb 2 09:15:00 2026 [zone]
		if len(f) < 4 {
			return time.Time{}, errDate
		}
		day, clock = atoi(f[1]), f[2]
		year, rest = atoi(f[3]), f[4:]
		if strings.Contains(f[3], ":") { // Feb 2 2026 09:15:00
			year, clock = atoi(f[2]), f[3]
		}
	} else {
		if len(f) < 4 {
			// "2 Feb 2026" without a time is not a mail date
			return time.Time{}, errDate
		}
		day = atoi(f[0])
		if mon, ok = month(f[1]); !ok {
			return time.Time{}, errDate
		}
		yf := f[2]
		year, clock, rest = atoi(yf), f[3], f[4:]
		switch {
		case len(yf) == 2:
			if year < 50 {
				year += 2000
			} else {
				year += 1900
			}
		case len(yf) == 3:
			year += 1900
		}
	}
	if year < 1970 || year > 2200 || day < 1 || day > 31 {
		return time.Time{}, errDate
	}
	hh, mm, ss, ok := parseClock(clock)
	if !ok {
		return time.Time{}, errDate
	}
	off := 0
	if len(rest) > 0 {
		var ok bool
		if off, ok = zoneOffset(rest[0]); !ok {
			return time.Time{}, errDate
		}
	}
	t := time.Date(year, mon, day, hh, mm, ss, 0, time.UTC)
	if t.Day() != day { // 31 Feb
		return time.Time{}, errDate
	}
	return t.Add(-time.Duration(off) * time.Minute), nil
}

func isWeekday(w string) bool {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if len(w) < 3 {
		return false
	}
	for _, d := range weekdays {
		if strings.HasPrefix(w, d) {
			return true
		}
	}
	return false
}

func month(w string) (time.Month, bool) {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if len(w) < 3 {
		return 0, false
	}
	if m, ok := months[w]; ok {
		return m, true
	}
	if m, ok := months[w[:3]]; ok && len(w) <= 9 {
		return m, true
	}
	return 0, false
}

// atoi reads a non-negative decimal number; -1 if w is not one.
func atoi(w string) int {
	if w == "" || len(w) > 4 {
		return -1
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return -1
		}
		n = n*10 + int(w[i]-'0')
	}
	return n
}

// parseClock reads hh:mm[:ss] (a leap second reads as :59).
func parseClock(w string) (h, m, s int, ok bool) {
	parts := strings.Split(w, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	h, m = atoi(parts[0]), atoi(parts[1])
	if len(parts) == 3 {
		s = atoi(parts[2])
	}
	if h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60 || len(parts[1]) != 2 {
		return 0, 0, 0, false
	}
	return h, m, min(s, 59), true
}

// zoneOffset reads "+0100", "-05:30", "GMT+0100", "UT", "EST", "CET"… in
// minutes east of UTC.
func zoneOffset(w string) (int, bool) {
	up := strings.ToUpper(w)
	if o, ok := zones[up]; ok {
		return o, true
	}
	if len(up) == 1 && up[0] >= 'A' && up[0] <= 'Z' && up[0] != 'J' {
		return 0, true // military zone: unknown, read as UTC
	}
	for _, p := range []string{"GMT", "UTC", "UT"} {
		if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-') {
			up = up[len(p):]
			break
		}
	}
	if len(up) < 2 || (up[0] != '+' && up[0] != '-') {
		return 0, false
	}
	digits := strings.ReplaceAll(up[1:], ":", "")
	var h, m int
	switch len(digits) {
	case 4:
		h, m = atoi(digits[:2]), atoi(digits[2:])
	case 2, 1:
		h = atoi(digits)
	case 3:
		h, m = atoi(digits[:1]), atoi(digits[1:])
	default:
		return 0, false
	}
	if h < 0 || h > 14 || m < 0 || m > 59 {
		return 0, false
	}
	o := h*60 + m
	if up[0] == '-' {
		o = -o
	}
	return o, true
}
