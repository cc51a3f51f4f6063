package decide_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

func loadTeam(t testing.TB) team.Team {
	t.Helper()
	data, err := os.ReadFile("../team/testdata/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := team.ParseRoster("team.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestDecideBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   decide.Input
		want string
	}{
		{"unknown purpose", decide.Input{Purpose: "party"}, `purpose: unknown purpose "party"; valid: general, status_update, announcement,`},
		{"negative stakeholders", decide.Input{Stakeholders: -3}, "stakeholders: must be 1..100000, got -3"},
		{"negative zones", decide.Input{Zones: -1}, "zones: must be 1..40, got -1"},
		{"more zones than stakeholders", decide.Input{Stakeholders: 2, Zones: 3}, "zones: 3 time zones for 2 stakeholders"},
		{"negative overlap", decide.Input{OverlapHours: ptr(-1.0)}, "overlap_hours: must be 0..168 hours a week, got -1"},
		{"NaN overlap", decide.Input{OverlapHours: ptr(math.NaN())}, "overlap_hours: must be 0..168"},
		{"bad level", decide.Input{Ambiguity: decide.Level(9)}, "ambiguity: must be one of low, medium, high"},
		{"negative urgency", decide.Input{Urgency: -time.Hour}, "urgency: must be a positive duration"},
		{"negative functions", decide.Input{Functions: -2}, "functions: must be 1..1000, got -2"},
		{"fewer stakeholders than participants", decide.Input{Stakeholders: 1, Participants: make([]team.Member, 2)}, "stakeholders: 1 is fewer than the 2 participants named"},
		{"share above one", decide.Input{Team: &decide.TeamFigures{WithinWindowShare: 1.5}}, "team_figures.within_window_share: must be 0..1, got 1.5"},
		{"negative median", decide.Input{Team: &decide.TeamFigures{MedianResponseHours: -2}}, "team_figures.median_response_hours: must be 0..10000, got -2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decide.Decide(tt.in)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Errorf("code = %q, want invalid", rhythm.ErrorCode(err))
			}
		})
	}
}

