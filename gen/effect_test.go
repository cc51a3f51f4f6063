package gen_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// estimate generates twenty teams of six with the effect, audits each team's
// calendar and returns the difference-in-differences of meeting hours,
// treatment against control.
func estimate(t *testing.T, effect string, seed uint64) stats.Difference {
	t.Helper()
	cfg := gen.Config{People: 120, Weeks: 12, Seed: seed, Teams: 20}
	if effect != "" {
		e, err := gen.ParseEffect(effect)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Effect = e
	}
	d, err := gen.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var cal bytes.Buffer
	if err := d.WriteICS(&cal); err != nil {
		t.Fatal(err)
	}
	start := d.Config().Start
	from := start.AddDate(0, 0, 7*6) // the default: the middle week
	end := start.AddDate(0, 0, 7*12)
	e := experiment.Experiment{Name: "Drop the weekly sync", Units: experiment.Teams, Seed: 1,
		Arms:      []experiment.Arm{{Name: gen.ArmControl}, {Name: gen.ArmTreatment}},
		Baseline:  metric.Period{Start: team.DateOf(start), End: team.DateOf(from.AddDate(0, 0, -1))},
		Treatment: metric.Period{Start: team.DateOf(from), End: team.DateOf(end.AddDate(0, 0, -1))},
		Outcomes:  []string{metric.MeetingHours}}
	var samples []metric.Sample
	for k, tm := range d.Teams() {
		arm := gen.ArmControl
		if d.Treated(k) {
			arm = gen.ArmTreatment
		}
		e.Pool = append(e.Pool, experiment.Unit{ID: tm.Name})
		e.Assignments = append(e.Assignments, experiment.Assignment{Unit: tm.Name, Arm: arm})
		// As `rhythm import` and `rhythm audit` would for this team.
		res, err := ingest.NewResolver(&tm, []byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		f := icsevents.New(bytes.NewReader(cal.Bytes()), "calendar.ics", res)
		f.From, f.To = start, end
		a, err := audit.New(&tm, audit.Config{Window: audit.Window{From: team.DateOf(start), To: team.DateOf(end.AddDate(0, 0, -1))}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Import(context.Background(), func(in ingest.Interaction) error {
			a.Add(&in)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		samples = append(samples, a.Result().Report.Samples()...)
	}
	rep, err := experiment.Analyze(e, samples, team.DateOf(end.AddDate(0, 0, 1)), stats.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Outcomes[0].Comparisons[0]
	if c.Error != "" || c.NArm != 10 || c.NControl != 10 {
		t.Fatalf("comparison %+v", c)
	}
	t.Logf("%s: estimate %.2f, 95%% interval [%.2f, %.2f]; control %.2f → %.2f, treated %.2f → %.2f", effect, c.Effect.Estimate, c.Effect.CI.Lo, c.Effect.CI.Hi,
		c.ControlBaseline, c.ControlTreatment, c.ArmBaseline, c.ArmTreatment)
	return c.Effect
}

func TestEffectRecovered(t *testing.T) {
	for _, tc := range []struct {
		effect string
		delta  float64
	}{{"meeting_hours=-2", -2}, {"meeting_hours=1", 1}} {
		got := estimate(t, tc.effect, 1)
		if got.CI.Lo > tc.delta || got.CI.Hi < tc.delta {
			t.Errorf("%s: interval [%.2f, %.2f] misses the injected %g", tc.effect, got.CI.Lo, got.CI.Hi, tc.delta)
		}
		if !got.CI.ExcludesZero() {
			t.Errorf("%s: interval [%.2f, %.2f] includes 0", tc.effect, got.CI.Lo, got.CI.Hi)
		}
	}
}

func TestNoEffect(t *testing.T) {
	got := estimate(t, "", 1)
	if got.CI.ExcludesZero() {
		t.Errorf("no effect injected, but the interval [%.2f, %.2f] excludes 0", got.CI.Lo, got.CI.Hi)
	}
}

func TestParseEffect(t *testing.T) {
	if e, err := gen.ParseEffect(" meeting_hours = -2.5 "); err != nil || e.Metric != metric.MeetingHours || e.Delta != -2.5 {
		t.Errorf("ParseEffect = %+v, %v", e, err)
	}
	for _, s := range []string{"foo", "meeting_hours", "=1", "focus_hours=1", "meeting_hours=x", "meeting_hours=NaN", "meeting_hours=99"} {
		if _, err := gen.ParseEffect(s); err == nil || !strings.Contains(err.Error(), "--effect") {
			t.Errorf("ParseEffect(%q) = %v, want an error naming --effect", s, err)
		}
	}
}

func TestEffectConfig(t *testing.T) {
	start := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	eff := gen.Effect{Metric: metric.MeetingHours, Delta: -1}
	for _, c := range []gen.Config{
		{People: 20, Weeks: 4, Effect: eff},           // one team
		{People: 20, Weeks: 1, Teams: 2, Effect: eff}, // no week after
		{People: 5, Weeks: 4, Teams: 2},               // too few people
		{People: 20, Weeks: 4, Teams: 2, Effect: gen.Effect{Metric: metric.MeetingHours, Delta: -1, From: start}},
		{People: 20, Weeks: 4, Teams: 2, Effect: gen.Effect{Metric: metric.MeetingHours, Delta: -1, From: start.AddDate(0, 0, 28)}},
	} {
		if _, err := gen.New(c); err == nil {
			t.Errorf("New(%+v) did not fail", c)
		}
	}
	d, err := gen.New(gen.Config{People: 20, Weeks: 4, Teams: 3, Seed: 5, Effect: eff})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.WriteAssignment(&b); err != nil {
		t.Fatal(err)
	}
	if got := d.Config().Effect.From; !got.Equal(start.AddDate(0, 0, 14)) {
		t.Errorf("treatment starts %v, want the middle week", got)
	}
	if n := strings.Count(b.String(), ",treatment,"); n != 1 || strings.Count(b.String(), "\n") != 4 {
		t.Errorf("assignment:\n%s", b.String())
	}
	people := 0
	for _, tm := range d.Teams() {
		people += len(tm.Members)
	}
	if len(d.Teams()) != 3 || people != 20 {
		t.Errorf("%d teams of %d people in all", len(d.Teams()), people)
	}
}
