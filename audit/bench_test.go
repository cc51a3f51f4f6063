package audit

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// benchData is a synthetic quarter of a team spread over eight zones:
// meetings, channel messages, threads and direct conversations, in the mix
// of the generated data of package gen (one sync interaction in twenty,
// about three messages per thread, twenty direct conversations a person),
// in the order importers emit them.
func benchData(tb testing.TB, people, n int) (*team.Team, Config, []ingest.Interaction) {
	tb.Helper()
	zones := []string{"Europe/Lisbon", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "America/Sao_Paulo"}
	tm := &team.Team{Name: "Bench", Norms: team.DefaultNorms()}
	tm.Norms.NoMeetingDay = team.Weekday(time.Wednesday)
	for i := range people {
		tm.Members = append(tm.Members, team.Member{
			Name: fmt.Sprintf("P%d", i), Email: fmt.Sprintf("p%d@example.com", i), Zone: zones[i%len(zones)],
			Hours: team.DefaultHours, Days: team.WeekdaysMonFri,
		})
	}
	cfg := Config{Window: Window{From: date("2026-02-02"), To: date("2026-05-03")}}
	r := rand.New(rand.NewPCG(7, 8))
	start := utc("2026-02-02 00:00")
	span := int64(91 * 24 * time.Hour)
	who := func() string { return tm.Members[r.IntN(people)].Email }
	ins := make([]ingest.Interaction, n)
	for k := range ins {
		t := start.Add(time.Duration(r.Int64N(span))).Truncate(time.Second)
		in := &ins[k]
		switch x := r.IntN(100); {
		case x < 5:
			d := time.Duration(15+r.IntN(6)*15) * time.Minute
			*in = ingest.Interaction{Source: ingest.SourceICS, ID: fmt.Sprint("ev", k), Mode: ingest.Sync, Kind: ingest.Meeting,
				Start: t.Truncate(15 * time.Minute), End: t.Truncate(15 * time.Minute).Add(d), Organizer: who(), Recurring: x < 2}
			for range 2 + r.IntN(6) {
				in.Participants = append(in.Participants, ingest.Participant{ID: who(), Member: true})
			}
		case x < 40:
			th := fmt.Sprint("C/", r.IntN(n/16))
			*in = ingest.Interaction{Source: ingest.SourceSlack, ID: fmt.Sprint("C/", k), Mode: ingest.Async, Kind: ingest.Reply,
				Start: t, End: t, Organizer: who(), ThreadID: th, InReplyTo: th, Channel: "c", ChannelKind: ingest.Public}
		case x < 70:
			ch := fmt.Sprint("D", r.IntN(people*20))
			*in = ingest.Interaction{Source: ingest.SourceSlack, ID: fmt.Sprint(ch, "/", k), Mode: ingest.Async, Kind: ingest.Message,
				Start: t, End: t, Organizer: who(), Channel: ch, ChannelKind: ingest.DM, Participants: []ingest.Participant{{ID: who(), Member: true}}}
		default:
			*in = ingest.Interaction{Source: ingest.SourceSlack, ID: fmt.Sprint("C/", k), Mode: ingest.Async, Kind: ingest.Message,
				Start: t, End: t, Organizer: who(), Channel: "c", ChannelKind: ingest.Public}
			if r.IntN(3) == 0 {
				in.ThreadID = fmt.Sprint("C/", r.IntN(n/16))
			}
		}
	}
	// Importers emit conversation by conversation, each in time order
	// (calendars: event by event).
	slices.SortStableFunc(ins, func(x, y ingest.Interaction) int {
		return cmp.Or(strings.Compare(x.Channel, y.Channel), x.Start.Compare(y.Start))
	})
	return tm, cfg, ins
}

var (
	benchOnce   sync.Once
	benchTeam   *team.Team
	benchConfig Config
	benchIns    []ingest.Interaction
)

// BenchmarkAudit measures the metric computation: adding every
// interaction and computing the result.
func BenchmarkAudit(b *testing.B) {
	benchOnce.Do(func() { benchTeam, benchConfig, benchIns = benchData(b, 500, 1_000_000) })
	tm, cfg, ins := benchTeam, benchConfig, benchIns
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		a, err := New(tm, cfg)
		if err != nil {
			b.Fatal(err)
		}
		for k := range ins {
			a.Add(&ins[k])
		}
		a.Result()
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(len(ins)*b.N)/b.Elapsed().Seconds(), "interactions/s")
	// On a shared machine wall time depends on the neighbours; the
	// process's CPU time (garbage collection included) does less.
	if cpu > 0 {
		b.ReportMetric(float64(len(ins)*b.N)/cpu.Seconds(), "interactions/cpu-s")
	}
}
