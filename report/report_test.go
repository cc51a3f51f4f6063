package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// wellFormed checks that every <svg>…</svg> in s parses as XML.
func wellFormed(t *testing.T, s string) int {
	t.Helper()
	re := regexp.MustCompile(`(?s)<svg.*?</svg>`)
	svgs := re.FindAllString(s, -1)
	for _, x := range svgs {
		dec := xml.NewDecoder(strings.NewReader(x))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("SVG is not well-formed XML: %v\n%s", err, x)
			}
		}
		if strings.Contains(x, "style=") {
			t.Errorf("SVG uses inline styles, which the Content-Security-Policy blocks")
		}
	}
	return len(svgs)
}

func correlationReport(t *testing.T) pulse.CorrelationReport {
	t.Helper()
	var samples []metric.Sample
	for tm := range 6 {
		for q := 1; q <= 2; q++ {
			p, _ := metric.ParsePeriod(fmt.Sprintf("2026-Q%d", q))
			r := 0.5 + 0.3*float64(tm)
			samples = append(samples, metric.Sample{Unit: fmt.Sprintf("Team <%d>", tm), Period: p,
				Values: map[string]float64{metric.SyncAsyncRatio: r, metric.ENPS: 30 - 10*r + float64(q)}})
		}
	}
	rep, err := pulse.Correlate(pulse.CorrelationRequest{Samples: samples, Options: stats.Options{Resamples: 200, Permutations: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCorrelationHTMLAndText(t *testing.T) {
	rep := correlationReport(t)
	body, err := CorrelationHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{"Association, not cause.", "Spearman ρ", "Kendall τ-b", "n = 12 team-quarters from 6 teams", "Small sample: n = 12", "Team &lt;3&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if n := wellFormed(t, s); n != 1 {
		t.Errorf("%d scatter plots, want 1", n)
	}
	var page bytes.Buffer
	if err := Page(&page, "Correlations", body, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "<!doctype html>") || !strings.Contains(page.String(), ".report .caveat") {
		t.Errorf("standalone page lacks the document or its styles")
	}
	var text bytes.Buffer
	if err := CorrelationText(&text, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Association, not cause.") || !strings.Contains(text.String(), "n = 12 team-quarters") {
		t.Errorf("text report:\n%s", text.String())
	}
}

func TestExperimentHTMLAndText(t *testing.T) {
	base, _ := metric.ParsePeriod("2026-01-05/2026-02-01")
	treat, _ := metric.ParsePeriod("2026-02-09/2026-03-08")
	e := experiment.Experiment{ID: 3, Name: "Async prep", Units: experiment.Teams, Arms: []experiment.Arm{{Name: "control"}, {Name: "async prep + 20-min sync"}},
		Seed: 1, Baseline: base, Treatment: treat, Outcomes: []string{metric.MeetingHours, metric.ENPS}}
	for i := range 6 {
		e.Pool = append(e.Pool, experiment.Unit{ID: fmt.Sprintf("T%d", i)})
	}
	e.Assignments, _ = experiment.Assign(e)
	var samples []metric.Sample
	for i, a := range e.Assignments {
		for _, w := range []string{"2026-W03", "2026-W04", "2026-W08", "2026-W09"} {
			p, _ := metric.ParsePeriod(w)
			v := 10 + float64(i)
			if a.Arm != "control" && treat.Contains(p.Mid()) {
				v -= 2
			}
			samples = append(samples, metric.Sample{Unit: a.Unit, Period: p, Values: map[string]float64{metric.MeetingHours: v + 0.1*float64(len(samples)%3)}})
		}
	}
	rep, err := experiment.Analyze(e, samples, team.Date{Year: 2026, Month: 4, Day: 1}, stats.Options{Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	body, err := ExperimentHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{`id="assignments"`, "Power before the start", "Too few units with enps", "20-min sync vs control", "standard deviations"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if n := wellFormed(t, s); n != 3 {
		t.Errorf("%d charts, want 3 (forest + one time chart per outcome)", n)
	}
	var text bytes.Buffer
	if err := ExperimentText(&text, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "meeting_hours") || !strings.Contains(text.String(), "effect -1.9") {
		t.Errorf("text report:\n%s", text.String())
	}
	// Both say the smallest detectable effect in one plain sentence, the
	// number once.
	const effect = "With 3 and 3 teams per arm, the smallest effect this experiment can detect is about 3.0 standard deviations of a team's change (80% power, 5% level)."
	for name, out := range map[string]string{"HTML": html.UnescapeString(s), "text": text.String()} {
		if !strings.Contains(out, effect) || strings.Count(out, "about 3.0") != 1 || strings.Count(out, "standard deviations") != 1 || strings.Contains(out, " SD") {
			t.Errorf("%s does not say the effect once as %q:\n%s", name, effect, out)
		}
	}
}

func TestChartsSurviveOddInput(t *testing.T) {
	nan := math.NaN()
	charts := []string{
		string(Scatter("empty", "x", "y", nil)),
		string(Scatter("one", "x", "y", []XY{{X: 1, Y: 1}})),
		string(Scatter("nan", "x", "y", []XY{{X: nan, Y: 1}, {X: math.Inf(1), Y: 2}, {X: 1, Y: 1}})),
		string(Lines("empty", "y", nil, nil)),
		string(Lines("flat", "y", []Line{{Name: "<a>", Points: []TimeValue{{time.Unix(0, 0), 1}, {time.Unix(86400, 0), 1}}}}, nil)),
		string(Forest("empty", "x", nil)),
		string(Forest("nan", "x", []Estimate{{Label: "a", Value: nan, Lo: nan, Hi: nan}, {Label: "b", Value: 1, Lo: nan, Hi: 2}})),
	}
	for i, c := range charts {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if wellFormed(t, c) != 1 || strings.Contains(c, "NaN") || strings.Contains(c, "Inf") {
				t.Errorf("chart %d is not one clean SVG:\n%s", i, c)
			}
		})
	}
}
