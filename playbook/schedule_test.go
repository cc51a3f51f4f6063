package playbook

import (
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/schedule"
)

// TestHuddleScheduledFairly runs the async-prep playbook for the 5-person,
// 4-zone team with the schedule package's fair slot finder: every prep
// due-by lies inside its owner's hours, the huddle is the slot
// schedule.Find ranks first for the same request, after the prep and off
// the no-meeting day, and the plan re-imports through the ical package.
func TestHuddleScheduledFairly(t *testing.T) {
	tm := loadTeam(t, fiveInFour)
	tp, _ := Builtin("async-prep-huddle")
	p, err := Instantiate(tp, Request{Team: tm, Date: planDate, Topic: "Q2 goal", Roles: map[string][]string{"owner": {"Ana Silva"}},
		Now: planNow, Scheduler: FairScheduler{}})
	if err != nil {
		t.Fatal(err)
	}
	th, hs := p.Threads[0], p.Sessions[0]
	ana, _ := tm.Member("ana@example.com")
	if !within(ana, th.OwnerDue) {
		t.Errorf("the owner's pre-read is due %s, outside Ana's hours", th.OwnerDue.In(ana.Location()))
	}
	for _, d := range th.Dues {
		m, _ := tm.Member(d.Member)
		if !within(m, d.At) {
			t.Errorf("%s's prep is due %s, outside their hours", m.Name, d.Local)
		}
	}
	best, err := schedule.Find(schedule.Request{Team: tm, With: hs.Attendees, Duration: 20 * time.Minute, From: th.DueBy, To: th.DueBy.Add(72 * time.Hour), Top: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !hs.Start.Equal(best.Slots[0].Start) {
		t.Errorf("huddle at %s, schedule.Find's best slot is %s", hs.Start, best.Slots[0].Start)
	}
	if hs.Start.Before(th.DueBy) {
		t.Errorf("huddle %s before the prep is due %s", hs.Start, th.DueBy)
	}
	for _, a := range best.Slots[0].Attendees {
		if a.Start.Weekday() == time.Wednesday {
			t.Errorf("huddle on the no-meeting day for %s", a.Name)
		}
		t.Logf("huddle for %-15s %s local, inside hours: %v", a.Name, a.Start.Format("Mon 15:04"), a.Inside)
	}
	checkICSReimports(t, p)
}
