package ical

import (
	"strings"
	"sync"
	"time"
)

// ianaCache holds locations loaded by name; only successes are kept, so its
// size is bounded by the IANA database.
var ianaCache sync.Map // string → *time.Location

// loadIANA returns the IANA zone called name, or nil.
func loadIANA(name string) *time.Location {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil
	}
	if v, ok := ianaCache.Load(name); ok {
		return v.(*time.Location)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '-' || c == '+') {
			return nil
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	v, _ := ianaCache.LoadOrStore(name, loc)
	return v.(*time.Location)
}

var (
	labelOnce  sync.Once
	labelIndex map[string]string // normalised label → Windows ID
	cityIndex  map[string]string // normalised city → Windows ID (unambiguous only)
	winIndex   map[string]string // lower-case Windows ID → IANA
)

func buildLabelIndex() {
	labelIndex = make(map[string]string, len(windowsLabels()))
	cityIndex = make(map[string]string)
	ambiguous := map[string]bool{}
	for label, id := range windowsLabels() {
		n := normLabel(label)
		labelIndex[n] = id
		for _, city := range strings.Split(n, ",") {
			city = strings.TrimSpace(city)
			if city == "" {
				continue
			}
			if old, ok := cityIndex[city]; ok && old != id {
				ambiguous[city] = true
			}
			cityIndex[city] = id
		}
	}
	for c := range ambiguous {
		delete(cityIndex, c)
	}
	winIndex = make(map[string]string, len(windowsZones()))
	for id, z := range windowsZones() {
		winIndex[strings.ToLower(id)] = z
	}
}

// normLabel lower-cases a Windows display label, drops its "(UTC+01:00)"
// or "(GMT+01.00)" prefix, turns " / " separators into commas and
// collapses white space.
func normLabel(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") {
		if i := strings.IndexByte(s, ')'); i > 0 {
			head := strings.ToUpper(s[1:i])
			if strings.HasPrefix(head, "UTC") || strings.HasPrefix(head, "GMT") {
				s = s[i+1:]
			}
		}
	}
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, " / ", ", ")
	s = strings.ReplaceAll(s, "/", ", ")
	return strings.Join(strings.Fields(s), " ")
}

// windowsZone maps a Windows zone ID or display label to an IANA location.
func windowsZone(tzid string) *time.Location {
	labelOnce.Do(buildLabelIndex)
	if z, ok := windowsZones()[tzid]; ok {
		return loadIANA(z)
	}
	if z, ok := winIndex[strings.ToLower(strings.TrimSpace(tzid))]; ok {
		return loadIANA(z)
	}
	n := normLabel(tzid)
	if n == "" {
		return nil
	}
	if id, ok := labelIndex[n]; ok {
		return loadIANA(windowsZones()[id])
	}
	// A label with a shortened or older city list: match its first city.
	first := n
	if i := strings.IndexByte(first, ','); i >= 0 {
		first = first[:i]
	}
	if id, ok := cityIndex[strings.TrimSpace(first)]; ok && strings.HasPrefix(strings.TrimSpace(tzid), "(") {
		return loadIANA(windowsZones()[id])
	}
	return nil
}

// lookupZone resolves a TZID without the calendar's own VTIMEZONEs: IANA
// names (also behind "/" or vendor prefixes such as
// "/mozilla.org/20050126_1/Europe/Berlin") and Windows names and labels.
func lookupZone(tzid string) *time.Location {
	tzid = strings.TrimSpace(strings.Trim(tzid, `"`))
	if loc := loadIANA(tzid); loc != nil {
		return loc
	}
	if loc := windowsZone(tzid); loc != nil {
		return loc
	}
	for i := 0; i < len(tzid); i++ {
		if tzid[i] == '/' && i+1 < len(tzid) {
			rest := tzid[i+1:]
			if i > 0 && !strings.Contains(rest, "/") {
				continue // a bare suffix such as "EST" is too weak a match
			}
			if loc := loadIANA(rest); loc != nil {
				return loc
			}
		}
	}
	return nil
}