func TestRequestInput(t *testing.T) {
	tm := loadTeam(t)
	tests := []struct {
		name string
		req  string // JSON
		want string // error prefix; "" for success
	}{
		{"defaults", `{}`, ""},
		{"contract flags", `{"stakeholders":7,"zones":4,"ambiguity":"low","urgency":"days","relationship":"low","purpose":"status update"}`, ""},
		{"duration urgency", `{"urgency":"90m"}`, ""},
		{"day urgency", `{"urgency":"3d"}`, ""},
		{"participants", `{"with":["ana@example.com","Kenji Sato"]}`, ""},
		{"negative stakeholders", `{"stakeholders":-1}`, "stakeholders: must be 1..100000, got -1"},
		{"zero zones", `{"zones":0}`, "zones: must be 1..40, got 0"},
		{"bad ambiguity", `{"ambiguity":"very"}`, `ambiguity: "very" is not one of low, medium, high`},
		{"bad relationship", `{"relationship":"warm"}`, `relationship: "warm" is not one of low, medium, high`},
		{"bad stakes", `{"stakes":"x"}`, `stakes: "x" is not one of low, medium, high`},
		{"bad urgency", `{"urgency":"soon"}`, `urgency: "soon" is not now, hours, days, week or a duration such as 1h or 3d`},
		{"negative urgency", `{"urgency":"-1h"}`, `urgency: "-1h" is not now, hours, days, week`},
		{"overlap too large", `{"overlap_hours":200}`, "overlap_hours: must be 0..168 hours a week, got 200"},
		{"unknown member", `{"with":["ana@example.com","bob"]}`, `with: "bob" is not on team Platform (members: Ana Silva <ana@example.com>,`},
		{"ambiguous name", `{"with":["ana@example.com","p"]}`, `with: "p" could be`},
		{"bad response window", `{"response_window":"soon"}`, `response_window: "soon" is not a positive duration`},
		{"bad inline roster", `{"roster":{"team":"X","members":[{"name":"A","email":"a@x.org","zone":"Mars/Base"}]}}`, `roster: members[0].zone: unknown time zone "Mars/Base"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r decide.Request
			if err := json.Unmarshal([]byte(tt.req), &r); err != nil {
				t.Fatal(err)
			}
			in, err := r.Input(&tm)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Input: %v", err)
				}
				if _, err := decide.Decide(in); err != nil {
					t.Fatalf("Decide: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want prefix %q", err, tt.want)
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Errorf("code = %q, want invalid", rhythm.ErrorCode(err))
			}
		})
	}
	var r decide.Request
	r.With = []string{"ana@example.com"}
	if _, err := r.Input(nil); err == nil || !strings.HasPrefix(err.Error(), "with: naming participants needs a roster") {
		t.Errorf("with and no roster: error = %v", err)
	}
}

func TestParseUrgency(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"hours", decide.UrgencyHours, true},
		{"days", decide.UrgencyDays, true},
		{"now", decide.UrgencyNow, true},
		{"week", decide.UrgencyWeek, true},
		{"1h", time.Hour, true},
		{"45m", 45 * time.Minute, true},
		{"3d", 72 * time.Hour, true},
		{"0h", 0, false},
		{"-2h", 0, false},
		{"400d", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := decide.ParseUrgency(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseUrgency(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestZonesAndOverlap(t *testing.T) {
	m := func(zone, hours, days string) team.Member {
		h, _ := team.ParseHours(hours)
		d, _ := team.ParseDays(days)
		return team.Member{Name: zone, Email: "x@example.com", Zone: zone, Hours: h, Days: d}
	}
	week := decide.ReferenceWeek(time.Date(2026, 1, 8, 15, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC); !week.Equal(want) {
		t.Fatalf("ReferenceWeek = %v, want %v", week, want)
	}
	tests := []struct {
		name    string
		members []team.Member
		zones   int
		overlap float64
	}{
		{"one person", []team.Member{m("Europe/Lisbon", "09:00-17:00", "mon-fri")}, 1, 40},
		{"Lisbon and London are one zone", []team.Member{m("Europe/Lisbon", "09:00-17:00", "mon-fri"), m("Europe/London", "10:00-18:00", "mon-fri")}, 1, 35},
		{"Lisbon and Berlin", []team.Member{m("Europe/Lisbon", "09:00-17:30", "mon-fri"), m("Europe/Berlin", "09:00-17:00", "mon-fri")}, 2, 35},
		{"Lisbon and Tokyo never meet", []team.Member{m("Europe/Lisbon", "09:00-17:30", "mon-fri"), m("Asia/Tokyo", "10:00-18:00", "mon-fri")}, 2, 0},
		{"Kathmandu sun-thu and Lisbon mon-fri", []team.Member{m("Asia/Kathmandu", "09:30-18:00", "sun-thu"), m("Europe/Lisbon", "08:00-16:00", "mon-fri")}, 2, 4 * 4.25}, // 08:00-12:15 UTC, mon-thu,
		{"three zones", []team.Member{m("America/New_York", "09:00-17:00", "mon-fri"), m("Europe/Lisbon", "09:00-17:00", "mon-fri"), m("Europe/Berlin", "09:00-17:00", "mon-fri")}, 3, 5 * 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zones, overlap := decide.ZonesAndOverlap(tt.members, week)
			if zones != tt.zones || math.Abs(overlap-tt.overlap) > 1e-9 {
				t.Errorf("ZonesAndOverlap = %d zones, %v h; want %d, %v h", zones, overlap, tt.zones, tt.overlap)
			}
		})
	}
}

func TestRosterDerivesFactsAndDueTimes(t *testing.T) {
	tm := loadTeam(t)
	names := []string{"ana@example.com", "kenji@example.com", "priya@example.com", "zoe@example.com", "ops@example.com", "liam@example.com"}
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 300 {
		k := 2 + r.IntN(len(names)-1)
		ms, err := decide.Participants(&tm, names[:k])
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24*60)) * time.Minute)
		in := decide.Input{Purpose: []string{"brainstorm", "status_update", "decision", "review"}[i%4], Ambiguity: decide.Level(1 + r.IntN(3)),
			Participants: ms, Now: now, ResponseWindow: time.Duration(4+r.IntN(68)) * time.Hour, Urgency: 168 * time.Hour}
		d, err := decide.Decide(in)
		if err != nil {
			t.Fatal(err)
		}
		zones, _ := decide.ZonesAndOverlap(ms, decide.ReferenceWeek(now))
		if d.Facts.Stakeholders != k || d.Facts.Zones != zones || d.Facts.OverlapHours == nil {
			t.Fatalf("facts = %d stakeholders, %d zones, overlap %v; want %d, %d, derived", d.Facts.Stakeholders, d.Facts.Zones, d.Facts.OverlapHours, k, zones)
		}
		if d.Mode == decide.Sync {
			continue
		}
		if len(d.Advice.DueBy) == 0 {
			t.Fatalf("%s at %v: no due-by times\n%s", d.Mode, now, d.Text())
		}
		for _, du := range d.Advice.DueBy {
			m, _ := tm.Member(du.Name)
			// Inside working time, or the very end of a working stretch.
			if !m.InWorkingHours(du.At) && !m.InWorkingHours(du.At.Add(-time.Minute)) {
				t.Errorf("now %v: %s due %v (%s) is outside their working hours", now, du.Name, du.At, du.Local)
			}
			if !du.Late && (du.At.After(*d.Advice.Due) || du.At.Before(now)) {
				t.Errorf("now %v: %s due %v is not between now and the deadline %v", now, du.Name, du.At, d.Advice.Due)
			}
			if du.Late && !du.At.After(*d.Advice.Due) {
				t.Errorf("now %v: %s is late but due %v before the deadline %v", now, du.Name, du.At, d.Advice.Due)
			}
		}
	}
}

func TestGivenFactsWinOverRoster(t *testing.T) {
	tm := loadTeam(t)
	ms, _ := decide.Participants(&tm, []string{"ana@example.com", "kenji@example.com"})
	d, err := decide.Decide(decide.Input{Participants: ms, Zones: 1, OverlapHours: ptr(20.0), Stakeholders: 5})
	if err != nil {
		t.Fatal(err)
	}
	if d.Facts.Zones != 1 || *d.Facts.OverlapHours != 20 || d.Facts.Stakeholders != 5 {
		t.Errorf("facts = %+v, want the given zones 1, overlap 20, stakeholders 5", d.Facts)
	}
	if !strings.Contains(d.Trace[1].Says, "take precedence") {
		t.Errorf("roster step = %q, want it to say the given figures take precedence", d.Trace[1].Says)
	}
}

func TestTeamFiguresPushTowardSync(t *testing.T) {
	in := decide.Input{Purpose: "question", Stakeholders: 3, Zones: 1, Ambiguity: decide.Low, Urgency: 4 * time.Hour}
	without, err := decide.Decide(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Team = &decide.TeamFigures{Measured: true, Weeks: 6, MedianResponseWorkingHours: 3}
	with, err := decide.Decide(in)
	if err != nil {
		t.Fatal(err)
	}
	if with.Lean <= without.Lean || with.Mode <= without.Mode {
		t.Errorf("with a slow measured median: lean %v mode %s; without: lean %v mode %s; want more sync", with.Lean, with.Mode, without.Lean, without.Mode)
	}
	var step decide.Step
	for _, s := range with.Trace {
		if s.Rule == "team-replies-slower" {
			step = s
		}
	}
	// 3 working hours at 4.2 wall-clock hours each: 12.6h.
	if !strings.Contains(step.Says, "median first reply takes 12.6h") || !strings.Contains(step.Fact, "urgency_to_median 0.32 (below 1)") {
		t.Errorf("trace step = %+v, want the 12.6h median and the ratio", step)
	}
	if !strings.Contains(with.Trace[1].Says, "measured over 6 weeks") {
		t.Errorf("team figures step = %q, want it to say the figures are measured", with.Trace[1].Says)
	}
	if with.Confidence <= without.Confidence-0.1 {
		t.Errorf("confidence with measured figures = %v, without = %v", with.Confidence, without.Confidence)
	}
}

func TestDecisionJSON(t *testing.T) {
	d, err := decide.Decide(decide.Input{Purpose: "brainstorm", Stakeholders: 6, Zones: 3, Ambiguity: decide.High, Now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"mode", "playbook", "confidence", "summary", "lean", "facts", "matrix", "trace", "advice"} {
		if _, ok := got[key]; !ok {
			t.Errorf("JSON has no %q: %s", key, b)
		}
	}
	if got["mode"] != "hybrid" {
		t.Errorf("mode = %v, want \"hybrid\"", got["mode"])
	}
	var back decide.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("JSON round trip changed the decision (-want +got):\n%s", diff)
	}
}

func TestTraceNamesEveryRuleAndFact(t *testing.T) {
	for _, sc := range scenarios {
		d, err := decide.Decide(sc.in)
		if err != nil {
			t.Fatal(err)
		}
		last := d.Trace[len(d.Trace)-1]
		if last.Rule != "result" || !strings.HasSuffix(last.Says, "Answer: "+d.Mode.String()+".") {
			t.Errorf("%s: last step = %+v, want the result", sc.name, last)
		}
		for _, s := range d.Trace {
			if s.Says == "" || strings.ContainsAny(s.Says, "{}") {
				t.Errorf("%s: step %s says %q", sc.name, s.Rule, s.Says)
			}
			if s.Rule != "defaults" && s.Rule != "roster" && s.Rule != "team-figures" && s.Rule != "result" && (s.Fact == "" || s.Effect == "") {
				t.Errorf("%s: step %s has fact %q and effect %q, want both", sc.name, s.Rule, s.Fact, s.Effect)
			}
		}
	}
}

func TestText(t *testing.T) {
	tm := loadTeam(t)
	ms, _ := decide.Participants(&tm, []string{"ana@example.com", "kenji@example.com", "liam@example.com"})
	d, err := decide.Decide(decide.Input{Purpose: "decision", Ambiguity: decide.High, Participants: ms, Owner: "Ana Silva",
		Now: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), ResponseWindow: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	for _, want := range []string{"HYBRID — Async prep + 20-min huddle", "Matrix (score 0-5", "Relationship building", "weighted total", "weighted average",
		"[sync-for-ambiguity] Ambiguity is high", "because ambiguity high (at least high)", "Pre-read due by", "Kenji Sato", "Asia/Tokyo", "@Ana Silva", "Timebox:  20m"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// TestNoPanics feeds many random, partly absurd inputs; every answer is a
// decision or an EINVALID error.
func TestNoPanics(t *testing.T) {
	tm := loadTeam(t)
	r := rand.New(rand.NewPCG(1, 2))
	words := append(purposeIDs, "", "1:1", "nonsense", "status update", "\x00", strings.Repeat("a", 300))
	for range 5000 {
		in := decide.Input{
			Purpose:      words[r.IntN(len(words))],
			Stakeholders: r.IntN(200) - 20,
			Zones:        r.IntN(50) - 5,
			Ambiguity:    decide.Level(r.IntN(6)),
			Relationship: decide.Level(r.IntN(6)),
			Stakes:       decide.Level(r.IntN(6)),
			Urgency:      time.Duration(r.Int64N(int64(400*24*time.Hour))) - time.Hour,
			Functions:    r.IntN(10) - 2,
		}
		if r.IntN(3) == 0 {
			in.OverlapHours = ptr([]float64{-1, 0, 3, 40, 169, math.NaN(), math.Inf(1)}[r.IntN(7)])
		}
		if r.IntN(3) == 0 {
			in.Team = &decide.TeamFigures{MedianResponseHours: r.NormFloat64() * 20, WithinWindowShare: r.Float64() * 1.2, SyncAsyncRatio: r.Float64() * 5}
		}
		if r.IntN(4) == 0 {
			n := 1 + r.IntN(len(tm.Members))
			in.Participants = tm.Members[:n]
			in.Now = time.Unix(r.Int64N(4e9), 0)
		}
		d, err := decide.Decide(in)
		if err != nil {
			if rhythm.ErrorCode(err) != rhythm.EINVALID || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Decide(%+v) error %q, want one line, code invalid", in, err)
			}
			continue
		}
		if d.Mode > decide.Sync || math.IsNaN(d.Lean) || d.Confidence < 0.3 || d.Confidence > 1 {
			t.Fatalf("Decide(%+v) = mode %d, lean %v, confidence %v", in, d.Mode, d.Lean, d.Confidence)
		}
	}
}

func FuzzRequest(f *testing.F) {
	f.Add(`{"purpose":"status update","stakeholders":7,"zones":4,"ambiguity":"low","urgency":"days"}`)
	f.Add(`{"purpose":"1:1","urgency":"3d","overlap_hours":0}`)
	f.Add(`{"with":["ana@example.com"],"team_figures":{"measured":true,"median_response_hours":9}}`)
	tm := loadTeam(f)
	f.Fuzz(func(t *testing.T, body string) {
		var r decide.Request
		if json.Unmarshal([]byte(body), &r) != nil {
			return
		}
		in, err := r.Input(&tm)
		if err != nil {
			if rhythm.ErrorCode(err) != rhythm.EINVALID {
				t.Fatalf("Input error %v has code %q", err, rhythm.ErrorCode(err))
			}
			return
		}
		if _, err := decide.Decide(in); err != nil && rhythm.ErrorCode(err) != rhythm.EINVALID {
			t.Fatalf("Decide error %v has code %q", err, rhythm.ErrorCode(err))
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	in := decide.Input{Purpose: "brainstorm", Stakeholders: 6, Zones: 3, Ambiguity: decide.High, Urgency: 72 * time.Hour}
	if _, err := decide.Decide(in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		decide.Decide(in)
	}
}

func BenchmarkDecideWithRoster(b *testing.B) {
	tm := loadTeam(b)
	in := decide.Input{Purpose: "decision", Ambiguity: decide.Medium, Participants: tm.Members[:4], Now: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}
	if _, err := decide.Decide(in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		decide.Decide(in)
	}
}
