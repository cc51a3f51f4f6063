package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

func init() {
	Steps = append(Steps, Step{Name: "audit", Run: seedAudit})
}

// AuditWeeks is the length of the demo's audit and of its baseline.
const AuditWeeks = 13

// seedAudit stores half a year of the demo team's meetings and messages
// as one import, and saves an audit of the last quarter compared with the
// one before, so the audit pages have something to show.
func seedAudit(ctx context.Context, db *store.DB, t team.Team) error {
	cur, base := auditWindows(time.Now())
	hash := "demo-activity-" + base.From.String()
	ins := Activity(&t, base.From.In(time.UTC), 2*AuditWeeks)
	imp, err := db.ImportInteractions(ctx, t.ID, store.ImportMeta{Name: "demo activity", Format: "demo", Hash: hash},
		func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			var st ingest.Stats
			for _, in := range ins {
				if err := emit(in); err != nil {
					return st, err
				}
				st.Read++
				st.Emitted++
			}
			return st, nil
		})
	if err != nil {
		return err
	}
	if info, _, err := db.LatestAudit(ctx, t.ID); err == nil && info.Window == cur && imp.Duplicate {
		return nil // seeded before
	} else if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return err
	}
	a, err := audit.New(&t, audit.Config{Window: cur, Compare: base})
	if err != nil {
		return err
	}
	for k := range ins {
		a.Add(&ins[k])
	}
	_, err = db.SaveAudit(ctx, t.ID, a.Result())
	return err
}

// auditWindows returns the last AuditWeeks full weeks (Monday to Sunday)
// before now, and the same number of weeks before them.
func auditWindows(now time.Time) (cur, base audit.Window) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // this week's Monday
	end := monday.AddDate(0, 0, -1)
	start := monday.AddDate(0, 0, -7*AuditWeeks)
	cur = audit.Window{From: team.DateOf(start), To: team.DateOf(end)}
	base = audit.Window{From: team.DateOf(start.AddDate(0, 0, -7*AuditWeeks)), To: team.DateOf(start.AddDate(0, 0, -1))}
	return cur, base
}