// tzTable converts between UTC instants and wall clock readings of one
// location quickly, from a table of its offset changes.
type tzTable struct {
	loc    *time.Location
	lo, hi int64   // instants [lo, hi) are covered by the table
	trans  []int64 // instants at which the offset changes
	offs   []int32 // offs[i]: offset before trans[i]; offs[len(trans)] after the last
}

var (
	tableLo = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	tableHi = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

var ianaTables sync.Map // *time.Location (from ianaCache) → *tzTable

// tableFor returns the conversion table of loc. Tables of IANA zones are
// shared; others are kept in local, or, when local is nil, replaced by
// direct (slower) lookups.
func tableFor(loc *time.Location, local map[*time.Location]*tzTable) *tzTable {
	if v, ok := ianaTables.Load(loc); ok {
		return v.(*tzTable)
	}
	if t, ok := local[loc]; ok {
		return t
	}
	shared := false
	if v, ok := ianaCache.Load(loc.String()); ok && v.(*time.Location) == loc {
		shared = true
	}
	if !shared && local == nil {
		// A one-off conversion: ask the location itself, no table.
		return &tzTable{loc: loc}
	}
	t := newTZTable(loc)
	if shared {
		ianaTables.Store(loc, t)
	} else {
		local[loc] = t
	}
	return t
}

func newTZTable(loc *time.Location) *tzTable {
	t := &tzTable{loc: loc, lo: tableLo, hi: tableHi}
	cur := time.Unix(tableLo, 0).In(loc)
	_, off := cur.Zone()
	t.offs = append(t.offs, int32(off))
	for n := 0; n < 10000; n++ {
		end := nextBound(cur)
		if end.IsZero() || end.Unix() >= tableHi {
			break
		}
		cur = end
		_, o := cur.Zone()
		if int32(o) != t.offs[len(t.offs)-1] {
			t.trans = append(t.trans, end.Unix())
			t.offs = append(t.offs, int32(o))
		}
	}
	return t
}

// offsetAt returns the UTC offset in seconds at instant u.
func (t *tzTable) offsetAt(u int64) int64 {
	if u < t.lo || u >= t.hi {
		_, off := time.Unix(u, 0).In(t.loc).Zone()
		return int64(off)
	}
	lo, hi := 0, len(t.trans)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.trans[m] <= u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int64(t.offs[lo])
}

// toUTC resolves a wall clock reading to an instant per RFC 5545 §3.3.5: a
// reading in a gap is moved forward by the length of the gap (interpreted
// with the offset before it), an ambiguous reading takes the first
// occurrence.
func (t *tzTable) toUTC(wall int64) int64 {
	if len(t.trans) == 0 && wall-86400 >= t.lo && wall+86400 < t.hi {
		return wall - int64(t.offs[0])
	}
	oa := t.offsetAt(wall - 86400)
	ob := t.offsetAt(wall + 86400)
	ua := wall - oa
	if oa == ob {
		if t.offsetAt(ua) == oa {
			return ua
		}
		// A change and its reversal within two days: rare; search.
		oc := t.offsetAt(ua)
		if uc := wall - oc; t.offsetAt(uc) == oc {
			return uc
		}
		return ua
	}
	ub := wall - ob
	va := t.offsetAt(ua) == oa
	vb := t.offsetAt(ub) == ob
	switch {
	case va && vb:
		return min(ua, ub)
	case va:
		return ua
	case vb:
		return ub
	default:
		return ua // gap: the offset before it moves the reading forward
	}
}

// wallOfUTC returns the wall clock reading of instant u.
func (t *tzTable) wallOfUTC(u int64) int64 {
	return u + t.offsetAt(u)
}

// nextBound returns the end of t's zone period, or zero if it never ends.
// Past the last explicit transition Go's bounds can stall at the end of a
// leap year (end == t); step over that instead of stopping.
func nextBound(t time.Time) time.Time {
	_, end := t.ZoneBounds()
	if end.IsZero() || end.After(t) {
		return end
	}
	return t.Add(time.Hour)
}
