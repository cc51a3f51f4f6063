package playbook

import (
	"bytes"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ical"
)

// checkICSReimports writes plan p as iCalendar, reads it back through the
// ical package and checks that every session and due-by is where the plan
// put it, the session in its owner's zone.
func checkICSReimports(t *testing.T, p *Plan) {
	t.Helper()
	tm := loadTeam(t, fiveInFour)
	var buf bytes.Buffer
	if err := p.WriteICS(&buf, tm, planNow); err != nil {
		t.Fatal(err)
	}
	cal, warns, err := ical.Parse(bytes.NewReader(buf.Bytes()), ical.Options{Name: "plan.ics"})
	if err != nil || len(warns) > 0 {
		t.Fatalf("re-import: %v %v\n%s", err, warns, buf.String())
	}
	insts, err := cal.Expand(planNow, planNow.AddDate(0, 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		UID        string
		Start, End time.Time
		Attendees  int
	}
	var got, want []row
	for _, in := range insts {
		got = append(got, row{in.UID, in.Start.UTC(), in.End.UTC(), len(in.Attendees)})
	}
	for _, th := range p.Threads {
		want = append(want, row{"post." + th.UID, th.OwnerDue.Add(-dueBlock), th.OwnerDue, 1})
		for _, d := range th.Dues {
			want = append(want, row{"reply." + d.Member + "." + th.UID, d.At.Add(-dueBlock), d.At, 1})
		}
	}
	for _, s := range p.Sessions {
		want = append(want, row{s.UID, s.Start, s.End, len(s.Attendees)})
	}
	for _, d := range p.Decisions {
		want = append(want, row{d.UID, d.DueBy.Add(-dueBlock), d.DueBy, 1})
	}
	sortRows := func(rs []row) { sort.Slice(rs, func(i, j int) bool { return rs[i].UID < rs[j].UID }) }
	sortRows(got)
	sortRows(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("re-imported calendar (-plan +ics):\n%s", diff)
	}
	for _, ev := range cal.Events {
		for _, s := range p.Sessions {
			owner, _ := tm.Member(s.Owner)
			if ev.UID == s.UID && ev.Start.TZID() != owner.Zone {
				t.Errorf("session %s written in zone %q, want its owner's %s", s.Step, ev.Start.TZID(), owner.Zone)
			}
		}
	}
}

// TestPlanICSReimports writes the plan of every built-in playbook as
// iCalendar and reads it back through the ical package.
func TestPlanICSReimports(t *testing.T) {
	tm := loadTeam(t, fiveInFour)
	roles := map[string]map[string][]string{
		"async-prep-huddle": {"owner": {"ana@example.com"}},
		"cross-functional":  {"coordinator": {"maya@example.com"}},
		"one-on-one":        {"employee": {"sujan@example.com"}, "manager": {"ana@example.com"}},
		"onboarding":        {"manager": {"ana@example.com"}, "new_hire": {"kenji@example.com"}, "buddy": {"rui@example.com"}},
		"weekly-status":     {"owner": {"rui@example.com"}},
	}
	for _, tp := range Builtins() {
		t.Run(tp.Name, func(t *testing.T) {
			p, err := Instantiate(tp, Request{Team: tm, Date: planDate, Topic: "Q2", Roles: roles[tp.Name], Now: planNow, Scheduler: &recordingScheduler{}})
			if err != nil {
				t.Fatal(err)
			}
			checkICSReimports(t, p)
		})
	}
}
