package pulse

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

func wantInvalid(t *testing.T, err error, prefix string) {
	t.Helper()
	if rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Fatalf("err = %v, want an invalid-input error starting %q", err, prefix)
	}
	if msg := rhythm.ErrorMessage(err); !strings.HasPrefix(msg, prefix) || strings.Contains(msg, "\n") {
		t.Errorf("message = %q, want one line starting %q", msg, prefix)
	}
}

func TestSurveyValidate(t *testing.T) {
	def := DefaultSurvey()
	if err := def.Validate(); err != nil {
		t.Fatalf("default survey: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Survey)
		field string
	}{
		{"no title", func(s *Survey) { s.Title = " " }, "title:"},
		{"no items", func(s *Survey) { s.Items = nil }, "items:"},
		{"duplicate key", func(s *Survey) { s.Items[2].Key = "connected" }, "items[2].key:"},
		{"bad key", func(s *Survey) { s.Items[1].Key = "Feel Connected" }, "items[1].key:"},
		{"enps item with another key", func(s *Survey) { s.Items[0].Key = "nps" }, "items[0].key:"},
		{"likert keyed churn", func(s *Survey) { s.Items[1].Key = "churn" }, "items[1].key:"},
		{"unknown kind", func(s *Survey) { s.Items[1].Kind = "stars" }, "items[1].kind:"},
		{"no text", func(s *Survey) { s.Items[3].Text = "" }, "items[3].text:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSurvey()
			tt.edit(&s)
			wantInvalid(t, s.Validate(), tt.field)
		})
	}
}

func TestCheckAnswers(t *testing.T) {
	s := DefaultSurvey()
	full := Answers{"enps": 9, "connected": 4, "uninterrupted_time": 2, "meetings_worthwhile": 5}
	if err := s.Check(full, true); err != nil {
		t.Fatalf("valid answers: %v", err)
	}
	tests := []struct {
		name     string
		a        Answers
		complete bool
		want     string
	}{
		{"Likert 7", Answers{"enps": 9, "connected": 7, "uninterrupted_time": 2, "meetings_worthwhile": 5}, true, "connected: 7 is not a Likert answer (1–5)"},
		{"Likert 0", Answers{"connected": 0}, false, "connected: 0 is not a Likert answer (1–5)"},
		{"eNPS 11", Answers{"enps": 11, "connected": 3, "uninterrupted_time": 2, "meetings_worthwhile": 5}, true, "enps: 11 is not an eNPS answer (0–10)"},
		{"eNPS -1", Answers{"enps": -1}, false, "enps: -1 is not an eNPS answer (0–10)"},
		{"unknown item", Answers{"mood": 3}, false, `mood: not an item of the survey "Team pulse"`},
		{"missing item", Answers{"enps": 9}, true, "connected: please answer every question"},
		{"empty", Answers{}, false, "answers:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, s.Check(tt.a, tt.complete), tt.want)
		})
	}
}

var (
	opens  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	closes = time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	after  = closes.Add(time.Hour)
)

func responses(enps ...int) []Answers {
	out := make([]Answers, len(enps))
	for i, e := range enps {
		out[i] = Answers{"enps": e, "connected": 1 + i%5, "uninterrupted_time": 3, "meetings_worthwhile": 4}
	}
	return out
}

func TestResultsAreSuppressedForSmallGroupsAndOpenRounds(t *testing.T) {
	r := Round{ID: 1, Team: "Platform", Opens: opens, Closes: closes}
	tests := []struct {
		name       string
		n, min     int
		now        time.Time
		suppressed bool
		reason     string
	}{
		{"4 responses at min size 5", 4, 5, after, true, "4 responses; results need at least 5"},
		{"5 responses at min size 5", 5, 5, after, false, ""},
		{"min size below 3 is raised to 3", 2, 1, after, true, "2 responses; results need at least 3"},
		{"open round", 12, 5, opens.Add(time.Hour), true, "The round is open; results appear when it closes"},
		{"scheduled round", 0, 5, opens.Add(-time.Hour), true, "The round is scheduled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Summarize(r, DefaultSurvey(), responses(make([]int, tt.n)...), tt.min, tt.now)
			if res.Suppressed != tt.suppressed || !strings.HasPrefix(res.Reason, tt.reason) {
				t.Errorf("suppressed = %v (%q), want %v (%q)", res.Suppressed, res.Reason, tt.suppressed, tt.reason)
			}
			if tt.suppressed && (res.ENPS != nil || len(res.Items) != 0) {
				t.Errorf("suppressed results show figures: %+v", res)
			}
			if _, ok := res.Sample(); ok == tt.suppressed {
				t.Errorf("Sample() ok = %v with suppressed = %v", ok, tt.suppressed)
			}
		})
	}
}

