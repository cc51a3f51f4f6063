// Package experiment runs A/B tests of communication rhythms: arms (a
// control and one or more changed rhythms, such as "async prep + 20-min
// sync"), units (teams or people) assigned at random within strata from a
// stored seed, a baseline and a treatment window, and outcome metrics from
// the audit and pulse. The analysis is a difference-in-differences with
// bootstrap intervals and a Mann-Whitney test; before the start it warns
// when the experiment is too small to detect a realistic effect.
package experiment

import (
	"fmt"
	"github.com/rhythm-team/rhythm/internal/suggest"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// UnitKind says what is randomised: whole teams or single people.
type UnitKind string

// Unit kinds.
const (
	Teams  UnitKind = "team"
	People UnitKind = "person"
)

// Limits of an experiment definition.
const (
	MaxArms        = 6
	MaxUnits       = 5000
	MaxOutcomes    = 20
	MinUnitsPerArm = 2
	// MinPeoplePerArm keeps person-level arms at least as large as the
	// default min_group_size, so no one's numbers can be read off an arm.
	MinPeoplePerArm = team.DefaultMinGroupSize
)

// Count says n units of kind k: "1 team", "6 people".
func (k UnitKind) Count(n int) string {
	if n == 1 {
		return "1 " + string(k)
	}
	return fmt.Sprintf("%d %s", n, k.plural())
}

// plural names units of kind k: "teams", "people".
func (k UnitKind) plural() string {
	if k == People {
		return "people"
	}
	return string(k) + "s"
}

// taking says how many units the teams taking part make: "2 teams take
// part", "the teams taking part have 6 people".
func (e *Experiment) taking() string {
	switch {
	case e.Units == People:
		return "the teams taking part have " + e.Units.Count(len(e.Pool))
	case len(e.Pool) == 1:
		return "1 team takes part"
	}
	return e.Units.Count(len(e.Pool)) + " take part"
}

// Arm is one condition of the experiment. The first arm is the control.
type Arm struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Unit is one candidate for assignment: a team name or a person's email,
// with the stratum it is randomised within.
type Unit struct {
	ID      string `json:"id"`
	Stratum string `json:"stratum,omitempty"`
}

// Assignment is the arm a unit was randomised to.
type Assignment struct {
	Unit    string `json:"unit"`
	Arm     string `json:"arm"`
	Stratum string `json:"stratum,omitempty"`
}

// Experiment is an A/B test of rhythms.
type Experiment struct {
	ID         int64  `json:"id,omitempty"`
	Name       string `json:"name"`
	Hypothesis string `json:"hypothesis,omitempty"`
	// Units is what is randomised.
	Units UnitKind `json:"units"`
	// Arms are the conditions; Arms[0] is the control.
	Arms []Arm `json:"arms"`
	// Pool are the units to randomise.
	Pool []Unit `json:"pool"`
	// Seed makes the assignment reproducible.
	Seed uint64 `json:"seed"`
	// Baseline and Treatment are the windows compared; the treatment
	// starts after the baseline ends.
	Baseline  metric.Period `json:"baseline"`
	Treatment metric.Period `json:"treatment"`
	// Outcomes are the metric names measured.
	Outcomes []string `json:"outcomes"`
	// Assignments are empty until the experiment is assigned.
	Assignments []Assignment `json:"assignments,omitempty"`
	CreatedAt   time.Time    `json:"created_at,omitzero"`
}

func invalid(format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, format, args...)
}

