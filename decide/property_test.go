package decide_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/decide"
)

var purposeIDs = func() []string {
	p, err := decide.DefaultPolicy()
	if err != nil {
		panic(err)
	}
	return p.PurposeIDs()
}()

// randomInput returns a valid input with every field given, so that no
// default or derived value changes under the property's single change.
func randomInput(r *rand.Rand, purposes []string) decide.Input {
	st := 1 + r.IntN(60)
	in := decide.Input{
		Purpose:      purposes[r.IntN(len(purposes))],
		Stakeholders: st,
		Zones:        1 + r.IntN(min(st, 12)),
		Ambiguity:    decide.Level(1 + r.IntN(3)),
		Relationship: decide.Level(1 + r.IntN(3)),
		Stakes:       decide.Level(1 + r.IntN(3)),
		Urgency:      []time.Duration{30 * time.Minute, time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 72 * time.Hour, 168 * time.Hour}[r.IntN(7)],
		Record:       ptr(r.IntN(2) == 0),
		Functions:    1 + r.IntN(4),
	}
	if r.IntN(3) == 0 {
		in.OverlapHours = ptr(float64(r.IntN(41)))
	}
	if r.IntN(3) == 0 {
		in.Team = &decide.TeamFigures{Measured: r.IntN(2) == 0, MedianResponseHours: float64(r.IntN(30)),
			WithinWindowShare: r.Float64(), SyncAsyncRatio: 3 * r.Float64()}
	}
	return in
}

func mustDecide(t *testing.T, p *decide.Policy, in decide.Input) decide.Decision {
	t.Helper()
	d, err := p.Decide(in)
	if err != nil {
		t.Fatalf("Decide(%+v): %v", in, err)
	}
	return d
}

// violation searches many seeded random inputs for one where change moves
// the mode in the forbidden direction (async < hybrid < sync): toward sync
// when forbidSync, else toward async. prepare, when not nil, adjusts each
// random input before both decisions. It returns a description of the
// first violation, or "".
func violation(t *testing.T, p *decide.Policy, purposes []string, prepare func(*decide.Input), change func(*decide.Input) bool, forbidSync bool) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	checked := 0
	for range 20000 {
		in := randomInput(r, purposes)
		if prepare != nil {
			prepare(&in)
		}
		before := mustDecide(t, p, in)
		next := in
		if !change(&next) {
			continue
		}
		after := mustDecide(t, p, next)
		checked++
		if forbidSync && after.Mode > before.Mode || !forbidSync && after.Mode < before.Mode {
			return fmt.Sprintf("mode moved %s -> %s\nbefore %+v\nafter  %+v\ntrace before:\n%s\ntrace after:\n%s",
				before.Mode, after.Mode, in, next, traceText(before), traceText(after))
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d inputs checked", checked)
	}
	return ""
}

func defaultPolicy(t *testing.T) *decide.Policy {
	t.Helper()
	p, err := decide.DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func addZone(in *decide.Input) bool {
	if in.Zones >= in.Stakeholders {
		return false
	}
	in.Zones++
	return true
}

func addStakeholders(in *decide.Input) bool {
	in.Stakeholders += 1 + in.Stakeholders/3
	return true
}

func raise(l *decide.Level) bool {
	if *l == decide.High {
		return false
	}
	*l++
	return true
}

func lowAmbiguity(in *decide.Input) { in.Ambiguity = decide.Low }

func TestPropertyMoreZonesOrPeopleNeverTowardSync(t *testing.T) {
	routine := []string{"status_update", "announcement"}
	tests := []struct {
		name     string
		purposes []string
		prepare  func(*decide.Input)
		change   func(*decide.Input) bool
	}{
		{"low-ambiguity routine update, one more zone", routine, lowAmbiguity, addZone},
		{"low-ambiguity routine update, more stakeholders", routine, lowAmbiguity, addStakeholders},
		{"any purpose, one more zone", purposeIDs, nil, addZone},
		{"any purpose, more stakeholders", purposeIDs, nil, addStakeholders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := violation(t, defaultPolicy(t), tt.purposes, tt.prepare, tt.change, true); v != "" {
				t.Error(v)
			}
		})
	}
}

func TestPropertyMoreAmbiguityOrRelationshipNeverTowardAsync(t *testing.T) {
	tests := []struct {
		name   string
		change func(*decide.Input) bool
	}{
		{"ambiguity", func(in *decide.Input) bool { return raise(&in.Ambiguity) }},
		{"relationship intensity", func(in *decide.Input) bool { return raise(&in.Relationship) }},
		{"emotional stakes", func(in *decide.Input) bool { return raise(&in.Stakes) }},
		{"shorter urgency", func(in *decide.Input) bool {
			if in.Urgency <= 30*time.Minute {
				return false
			}
			in.Urgency /= 2
			return true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := violation(t, defaultPolicy(t), purposeIDs, nil, tt.change, false); v != "" {
				t.Error(v)
			}
		})
	}
}

// TestPropertyCatchesBrokenPolicy shows the property check can fail: a team
// override that makes big groups push toward sync breaks the promise.
func TestPropertyCatchesBrokenPolicy(t *testing.T) {
	p, err := defaultPolicy(t).With(map[string]float64{"lean.big-group": 8, "lean.crowd": 8})
	if err != nil {
		t.Fatal(err)
	}
	if v := violation(t, p, purposeIDs, nil, addStakeholders, true); v == "" {
		t.Error("no violation found for a policy where more stakeholders push toward sync")
	}
}
