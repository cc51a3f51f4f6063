package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// seedAt seeds a new database whose clock stands at now.
func seedAt(t *testing.T, now time.Time) *store.DB {
	t.Helper()
	db := storetest.SQLite(t)
	db.Now = func() time.Time { return now }
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// correlations is what the Correlations page shows of db.
func correlations(t *testing.T, db *store.DB) pulse.CorrelationReport {
	t.Helper()
	samples, err := db.OutcomeSamples(context.Background(), db.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pulse.Correlate(pulse.CorrelationRequest{Samples: samples, Options: stats.Options{Resamples: 200, Permutations: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestSeedOrganisation checks that the demo is an organisation whose
// quarters the Correlations page can read: every team has an audit, a
// closed pulse round with results and churn in each of four quarters;
// there are threads open and closed, decisions, a playbook run and a
// running experiment. It seeds on the first day of a quarter (which
// leaves the least of the current quarter), the last day of one, and a
// Sunday at the turn of a year.
func TestSeedOrganisation(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC),
		time.Date(2026, 9, 30, 23, 59, 0, 0, time.UTC),
		time.Date(2027, 1, 3, 12, 0, 0, 0, time.UTC),
	} {
		t.Run(now.Format(time.DateOnly), func(t *testing.T) { checkOrganisation(t, now) })
	}
}

func checkOrganisation(t *testing.T, now time.Time) {
	ctx := context.Background()
	db := seedAt(t, now)
	teams, err := db.ListTeams(ctx)
	if err != nil || len(teams) != 4 {
		t.Fatalf("teams %+v, %v; want 4", teams, err)
	}
	stored, err := db.Samples(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quarters := map[string]map[string]bool{}
	for _, s := range metric.ByQuarter(stored) {
		if quarters[s.Unit] == nil {
			quarters[s.Unit] = map[string]bool{}
		}
		quarters[s.Unit][s.Period.String()] = true
	}
	for _, tm := range teams {
		if n := len(quarters[tm.Name]); n < demo.Quarters {
			t.Errorf("%s: audit figures in %d quarters, want %d", tm.Name, n, demo.Quarters)
		}
		rounds, err := db.ListRounds(ctx, tm.Name)
		if err != nil {
			t.Fatal(err)
		}
		shown := 0
		for _, rd := range rounds {
			res, _, err := db.RoundResults(ctx, rd.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			if rd.Status(now) != pulse.Open && !res.Suppressed && res.ENPS != nil {
				shown++
			}
		}
		if shown != demo.Quarters || len(rounds) != demo.Quarters+1 {
			t.Errorf("%s: %d rounds, %d with results; want %d closed with results and one open", tm.Name, len(rounds), shown, demo.Quarters)
		}
	}
	rep := correlations(t, db)
	best := pulse.Finding{}
	for _, f := range rep.Findings {
		if f.N > best.N {
			best = f
		}
	}
	if best.N < 12 || best.Teams != 4 || best.Spearman.CI.Lo >= best.Spearman.CI.Hi {
		t.Errorf("largest finding %s/%s: n = %d from %d teams, interval %v; want ≥ 12 team-quarters from 4 teams with an interval", best.X, best.Y, best.N, best.Teams, best.Spearman.CI)
	}
	churn := 0
	for _, f := range rep.Findings {
		if f.Y == metric.Churn || f.X == metric.Churn {
			churn = max(churn, f.N)
		}
	}
	if churn < 12 {
		t.Errorf("churn is correlated over at most %d team-quarters, want 12 (4 teams, 3 whole quarters)", churn)
	}
	checkWork(t, db, now)
}

// checkWork checks the demo's threads, decisions, playbook run and
// experiment.
func checkWork(t *testing.T, db *store.DB, now time.Time) {
	ctx := context.Background()
	platform, err := db.Team(ctx, demo.TeamName)
	if err != nil {
		t.Fatal(err)
	}
	open, _ := db.Threads(ctx, platform.ID, store.ThreadFilter{State: thread.Open})
	all, _ := db.Threads(ctx, platform.ID, store.ThreadFilter{})
	decisions, _ := db.Decisions(ctx, platform.ID, thread.Query{})
	playbook := 0
	for _, th := range all {
		if th.Playbook != "" {
			playbook++
		}
	}
	if len(open) < 2 || len(all) <= len(open) || len(decisions) < 2 || playbook == 0 {
		t.Errorf("Platform: %d open of %d threads, %d from a playbook, %d decisions; want open and closed threads, a playbook run and decisions", len(open), len(all), playbook, len(decisions))
	}
	exps, err := db.ListExperiments(ctx)
	if err != nil || len(exps) != 1 {
		t.Fatalf("experiments %+v, %v", exps, err)
	}
	e, err := db.Experiment(ctx, exps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Status(team.DateOf(now)); got != experiment.Running || len(e.Assignments) != 4 {
		t.Errorf("experiment %q is %s with %d units assigned; want running with 4", e.Name, got, len(e.Assignments))
	}
}

// TestSeedIsDeterministic seeds two databases at the same moment: their
// correlations, pulse results and threads are the same.
func TestSeedIsDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	a, b := seedAt(t, now), seedAt(t, now)
	if diff := cmp.Diff(correlations(t, a), correlations(t, b)); diff != "" {
		t.Errorf("correlations differ between two seeds (-a +b):\n%s", diff)
	}
	ctx := context.Background()
	sa, _ := a.Samples(ctx)
	sb, _ := b.Samples(ctx)
	if diff := cmp.Diff(sa, sb); diff != "" {
		t.Errorf("stored samples differ (-a +b):\n%s", diff)
	}
}