// Validate checks the definition and normalises names. Each error names
// the field it is about.
func (e *Experiment) Validate() error {
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" {
		return invalid("name: must not be empty")
	}
	if len(e.Name) > 200 {
		return invalid("name: at most 200 characters")
	}
	switch e.Units {
	case Teams, People:
	case "":
		e.Units = Teams
	default:
		return invalid("units: %q is not team or person", e.Units)
	}
	if len(e.Arms) < 2 || len(e.Arms) > MaxArms {
		return invalid("arms: an experiment has a control and 1 to %d other arms, not %d arms in all", MaxArms-1, len(e.Arms))
	}
	seen := map[string]bool{}
	for i := range e.Arms {
		a := &e.Arms[i]
		a.Name, a.Description = strings.TrimSpace(a.Name), strings.TrimSpace(a.Description)
		if a.Name == "" {
			return invalid("arms[%d].name: must not be empty", i)
		}
		if seen[strings.ToLower(a.Name)] {
			return invalid("arms[%d].name: %q appears twice", i, a.Name)
		}
		seen[strings.ToLower(a.Name)] = true
	}
	seen = map[string]bool{}
	for i := range e.Pool {
		u := &e.Pool[i]
		u.ID, u.Stratum = strings.TrimSpace(u.ID), strings.TrimSpace(u.Stratum)
		if u.ID == "" {
			return invalid("units[%d]: must not be empty", i)
		}
		if seen[metric.UnitKey(u.ID)] {
			return invalid("units[%d]: %q appears twice", i, u.ID)
		}
		seen[metric.UnitKey(u.ID)] = true
	}
	if err := e.checkPoolSize(); err != nil {
		return err
	}
	if e.Baseline.IsZero() {
		return invalid("baseline: the baseline window must be set")
	}
	if e.Treatment.IsZero() {
		return invalid("treatment: the treatment window must be set")
	}
	for _, w := range []struct {
		name string
		p    metric.Period
	}{{"baseline", e.Baseline}, {"treatment", e.Treatment}} {
		if w.p.End.Before(w.p.Start) {
			return invalid("%s: %s ends before it starts", w.name, w.p)
		}
	}
	if e.Baseline.Overlaps(e.Treatment) {
		return invalid("treatment: the window %s overlaps the baseline window %s; the treatment must start after the baseline ends", e.Treatment, e.Baseline)
	}
	if e.Treatment.Start.Before(e.Baseline.Start) {
		return invalid("treatment: the window %s comes before the baseline window %s", e.Treatment, e.Baseline)
	}
	if len(e.Outcomes) == 0 || len(e.Outcomes) > MaxOutcomes {
		return invalid("outcomes: name 1 to %d outcome metrics, such as %s or %s", MaxOutcomes, metric.MeetingHours, metric.ENPS)
	}
	for i, o := range e.Outcomes {
		o = strings.TrimSpace(o)
		e.Outcomes[i] = o
		if err := metric.ValidName(o); err != nil {
			return invalid("outcomes[%d]: %v", i, err)
		}
		if slices.Contains(e.Outcomes[:i], o) {
			return invalid("outcomes[%d]: %q appears twice", i, o)
		}
		if e.Units == People && (o == metric.ENPS || o == metric.Churn) {
			return invalid("outcomes[%d]: %s is measured per team (survey answers are anonymous), so it needs team units", i, o)
		}
	}
	return nil
}

// checkPoolSize refuses too many units, or too few for the arms. The
// pool comes from the teams taking part, so the errors name them: they
// are what to change.
func (e *Experiment) checkPoolSize() error {
	if len(e.Pool) > MaxUnits {
		return invalid("teams: %s; an experiment randomises at most %d", e.taking(), MaxUnits)
	}
	perArm := MinUnitsPerArm
	if e.Units == People {
		perArm = MinPeoplePerArm
	}
	if need := perArm * len(e.Arms); len(e.Pool) < need {
		why := "with one team per arm there is no variation to estimate an effect from"
		if e.Units == People {
			why = "smaller arms of people would expose individuals' numbers"
		}
		return invalid("teams: %s, but %d arms need at least %s (%d per arm): %s", e.taking(), len(e.Arms), e.Units.Count(need), perArm, why)
	}
	return nil
}

