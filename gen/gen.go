// Package gen makes a realistic synthetic team and its communication data:
// a roster, a calendar, a Slack export and a mailbox. The output depends
// only on the Config: the same seed gives the same bytes.
package gen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Config says what to generate.
type Config struct {
	People int    // team size
	Weeks  int    // weeks of data
	Seed   uint64 // same seed, same data
	// Start is the first day (a Monday by default 2026-02-02, so that
	// thirteen weeks cross the spring DST changes of both hemispheres).
	Start time.Time
	// MessagesPerDay is the mean of chat messages a person writes on a
	// working day (default 12, replies included).
	MessagesPerDay float64
	// MailsPerDay is the mean of mails a person sends on a working day
	// (default 2).
	MailsPerDay float64
	// Domain is the mail domain of the team (default acme.example).
	Domain string
	// Team, when set, is the roster to make data for, instead of made-up
	// people; People is then its size.
	Team *team.Team
	// Teams, when 2 or more, splits the people into that many teams of
	// whole squads, each with its own roster, and picks half of them at
	// random (from the seed) as the treatment arm of an experiment.
	Teams int
	// Effect, when set, is a known treatment effect on the treated teams.
	Effect Effect
	// Uncompressed stores the Slack export's files without compression:
	// a bigger archive that is quicker to write and to read.
	Uncompressed bool
}

// Files are the names Write gives the generated files.
const (
	RosterFile   = "team.yaml"
	CalendarFile = "calendar.ics"
	SlackFile    = "slack-export.zip"
	MboxFile     = "mail.mbox"
)

// person is one team member as the generator sees them.
type person struct {
	team.Member
	first, last string
	slackID     string
	handle      string
	loc         *time.Location
	squad       int
	team        int // index into Dataset.teams; 0 with one team
	lead        bool
	// chatty scales how much the person writes; slow scales how long
	// they take to answer.
	chatty, slow float64
}

// Dataset is a generated team; its Write methods produce the files.
type Dataset struct {
	cfg    Config
	people []*person
	squads [][]int // indexes into people; the first is the lead
	team   team.Team
	// teams are the rosters of Config.Teams teams; treated are the
	// indexes of those in the treatment arm.
	teams   []team.Team
	treated []int
}