// Activity makes weeks of plausible meetings and messages for team t from
// start (a Monday): a daily standup at a fixed UTC time that is late for
// some zones, a weekly planning meeting for everyone, fortnightly
// one-on-ones with the first member, ad-hoc meetings, channel threads and
// direct messages answered within the responder's working hours. In the
// first half, meetings are longer and more often recurring, so that a
// comparison of the two halves shows change. The same team and start give
// the same data.
func Activity(t *team.Team, start time.Time, weeks int) []ingest.Interaction {
	rng := rand.New(rand.NewPCG(uint64(len(t.Members)), uint64(start.Unix())))
	ms := t.Members
	n := len(ms)
	var ins []ingest.Interaction
	everyone := func(decline func(i int) bool) []ingest.Participant {
		ps := make([]ingest.Participant, n)
		for i, m := range ms {
			ps[i] = ingest.Participant{ID: m.Email, Member: true, Status: ingest.Accepted}
			if decline != nil && decline(i) {
				ps[i].Status = ingest.Declined
			}
		}
		return ps
	}
	pair := func(a, b int) []ingest.Participant {
		return []ingest.Participant{{ID: ms[a].Email, Member: true, Status: ingest.Accepted}, {ID: ms[b].Email, Member: true, Status: ingest.Accepted}}
	}
	meeting := func(id string, at time.Time, d time.Duration, org int, recurring bool, ps []ingest.Participant) {
		ins = append(ins, ingest.Interaction{Source: ingest.SourceICS, ID: id, Mode: ingest.Sync, Kind: ingest.Meeting,
			Start: at, End: at.Add(d), Organizer: ms[org].Email, Participants: ps, Recurring: recurring})
	}
	// next returns the first time at or after t when person p works.
	next := func(p int, t time.Time) time.Time {
		m := &ms[p]
		if m.InWorkingHours(t) {
			return t
		}
		if ivs := m.WorkingIntervals(t, t.Add(10*24*time.Hour)); len(ivs) > 0 {
			return ivs[0].Start.Add(time.Duration(rng.IntN(40)) * time.Minute)
		}
		return t
	}
	for w := range weeks {
		early := w < weeks/2
		for d := range 7 {
			day := start.AddDate(0, 0, 7*w+d)
			wd := day.Weekday()
			if wd >= time.Monday && wd <= time.Friday {
				length := 15 * time.Minute
				if early {
					length = 30 * time.Minute
				}
				// Tokyo and Lord Howe members often skip the late standup.
				meeting(fmt.Sprintf("standup/%s", day.Format(time.DateOnly)), day.Add(14*time.Hour), length, 0, true,
					everyone(func(i int) bool {
						return ms[i].Zone != "Europe/Lisbon" && rng.Float64() < lateness(ms[i].Location(), day.Add(14*time.Hour))
					}))
			}
			if wd == time.Tuesday {
				length := 60 * time.Minute
				if early {
					length = 90 * time.Minute
				}
				meeting(fmt.Sprintf("planning/%s", day.Format(time.DateOnly)), day.Add(15*time.Hour), length, 0, true, everyone(nil))
			}
			if wd == time.Thursday && w%2 == 0 {
				for i := 1; i < n; i++ {
					at := next(i, day.Add(time.Duration(8+i%6)*time.Hour))
					meeting(fmt.Sprintf("1on1/%d/%s", i, day.Format(time.DateOnly)), at, 30*time.Minute, 0, true, pair(0, i))
				}
			}
			for i := range n {
				m := &ms[i]
				if !m.WorksOn(team.DateOf(day.In(m.Location()))) && rng.Float64() > 0.05 {
					continue
				}
				// Ad-hoc meetings, some of them on the no-meeting day.
				if rng.Float64() < 0.35 {
					j := (i + 1 + rng.IntN(n-1)) % n
					at := next(i, day.Add(time.Duration(rng.IntN(24))*time.Hour)).Truncate(15 * time.Minute)
					d := time.Duration(30+15*rng.IntN(4)) * time.Minute
					if early {
						d += 15 * time.Minute
					}
					meeting(fmt.Sprintf("adhoc/%d/%s/%d", i, day.Format(time.DateOnly), rng.IntN(1e6)), at, d, i, false, pair(i, j))
				}
				// Messages: threads in the team channel, replies, DMs.
				for k := range 4 + rng.IntN(8) {
					at := next(i, day.Add(time.Duration(rng.IntN(24*60))*time.Minute))
					if rng.Float64() < 0.12 { // an evening message, local time
						local := day.In(m.Location())
						at = time.Date(local.Year(), local.Month(), local.Day(), 18, rng.IntN(5*60), 0, 0, m.Location())
					}
					id := fmt.Sprintf("C01/%d.%d.%d", at.Unix(), i, k)
					j := (i + 1 + rng.IntN(n-1)) % n
					if rng.Float64() < 0.4 {
						ch := fmt.Sprintf("D%02d%02d", min(i, j), max(i, j))
						ins = append(ins, ingest.Interaction{Source: ingest.SourceSlack, ID: ch + "/" + id, Mode: ingest.Async, Kind: ingest.Message,
							Start: at, End: at, Organizer: m.Email, Channel: ch, ChannelKind: ingest.DM, Participants: pair(j, j)[:1]})
						if rng.Float64() < 0.7 {
							r := next(j, at.Add(time.Duration(5+rng.IntN(120))*time.Minute))
							ins = append(ins, ingest.Interaction{Source: ingest.SourceSlack, ID: ch + "/" + id + "r", Mode: ingest.Async, Kind: ingest.Message,
								Start: r, End: r, Organizer: ms[j].Email, Channel: ch, ChannelKind: ingest.DM, Participants: pair(i, i)[:1]})
						}
						continue
					}
					root := ingest.Interaction{Source: ingest.SourceSlack, ID: id, Mode: ingest.Async, Kind: ingest.Message,
						Start: at, End: at, Organizer: m.Email, Channel: "team", ChannelKind: ingest.Public}
					if rng.Float64() < 0.5 {
						root.ThreadID = id
						root.Participants = pair(j, j)[:1]
						for r := range 1 + rng.IntN(3) {
							who := (j + r) % n
							if who == i {
								continue
							}
							delay := time.Duration(math.Exp(rng.NormFloat64()*1.2+4)) * time.Minute
							rt := next(who, at.Add(delay))
							ins = append(ins, ingest.Interaction{Source: ingest.SourceSlack, ID: fmt.Sprintf("%s/r%d", id, r), Mode: ingest.Async, Kind: ingest.Reply,
								Start: rt, End: rt, Organizer: ms[who].Email, ThreadID: id, InReplyTo: id, Channel: "team", ChannelKind: ingest.Public})
						}
					}
					ins = append(ins, root)
				}
			}
		}
	}
	return ins
}

// lateness is how likely someone in loc skips a meeting at t: more so the
// further it falls outside 08:00-19:00 local time.
func lateness(loc *time.Location, t time.Time) float64 {
	h := t.In(loc).Hour()
	switch {
	case h >= 8 && h < 19:
		return 0.05
	case h >= 19 && h < 22 || h >= 6 && h < 8:
		return 0.3
	}
	return 0.6
}
