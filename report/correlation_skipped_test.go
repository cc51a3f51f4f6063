package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
)

// TestCorrelationHTMLCollapsesSkippedPairs: one team's one quarter gives
// every pair a single team-quarter; the page says so in one line instead
// of listing each pair.
func TestCorrelationHTMLCollapsesSkippedPairs(t *testing.T) {
	p, _ := metric.ParsePeriod("2026-Q1")
	values := map[string]float64{metric.ENPS: 20, metric.Churn: 0.1, "connected": 3.5}
	for i, x := range pulse.Exposures {
		values[x] = float64(i + 1)
	}
	rep, err := pulse.Correlate(pulse.CorrelationRequest{Samples: []metric.Sample{{Unit: "Platform", Period: p, Values: values}},
		Options: stats.Options{Resamples: 50, Permutations: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 3*len(pulse.Exposures) {
		t.Fatalf("%d pairs skipped, want %d", len(rep.Skipped), 3*len(pulse.Exposures))
	}
	body, err := CorrelationHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	lines := regexp.MustCompile(`<p class="muted not-correlated">([^<]*)</p>`).FindAllStringSubmatch(string(body), -1)
	if len(lines) != 1 {
		t.Fatalf("%d not-correlated lines, want 1:\n%s", len(lines), body)
	}
	if want := "18 pairs of metrics have too little data (at most 1 team-quarter with values of both; a correlation needs at least 3)"; !strings.Contains(lines[0][1], want) {
		t.Errorf("line %q does not say %q", lines[0][1], want)
	}
	if n := strings.Count(string(body), "needs at least"); n != 1 {
		t.Errorf("the page says \"needs at least\" %d times, want once", n)
	}
}

// TestCorrelationTextCollapsesSkippedPairs: the terminal says it in one
// line too.
func TestCorrelationTextCollapsesSkippedPairs(t *testing.T) {
	skipped := make([]pulse.Skipped, 60)
	for i := range skipped {
		skipped[i] = pulse.Skipped{X: "x", Y: "y", N: 1, Reason: "n: 1 pairs; a correlation needs at least 3"}
	}
	var b strings.Builder
	if err := CorrelationText(&b, pulse.CorrelationReport{Skipped: skipped, Notes: []string{"a note"}}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "Not correlated"); n != 1 {
		t.Errorf("%d Not correlated lines, want 1:\n%s", n, b.String())
	}
	if !strings.Contains(b.String(), "60 pairs of metrics have too little data") {
		t.Errorf("text does not say how many pairs lack data:\n%s", b.String())
	}
}