func TestResultsFigures(t *testing.T) {
	r := Round{ID: 1, Team: "Platform", Opens: opens, Closes: closes}
	rs := responses(10, 9, 8, 7, 6, 0, 9, 10, 3, 8)
	rs[9] = Answers{"enps": 8} // skipped the Likert items
	res := Summarize(r, DefaultSurvey(), rs, 5, after)
	if res.Suppressed || res.ENPS == nil {
		t.Fatalf("results suppressed: %s", res.Reason)
	}
	if res.ENPS.Score != 10 || res.ENPS.N != 10 {
		t.Errorf("eNPS = %+v, want 10 from 10 answers", res.ENPS)
	}
	conn := res.Items[1]
	// connected = 1,2,3,4,5,1,2,3,4 → mean 25/9, 3 of 9 favourable (4 or 5).
	if conn.N != 9 || math.Abs(conn.Mean-25.0/9) > 1e-12 || math.Abs(conn.Favourable-300.0/9) > 1e-9 {
		t.Errorf("connected = %+v", conn)
	}
	if diff := cmp.Diff([]int{2, 2, 2, 2, 1}, conn.Counts); diff != "" {
		t.Errorf("counts: %s", diff)
	}
	if !conn.CI.Contains(conn.Mean) || conn.CI.Lo < 1 || conn.CI.Hi > 5 {
		t.Errorf("interval %+v", conn.CI)
	}
	s, ok := res.Sample()
	want := metric.Sample{Unit: "Platform", Period: metric.Period{Start: team.Date{Year: 2026, Month: 3, Day: 2}, End: team.Date{Year: 2026, Month: 3, Day: 16}},
		Values: map[string]float64{"enps": 10, "connected": 25.0 / 9, "uninterrupted_time": 3, "meetings_worthwhile": 4}}
	if diff := cmp.Diff(want, s); !ok || diff != "" {
		t.Errorf("Sample (-want +got):\n%s", diff)
	}
	// An item fewer than min answered is suppressed on its own.
	few := Summarize(r, DefaultSurvey(), append(responses(9, 9, 9, 9), Answers{"enps": 1}, Answers{"enps": 2}), 5, after)
	if !few.Items[1].Suppressed || few.Items[0].Suppressed {
		t.Errorf("item suppression: %+v", few.Items)
	}
}

func TestRoundValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		r     Round
		field string
	}{
		{"no opens", Round{Closes: closes}, "opens:"},
		{"closes before opens", Round{Opens: closes, Closes: opens}, "closes:"},
		{"too long", Round{Opens: opens, Closes: opens.AddDate(2, 0, 0)}, "closes:"},
	} {
		t.Run(tt.name, func(t *testing.T) { wantInvalid(t, tt.r.Validate(), tt.field) })
	}
}

func member(email, start, leave string) team.Member {
	m := team.Member{Name: email, Email: email, Zone: "UTC"}
	m.Start, _ = team.ParseDate(start)
	m.Leave, _ = team.ParseDate(leave)
	return m
}

