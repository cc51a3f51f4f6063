package demo

import (
	"context"
	"time"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

func init() {
	Steps = append(Steps,
		Step{Name: "threads and decisions", Run: seedThreads},
		Step{Name: "experiment", Run: seedExperiment},
	)
}

// demoThread is a thread of the demo and what happened on it.
type demoThread struct {
	team      int           // index into org
	ago       time.Duration // when it was opened, before now
	due       time.Duration // how long after opening it is due; 0 is the team's window
	by, title string
	with      []string
	answered  []string // who answered, in order, an hour apart
	decision  *thread.NewDecision
}

var demoThreads = []demoThread{
	{team: 0, ago: 9 * 24 * time.Hour, by: "ana", title: "Replace the Monday planning call with a written plan",
		with: []string{"kenji", "maya", "jonas"}, answered: []string{"kenji", "maya", "jonas"},
		decision: &thread.NewDecision{What: "Planning is a written plan by Monday noon in each person's zone; a 20-minute call only when a choice is blocked",
			Why: "Kenji and Zoe joined the call at 22:00 their time every week, and most items needed no discussion", Owner: "ana", Close: true}},
	{team: 0, ago: 26 * time.Hour, due: 3 * 24 * time.Hour, by: "priya", title: "On-call rotation for next quarter",
		with: []string{"zoe", "liam", "sam", "diego"}, answered: []string{"zoe"}},
	{team: 0, ago: 3 * 24 * time.Hour, by: "jonas", title: "Review the database failover write-up",
		with: []string{"greta", "amara"}, answered: []string{"greta"}},
	{team: 1, ago: 30 * time.Hour, due: 4 * 24 * time.Hour, by: "lucia", title: "Release notes for the offline mode",
		with: []string{"oskar", "hana", "rafael"}, answered: []string{"hana"}},
	{team: 2, ago: 6 * 24 * time.Hour, by: "arjun", title: "Retire the nightly export job",
		with: []string{"felix", "sofia"}, answered: []string{"felix", "sofia"},
		decision: &thread.NewDecision{What: "The nightly export stops at the end of the month; the streaming pipeline replaces it",
			Why: "Nobody read the nightly files in the last quarter and the job failed twice", Owner: "arjun", Close: true}},
	{team: 3, ago: 20 * time.Hour, by: "aoife", title: "Hand-over notes between the Manila and Dublin shifts",
		with: []string{"maria", "joel", "ciaran"}, answered: []string{"maria"}},
}

// seedThreads opens the demo's threads at past moments (the use cases
// take a clock), answers and closes some with a decision, records a
// decision taken in a meeting, and runs the weekly status playbook for next
// week. A database with threads already is left alone.
func seedThreads(ctx context.Context, db *store.DB, org []team.Team) error {
	if ths, err := db.Threads(ctx, org[0].ID, store.ThreadFilter{}); err != nil || len(ths) > 0 {
		return err
	}
	now := db.Now()
	at := func(t time.Time) *app.App { return app.New(db, func() time.Time { return t }) }
	for _, dt := range demoThreads {
		t := org[dt.team]
		opened := now.Add(-dt.ago)
		n := thread.NewThread{Title: dt.title, Owner: dt.by, Participants: dt.with}
		if dt.due > 0 {
			n.DueBy = opened.Add(dt.due).UTC().Format(time.RFC3339)
		}
		owner, err := t.Resolve(dt.by)
		if err != nil {
			return err
		}
		th, err := at(opened).CreateThread(ctx, app.System(owner.Email), t.Name, n)
		if err != nil {
			return err
		}
		for i, who := range dt.answered {
			m, err := t.Resolve(who)
			if err != nil {
				return err
			}
			if _, err := at(opened.Add(time.Duration(i+1)*time.Hour)).Respond(ctx, app.System(m.Email), t.Name, th.ID, "", ""); err != nil {
				return err
			}
		}
		if dt.decision != nil {
			d := *dt.decision
			d.ThreadID = th.ID
			if _, err := at(opened.Add(time.Duration(len(dt.answered)+2)*time.Hour)).RecordDecision(ctx, app.System(owner.Email), t.Name, d); err != nil {
				return err
			}
		}
	}
	a := app.New(db, db.Now)
	if _, err := at(now.Add(-13*24*time.Hour)).RecordDecision(ctx, app.System("ana@example.com"), org[0].Name, thread.NewDecision{
		What: "Wednesday stays free of meetings, in every zone", Why: "Focus time was the lowest-rated item of the last pulse round",
		Owner: "ana", Meeting: "Monthly retro"}); err != nil {
		return err
	}
	next := team.DateOf(thisMonday(now).AddDate(0, 0, 7))
	_, _, err := a.RunPlaybook(ctx, app.System("ana@example.com"), org[0].Name, "weekly-status", app.PlaybookRun{
		Date: next.String(), Topic: "Platform", Create: true,
		Roles: map[string][]string{"owner": {"ana"}, "members": {"kenji", "priya", "jonas", "maya", "zoe"}}})
	return err
}

// seedExperiment runs an experiment across the organisation's teams: a
// baseline of the last weeks before it began three weeks ago, and a
// treatment that is still running. A database with an experiment already
// is left alone.
func seedExperiment(ctx context.Context, db *store.DB, org []team.Team) error {
	if list, err := db.ListExperiments(ctx); err != nil || len(list) > 0 {
		return err
	}
	monday := thisMonday(db.Now())
	day := func(weeks, days int) string { return team.DateOf(monday.AddDate(0, 0, 7*weeks+days)).String() }
	seed := uint64(2026)
	in := app.ExperimentInput{
		Name:       "Async prep before the weekly sync",
		Hypothesis: "Writing the agenda and updates down first makes the weekly sync shorter without hurting how connected people feel",
		Arms: []experiment.Arm{
			{Name: "control", Description: "meetings as usual"},
			{Name: "async prep + 20-min sync", Description: "updates move to a shared doc the day before; the sync is 20 minutes"},
		},
		Baseline:  day(-9, 0) + "/" + day(-3, -1),
		Treatment: day(-3, 0) + "/" + day(6, -1),
		Outcomes:  []string{metric.MeetingHours, "connected"},
		Seed:      &seed,
	}
	for _, t := range org {
		in.Teams = append(in.Teams, t.Name)
	}
	a, who := app.New(db, db.Now), app.System("demo")
	e, err := a.CreateExperiment(ctx, who, in)
	if err != nil {
		return err
	}
	_, err = a.AssignExperiment(ctx, who, e.ID, "", nil)
	return err
}
