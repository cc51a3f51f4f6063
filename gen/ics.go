package gen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// WriteRoster writes the roster (team.yaml).
func (d *Dataset) WriteRoster(w io.Writer) error {
	b, err := team.MarshalRoster(d.team)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// icsWriter writes content lines folded at 75 octets.
type icsWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (iw *icsWriter) line(parts ...string) {
	b := iw.buf[:0]
	for _, p := range parts {
		b = append(b, p...)
	}
	for len(b) > 75 {
		n := 75
		for n > 0 && b[n]&0xc0 == 0x80 { // do not split a UTF-8 sequence
			n--
		}
		iw.w.Write(b[:n])
		iw.w.WriteString("\r\n ")
		b = b[n:]
	}
	iw.w.Write(b)
	iw.w.WriteString("\r\n")
	iw.buf = b[:0]
}

func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)
	return r.Replace(s)
}

func icsLocal(t time.Time) string { return t.Format("20060102T150405") }
func icsUTC(t time.Time) string   { return t.UTC().Format("20060102T150405Z") }

type attendee struct {
	p        int // person, or -1-k for external k, or room when room != ""
	status   string
	room     string
	optional bool
}

type event struct {
	uid       string
	summary   string
	desc      string
	organizer int
	start     time.Time // in the organizer's zone
	dur       time.Duration
	rrule     string
	exdates   []time.Time
	attendees []attendee
	cancelled bool
	recurID   time.Time // for an override of one instance
}

