package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/ingest/mbox"
	"github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// DemoWeeks is how many weeks of chat, mail and calendar the main team's
// latest export covers, up to the current week.
const DemoWeeks = 13

// AuditWeeks is the length of each team's latest audit, and of the
// earlier period it is compared with.
const AuditWeeks = 6

// Quarters is how many quarters of data, audits and pulse rounds each team
// has: the latest DemoWeeks and the first HistoryWeeks of each of the
// Quarters-1 calendar quarters before the one they begin in. Starting on a
// quarter's first day makes every quarter since then whole for churn.
const Quarters = 4

// chatRates are the chat messages a person writes a working day, per team
// (in Org's order) and quarter, oldest first: Platform moved to async
// this year, Data the other way, so the organisation's quarters differ.
// The main team's latest quarter has the generator's default rate.
var chatRates = [][Quarters]float64{
	{3, 4, 5, 12},
	{2, 2.5, 3, 3.5},
	{4, 3.5, 3, 2.5},
	{5, 4, 5.5, 4.5},
}

// HistoryWeeks is the length of each earlier quarter's export and audit:
// six weeks, enough for a quarterly figure and quick to seed.
const HistoryWeeks = 6

func init() {
	Steps = append(Steps, Step{Name: "chat, mail and calendars", Run: seedData})
}

// stretch is one export of one team: a generated calendar and Slack
// export (and, for the main team's latest, a mailbox) over some weeks,
// audited as one.
type stretch struct {
	team    int // index into org
	quarter int // 0 is the oldest
	start   time.Time
	weeks   int
	files   []file
}

type file struct {
	name, format string
	data         []byte
}

// latest reports whether s is its team's latest stretch.
func (s *stretch) latest() bool { return s.quarter == Quarters-1 }

// stretches returns every team's stretches, oldest first.
func stretches(org []team.Team, now time.Time) []*stretch {
	first := latestStart(now)
	var out []*stretch
	for ti := range org {
		for q := range Quarters {
			s := &stretch{team: ti, quarter: q, start: first, weeks: DemoWeeks}
			if !s.latest() {
				s.start, s.weeks = quarterStart(first).AddDate(0, -3*(Quarters-1-q), 0), HistoryWeeks
			}
			out = append(out, s)
		}
	}
	return out
}

// quarterStart is the first day of t's calendar quarter.
func quarterStart(t time.Time) time.Time {
	return time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
}

// latestStart is the Monday DemoWeeks-1 weeks before the current week's,
// where the latest exports begin.
func latestStart(now time.Time) time.Time {
	return thisMonday(now).AddDate(0, 0, -7*(DemoWeeks-1))
}

// generate makes the stretch's files with gen. The main team's latest
// export is its chat and mail as they have always been in the demo; the
// others have less chat and no mail, which keeps seeding quick.
func (s *stretch) generate(t *team.Team) error {
	cfg := gen.Config{Team: t, Weeks: s.weeks, Seed: 1, Start: s.start, MessagesPerDay: chatRates[s.team][s.quarter], Uncompressed: true}
	main := s.team == 0 && s.latest()
	if !main {
		cfg.Seed = uint64(100*s.team + s.quarter + 2)
	}
	d, err := gen.New(cfg)
	if err != nil {
		return err
	}
	var cal, zipped, mail bytes.Buffer
	if err := d.WriteICS(&cal); err != nil {
		return err
	}
	if err := d.WriteSlack(&zipped); err != nil {
		return err
	}
	if main {
		if err := d.WriteMbox(&mail); err != nil {
			return err
		}
		s.files = []file{{"demo-slack-export.zip", "slack", zipped.Bytes()}, {"demo-mail.mbox", "mbox", mail.Bytes()}, {"demo-calendar.ics", "ics", cal.Bytes()}}
		return nil
	}
	day := s.start.Format(time.DateOnly)
	s.files = []file{{"slack-export-" + day + ".zip", "slack", zipped.Bytes()}, {"calendar-" + day + ".ics", "ics", cal.Bytes()}}
	return nil
}

// seedData generates every team's exports (at once, on every core),
// imports them the way `rhythm import` does, and audits each stretch.
func seedData(ctx context.Context, db *store.DB, org []team.Team) error {
	ss := stretches(org, db.Now())
	errs := make([]error, len(ss))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, s := range ss {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = s.generate(&org[s.team])
		})
	}
	wg.Wait()
	for i, s := range ss {
		if errs[i] != nil {
			return errs[i]
		}
		t := &org[s.team]
		fresh, err := s.importFiles(ctx, db, t)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		if err := s.audit(ctx, db, t, fresh); err != nil {
			return fmt.Errorf("%s: audit: %w", t.Name, err)
		}
	}
	return nil
}

// importFiles stores the stretch's files; it reports whether any was new.
func (s *stretch) importFiles(ctx context.Context, db *store.DB, t *team.Team) (bool, error) {
	res, err := db.Resolver(ctx, t.ID)
	if err != nil {
		return false, err
	}
	fresh := false
	for _, f := range s.files {
		var imp ingest.Importer
		switch f.format {
		case "slack":
			z, err := ingest.NewZip(bytes.NewReader(f.data), int64(len(f.data)), f.name, ingest.DefaultLimits())
			if err != nil {
				return false, err
			}
			if imp, err = slack.New(z, f.name, res); err != nil {
				return false, err
			}
		case "mbox":
			imp = mbox.New(bytes.NewReader(f.data), f.name, res)
		case "ics":
			c := icsevents.New(bytes.NewReader(f.data), f.name, res)
			c.From, c.To = s.start, s.start.AddDate(0, 0, 7*s.weeks)
			imp = c
		}
		sum := sha256.Sum256(f.data)
		got, err := db.ImportInteractions(ctx, t.ID, store.ImportMeta{Name: f.name, Format: f.format, Hash: hex.EncodeToString(sum[:])}, imp.Import)
		if err != nil {
			return false, err
		}
		fresh = fresh || !got.Duplicate
	}
	return fresh, nil
}

// audit saves an audit of the stretch: its weeks for an earlier one;
// for the latest, the last AuditWeeks full weeks compared with as many
// weeks before, which the Audit and My week pages show.
func (s *stretch) audit(ctx context.Context, db *store.DB, t *team.Team, fresh bool) error {
	cfg := audit.Config{Window: audit.Window{From: team.DateOf(s.start), To: team.DateOf(s.start.AddDate(0, 0, 7*s.weeks-1))}}
	if s.latest() {
		cfg.Window, cfg.Compare = auditWindows(db.Now())
		info, _, err := db.LatestAudit(ctx, t.ID)
		if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			return err
		}
		if err == nil && info.Window == cfg.Window && !fresh {
			return nil // seeded before
		}
	} else if !fresh {
		return nil
	}
	_, err := app.New(db, db.Now).RunStoredAudit(ctx, app.System("demo"), strconv.FormatInt(t.ID, 10), cfg)
	return err
}

// auditWindows returns the last AuditWeeks full weeks (Monday to Sunday)
// before now, and as many weeks before them.
func auditWindows(now time.Time) (cur, base audit.Window) {
	monday := thisMonday(now)
	end := monday.AddDate(0, 0, -1)
	start := monday.AddDate(0, 0, -7*AuditWeeks)
	cur = audit.Window{From: team.DateOf(start), To: team.DateOf(end)}
	base = audit.Window{From: team.DateOf(start.AddDate(0, 0, -7*AuditWeeks)), To: team.DateOf(start.AddDate(0, 0, -1))}
	return cur, base
}
