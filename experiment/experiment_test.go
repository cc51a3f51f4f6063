package experiment

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

func period(t *testing.T, s string) metric.Period {
	t.Helper()
	p, err := metric.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func valid(t *testing.T, units int) Experiment {
	t.Helper()
	e := Experiment{
		Name:      "Async prep trial",
		Units:     Teams,
		Arms:      []Arm{{Name: "control"}, {Name: "async prep + 20-min sync", Description: "50% of prep async, sync 25% shorter"}},
		Seed:      42,
		Baseline:  period(t, "2026-01-05/2026-02-01"),
		Treatment: period(t, "2026-02-09/2026-03-08"),
		Outcomes:  []string{metric.MeetingHours, metric.ENPS},
	}
	for i := range units {
		e.Pool = append(e.Pool, Unit{ID: fmt.Sprintf("Team %c", 'A'+i)})
	}
	return e
}

func TestValidate(t *testing.T) {
	ok := valid(t, 4)
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid experiment: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Experiment)
		want string
	}{
		{"one unit per arm", func(e *Experiment) { e.Pool = e.Pool[:2] },
			"teams: 2 teams take part, but 2 arms need at least 4 teams (2 per arm): with one team per arm there is no variation to estimate an effect from"},
		{"one team", func(e *Experiment) { e.Pool = e.Pool[:1] }, "teams: 1 team takes part, but 2 arms need at least 4 teams"},
		{"three arms, five units", func(e *Experiment) { e.Arms = append(e.Arms, Arm{Name: "no sync"}); e.Pool = e.Pool[:5] },
			"teams: 5 teams take part, but 3 arms need at least 6 teams (2 per arm)"},
		{"people need five per arm", func(e *Experiment) { e.Units = People; e.Outcomes = []string{"meeting_hours"} },
			"teams: the teams taking part have 6 people, but 2 arms need at least 10 people (5 per arm): smaller arms of people would expose individuals' numbers"},
		{"too many people", func(e *Experiment) {
			e.Units, e.Outcomes, e.Pool = People, []string{"meeting_hours"}, nil
			for i := range MaxUnits + 1 {
				e.Pool = append(e.Pool, Unit{ID: fmt.Sprintf("p%d@x.org", i)})
			}
		}, "teams: the teams taking part have 5001 people; an experiment randomises at most 5000"},
		{"overlapping windows", func(e *Experiment) { e.Treatment = period(t, "2026-01-26/2026-02-22") }, "treatment: the window 2026-01-26/2026-02-22 overlaps the baseline window 2026-01-05/2026-02-01"},
		{"treatment first", func(e *Experiment) { e.Treatment = period(t, "2025-Q4") }, "treatment: the window 2025-Q4 comes before the baseline window"},
		{"no baseline", func(e *Experiment) { e.Baseline = metric.Period{} }, "baseline: the baseline window must be set"},
		{"no name", func(e *Experiment) { e.Name = "  " }, "name:"},
		{"unknown unit kind", func(e *Experiment) { e.Units = "squad" }, "units: \"squad\" is not team or person"},
		{"one arm", func(e *Experiment) { e.Arms = e.Arms[:1] }, "arms:"},
		{"duplicate arm", func(e *Experiment) { e.Arms[1].Name = "Control" }, "arms[1].name:"},
		{"duplicate unit", func(e *Experiment) { e.Pool[3].ID = "team a" }, "units[3]:"},
		{"empty unit", func(e *Experiment) { e.Pool[1].ID = "" }, "units[1]:"},
		{"no outcomes", func(e *Experiment) { e.Outcomes = nil }, "outcomes:"},
		{"bad outcome", func(e *Experiment) { e.Outcomes = []string{"Meeting Hours"} }, "outcomes[0]:"},
		{"eNPS for people", func(e *Experiment) {
			e.Units = People
			for i := range 6 {
				e.Pool = append(e.Pool, Unit{ID: fmt.Sprintf("p%d@x.org", i)})
			}
		}, "outcomes[1]: enps is measured per team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid(t, 6)
			tt.edit(&e)
			err := e.Validate()
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v\nwant invalid starting %q", err, tt.want)
			}
		})
	}
}

func TestAssignIsSeededBalancedAndStratified(t *testing.T) {
	e := valid(t, 0)
	e.Arms = append(e.Arms, Arm{Name: "no sync"})
	for i := range 23 {
		e.Pool = append(e.Pool, Unit{ID: fmt.Sprintf("u%02d", i), Stratum: []string{"a", "b", "c"}[i%3]})
	}
	first, err := Assign(e)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Assign(e)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("same seed, different assignment:\n%s", diff)
	}
	e.Seed = 43
	other, _ := Assign(e)
	if cmp.Equal(first, other) {
		t.Errorf("a different seed gave the same assignment")
	}
	total := map[string]int{}
	perStratum := map[string]map[string]int{}
	for _, a := range first {
		total[a.Arm]++
		if perStratum[a.Stratum] == nil {
			perStratum[a.Stratum] = map[string]int{}
		}
		perStratum[a.Stratum][a.Arm]++
	}
	spread := func(m map[string]int) int {
		lo, hi := math.MaxInt, 0
		for _, arm := range e.Arms {
			lo, hi = min(lo, m[arm.Name]), max(hi, m[arm.Name])
		}
		return hi - lo
	}
	if len(first) != 23 || spread(total) > 1 {
		t.Errorf("arm sizes %v, want 23 units differing by at most 1", total)
	}
	for s, m := range perStratum {
		if spread(m) > 1 {
			t.Errorf("stratum %s: arm sizes %v differ by more than 1", s, m)
		}
	}
	e.Pool = e.Pool[:5]
	if _, err := Assign(e); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("Assign of an invalid experiment: err = %v", err)
	}
}