// New generates the team described by cfg.
func New(cfg Config) (*Dataset, error) {
	if cfg.Team != nil {
		cfg.People = len(cfg.Team.Members)
	}
	if cfg.People < 2 || cfg.People > 100_000 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "--people must be between 2 and 100000, got %d", cfg.People)
	}
	if cfg.Weeks < 1 || cfg.Weeks > 520 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "--weeks must be between 1 and 520, got %d", cfg.Weeks)
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	}
	cfg.Start = time.Date(cfg.Start.Year(), cfg.Start.Month(), cfg.Start.Day(), 0, 0, 0, 0, time.UTC)
	if cfg.MessagesPerDay <= 0 {
		cfg.MessagesPerDay = 12
	}
	if cfg.MailsPerDay <= 0 {
		cfg.MailsPerDay = 2
	}
	if cfg.Domain == "" {
		cfg.Domain = "acme.example"
	}
	if cfg.Teams < 0 || cfg.Teams > 1 && cfg.People < 3*cfg.Teams {
		return nil, rhythm.Errorf(rhythm.EINVALID, "--teams: %d teams need at least %d people (3 a team), got %d", cfg.Teams, 3*cfg.Teams, cfg.People)
	}
	if err := checkEffect(&cfg); err != nil {
		return nil, err
	}
	d := &Dataset{cfg: cfg}
	rng := d.rng(1)
	total := 0
	for _, r := range regions {
		total += r.weight
	}
	usedEmail := map[string]int{}
	usedID := map[string]bool{}
	for i := range cfg.People {
		if cfg.Team != nil {
			d.people = append(d.people, d.rosterPerson(cfg.Team.Members[i], rng, usedID))
			continue
		}
		// The first people cover every region, so that even a small team
		// spans at least six zones.
		var rg region
		if i < len(regions) {
			rg = regions[i]
		} else {
			w := rng.IntN(total)
			for _, r := range regions {
				if w -= r.weight; w < 0 {
					rg = r
					break
				}
			}
		}
		first, last := rg.first[rng.IntN(len(rg.first))], rg.last[rng.IntN(len(rg.last))]
		local := ascii(strings.ToLower(strings.ReplaceAll(first, " ", "") + "." + strings.ReplaceAll(last, "'", "")))
		usedEmail[local]++
		if n := usedEmail[local]; n > 1 {
			local = fmt.Sprintf("%s%d", local, n)
		}
		p := &person{first: first, last: last, handle: strings.ReplaceAll(local, ".", "")}
		p.Name = first + " " + last
		p.Email = local + "@" + cfg.Domain
		p.Zone = rg.zone
		p.Hours, _ = team.ParseHours(rg.hours)
		p.Days, _ = team.ParseDays(rg.days)
		p.loc, _ = team.LoadZone(rg.zone)
		for {
			p.slackID = slackID(rng, 'U')
			if !usedID[p.slackID] {
				usedID[p.slackID] = true
				break
			}
		}
		// Some people hide their email in their chat profile: the roster
		// names their chat ID instead.
		if rng.Float64() < 0.1 {
			p.Aliases = []string{p.slackID}
		}
		// Some work a shifted day.
		if rng.Float64() < 0.15 {
			s := p.Hours.Start + (rng.IntN(5)-2)*30
			p.Hours = team.Hours{Start: s, End: (s + int(p.Hours.Length()/time.Minute)) % (24 * 60)}
		}
		p.chatty = math.Exp(rng.NormFloat64() * 0.5)
		p.slow = math.Exp(rng.NormFloat64() * 0.6)
		d.people = append(d.people, p)
	}
	// Squads of 5 to 9, led by their first member. People of a squad share
	// a home region more often than not.
	// With several teams, each is dealt people in turn and makes its own
	// squads.
	order := rng.Perm(len(d.people))
	groups := [][]int{order}
	if cfg.Teams > 1 {
		groups = make([][]int, cfg.Teams)
		for k, i := range order {
			groups[k%cfg.Teams] = append(groups[k%cfg.Teams], i)
		}
	}
	for k, order := range groups {
		for len(order) > 0 {
			n := min(len(order), 5+rng.IntN(5))
			if len(order)-n < 3 {
				n = len(order)
			}
			sq := order[:n]
			order = order[n:]
			for _, i := range sq {
				d.people[i].squad = len(d.squads)
				d.people[i].team = k
			}
			d.people[sq[0]].lead = true
			d.squads = append(d.squads, sq)
		}
	}
	d.team = team.Team{Name: "Acme Engineering", Norms: team.DefaultNorms()}
	d.team.Norms.NoMeetingDay = team.Weekday(time.Wednesday)
	if cfg.Team != nil {
		d.team = *cfg.Team
		d.team.Members = nil
	}
	for _, p := range d.people {
		d.team.Members = append(d.team.Members, p.Member)
	}
	if cfg.Teams > 1 {
		for k := range cfg.Teams {
			t := d.team
			t.Name, t.Members = teamName(d.team.Name, k), nil
			d.teams = append(d.teams, t)
		}
		for _, p := range d.people {
			d.teams[p.team].Members = append(d.teams[p.team].Members, p.Member)
		}
		d.treated = d.rng(8).Perm(cfg.Teams)[:cfg.Teams/2]
		slices.Sort(d.treated)
	}
	return d, nil
}

