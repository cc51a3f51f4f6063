package audit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// fixtureRoster: Lisbon moves to summer time on 2026-03-29 at 01:00 UTC,
// New York is on summer time (UTC-4) already, Tokyo has none (UTC+9).
const fixtureRoster = `team: Fixture
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday, min_group_size: 3}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:00", days: mon-fri}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00", days: mon-fri}
  - {name: Sam Lee, email: sam@example.com, zone: America/New_York, hours: "09:00-17:00", days: mon-fri}
`

func mustTeam(t testing.TB, yaml string) *team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return &tm
}

func date(s string) team.Date {
	d, err := team.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func member(email string) ingest.Participant {
	return ingest.Participant{ID: email, Member: true}
}

func declined(email string) ingest.Participant {
	return ingest.Participant{ID: email, Member: true, Status: ingest.Declined}
}

func external(id string) ingest.Participant { return ingest.Participant{ID: id} }

func meet(id, start, end string, ps ...ingest.Participant) ingest.Interaction {
	return ingest.Interaction{Source: ingest.SourceICS, ID: id, Mode: ingest.Sync, Kind: ingest.Meeting, Start: utc(start), End: utc(end), Participants: ps}
}

func msg(id, at, author string, ps ...ingest.Participant) ingest.Interaction {
	return ingest.Interaction{Source: ingest.SourceSlack, ID: id, Mode: ingest.Async, Kind: ingest.Message, Start: utc(at), End: utc(at), Organizer: author, Channel: "general", ChannelKind: ingest.Public, Participants: ps}
}

func reply(id, at, author, thread string) ingest.Interaction {
	in := msg(id, at, author)
	in.Kind, in.ThreadID, in.InReplyTo = ingest.Reply, thread, thread
	return in
}

// fixture is a fortnight of hand-made interactions; the expected figures
// in TestPersonFigures are worked out by hand from it.
func fixture() []ingest.Interaction {
	allDay := meet("m4", "2026-03-24 00:00", "2026-03-25 00:00", member("ana@example.com"), member("sam@example.com"))
	allDay.AllDay = true
	recurring := meet("m2", "2026-03-23 10:30", "2026-03-23 11:30", member("ana@example.com"), member("sam@example.com"))
	recurring.Recurring = true
	root := msg("general/1", "2026-03-27 19:00", "kenji@example.com")
	root.ThreadID = "general/1"
	mail := ingest.Interaction{Source: ingest.SourceMbox, ID: "m-1", Mode: ingest.Async, Kind: ingest.Email, Start: utc("2026-03-25 12:00"), End: utc("2026-03-25 12:00"),
		Organizer: "anon-0123456789ab", Participants: []ingest.Participant{member("ana@example.com")}, ThreadID: "m-1"}
	return []ingest.Interaction{
		// Monday 23rd: two overlapping meetings (10:00-11:30 once), one Ana declined.
		meet("m1", "2026-03-23 10:00", "2026-03-23 11:00", member("ana@example.com"), external("anon-aaaaaaaaaaaa")),
		recurring,
		meet("m3", "2026-03-23 14:00", "2026-03-23 15:00", declined("ana@example.com"), member("sam@example.com"), member("kenji@example.com")),
		allDay,
		// A one-person event is not a meeting.
		meet("m7", "2026-03-26 13:00", "2026-03-26 15:00", member("ana@example.com")),
		// Saturday 23:30 to Sunday 02:30 Lisbon time across the DST change: 2 h.
		meet("m5", "2026-03-28 23:30", "2026-03-29 01:30", member("ana@example.com"), member("kenji@example.com")),
		// Sunday 23:00 to Monday 01:00 Lisbon time: 1 h in each week.
		meet("m6", "2026-03-29 22:00", "2026-03-30 00:00", member("ana@example.com"), member("sam@example.com")),
		// Monday 30th: back-to-back (3 min gap) at 10:00 and 11:03 Lisbon time.
		meet("m8", "2026-03-30 09:00", "2026-03-30 10:00", member("ana@example.com"), member("sam@example.com")),
		meet("m9", "2026-03-30 10:03", "2026-03-30 10:30", member("ana@example.com"), member("kenji@example.com")),
		// Wednesday 1st (the no-meeting day).
		meet("m10", "2026-04-01 13:00", "2026-04-01 13:30", member("ana@example.com"), member("kenji@example.com")),
		// The same instant is 19:00 for Kenji (after hours), 10:00 for Ana.
		msg("general/2", "2026-03-24 10:00", "kenji@example.com"),
		msg("general/3", "2026-03-24 10:00", "ana@example.com"),
		// Friday 19:00 Lisbon: Kenji starts a thread; Ana answers Monday
		// 10:30 Lisbon. Kenji's own earlier follow-up is not an answer.
		root,
		reply("general/4", "2026-03-30 09:30", "ana@example.com", "general/1"),
		reply("general/5", "2026-03-30 08:00", "kenji@example.com", "general/1"),
		mail,
	}
}

func fixtureConfig() Config {
	return Config{Window: Window{From: date("2026-03-23"), To: date("2026-04-05")}}
}

func runAudit(t testing.TB, tm *team.Team, cfg Config, ins []ingest.Interaction) *Result {
	t.Helper()
	a, err := New(tm, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for k := range ins {
		a.Add(&ins[k])
	}
	return a.Result()
}

func TestPersonFigures(t *testing.T) {
	res := runAudit(t, mustTeam(t, fixtureRoster), fixtureConfig(), fixture())
	week := func(email string, k int) Figures {
		t.Helper()
		p, ok := res.Person(email)
		if !ok {
			t.Fatalf("no figures for %s", email)
		}
		if k == 0 {
			return p.Total
		}
		return p.Weeks[k-1].Figures
	}
	tests := []struct {
		name  string
		email string
		week  int // 0: the whole window
		get   func(Figures) float64
		want  float64
	}{
		// Ana, week 1: 10:00-11:30 (overlap once) + 2 h across DST + 1 h before midnight.
		{"overlapping meetings counted once", "ana@example.com", 1, func(f Figures) float64 { return f.MeetingHours }, 4.5},
		{"overlap is double-booked", "ana@example.com", 1, func(f Figures) float64 { return f.DoubleBooked }, 1},
		{"declined, all-day and 1-person events not counted", "ana@example.com", 1, func(f Figures) float64 { return f.Meetings }, 4},
		{"declined meeting counts for the others", "sam@example.com", 1, func(f Figures) float64 { return f.Meetings }, 3},
		{"meeting across midnight and DST is after hours", "ana@example.com", 1, func(f Figures) float64 { return f.AfterHoursMeetingHours }, 3},
		{"meeting across midnight splits between weeks", "ana@example.com", 2, func(f Figures) float64 { return f.AfterHoursMeetingHours }, 1},
		{"recurring share of attended time", "ana@example.com", 1, func(f Figures) float64 { return f.RecurringShare }, round(1.0/6, 3)},
		{"working hours", "ana@example.com", 1, func(f Figures) float64 { return f.WorkingHours }, 40},
		{"focus hours in 2 h blocks", "ana@example.com", 1, func(f Figures) float64 { return f.FocusHours }, 37.5},
		{"short focus in 1 h blocks", "ana@example.com", 1, func(f Figures) float64 { return f.ShortFocusHours }, 38.5},
		{"back-to-back under 5 min", "ana@example.com", 2, func(f Figures) float64 { return f.BackToBack }, 1},
		{"fragmented gap of 3 min", "ana@example.com", 2, func(f Figures) float64 { return f.FragmentedHours }, 0.05},
		{"week 2 meeting hours", "ana@example.com", 2, func(f Figures) float64 { return f.MeetingHours }, 1 + 1 + 0.45 + 0.5},
		{"no-meeting day meeting", "ana@example.com", 2, func(f Figures) float64 { return f.NoMeetingDayHours }, 0.5},
		{"meeting in off hours of another zone", "sam@example.com", 1, func(f Figures) float64 { return f.AfterHoursMeetingHours }, 1 + 2},
		{"message after hours in the sender's zone", "kenji@example.com", 1, func(f Figures) float64 { return f.AfterHoursMessages }, 2},
		{"same instant in working hours elsewhere", "ana@example.com", 1, func(f Figures) float64 { return f.AfterHoursMessages }, 0},
		{"mail addressed to a member", "ana@example.com", 1, func(f Figures) float64 { return f.MessagesReceived }, 1},
		{"Monday reply to Friday evening, working hours", "ana@example.com", 0, func(f Figures) float64 { return f.ResponseMedianWorkingHours }, 1.5},
		{"Monday reply to Friday evening, wall clock", "ana@example.com", 0, func(f Figures) float64 { return f.ResponseMedianHours }, 62.5},
		{"Monday reply is within the window", "ana@example.com", 0, func(f Figures) float64 { return f.WithinWindowShare }, 1},
		{"Monday reply is not within 24 wall-clock hours", "ana@example.com", 0, func(f Figures) float64 { return f.WithinWindowWallShare }, 0},
		{"the starter's own follow-up is no reply", "kenji@example.com", 0, func(f Figures) float64 { return float64(f.Replies) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(week(tt.email, tt.week)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOrderDoesNotMatter(t *testing.T) {
	tm := mustTeam(t, fixtureRoster)
	want := runAudit(t, tm, fixtureConfig(), fixture())
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		ins := fixture()
		r.Shuffle(len(ins), func(a, b int) { ins[a], ins[b] = ins[b], ins[a] })
		got := runAudit(t, tm, fixtureConfig(), ins)
		if d := cmp.Diff(want.Report, got.Report); d != "" {
			t.Errorf("shuffle %d: report differs (-in order +shuffled):\n%s", i, d)
		}
		if d := cmp.Diff(want.People(), got.People()); d != "" {
			t.Errorf("shuffle %d: people differ (-in order +shuffled):\n%s", i, d)
		}
	}
}

// TestDirectConversationReplies covers the direct-conversation rule: in a
// DM or a group DM the first unthreaded message by anyone else answers the
// unthreaded messages one person wrote before it, timed from the first of
// them; threads keep their own first replies.
func TestDirectConversationReplies(t *testing.T) {
	direct := func(kind ingest.ChannelKind, channel string) func(id, at, author string, to ...string) ingest.Interaction {
		return func(id, at, author string, to ...string) ingest.Interaction {
			var ps []ingest.Participant
			for _, p := range to {
				if strings.HasPrefix(p, "anon-") {
					ps = append(ps, external(p))
				} else {
					ps = append(ps, member(p))
				}
			}
			in := msg(id, at, author, ps...)
			in.Channel, in.ChannelKind = channel, kind
			return in
		}
	}
	dm, group := direct(ingest.DM, "D1"), direct(ingest.MPIM, "G1")
	const ana, kenji, sam, guest = "ana@example.com", "kenji@example.com", "sam@example.com", "anon-guest"
	threaded := func(in ingest.Interaction, thread string) ingest.Interaction {
		in.ThreadID = thread
		if in.ID != thread {
			in.Kind, in.InReplyTo = ingest.Reply, thread
		}
		return in
	}
	// replies is a person's count of first replies and their median in
	// wall-clock hours.
	type replies struct {
		N      int
		Median float64
	}
	tests := []struct {
		name string
		ins  []ingest.Interaction
		want map[string]replies
	}{
		{"DM", []ingest.Interaction{
			dm("D1/1", "2026-03-24 10:00", ana, sam),
			dm("D1/2", "2026-03-24 10:05", ana, sam), // still waiting
			dm("D1/3", "2026-03-24 14:00", sam, ana), // 4 h after the first
			dm("D1/4", "2026-03-24 14:30", ana, sam), // 30 min
		}, map[string]replies{ana: {1, 0.5}, sam: {1, 4}}},
		{"group DM", []ingest.Interaction{
			group("G1/1", "2026-03-24 10:00", ana, kenji, sam, guest),
			group("G1/2", "2026-03-24 10:05", ana, kenji, sam, guest), // still waiting
			group("G1/3", "2026-03-24 12:00", kenji, ana, sam, guest), // 2 h after the first
			group("G1/4", "2026-03-24 12:30", sam, ana, kenji, guest), // 30 min after Kenji's
			group("G1/5", "2026-03-24 13:00", guest, ana, kenji, sam), // not a member: no reply of the team's
			group("G1/6", "2026-03-24 15:00", ana, kenji, sam, guest), // 2 h after the guest's
			// A thread in the group DM has its own first reply and
			// leaves the unthreaded messages alone.
			threaded(group("G1/7", "2026-03-24 16:00", sam, ana, kenji, guest), "G1/7"),
			threaded(group("G1/8", "2026-03-24 16:45", kenji, ana, sam, guest), "G1/7"), // 45 min
			group("G1/9", "2026-03-24 18:00", kenji, ana, sam, guest),                   // 3 h after Ana's
			group("G1/10", "2026-03-24 18:10", kenji, ana, sam, guest),                  // Kenji again: no reply
		}, map[string]replies{ana: {1, 2}, kenji: {3, 2}, sam: {1, 0.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runAudit(t, mustTeam(t, fixtureRoster), fixtureConfig(), tt.ins)
			got := map[string]replies{}
			for _, email := range []string{ana, kenji, sam} {
				p, _ := res.Person(email)
				if p.Total.Replies > 0 {
					got[email] = replies{p.Total.Replies, p.Total.ResponseMedianHours}
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("first replies (-want +got):\n%s", d)
			}
		})
	}
}

func TestDuplicatesAndWindow(t *testing.T) {
	m := meet("dup", "2026-03-24 10:00", "2026-03-24 11:00", member("ana@example.com"), member("sam@example.com"))
	before := meet("old", "2026-03-01 10:00", "2026-03-01 11:00", member("ana@example.com"), member("sam@example.com"))
	a, err := New(mustTeam(t, fixtureRoster), fixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []ingest.Interaction{m, m, before, {}} {
		a.Add(&in)
	}
	got := a.Counts()
	want := InputCounts{Read: 4, Counted: 1, Skipped: map[string]int{skipDuplicate: 1, skipOutside: 1, skipNoTime: 1}, First: before.Start, Last: m.Start}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
}

func TestConfigErrors(t *testing.T) {
	tm := mustTeam(t, strings.Replace(fixtureRoster, "min_group_size: 3", "min_group_size: 5", 1))
	w := fixtureConfig().Window
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"from after to", Config{Window: Window{From: w.To, To: w.From}}, "--from 2026-04-05 is after --to 2026-03-23"},
		{"no from", Config{Window: Window{To: w.To}}, "--from: a start date (YYYY-MM-DD) is required"},
		{"too long", Config{Window: Window{From: date("2025-01-01"), To: date("2026-03-01")}}, "--from 2025-01-01 to --to 2026-03-01 spans 425 days; an audit window has at most 400"},
		{"compare reversed", Config{Window: w, Compare: Window{From: w.To, To: w.From}}, "--compare-from 2026-04-05 is after --compare-to 2026-03-23"},
		{"min group below 3", Config{Window: w, MinGroup: 2}, "--min-group 2: groups of fewer than 3 people are never shown"},
		{"min group below the norm", Config{Window: w, MinGroup: 4}, `--min-group 4 is below team "Fixture"'s min_group_size 5; raise it or change the team's norms`},
		{"negative cost", Config{Window: w, Costs: Costs{Chat: -time.Minute}}, "chat time per message must be between 0 and 8h, got -1m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tm, tt.cfg)
			if rhythm.ErrorCode(err) != rhythm.EINVALID || err.Error() != tt.want {
				t.Errorf("got %v, want invalid %q", err, tt.want)
			}
		})
	}
}

// TestNoPanics feeds random, partly absurd interactions.
func TestNoPanics(t *testing.T) {
	tm := mustTeam(t, fixtureRoster)
	cfg := fixtureConfig()
	cfg.Compare = Window{From: date("2026-01-01"), To: date("2026-01-31")}
	a, err := New(tm, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	ids := []string{"ana@example.com", "KENJI@example.com", " sam@example.com ", "anon-1", "", "x"}
	kinds := []ingest.Kind{ingest.Meeting, ingest.Call, ingest.Message, ingest.Reply, ingest.Email, ""}
	base := utc("2026-01-01 00:00")
	for i := range 20000 {
		start := base.Add(time.Duration(r.Int64N(int64(120*24*time.Hour))) - 10*24*time.Hour)
		in := ingest.Interaction{
			Kind:      kinds[r.IntN(len(kinds))],
			Start:     start,
			End:       start.Add(time.Duration(r.Int64N(int64(30*time.Hour))) - time.Hour),
			Organizer: ids[r.IntN(len(ids))],
			ID:        fmt.Sprint(r.IntN(500)),
			ThreadID:  fmt.Sprint(r.IntN(50)),
			AllDay:    r.IntN(20) == 0,
			Recurring: r.IntN(3) == 0,
		}
		if r.IntN(3) == 0 {
			in.ThreadID = ""
			in.Channel, in.ChannelKind = fmt.Sprint(r.IntN(5)), ingest.DM
		}
		if r.IntN(4) == 0 {
			in.InReplyTo = fmt.Sprint(r.IntN(50))
		}
		for range r.IntN(12) {
			p := ingest.Participant{ID: ids[r.IntN(len(ids))], Member: r.IntN(2) == 0}
			if r.IntN(5) == 0 {
				p.Status = ingest.Declined
			}
			in.Participants = append(in.Participants, p)
		}
		if i%1000 == 0 {
			in.Start = time.Time{}
		}
		a.Add(&in)
	}
	res := a.Result()
	if res.Report.Input.Read != 20000 {
		t.Errorf("read %d, want 20000", res.Report.Input.Read)
	}
}

func TestResultTwice(t *testing.T) {
	a, err := New(mustTeam(t, fixtureRoster), fixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	ins := fixture()
	for k := range ins {
		a.Add(&ins[k])
	}
	first, second := a.Result(), a.Result()
	if d := cmp.Diff(first.Report, second.Report); d != "" {
		t.Errorf("second result differs (-first +second):\n%s", d)
	}
}

func TestSamples(t *testing.T) {
	tm := mustTeam(t, fixtureRoster)
	cfg := fixtureConfig()
	cfg.Compare = Window{From: date("2026-03-09"), To: date("2026-03-22")}
	ins := append(fixture(), meet("base", "2026-03-10 10:00", "2026-03-10 11:00", member("ana@example.com"), member("sam@example.com")))
	rep := runAudit(t, tm, cfg, ins).Report
	samples := rep.Samples()
	var got []string
	for _, s := range samples {
		if err := s.Validate(); err != nil {
			t.Errorf("invalid sample %+v: %v", s, err)
		}
		got = append(got, fmt.Sprintf("%s %s %.2f", s.Unit, s.Period, s.Values["meeting_hours"]))
	}
	// Two weeks of each period; the baseline's one meeting is 2 person-hours
	// over 3 people.
	want := []string{"Fixture 2026-W11 0.67", "Fixture 2026-W12 0.00", "Fixture 2026-W13 " + fmt.Sprintf("%.2f", rep.Current.Weeks[0].MeetingHours), "Fixture 2026-W14 " + fmt.Sprintf("%.2f", rep.Current.Weeks[1].MeetingHours)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("samples (-want +got):\n%s", d)
	}
	if _, ok := samples[3].Values["response_time_hours"]; ok {
		t.Errorf("a week without replies has a response time")
	}
	small := mustTeam(t, strings.Replace(fixtureRoster, "min_group_size: 3", "min_group_size: 5", 1))
	if s := runAudit(t, small, fixtureConfig(), fixture()).Report.Samples(); len(s) != 0 {
		t.Errorf("a suppressed team gives %d samples", len(s))
	}
}

func TestMeetingCounts(t *testing.T) {
	rep := runAudit(t, mustTeam(t, fixtureRoster), fixtureConfig(), fixture()).Report
	// m4 is all-day and m7 has one person; m5 and m6 run 2 h; m1, m2, m3,
	// m5, m6 and m8 are over the 45 min norm; m10 is on a Wednesday.
	want := MeetingCounts{Meetings: 8, Long: 2, Recurring: 1, OverMax: 6, NoMeetingDay: 1}
	if d := cmp.Diff(want, rep.Current.Meetings); d != "" {
		t.Errorf("meeting counts (-want +got):\n%s", d)
	}
}
