package demo

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

func init() {
	Steps = append(Steps, Step{Name: "pulse", Run: seedPulse})
}

// demoAnswers are the main team's twelve anonymous responses to its latest
// closed round: eNPS, connected, uninterrupted_time, meetings_worthwhile.
var demoAnswers = [][4]int{
	{9, 4, 2, 3}, {10, 5, 3, 4}, {7, 4, 2, 2}, {8, 3, 1, 2}, {6, 3, 2, 3}, {9, 4, 3, 3},
	{3, 2, 1, 1}, {10, 5, 4, 4}, {8, 4, 2, 3}, {7, 3, 2, 2}, {9, 4, 3, 4}, {5, 3, 1, 2},
}

// seedPulse gives every team a closed round, imported, in each quarter of
// its data, with results above its minimum group size; and an open round
// to answer. A team that has rounds already is left alone.
func seedPulse(ctx context.Context, db *store.DB, org []team.Team) error {
	today := db.Now().UTC().Truncate(24 * time.Hour)
	ss := stretches(org, db.Now())
	for ti, t := range org {
		rounds, err := db.ListRounds(ctx, t.Name)
		if err != nil || len(rounds) > 0 {
			return err
		}
		for q := range Quarters {
			opens := ss[ti*Quarters+q].start.AddDate(0, 0, 7) // in the stretch's second week
			if q == Quarters-1 {
				opens = today.AddDate(0, 0, -30)
			}
			closes := opens.AddDate(0, 0, 14)
			rd, err := db.CreateRound(ctx, t.Name, pulse.Round{Opens: opens, Closes: closes, Imported: true})
			if err != nil {
				return err
			}
			as := answers(ti, q, headcount(&t, team.DateOf(closes)))
			if _, err := db.ImportResponses(ctx, rd.ID, "demo", as); err != nil {
				return err
			}
		}
		if _, err := db.CreateRound(ctx, t.Name, pulse.Round{Opens: today.AddDate(0, 0, -2), Closes: today.AddDate(0, 0, 12)}); err != nil {
			return err
		}
	}
	return nil
}

// headcount is how many of t's members are on the team on day d.
func headcount(t *team.Team, d team.Date) int {
	n := 0
	for _, m := range t.Members {
		if (m.Start.IsZero() || !d.Before(m.Start)) && (m.Leave.IsZero() || !m.Leave.Before(d)) {
			n++
		}
	}
	return n
}

// answers are the responses of team ti in quarter q from all but one of
// its people: the main team's latest are demoAnswers; the others are
// drawn, reproducibly, around a level that rises a little with the
// quarter's chat rate, so the Correlations page has something to find
// (and to be careful about).
func answers(ti, q, people int) []pulse.Answers {
	var out []pulse.Answers
	if ti == 0 && q == Quarters-1 {
		for _, a := range demoAnswers {
			out = append(out, pulse.Answers{"enps": a[0], "connected": a[1], "uninterrupted_time": a[2], "meetings_worthwhile": a[3]})
		}
		return out
	}
	rng := rand.New(rand.NewPCG(uint64(ti), uint64(q)))
	lift := (chatRates[ti][q] - 6) / 6
	draw := func(mean, sd float64, lo, hi int) int {
		v := int(math.Round(mean + rng.NormFloat64()*sd))
		return min(max(v, lo), hi)
	}
	for range max(people-1, 5) {
		out = append(out, pulse.Answers{
			"enps":                draw(7+1.5*lift, 1.8, 0, 10),
			"connected":           draw(3.6+0.3*lift, 0.8, 1, 5),
			"uninterrupted_time":  draw(3+0.6*lift, 0.9, 1, 5),
			"meetings_worthwhile": draw(3.2-0.2*lift, 0.9, 1, 5),
		})
	}
	return out
}