func TestPowerWarnsBeforeTheStart(t *testing.T) {
	small := valid(t, 6)
	pc := Power(small, nil)
	// 3 per arm: (t₀.₉₇₅,₄ + t₀.₈,₄)·√(2/3) = (2.776 + 0.941)·0.816
	if math.Abs(pc.MDE-3.035) > 0.01 || len(pc.Warnings) == 0 || !strings.HasPrefix(pc.Warnings[0], "Low power: real effects of a rhythm change are usually smaller than that") {
		t.Errorf("small: MDE %.3f, warnings %q", pc.MDE, pc.Warnings)
	}
	big := valid(t, 80)
	if pc := Power(big, nil); pc.MDE > LargeEffect || len(pc.Warnings) != 0 {
		t.Errorf("80 teams: MDE %.2f, warnings %q; want no warning", pc.MDE, pc.Warnings)
	}
	short := valid(t, 80)
	short.Treatment = period(t, "2026-02-09/2026-02-15")
	if pc := Power(short, nil); len(pc.Warnings) != 1 || !strings.Contains(pc.Warnings[0], "two cycles") {
		t.Errorf("one-week treatment: warnings %q", pc.Warnings)
	}
	// With baseline data, the MDE is given in the metric's own units.
	e, samples := simulate(t, 1, 6, 0)
	pc = Power(e, samples)
	if len(pc.Outcomes) != 1 || pc.Outcomes[0].N != 12 || pc.Outcomes[0].SD <= 0 || math.Abs(pc.Outcomes[0].MDE-pc.MDE*pc.Outcomes[0].SD) > 1e-9 {
		t.Errorf("outcome power = %+v", pc.Outcomes)
	}
}

// TestPowerSaysTheEffectOnce: the smallest detectable effect is said in
// one plain sentence, its number once (warnings do not repeat it), in
// standard deviations of the unit's change.
func TestPowerSaysTheEffectOnce(t *testing.T) {
	people := valid(t, 0)
	people.Units, people.Outcomes = People, []string{metric.MeetingHours}
	for i := range 10 {
		people.Pool = append(people.Pool, Unit{ID: fmt.Sprintf("p%d@x.org", i)})
	}
	withData, samples := simulate(t, 1, 6, 0)
	tests := []struct {
		name    string
		e       Experiment
		samples []metric.Sample
		want    []string
	}{
		{"teams", valid(t, 6), nil, []string{"With 3 and 3 teams per arm, the smallest effect this experiment can detect is about 3.0 standard deviations of a team's change (80% power, 5% level)."}},
		{"people", people, nil, []string{"With 5 and 5 people per arm, the smallest effect this experiment can detect is about 2.0 standard deviations of a person's change (80% power, 5% level)."}},
		{"with baseline data", withData, samples, []string{
			"With 6 and 6 teams per arm, the smallest effect this experiment can detect is about 1.8 standard deviations of a team's change (80% power, 5% level).",
			"For meeting_hours that is about ",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := Power(tt.e, tt.samples)
			got := pc.Sentences()
			if len(got) != len(tt.want) || got[0] != tt.want[0] {
				t.Fatalf("Sentences() = %q\nwant %q", got, tt.want)
			}
			for i := 1; i < len(got); i++ {
				if !strings.HasPrefix(got[i], tt.want[i]) || !strings.Contains(got[i], "one standard deviation of a team's change is ") {
					t.Errorf("sentence %d = %q, want it to start %q and name one standard deviation", i, got[i], tt.want[i])
				}
			}
			all := strings.Join(append(got, pc.Warnings...), "\n")
			if n := strings.Count(all, fmt.Sprintf("%.1f", pc.MDE)); n != 1 {
				t.Errorf("the effect %.1f is said %d times, want once:\n%s", pc.MDE, n, all)
			}
			if strings.Contains(all, " SD") {
				t.Errorf("says SD:\n%s", all)
			}
		})
	}
	if got := (PowerCheck{Sizes: []int{1, 1}}).Sentences(); len(got) != 1 || got[0] != "The smallest detectable effect cannot be estimated." {
		t.Errorf("no estimate: %q", got)
	}
}