// WriteICS writes the team's calendar: standups, one-on-ones, planning,
// all-hands across zones and DST, ad-hoc meetings, declines, moved and
// cancelled instances.
func (d *Dataset) WriteICS(out io.Writer) error {
	rng := d.rng(2)
	var evs []event
	uid := func(kind string) string {
		return fmt.Sprintf("%s-%016x@%s", kind, rng.Uint64(), d.cfg.Domain)
	}
	until := icsUTC(d.end())
	status := func(pi int, at time.Time, dur time.Duration) string {
		p := d.people[pi]
		in := p.InWorkingHours(at) && p.InWorkingHours(at.Add(dur-time.Minute))
		r := rng.Float64()
		switch {
		case !in && r < 0.45:
			return "DECLINED"
		case r < 0.05:
			return "DECLINED"
		case r < 0.09:
			return "TENTATIVE"
		case r < 0.13:
			return "NEEDS-ACTION"
		}
		return "ACCEPTED"
	}
	people := func(ids []int, org int, at time.Time, dur time.Duration) []attendee {
		var as []attendee
		for _, i := range ids {
			st := "ACCEPTED"
			if i != org {
				st = status(i, at, dur)
			}
			as = append(as, attendee{p: i, status: st})
		}
		return as
	}
	first := d.cfg.Start
	for si, sq := range d.squads {
		lead := d.people[sq[0]]
		// Standup at the local time that suits most of the squad.
		best, bestN := lead.Hours.Start, -1
		for m := lead.Hours.Start; m+15 <= lead.Hours.Start+int(lead.Hours.Length()/time.Minute); m += 30 {
			at := time.Date(first.Year(), first.Month(), first.Day(), 0, m, 0, 0, lead.loc)
			n := 0
			for _, i := range sq {
				if d.people[i].InWorkingHours(at) {
					n++
				}
			}
			if n > bestN {
				best, bestN = m, n
			}
		}
		st := time.Date(first.Year(), first.Month(), first.Day(), 0, best, 0, 0, lead.loc)
		standup := event{uid: uid("standup"), summary: fmt.Sprintf("%s standup", strings.TrimPrefix(d.squadName(si), "team-")),
			desc: "Yesterday, today, blockers. Notes in the squad doc.", organizer: sq[0], start: st, dur: 15 * time.Minute,
			rrule: "FREQ=WEEKLY;BYDAY=MO,TU,TH,FR;UNTIL=" + until, attendees: people(sq, sq[0], st, 15*time.Minute)}
		// A cancelled instance (EXDATE) and a moved one (override).
		if d.cfg.Weeks >= 2 {
			standup.exdates = []time.Time{st.AddDate(0, 0, 7+rng.IntN(2))}
		}
		evs = append(evs, standup)
		if d.cfg.Weeks >= 3 {
			orig := st.AddDate(0, 0, 14)
			evs = append(evs, event{uid: standup.uid, summary: standup.summary + " (moved)", desc: "Moved for the release.",
				organizer: sq[0], start: orig.Add(2 * time.Hour), dur: 15 * time.Minute, attendees: standup.attendees, recurID: orig})
		}
		// Planning every other Monday with a room.
		pl := time.Date(first.Year(), first.Month(), first.Day(), 0, best+60, 0, 0, lead.loc)
		plan := event{uid: uid("planning"), summary: "Sprint planning", desc: "Agenda: review backlog, pick sprint goals.",
			organizer: sq[0], start: pl, dur: time.Hour, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=" + until,
			attendees: people(sq, sq[0], pl, time.Hour)}
		plan.attendees = append(plan.attendees, attendee{room: fmt.Sprintf("Room %s", strings.ToUpper(projects[si%len(projects)][:1])+projects[si%len(projects)][1:]), status: "ACCEPTED"})
		evs = append(evs, plan)
		// One-on-ones, weekly, at a time both work.
		for k, i := range sq[1:] {
			p := d.people[i]
			day := first.AddDate(0, 0, 1+(k%4))
			at := bothWork(lead, p, day)
			evs = append(evs, event{uid: uid("1on1"), summary: fmt.Sprintf("1:1 %s / %s", lead.first, p.first),
				desc: "Employee-owned agenda in the shared doc.", organizer: sq[0], start: at.In(lead.loc), dur: 30 * time.Minute,
				rrule: "FREQ=WEEKLY;UNTIL=" + until, attendees: people([]int{sq[0], i}, sq[0], at, 30*time.Minute)})
		}
	}
	// Leads sync across zones, weekly in New York time: it moves for
	// Europe and Asia when the US changes clocks three weeks before Europe.
	var leads []int
	for _, sq := range d.squads {
		leads = append(leads, sq[0])
	}
	ny, _ := time.LoadLocation("America/New_York")
	ls := time.Date(first.Year(), first.Month(), first.Day()+1, 10, 0, 0, 0, ny)
	org := leads[0]
	evs = append(evs, event{uid: uid("leads"), summary: "Leads sync", desc: "Cross-team dependencies and risks.",
		organizer: org, start: ls.In(d.people[org].loc), dur: 45 * time.Minute, rrule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=" + until,
		attendees: people(leads, org, ls, 45*time.Minute)})
	// Monthly all-hands in Berlin time.
	be, _ := time.LoadLocation("Europe/Berlin")
	ah := time.Date(first.Year(), first.Month(), first.Day()+3, 16, 0, 0, 0, be)
	all := make([]int, len(d.people))
	for i := range all {
		all[i] = i
	}
	evs = append(evs, event{uid: uid("allhands"), summary: "All hands", desc: "Company update and Q&A.", organizer: org,
		start: ah.In(d.people[org].loc), dur: time.Hour, rrule: "FREQ=MONTHLY;BYDAY=1TH;UNTIL=" + until,
		attendees: people(all, org, ah, time.Hour)})
	// Ad-hoc meetings.
	for di, day := range d.days() {
		_ = di
		for pi, p := range d.people {
			ws, ok := p.workStart(day)
			if !ok || rng.Float64() > 0.22 {
				continue
			}
			at := ws.Add(time.Duration(rng.IntN(int(p.Hours.Length()/time.Minute)/30)) * 30 * time.Minute)
			dur := []time.Duration{15, 25, 30, 30, 45, 60, 90}[rng.IntN(7)] * time.Minute
			ids := []int{pi}
			sq := d.squads[p.squad]
			for range 1 + rng.IntN(4) {
				o := sq[rng.IntN(len(sq))]
				if rng.Float64() < 0.25 {
					o = rng.IntN(len(d.people))
				}
				if !slices.Contains(ids, o) {
					ids = append(ids, o)
				}
			}
			ev := event{uid: uid("adhoc"), summary: topics[rng.IntN(len(topics))], desc: "Prep notes: see thread.", organizer: pi,
				start: at.In(p.loc), dur: dur, attendees: people(ids, pi, at, dur)}
			if rng.Float64() < 0.1 {
				ev.attendees = append(ev.attendees, attendee{p: -1 - rng.IntN(len(externals)), status: "NEEDS-ACTION"})
			}
			if rng.Float64() < 0.03 {
				ev.cancelled = true
			}
			evs = append(evs, ev)
		}
	}
	// The effect's meetings come from a stream of their own, so the rest
	// of the calendar is the same with and without them.
	erng := d.rng(9)
	evs = append(evs, d.effectEvents(func(kind string) string {
		return fmt.Sprintf("%s-%016x@%s", kind, erng.Uint64(), d.cfg.Domain)
	})...)
	bw := bufio.NewWriterSize(out, 1<<16)
	iw := &icsWriter{w: bw}
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:-//rhythm//gen//EN")
	iw.line("CALSCALE:GREGORIAN")
	iw.line("METHOD:PUBLISH")
	zones := map[string]*time.Location{}
	for _, e := range evs {
		zones[e.start.Location().String()] = e.start.Location()
	}
	for _, name := range sortedKeys(zones) {
		writeVTimezone(iw, zones[name], d.cfg.Start.AddDate(-1, 0, 0), d.end().AddDate(1, 0, 0))
	}
	stamp := icsUTC(d.cfg.Start.Add(-24 * time.Hour))
	for _, e := range evs {
		iw.line("BEGIN:VEVENT")
		iw.line("UID:", e.uid)
		iw.line("DTSTAMP:", stamp)
		tz := e.start.Location().String()
		iw.line("DTSTART;TZID=", tz, ":", icsLocal(e.start))
		iw.line("DTEND;TZID=", tz, ":", icsLocal(e.start.Add(e.dur)))
		if !e.recurID.IsZero() {
			iw.line("RECURRENCE-ID;TZID=", tz, ":", icsLocal(e.recurID.In(e.start.Location())))
		}
		if e.rrule != "" {
			iw.line("RRULE:", e.rrule)
		}
		for _, x := range e.exdates {
			iw.line("EXDATE;TZID=", tz, ":", icsLocal(x.In(e.start.Location())))
		}
		iw.line("SUMMARY:", icsText(e.summary))
		iw.line("DESCRIPTION:", icsText(e.desc))
		if e.cancelled {
			iw.line("STATUS:CANCELLED")
		} else {
			iw.line("STATUS:CONFIRMED")
		}
		o := d.people[e.organizer]
		iw.line("ORGANIZER;CN=", quoteParam(o.Name), ":mailto:", o.Email)
		for _, a := range e.attendees {
			switch {
			case a.room != "":
				iw.line("ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=", a.status, ";CN=", quoteParam(a.room), ":mailto:",
					strings.ToLower(strings.ReplaceAll(a.room, " ", "-")), "@resource.", d.cfg.Domain)
			case a.p < 0:
				x := externals[-1-a.p]
				iw.line("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT;PARTSTAT=", a.status, ";CN=", quoteParam(x.name), ":mailto:", x.email)
			default:
				p := d.people[a.p]
				iw.line("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=", a.status, ";CN=", quoteParam(p.Name), ":mailto:", p.Email)
			}
		}
		iw.line("END:VEVENT")
	}
	iw.line("END:VCALENDAR")
	return bw.Flush()
}

