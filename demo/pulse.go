package demo

import (
	"context"
	"time"

	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

func init() {
	Steps = append(Steps, Step{Name: "pulse", Run: seedPulse})
}

// demoAnswers are twelve anonymous responses: eNPS, connected,
// uninterrupted_time, meetings_worthwhile.
var demoAnswers = [][4]int{
	{9, 4, 2, 3}, {10, 5, 3, 4}, {7, 4, 2, 2}, {8, 3, 1, 2}, {6, 3, 2, 3}, {9, 4, 3, 3},
	{3, 2, 1, 1}, {10, 5, 4, 4}, {8, 4, 2, 3}, {7, 3, 2, 2}, {9, 4, 3, 4}, {5, 3, 1, 2},
}

// seedPulse gives the demo team an imported round with results to read and
// an open round to answer. A team that has rounds already is left alone.
func seedPulse(ctx context.Context, db *store.DB, t team.Team) error {
	rounds, err := db.ListRounds(ctx, t.Name)
	if err != nil || len(rounds) > 0 {
		return err
	}
	today := db.Now().UTC().Truncate(24 * time.Hour)
	closed, err := db.CreateRound(ctx, t.Name, pulse.Round{Opens: today.AddDate(0, 0, -30), Closes: today.AddDate(0, 0, -16), Imported: true})
	if err != nil {
		return err
	}
	var rs []pulse.Answers
	for _, a := range demoAnswers {
		rs = append(rs, pulse.Answers{"enps": a[0], "connected": a[1], "uninterrupted_time": a[2], "meetings_worthwhile": a[3]})
	}
	if _, err := db.ImportResponses(ctx, closed.ID, "demo", rs); err != nil {
		return err
	}
	_, err = db.CreateRound(ctx, t.Name, pulse.Round{Opens: today.AddDate(0, 0, -2), Closes: today.AddDate(0, 0, 12)})
	return err
}
