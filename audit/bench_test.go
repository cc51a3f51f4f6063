package audit

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// benchSpec describes one interaction compactly; materialize builds it.
type benchSpec struct {
	kind     uint8 // benchMeeting, benchReply, benchDM, benchPost
	t        int64
	minutes  int16
	rec      bool
	org      int32
	thread   int32 // -1: none
	channel  int32 // DM channel
	to       int32 // DM recipient
	attendee []int32
}

const (
	benchMeeting = iota
	benchReply
	benchDM
	benchPost
)

// benchData is a synthetic quarter of a team spread over eight zones:
// meetings, channel posts, threads and direct conversations, in the mix
// of the generated data of package gen (one sync interaction in twenty,
// about three messages per thread, twenty direct conversations a person),
// in the order importers emit them: conversation by conversation, each in
// time order.
func benchData(tb testing.TB, people, n int) (*team.Team, Config, []benchSpec) {
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
	start := utc("2026-02-02 00:00").Unix()
	span := int64(91 * 24 * 3600)
	specs := make([]benchSpec, n)
	for k := range specs {
		s := &specs[k]
		s.t, s.org, s.thread = start+r.Int64N(span), int32(r.IntN(people)), -1
		switch x := r.IntN(100); {
		case x < 5:
			s.kind, s.t, s.minutes, s.rec = benchMeeting, s.t/900*900, int16(15+r.IntN(6)*15), x < 2
			s.attendee = append(s.attendee, s.org)
			for range 1 + r.IntN(6) {
				s.attendee = append(s.attendee, int32(r.IntN(people)))
			}
		case x < 40:
			s.kind, s.thread = benchReply, int32(r.IntN(n/16))
		case x < 70:
			s.kind, s.channel, s.to = benchDM, int32(r.IntN(people*20)), int32(r.IntN(people))
		default:
			s.kind = benchPost
			if r.IntN(3) == 0 {
				s.thread = int32(r.IntN(n / 16))
			}
		}
	}
	slices.SortStableFunc(specs, func(x, y benchSpec) int {
		cx, cy := int32(-1), int32(-1)
		if x.kind == benchDM {
			cx = x.channel
		}
		if y.kind == benchDM {
			cy = y.channel
		}
		return cmp.Or(cmp.Compare(cx, cy), cmp.Compare(x.t, y.t))
	})
	return tm, cfg, specs
}

// materialize builds the interactions of specs into batch, with fresh
// strings, as an importer hands over a batch it has just decoded; off is
// the index of specs[0] in all the specs, which makes the IDs unique.
func materialize(batch []ingest.Interaction, specs []benchSpec, off int, tm *team.Team) []ingest.Interaction {
	batch = batch[:0]
	id := func(prefix string, n int32) string { return string(strconv.AppendInt([]byte(prefix), int64(n), 10)) }
	for k := range specs {
		s := &specs[k]
		t := time.Unix(s.t, 0).UTC()
		in := ingest.Interaction{Start: t, End: t, Organizer: tm.Members[s.org].Email, Source: ingest.SourceSlack, Mode: ingest.Async, Kind: ingest.Message,
			ID: id("C/", int32(off+k)), Channel: "c", ChannelKind: ingest.Public}
		switch s.kind {
		case benchMeeting:
			in.Source, in.Mode, in.Kind, in.Recurring = ingest.SourceICS, ingest.Sync, ingest.Meeting, s.rec
			in.End = t.Add(time.Duration(s.minutes) * time.Minute)
			in.Channel, in.ChannelKind = "", ""
			for _, p := range s.attendee {
				in.Participants = append(in.Participants, ingest.Participant{ID: tm.Members[p].Email, Member: true})
			}
		case benchReply:
			in.Kind, in.ThreadID = ingest.Reply, id("C/", s.thread)
			in.InReplyTo = in.ThreadID
		case benchDM:
			in.Channel, in.ChannelKind = id("D", s.channel), ingest.DM
			in.Participants = []ingest.Participant{{ID: tm.Members[s.to].Email, Member: true}}
		default:
			if s.thread >= 0 {
				in.ThreadID = id("C/", s.thread)
			}
		}
		batch = append(batch, in)
	}
	return batch
}

var (
	benchOnce   sync.Once
	benchTeam   *team.Team
	benchConfig Config
	benchSpecs  []benchSpec
)

// BenchmarkAudit measures the metric computation of a quarter of a
// 500-person team with a million interactions: adding every interaction
// and computing the result. Interactions arrive in batches of 1024 built
// just before, as from an importer; interactions/s counts the time in Add
// and Result only.
func BenchmarkAudit(b *testing.B) {
	benchOnce.Do(func() { benchTeam, benchConfig, benchSpecs = benchData(b, 500, 1_000_000) })
	tm, cfg, specs := benchTeam, benchConfig, benchSpecs
	batch := make([]ingest.Interaction, 0, 1024)
	var spent, cpu time.Duration
	for b.Loop() {
		a, err := New(tm, cfg)
		if err != nil {
			b.Fatal(err)
		}
		for off := 0; off < len(specs); off += cap(batch) {
			batch = materialize(batch, specs[off:min(off+cap(batch), len(specs))], off, tm)
			t0, c0 := time.Now(), cpuTime()
			for k := range batch {
				a.Add(&batch[k])
			}
			spent += time.Since(t0)
			cpu += cpuTime() - c0
		}
		t0, c0 := time.Now(), cpuTime()
		a.Result()
		spent += time.Since(t0)
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(len(specs)*b.N)/spent.Seconds(), "interactions/s")
	if cpu > 0 {
		// On a shared machine wall time depends on the neighbours; the
		// process's CPU time (garbage collection included) less so.
		b.ReportMetric(float64(len(specs)*b.N)/cpu.Seconds(), "interactions/cpu-s")
	}
}