func TestChurn(t *testing.T) {
	tm := team.Team{Name: "Platform", Members: []team.Member{
		member("a", "", ""), member("b", "", ""), member("c", "", ""), member("d", "", ""),
		member("e", "2025-06-01", ""),
		member("f", "", "2026-02-14"), // leaves in Q1
		member("g", "2026-01-01", "2026-03-31"),
		member("h", "2026-04-01", ""),
	}}
	from, _ := team.ParseDate("2026-01-01")
	to, _ := team.ParseDate("2026-05-15")
	rows, err := Churn(tm, from, to, 5)
	if err != nil {
		t.Fatal(err)
	}
	q1, _ := metric.ParsePeriod("2026-Q1")
	q2, _ := metric.ParsePeriod("2026-04-01/2026-05-15")
	// Q1 (90 days): a–e and g all 90 days, f 45 days (Jan 1 – Feb 14).
	want := []ChurnRow{
		{Team: "Platform", Period: q1, StartHeadcount: 7, EndHeadcount: 5, Joiners: 1, Leavers: 2, AverageHeadcount: (6*90 + 45) / 90.0, Rate: 2 / ((6*90 + 45) / 90.0)},
		{Team: "Platform", Period: q2, Partial: true, StartHeadcount: 6, EndHeadcount: 6, Joiners: 1, AverageHeadcount: 6},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got := ChurnSamples(rows); len(got) != 1 || got[0].Values["churn"] != want[0].Rate {
		t.Errorf("ChurnSamples = %+v, want only the whole quarter", got)
	}
	small, _ := Churn(tm, from, to, 7)
	if !small[0].Suppressed || small[0].Leavers != 0 || small[0].Rate != 0 {
		t.Errorf("headcount below min size: %+v, want suppressed without counts", small[0])
	}
	_, err = Churn(tm, to, from, 5)
	wantInvalid(t, err, "to:")
}

func TestResponsesCSV(t *testing.T) {
	s := DefaultSurvey()
	in := "enps,I feel connected to my team.,uninterrupted_time\n9,4,\n3,,2\n"
	got, err := ReadResponsesCSV("r.csv", strings.NewReader(in), s)
	if err != nil {
		t.Fatal(err)
	}
	want := []Answers{{"enps": 9, "connected": 4}, {"enps": 3, "uninterrupted_time": 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	var buf bytes.Buffer
	if err := WriteResponsesCSV(&buf, s, got); err != nil {
		t.Fatal(err)
	}
	back, err := ReadResponsesCSV("out.csv", &buf, s)
	if err != nil || !cmp.Equal(want, back) {
		t.Errorf("export → import: %v, %v", back, err)
	}
	bad := []struct {
		name, csv, want string
	}{
		{"Likert 7", "enps,connected\n9,4\n8,7\n", "r.csv:3: connected: 7 is not a Likert answer (1–5)"},
		{"eNPS 11", "enps\n11\n", "r.csv:2: enps: 11 is not an eNPS answer (0–10)"},
		{"identity column", "Email,enps\nx@y.z,9\n", `r.csv:1: column "Email": responses are anonymous`},
		{"time column", "enps,timestamp\n9,2026-01-01\n", `r.csv:1: column "timestamp": responses are anonymous`},
		{"unknown column", "enps,mood\n9,3\n", `r.csv:1: column "mood": not an item`},
		{"not a number", "enps\nnine\n", `r.csv:2: enps: "nine" is not a whole number`},
		{"empty row", "enps,connected\n,\n", "r.csv:2: answers:"},
		{"no rows", "enps\n", "r.csv: no responses"},
		{"empty file", "", "r.csv: the file is empty"},
		{"ragged", "enps,connected\n9\n", "r.csv:2: wrong number of fields"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadResponsesCSV("r.csv", strings.NewReader(tt.csv), s)
			wantInvalid(t, err, tt.want)
		})
	}
}

func TestCorrelateReport(t *testing.T) {
	// 8 teams × 3 quarters; eNPS falls as the sync:async ratio rises.
	var samples []metric.Sample
	rng := stats.NewRand(5)
	for tm := range 8 {
		for q := 1; q <= 3; q++ {
			p, _ := metric.ParsePeriod("2026-Q" + string(rune('0'+q)))
			ratio := 0.3 + 0.2*float64(tm) + 0.1*rng.NormFloat64()
			samples = append(samples,
				metric.Sample{Unit: string(rune('A' + tm)), Period: p, Values: map[string]float64{metric.SyncAsyncRatio: ratio}},
				metric.Sample{Unit: string(rune('A' + tm)), Period: metric.Period{Start: p.Start, End: p.Start}, Values: map[string]float64{metric.ENPS: 40 - 20*ratio + 5*rng.NormFloat64()}},
			)
		}
	}
	rep, err := Correlate(CorrelationRequest{Samples: samples, Options: stats.Options{Resamples: 500, Permutations: 500, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.X != metric.SyncAsyncRatio || f.Y != metric.ENPS || f.N != 24 || f.Teams != 8 || f.Periods != 3 || len(f.Points) != 24 {
		t.Errorf("finding = %s~%s n=%d teams=%d periods=%d", f.X, f.Y, f.N, f.Teams, f.Periods)
	}
	if f.Spearman.R > -0.5 || !f.Spearman.CI.ExcludesZero() || f.Spearman.Clusters != 8 {
		t.Errorf("spearman = %+v, want a clear negative association over 8 team clusters", f.Spearman)
	}
	if f.Kendall.Method != stats.Kendall || f.Kendall.N != 24 {
		t.Errorf("kendall = %+v", f.Kendall)
	}
	if !strings.Contains(rep.Caveat, "associations, not causes") || strings.Contains(strings.Join(rep.Notes, " "), "associations, not causes") {
		t.Errorf("the caveat is not said once: caveat %q, notes %q", rep.Caveat, rep.Notes)
	}

	small, err := Correlate(CorrelationRequest{Samples: samples[:8], Options: stats.Options{Resamples: 200, Permutations: 200}})
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Findings) != 1 || !strings.Contains(strings.Join(small.Findings[0].Warnings, " "), "Small sample: n = 4") {
		t.Errorf("small sample warnings = %+v", small.Findings)
	}
	_, err = Correlate(CorrelationRequest{Samples: samples, X: []string{"meeting_hours"}})
	wantInvalid(t, err, `metric "meeting_hours": no values`)
	_, err = Correlate(CorrelationRequest{Samples: samples[:1]})
	wantInvalid(t, err, "metrics: need at least one exposure")
	tiny, _ := Correlate(CorrelationRequest{Samples: samples[:4]})
	if len(tiny.Findings) != 0 || len(tiny.Skipped) != 1 || !strings.HasPrefix(tiny.Skipped[0].Reason, "n: 2 pairs") {
		t.Errorf("two pairs: %+v", tiny)
	}
}
