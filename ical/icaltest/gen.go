// Package icaltest generates synthetic iCalendar files for tests and
// benchmarks: deterministic for a seed, shaped like real exports (zones,
// recurring series with exceptions and overrides, attendees, alarms).
package icaltest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// Config says what to generate.
type Config struct {
	Seed      uint64
	Events    int     // VEVENT components in total (masters, overrides, singles)
	Recurring float64 // share of VEVENTs that are series masters, e.g. 0.2
	Overrides float64 // share of VEVENTs that are overrides, e.g. 0.12
	From, To  time.Time
}

// Default is the benchmark calendar: 5,000 events (about 3 MB), 20% of
// them recurring series, 12% overrides, over 2024 to 2027.
var Default = Config{
	Seed: 1, Events: 5000, Recurring: 0.20, Overrides: 0.12,
	From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
}

var zones = []string{
	"Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
	"Australia/Sydney", "Asia/Kolkata", "Europe/London", "America/Sao_Paulo",
	"W. Europe Standard Time", "Customized Time Zone",
}

const customZone = `BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
`

var words = strings.Fields(`sync review planning standup retro design roadmap hiring budget
launch incident onboarding architecture security customer partner demo offsite kickoff
quarterly weekly async prep huddle decision alignment backlog migration platform mobile`)

// Generate writes a calendar for cfg to w.
func Generate(w io.Writer, cfg Config) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	g := &gen{w: bw, r: r, cfg: cfg}
	g.line("BEGIN:VCALENDAR")
	g.line("PRODID:-//rhythm//icaltest//EN")
	g.line("VERSION:2.0")
	g.line("CALSCALE:GREGORIAN")
	g.line("METHOD:PUBLISH")
	g.line("X-WR-CALNAME:Synthetic team calendar")
	g.line("X-WR-TIMEZONE:Europe/Berlin")
	bw.WriteString(strings.ReplaceAll(customZone, "\n", "\r\n"))
	masters := int(float64(cfg.Events) * cfg.Recurring)
	overrides := int(float64(cfg.Events) * cfg.Overrides)
	singles := cfg.Events - masters - overrides
	perSeries := make([]int, masters)
	for i := 0; i < overrides && masters > 0; i++ {
		perSeries[r.IntN(masters)]++
	}
	n := 0
	for i := 0; i < masters; i++ {
		g.series(n, perSeries[i])
		n++
	}
	for i := 0; i < singles; i++ {
		g.single(n)
		n++
	}
	g.line("END:VCALENDAR")
	return bw.Flush()
}

type gen struct {
	w   *bufio.Writer
	r   *rand.Rand
	cfg Config
}

func (g *gen) line(s string) {
	// Fold at 75 octets as exporters do.
	for len(s) > 75 {
		g.w.WriteString(s[:75])
		g.w.WriteString("\r\n ")
		s = s[75:]
	}
	g.w.WriteString(s)
	g.w.WriteString("\r\n")
}

func (g *gen) pick(v []string) string { return v[g.r.IntN(len(v))] }

func (g *gen) title() string {
	return strings.ToUpper(g.pick(words)[:1]) + g.pick(words)[1:] + " " + g.pick(words) + " " + g.pick(words)
}

// start returns a random wall clock start in working hours.
func (g *gen) start() time.Time {
	span := g.cfg.To.Sub(g.cfg.From)
	d := g.cfg.From.Add(time.Duration(g.r.Int64N(int64(span))))
	return time.Date(d.Year(), d.Month(), d.Day(), 8+g.r.IntN(10), []int{0, 15, 30, 45}[g.r.IntN(4)], 0, 0, time.UTC)
}

func wall(t time.Time) string { return t.Format("20060102T150405") }

func (g *gen) common(uid, zone string, start time.Time, dur time.Duration, summary string) {
	g.line("BEGIN:VEVENT")
	g.line("UID:" + uid)
	g.line("DTSTAMP:20260101T000000Z")
	g.line(fmt.Sprintf("DTSTART;TZID=%s:%s", zone, wall(start)))
	g.line(fmt.Sprintf("DTEND;TZID=%s:%s", zone, wall(start.Add(dur))))
	g.line("SUMMARY:" + summary)
}

func (g *gen) people(organizer int) {
	g.line(fmt.Sprintf("ORGANIZER;CN=Person %d:mailto:person%d@example.com", organizer, organizer))
	n := 1 + g.r.IntN(3)
	for i := 0; i < n; i++ {
		p := g.r.IntN(60)
		ps := []string{"ACCEPTED", "ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION"}[g.r.IntN(5)]
		g.line(fmt.Sprintf("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=%s;CN=Person %d;X-NUM-GUESTS=0:mailto:person%d@example.com", ps, p, p))
	}
	if g.r.IntN(5) == 0 {
		g.line("ATTENDEE;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Room " + g.pick(words) + ":mailto:room-" + g.pick(words) + "@resource.calendar.google.com")
	}
}