func (d *Dataset) squadName(si int) string {
	name := fmt.Sprintf("team-%s", projects[si%len(projects)])
	if si >= len(projects) {
		name = fmt.Sprintf("%s-%d", name, si/len(projects)+1)
	}
	return name
}

func quoteParam(s string) string {
	if strings.ContainsAny(s, ";:,") {
		return `"` + strings.ReplaceAll(s, `"`, "'") + `"`
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// bothWork returns an instant on day (UTC date) when a and b both work,
// or a's start of day if they never overlap.
func bothWork(a, b *person, day time.Time) time.Time {
	s, ok := a.workStart(day)
	if !ok {
		s = time.Date(day.Year(), day.Month(), day.Day(), 0, a.Hours.Start, 0, 0, a.loc)
	}
	for t := s; t.Before(s.Add(a.Hours.Length())); t = t.Add(30 * time.Minute) {
		if b.InWorkingHours(t) && b.InWorkingHours(t.Add(29*time.Minute)) {
			return t
		}
	}
	return s
}

// writeVTimezone writes a VTIMEZONE for loc with each offset change
// between from and to as its own observance.
func writeVTimezone(iw *icsWriter, loc *time.Location, from, to time.Time) {
	iw.line("BEGIN:VTIMEZONE")
	iw.line("TZID:", loc.String())
	_, prev := from.In(loc).Zone()
	wrote := false
	obs := func(t time.Time, fromOff, toOff int) {
		kind := "STANDARD"
		if t.In(loc).IsDST() {
			kind = "DAYLIGHT"
		}
		name, _ := t.In(loc).Zone()
		iw.line("BEGIN:", kind)
		iw.line("DTSTART:", icsLocal(t.In(time.FixedZone("", fromOff))))
		iw.line("TZOFFSETFROM:", offset(fromOff))
		iw.line("TZOFFSETTO:", offset(toOff))
		iw.line("TZNAME:", name)
		iw.line("END:", kind)
		wrote = true
	}
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		_, off := t.Add(24 * time.Hour).In(loc).Zone()
		if off == prev {
			continue
		}
		// Find the instant of the change to the second.
		lo, hi := t.Unix(), t.Add(24*time.Hour).Unix()
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if _, o := time.Unix(mid, 0).In(loc).Zone(); o == prev {
				lo = mid
			} else {
				hi = mid
			}
		}
		obs(time.Unix(hi, 0), prev, off)
		prev = off
	}
	if !wrote {
		obs(time.Date(1970, 1, 1, 0, 0, 0, 0, loc), prev, prev)
	}
	iw.line("END:VTIMEZONE")
}

func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
}

var _ = rand.IntN