// CheckOutcomes refuses an outcome that is not among the known metric
// names (what the audit, surveys and churn produce, and what is stored),
// naming the closest and listing them, so that a typo fails at create
// rather than at analyze.
func CheckOutcomes(outcomes, known []string) error {
	for i, o := range outcomes {
		o = strings.TrimSpace(o)
		if slices.Contains(known, o) {
			continue
		}
		sorted := slices.Clone(known)
		slices.Sort(sorted)
		sorted = slices.Compact(sorted)
		hint := ""
		if near := suggest.Closest(o, sorted); near != "" {
			hint = fmt.Sprintf("did you mean %s? ", near)
		}
		return invalid("outcomes[%d]: no metric %q is measured here (%sknown: %s; import other metrics first with rhythm pulse metrics import)",
			i, o, hint, strings.Join(sorted, ", "))
	}
	return nil
}

// Arm returns the arm with the given name (case-insensitive).
func (e *Experiment) Arm(name string) (Arm, bool) {
	for _, a := range e.Arms {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return Arm{}, false
}

// Control returns the control arm.
func (e *Experiment) Control() Arm { return e.Arms[0] }

// Status is where an experiment stands.
type Status string

// Experiment statuses.
const (
	Draft    Status = "draft"    // not yet assigned
	Planned  Status = "planned"  // assigned; the baseline has not started
	Baseline Status = "baseline" // in the baseline window
	Waiting  Status = "waiting"  // between the windows
	Running  Status = "running"  // in the treatment window
	Finished Status = "finished" // after the treatment window
)

// Status returns the experiment's status on day today.
func (e *Experiment) Status(today team.Date) Status {
	switch {
	case len(e.Assignments) == 0:
		return Draft
	case today.Before(e.Baseline.Start):
		return Planned
	case e.Baseline.Contains(today):
		return Baseline
	case today.Before(e.Treatment.Start):
		return Waiting
	case e.Treatment.Contains(today):
		return Running
	}
	return Finished
}

// Assign randomises the pool to the arms, reproducibly from the seed.
// Within each stratum (in name order) units are shuffled and dealt to the
// arms in turn, the turn carrying on from stratum to stratum, so every
// arm's size differs by at most one overall and within each stratum.
func Assign(e Experiment) ([]Assignment, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	rng := stats.NewRand(e.Seed)
	strata := map[string][]string{}
	for _, u := range e.Pool {
		strata[u.Stratum] = append(strata[u.Stratum], u.ID)
	}
	names := make([]string, 0, len(strata))
	for s := range strata {
		names = append(names, s)
	}
	slices.Sort(names)
	turn := rng.IntN(len(e.Arms))
	var out []Assignment
	for _, s := range names {
		ids := strata[s]
		slices.SortFunc(ids, func(a, b string) int { return strings.Compare(metric.UnitKey(a), metric.UnitKey(b)) })
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for _, id := range ids {
			out = append(out, Assignment{Unit: id, Arm: e.Arms[turn%len(e.Arms)].Name, Stratum: s})
			turn++
		}
	}
	slices.SortFunc(out, func(a, b Assignment) int { return strings.Compare(metric.UnitKey(a.Unit), metric.UnitKey(b.Unit)) })
	return out, nil
}

// ArmOf returns the arm a unit was assigned to.
func (e *Experiment) ArmOf(unit string) (string, bool) {
	for _, a := range e.Assignments {
		if metric.UnitKey(a.Unit) == metric.UnitKey(unit) {
			return a.Arm, true
		}
	}
	return "", false
}

// Sizes returns the number of units per arm, in arm order: assigned units
// when assigned, otherwise the balanced split Assign would make.
func (e *Experiment) Sizes() []int {
	n := make([]int, len(e.Arms))
	if len(e.Assignments) > 0 {
		for _, a := range e.Assignments {
			for i, arm := range e.Arms {
				if arm.Name == a.Arm {
					n[i]++
				}
			}
		}
		return n
	}
	for i := range n {
		n[i] = len(e.Pool) / len(e.Arms)
	}
	return n // the at most len(Arms)-1 extra units are not counted: conservative
}

// String names the experiment in one line.
func (e *Experiment) String() string {
	return fmt.Sprintf("experiment %d %q", e.ID, e.Name)
}