func (g *gen) tail(withAlarm bool) {
	if g.r.IntN(4) > 0 {
		g.line("DESCRIPTION:" + strings.Repeat(g.pick(words)+" ", 1+g.r.IntN(4)) + "\\nJoin: https://meet.example.com/" + fmt.Sprint(g.r.Uint32()))
	}
	if g.r.IntN(2) == 0 {
		g.line("LOCATION:" + g.pick(words) + " room")
	}
	g.line("STATUS:CONFIRMED")
	g.line("TRANSP:OPAQUE")
	if withAlarm {
		g.line("BEGIN:VALARM")
		g.line("ACTION:DISPLAY")
		g.line("DESCRIPTION:Reminder")
		g.line("TRIGGER:-PT10M")
		g.line("END:VALARM")
	}
	g.line("END:VEVENT")
}

func (g *gen) single(n int) {
	zone := g.pick(zones)
	start := g.start()
	g.common(fmt.Sprintf("single-%d@icaltest", n), zone, start, time.Duration(15+15*g.r.IntN(6))*time.Minute, g.title())
	g.people(g.r.IntN(60))
	g.tail(g.r.IntN(5) == 0)
}

func (g *gen) series(n, overrides int) {
	zone := g.pick(zones)
	start := g.start()
	dur := time.Duration(15+15*g.r.IntN(4)) * time.Minute
	uid := fmt.Sprintf("series-%d@icaltest", n)
	var rule string
	var step func(time.Time, int) time.Time
	switch k := g.r.IntN(20); {
	case k < 9:
		rule = "FREQ=WEEKLY"
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, 0, 7*i) }
	case k < 13:
		rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
		for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
			start = start.AddDate(0, 0, 1)
		}
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, 0, 7*i) }
	case k < 15:
		rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + []string{"MO", "TU", "WE", "TH", "FR"}[int(start.Weekday()+6)%7%5]
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, 0, 14*i) }
	case k < 17:
		rule = "FREQ=MONTHLY"
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, i, 0) }
	case k < 18:
		rule = "FREQ=MONTHLY;BYDAY=1MO"
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, i, 0) }
	case k < 19:
		rule = "FREQ=DAILY;INTERVAL=1"
		step = func(t time.Time, i int) time.Time { return t.AddDate(0, 0, i) }
	default:
		rule = "FREQ=YEARLY"
		step = func(t time.Time, i int) time.Time { return t.AddDate(i, 0, 0) }
	}
	switch g.r.IntN(10) {
	case 0, 1, 2:
		rule += ";UNTIL=" + start.AddDate(0, 3+g.r.IntN(30), 0).Format("20060102T150405Z")
	case 3, 4:
		rule += fmt.Sprintf(";COUNT=%d", 5+g.r.IntN(100))
	}
	summary := g.title()
	g.common(uid, zone, start, dur, summary)
	g.line("RRULE:" + rule)
	if g.r.IntN(3) == 0 {
		var ex []string
		for i := 0; i < 1+g.r.IntN(3); i++ {
			ex = append(ex, wall(step(start, 1+g.r.IntN(20))))
		}
		g.line(fmt.Sprintf("EXDATE;TZID=%s:%s", zone, strings.Join(ex, ",")))
	}
	org := g.r.IntN(60)
	g.people(org)
	g.line("SEQUENCE:0")
	g.tail(true)
	for i := 0; i < overrides; i++ {
		rid := step(start, 1+g.r.IntN(40))
		moved := rid.Add(time.Duration(g.r.IntN(5)-2) * time.Hour)
		g.line("BEGIN:VEVENT")
		g.line("UID:" + uid)
		g.line("DTSTAMP:20260101T000000Z")
		if g.r.IntN(20) == 0 {
			g.line(fmt.Sprintf("RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=%s:%s", zone, wall(rid)))
		} else {
			g.line(fmt.Sprintf("RECURRENCE-ID;TZID=%s:%s", zone, wall(rid)))
		}
		g.line(fmt.Sprintf("DTSTART;TZID=%s:%s", zone, wall(moved)))
		g.line(fmt.Sprintf("DTEND;TZID=%s:%s", zone, wall(moved.Add(dur))))
		g.line("SUMMARY:" + summary)
		g.line("SEQUENCE:1")
		if g.r.IntN(5) == 0 {
			g.line("STATUS:CANCELLED")
			g.line("END:VEVENT")
			continue
		}
		g.people(org)
		g.tail(false)
	}
}
