package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// TestCorrelationsCachedUntilDataChanges: the report is made once for the
// same data and request, and made again, with the new data, as soon as
// new metrics land, or when the request differs.
func TestCorrelationsCachedUntilDataChanges(t *testing.T) {
	ctx := context.Background()
	a := app.New(storetest.SQLite(t), nil)
	sys := app.System("")
	quarter := func(q int) metric.Period {
		start := team.Date{Year: 2026, Month: time.Month(1 + 3*q), Day: 1}
		return metric.Period{Start: start, End: team.Date{Year: 2026, Month: time.Month(3 + 3*q), Day: 28}}
	}
	var samples []metric.Sample
	for ti := range 4 {
		for q := range 3 {
			samples = append(samples, metric.Sample{Unit: fmt.Sprintf("Team %d", ti), Period: quarter(q),
				Values: map[string]float64{metric.MeetingHours: float64(5 + ti*3 + q), "enps": float64(10*ti - 7*q)}})
		}
	}
	if _, err := a.ImportMetrics(ctx, sys, "test", samples); err != nil {
		t.Fatal(err)
	}
	opt := stats.Options{Seed: 3, Resamples: 200, Permutations: 200}
	report := func(o stats.Options) pulse.CorrelationReport {
		t.Helper()
		rep, err := a.Correlations(ctx, sys, nil, nil, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	runs := func(want int) {
		t.Helper()
		if got := app.CorrelationRuns(a); got != want {
			t.Errorf("%d reports made, want %d", got, want)
		}
	}
	first := report(opt)
	again := report(opt)
	runs(1)
	if diff := cmp.Diff(first, again, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("cached report differs (-made +cached):\n%s", diff)
	}
	report(stats.Options{Seed: 4, Resamples: 200, Permutations: 200})
	runs(2)

	// A fourth quarter lands: the next report is made from it.
	var more []metric.Sample
	for ti := range 4 {
		more = append(more, metric.Sample{Unit: fmt.Sprintf("Team %d", ti), Period: quarter(3),
			Values: map[string]float64{metric.MeetingHours: float64(9 - ti), "enps": float64(3 * ti)}})
	}
	if _, err := a.ImportMetrics(ctx, sys, "test", more); err != nil {
		t.Fatal(err)
	}
	after := report(opt)
	runs(3)
	if len(after.Findings) != 1 || after.Findings[0].N != 16 {
		t.Fatalf("report after new metrics: %+v", after.Findings)
	}
	fresh, err := pulse.Correlate(pulse.CorrelationRequest{Samples: append(samples, more...), Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fresh.Findings[0].Spearman, after.Findings[0].Spearman, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("report after new metrics is not made from them (-fresh +served):\n%s", diff)
	}
}
