package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"github.com/rhythm-team/rhythm/app"
	"strconv"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// AuditWeeks is the length of the demo's audit, and of the earlier period
// it is compared with.
const AuditWeeks = 6

func init() {
	Steps = append(Steps, Step{Name: "audit", Run: seedAudit})
}

// seedAudit imports a generated calendar of the demo team beside its chat
// and mail, and saves an audit of the last full weeks compared with the
// weeks before, so the Audit and My week pages have something to show.
func seedAudit(ctx context.Context, db *store.DB, t team.Team) error {
	// The audit reads the chat and mail too; importing them again changes
	// nothing, whichever step runs first.
	if err := seedInteractions(ctx, db, t); err != nil {
		return err
	}
	start := demoStart(db.Now())
	d, err := gen.New(gen.Config{Team: &t, Weeks: DemoWeeks, Seed: 1, Start: start})
	if err != nil {
		return err
	}
	var cal bytes.Buffer
	if err := d.WriteICS(&cal); err != nil {
		return err
	}
	res, err := db.Resolver(ctx, t.ID)
	if err != nil {
		return err
	}
	f := icsevents.New(bytes.NewReader(cal.Bytes()), "demo-calendar.ics", res)
	f.From, f.To = start, start.AddDate(0, 0, 7*DemoWeeks)
	sum := sha256.Sum256(cal.Bytes())
	imp, err := db.ImportInteractions(ctx, t.ID, store.ImportMeta{Name: "demo-calendar.ics", Format: "ics", Hash: hex.EncodeToString(sum[:])}, f.Import)
	if err != nil {
		return err
	}
	cur, base := auditWindows(db.Now())
	if info, _, err := db.LatestAudit(ctx, t.ID); err == nil && info.Window == cur && imp.Duplicate {
		return nil // seeded before
	} else if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return err
	}
	_, err = app.New(db, db.Now).RunStoredAudit(ctx, app.System("demo"), strconv.FormatInt(t.ID, 10), audit.Config{Window: cur, Compare: base})
	return err
}

// demoStart is the Monday DemoWeeks-1 weeks before the current week's,
// where the demo's generated data begins.
func demoStart(now time.Time) time.Time {
	now = now.UTC()
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return monday.AddDate(0, 0, -((int(monday.Weekday())+6)%7)-7*(DemoWeeks-1))
}

// auditWindows returns the last AuditWeeks full weeks (Monday to Sunday)
// before now, and as many weeks before them.
func auditWindows(now time.Time) (cur, base audit.Window) {
	monday := demoStart(now).AddDate(0, 0, 7*(DemoWeeks-1)) // this week's
	end := monday.AddDate(0, 0, -1)
	start := monday.AddDate(0, 0, -7*AuditWeeks)
	cur = audit.Window{From: team.DateOf(start), To: team.DateOf(end)}
	base = audit.Window{From: team.DateOf(start.AddDate(0, 0, -7*AuditWeeks)), To: team.DateOf(start.AddDate(0, 0, -1))}
	return cur, base
}