// rosterPerson makes a person of a roster member: the member's chat ID is
// an alias that looks like a Slack user ID, or a made-up one.
func (d *Dataset) rosterPerson(m team.Member, rng *rand.Rand, usedID map[string]bool) *person {
	p := &person{Member: m}
	p.first, p.last, _ = strings.Cut(m.Name, " ")
	local, _, _ := strings.Cut(m.Email, "@")
	p.handle = strings.ReplaceAll(ascii(strings.ToLower(local)), ".", "")
	p.loc = m.Location()
	for _, a := range m.Aliases {
		if len(a) >= 9 && a[0] == 'U' && strings.ToUpper(a) == a && !usedID[a] {
			p.slackID = a
		}
	}
	for p.slackID == "" || usedID[p.slackID] && !slices.Contains(m.Aliases, p.slackID) {
		p.slackID = slackID(rng, 'U')
	}
	usedID[p.slackID] = true
	p.chatty = math.Exp(rng.NormFloat64() * 0.5)
	p.slow = math.Exp(rng.NormFloat64() * 0.6)
	return p
}

// Team returns the generated team.
func (d *Dataset) Team() *team.Team { return &d.team }

// Config returns the configuration with its defaults filled in.
func (d *Dataset) Config() Config { return d.cfg }

// rng returns the random source of one part of the output, so that each
// part is the same whatever else is generated.
func (d *Dataset) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(d.cfg.Seed, stream*0x9e3779b97f4a7c15+1))
}

// days returns the dates of the data, midnight UTC.
func (d *Dataset) days() []time.Time {
	n := d.cfg.Weeks * 7
	out := make([]time.Time, n)
	for i := range n {
		out[i] = d.cfg.Start.AddDate(0, 0, i)
	}
	return out
}

// end returns the instant after the data.
func (d *Dataset) end() time.Time { return d.cfg.Start.AddDate(0, 0, 7*d.cfg.Weeks) }

const idChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

func slackID(rng *rand.Rand, prefix byte) string {
	b := make([]byte, 11)
	b[0] = prefix
	b[1] = '0'
	for i := 2; i < len(b); i++ {
		b[i] = idChars[rng.IntN(len(idChars))]
	}
	return string(b)
}

// ascii drops accents: "joão.gonçalves" → "joao.goncalves".
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ü':
			b.WriteString("ue")
		case r < 128:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// workStart returns the start of p's working day on the local date of day
// (midnight UTC of that date), and whether p works that day.
func (p *person) workStart(day time.Time) (time.Time, bool) {
	dt := team.DateOf(day)
	if !p.WorksOn(dt) {
		return time.Time{}, false
	}
	return time.Date(dt.Year, dt.Month, dt.Day, 0, p.Hours.Start, 0, 0, p.loc), true
}

// nextWorking returns t if p is working then, or else the start of p's
// next working time plus a little.
func (p *person) nextWorking(t time.Time, rng *rand.Rand) time.Time {
	if p.InWorkingHours(t) {
		return t
	}
	lt := t.In(p.loc)
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		if s, ok := p.workStart(day.AddDate(0, 0, i)); ok && s.After(t) {
			return s.Add(time.Duration(rng.ExpFloat64() * float64(40*time.Minute)))
		}
	}
	return t
}

// Write generates every file into dir.
func (d *Dataset) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	parts := []struct {
		name  string
		write func(*os.File) error
	}{
		{RosterFile, func(f *os.File) error { return d.WriteRoster(f) }},
		{CalendarFile, func(f *os.File) error { return d.WriteICS(f) }},
		{SlackFile, func(f *os.File) error { return d.WriteSlack(f) }},
		{MboxFile, func(f *os.File) error { return d.WriteMbox(f) }},
	}
	if len(d.teams) > 0 {
		parts = append(parts, struct {
			name  string
			write func(*os.File) error
		}{AssignmentFile, func(f *os.File) error { return d.WriteAssignment(f) }})
	}
	for k := range d.teams {
		parts = append(parts, struct {
			name  string
			write func(*os.File) error
		}{TeamFile(k), func(f *os.File) error {
			b, err := team.MarshalRoster(d.teams[k])
			if err != nil {
				return err
			}
			_, err = f.Write(b)
			return err
		}})
	}
	// Each part has its own random stream, so they can be made at once.
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, f := range parts {
		wg.Go(func() { errs[i] = writeFile(filepath.Join(dir, f.name), f.write) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
