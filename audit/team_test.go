package audit

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
)

// burdenRoster: three people in Tokyo, three in Lisbon.
const burdenRoster = `team: Burden
norms: {min_group_size: 3}
members:
  - {name: T1, email: t1@example.com, zone: Asia/Tokyo}
  - {name: T2, email: t2@example.com, zone: Asia/Tokyo}
  - {name: T3, email: t3@example.com, zone: Asia/Tokyo}
  - {name: L1, email: l1@example.com, zone: Europe/Lisbon}
  - {name: L2, email: l2@example.com, zone: Europe/Lisbon}
  - {name: L3, email: l3@example.com, zone: Europe/Lisbon}
`

// TestTeamFigures works out the group figures of one week by hand: two
// meetings of everyone, both late in Tokyo and in working hours in
// Lisbon; two chat posts and one mail each; one answered thread.
func TestTeamFigures(t *testing.T) {
	tm := mustTeam(t, burdenRoster)
	var all []ingest.Participant
	for _, m := range tm.Members {
		all = append(all, member(m.Email))
	}
	big := meet("big", "2026-03-24 13:00", "2026-03-24 13:30", append(all, external("anon-1"), external("anon-2"), external("anon-3"))...)
	ins := []ingest.Interaction{meet("all", "2026-03-23 09:00", "2026-03-23 10:00", all...), big}
	for i, m := range tm.Members {
		next := tm.Members[(i+1)%len(tm.Members)]
		ins = append(ins,
			msg("p1"+m.Email, "2026-03-25 10:00", m.Email),
			msg("p2"+m.Email, "2026-03-25 11:00", m.Email),
			ingest.Interaction{Source: ingest.SourceMbox, ID: "mail" + m.Email, Mode: ingest.Async, Kind: ingest.Email, Start: utc("2026-03-25 12:00"), End: utc("2026-03-25 12:00"),
				Organizer: m.Email, Participants: []ingest.Participant{member(next.Email)}})
	}
	root := msg("thread", "2026-03-26 09:00", "l1@example.com")
	root.ThreadID = "thread"
	ins = append(ins, root, reply("thread/r", "2026-03-26 10:00", "t1@example.com", "thread"))
	cfg := Config{Window: Window{From: date("2026-03-23"), To: date("2026-03-29")}}
	rep := runAudit(t, tm, cfg, ins).Report
	f := rep.Current.Team

	type figs struct {
		MeetingHours, AfterHoursMeetingHours, LargeShare  float64
		SyncAsyncCountRatio, SyncAsyncTimeRatio, Messages float64
		Gini, TopFifth                                    float64
	}
	got := figs{f.MeetingHours, f.AfterHoursMeetingHours, f.LargeShare, f.SyncAsyncCountRatio, f.SyncAsyncTimeRatio, f.Messages,
		rep.Current.Fairness.AfterHoursGini, rep.Current.Fairness.TopFifthShare}
	// Written: 12 posts, the root and the reply (14 chat messages) and 6
	// mails; addressed: the 6 mails. Async time: 14×3 + 6×10 + 6×1 min.
	want := figs{
		MeetingHours:           1.5,                    // 9 person-hours over 6 person-weeks
		AfterHoursMeetingHours: 0.75,                   // Tokyo's 4.5 h over 6
		LargeShare:             0.333,                  // 3 of 9 person-hours with 9 attendees
		SyncAsyncCountRatio:    round(12.0/(20+6), 2),  // meetings attended / messages written or addressed
		SyncAsyncTimeRatio:     round(9/(108.0/60), 2), // meeting hours / async hours
		Messages:               3.33,                   // 20 written over 6
		Gini:                   0.5,                    // 0, 0, 0, 1.5, 1.5, 1.5
		TopFifth:               0.333,                  // the top person of six carries 1.5 of 4.5
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("team figures (-want +got):\n%s", d)
	}

	var zones []ZoneGroup
	for _, z := range rep.Current.Zones {
		z.Figures = Figures{}
		zones = append(zones, z)
	}
	wantZones := []ZoneGroup{
		// Tokyo's messages, sent at 19:00-21:00 local time, are all after hours.
		{Name: "Asia/Tokyo", Zones: []string{"Asia/Tokyo"}, HeadcountShare: 0.5, ShareOfAfterHoursMeetings: 1, BurdenIndex: 2,
			ShareOfAfterHoursMessages: 1, ShareOfReplies: 1, ShareOfThreads: 1},
		{Name: "Europe/Lisbon", Zones: []string{"Europe/Lisbon"}, HeadcountShare: 0.5, ShareOfAfterHoursMeetings: 0, BurdenIndex: 0,
			ShareOfAfterHoursMessages: 0, ShareOfReplies: 0, ShareOfThreads: 1},
	}
	if d := cmp.Diff(wantZones, zones); d != "" {
		t.Errorf("zone groups (-want +got):\n%s", d)
	}
	var burden *Finding
	for i := range rep.Findings {
		if rep.Findings[i].Key == "zone_burden" {
			burden = &rep.Findings[i]
		}
	}
	if burden == nil || burden.Text != "Asia/Tokyo members carry 100% of after-hours meeting time and are 50% of the team." || burden.Level != LevelAct {
		t.Errorf("burden finding = %+v", burden)
	}
}

func TestOverlapHours(t *testing.T) {
	tm := mustTeam(t, `team: Overlap
norms: {min_group_size: 3}
members:
  - {name: A, email: a@example.com, zone: Europe/Lisbon}
  - {name: B, email: b@example.com, zone: Europe/Berlin}
  - {name: C, email: c@example.com, zone: Europe/London}
`)
	ins := []ingest.Interaction{meet("m", "2026-03-24 10:00", "2026-03-24 11:00", member("a@example.com"), member("b@example.com"))}
	rep := runAudit(t, tm, Config{Window: Window{From: date("2026-03-23"), To: date("2026-03-29")}}, ins).Report
	// 09:00-16:00 UTC on five days: Berlin is an hour ahead until the 29th.
	if got := rep.Current.OverlapHours; got != 35 {
		t.Errorf("overlap = %v h a week, want 35", got)
	}
	if got := rep.TeamFigures.OverlapHours; got != 35 {
		t.Errorf("decide's overlap = %v, want 35", got)
	}
}