// A hand-checkable dataset: two teams per arm, one sample per window.
func TestAnalyzeDifferenceInDifferences(t *testing.T) {
	e := valid(t, 4)
	e.Outcomes = []string{metric.MeetingHours}
	e.Assignments = []Assignment{{Unit: "Team A", Arm: "control"}, {Unit: "Team B", Arm: "control"},
		{Unit: "Team C", Arm: "async prep + 20-min sync"}, {Unit: "Team D", Arm: "async prep + 20-min sync"}}
	b, tr := e.Baseline, e.Treatment
	s := func(unit string, p metric.Period, v float64) metric.Sample {
		return metric.Sample{Unit: unit, Period: p, Values: map[string]float64{metric.MeetingHours: v}}
	}
	samples := []metric.Sample{
		// control changes: +1, +2 → mean +1.5; arm changes: -3, -4 → mean -3.5
		s("team a", b, 10), s("Team A", tr, 11), s("Team B", b, 12), s("Team B", tr, 14),
		s("Team C", b, 11), s("Team C", tr, 8), s("Team D", b, 13), s("Team D", tr, 9),
		s("Team Z", b, 100), // not in the experiment
	}
	rep, err := Analyze(e, samples, team.Date{Year: 2026, Month: 4, Day: 1}, stats.Options{Resamples: 500})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Outcomes[0].Comparisons[0]
	if c.Error != "" {
		t.Fatal(c.Error)
	}
	want := Comparison{Arm: "async prep + 20-min sync", Control: "control", NArm: 2, NControl: 2,
		ArmBaseline: 12, ArmTreatment: 8.5, ControlBaseline: 11, ControlTreatment: 12.5}
	got := c
	got.Effect, got.MannWhitney, got.PAdjusted, got.Significant = stats.Difference{}, stats.MannWhitneyResult{}, 0, false
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if c.Effect.Estimate != -5 || c.MannWhitney.P != 1.0/3 || !c.MannWhitney.Exact {
		t.Errorf("effect %v (want -5), Mann-Whitney %+v (want exact p = 1/3)", c.Effect.Estimate, c.MannWhitney)
	}
	if rep.Status != Finished || len(rep.Outcomes[0].Series) != 2 || len(rep.Outcomes[0].Series[0].Points) != 2 {
		t.Errorf("status %s, series %+v", rep.Status, rep.Outcomes[0].Series)
	}
	if !strings.Contains(strings.Join(rep.Warnings, " "), "Small arms (2 and 2 units)") {
		t.Errorf("warnings %q lack the small-arm warning", rep.Warnings)
	}

	// Without data in both windows there is no estimate, and the report says why.
	rep, _ = Analyze(e, samples[:5], team.Date{Year: 2026, Month: 4, Day: 1}, stats.Options{Resamples: 100})
	if c := rep.Outcomes[0].Comparisons[0]; !strings.HasPrefix(c.Error, "Too few units with meeting_hours in both windows (0 in async prep") || c.Missing != 2 {
		t.Errorf("no arm data: %+v", c)
	}
	e.Assignments = nil
	if _, err := Analyze(e, samples, team.Date{}, stats.Options{}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("unassigned: err = %v", err)
	}
}

func TestStatus(t *testing.T) {
	e := valid(t, 4)
	if s := e.Status(team.Date{Year: 2026, Month: 1, Day: 1}); s != Draft {
		t.Errorf("unassigned: %s", s)
	}
	e.Assignments = []Assignment{{Unit: "Team A", Arm: "control"}}
	for d, want := range map[string]Status{"2026-01-01": Planned, "2026-01-10": Baseline, "2026-02-05": Waiting, "2026-02-09": Running, "2026-03-09": Finished} {
		day, _ := team.ParseDate(d)
		if got := e.Status(day); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}

func TestPools(t *testing.T) {
	mk := func(name string, n int, leftEarly int) team.Team {
		tm := team.Team{Name: name}
		for i := range n {
			m := team.Member{Email: fmt.Sprintf("%s%d@x.org", strings.ToLower(name), i)}
			if i < leftEarly {
				m.Leave = team.Date{Year: 2025, Month: 12, Day: 31}
			}
			tm.Members = append(tm.Members, m)
		}
		return tm
	}
	teams := []team.Team{mk("A", 3, 0), mk("B", 8, 0), mk("C", 5, 3), mk("D", 6, 0)}
	asOf := team.Date{Year: 2026, Month: 1, Day: 5}
	got, err := TeamPool(teams, StratifySize, asOf)
	if err != nil {
		t.Fatal(err)
	}
	// Headcounts 3, 8, 2, 6: median (lower) 3.
	want := []Unit{{"A", "smaller"}, {"B", "larger"}, {"C", "smaller"}, {"D", "larger"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TeamPool:\n%s", diff)
	}
	if _, err := TeamPool(teams, "zone", asOf); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("unknown stratify: %v", err)
	}
	people := PeoplePool(append(teams, mk("A", 2, 0)), asOf)
	if len(people) != 3+8+2+6 || people[0].Stratum != "A" || people[len(people)-1].Stratum != "D" {
		t.Errorf("PeoplePool: %d units, first %+v, last %+v", len(people), people[0], people[len(people)-1])
	}
}
