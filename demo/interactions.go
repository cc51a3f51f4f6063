package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/mbox"
	"github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// DemoWeeks is how many weeks of chat and mail the demo team has, up to
// the current week.
const DemoWeeks = 13

func init() {
	Steps = append(Steps, Step{Name: "chat and mail", Run: seedInteractions})
}

// seedInteractions imports a generated Slack export and mailbox of the
// demo team's last weeks, the way `rhythm import` would.
func seedInteractions(ctx context.Context, db *store.DB, t team.Team) error {
	now := db.Now().UTC()
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday())+6)%7)-7*(DemoWeeks-1))
	d, err := gen.New(gen.Config{Team: &t, Weeks: DemoWeeks, Seed: 1, Start: monday})
	if err != nil {
		return err
	}
	res, err := db.Resolver(ctx, t.ID)
	if err != nil {
		return err
	}
	var zipped, mail bytes.Buffer
	if err := d.WriteSlack(&zipped); err != nil {
		return err
	}
	if err := d.WriteMbox(&mail); err != nil {
		return err
	}
	z, err := ingest.NewZip(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()), "demo-slack-export.zip", ingest.DefaultLimits())
	if err != nil {
		return err
	}
	export, err := slack.New(z, "demo-slack-export.zip", res)
	if err != nil {
		return err
	}
	for _, in := range []struct {
		name, format string
		data         []byte
		imp          ingest.Importer
	}{
		{"demo-slack-export.zip", "slack", zipped.Bytes(), export},
		{"demo-mail.mbox", "mbox", mail.Bytes(), mbox.New(bytes.NewReader(mail.Bytes()), "demo-mail.mbox", res)},
	} {
		sum := sha256.Sum256(in.data)
		meta := store.ImportMeta{Name: in.name, Format: in.format, Hash: hex.EncodeToString(sum[:])}
		if _, err := db.ImportInteractions(ctx, t.ID, meta, in.imp.Import); err != nil {
			return err
		}
	}
	return nil
}
