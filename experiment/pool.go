package experiment

import (
	"slices"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/team"
)

// Stratification choices for team units.
const (
	StratifyNone = "none" // one stratum
	StratifySize = "size" // smaller and larger teams, split at the median headcount
)

// headcount counts the members on the roster on day d.
func headcount(t team.Team, d team.Date) int {
	n := 0
	for _, m := range t.Members {
		if (m.Start.IsZero() || !d.Before(m.Start)) && (m.Leave.IsZero() || !m.Leave.Before(d)) {
			n++
		}
	}
	return n
}

// TeamPool returns the teams as units. With StratifySize, teams with a
// headcount (on asOf) at or below the median form the stratum "smaller"
// and the rest "larger", so both arms get a share of each.
func TeamPool(teams []team.Team, stratify string, asOf team.Date) ([]Unit, error) {
	switch stratify {
	case StratifyNone, StratifySize, "":
	default:
		return nil, rhythm.Errorf(rhythm.EINVALID, "stratify: %q is not none or size", stratify)
	}
	sizes := make([]int, len(teams))
	for i, t := range teams {
		sizes[i] = headcount(t, asOf)
	}
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	out := make([]Unit, len(teams))
	for i, t := range teams {
		out[i] = Unit{ID: t.Name}
		if stratify == StratifySize && len(sorted) > 0 {
			median := sorted[(len(sorted)-1)/2]
			out[i].Stratum = "smaller"
			if sizes[i] > median {
				out[i].Stratum = "larger"
			}
		}
	}
	return out, nil
}

// PeoplePool returns the members on the teams' rosters on asOf as units
// (by email), stratified by team. A person on several teams counts once,
// in the first.
func PeoplePool(teams []team.Team, asOf team.Date) []Unit {
	var out []Unit
	seen := map[string]bool{}
	for _, t := range teams {
		for _, m := range t.Members {
			if !m.Leave.IsZero() && m.Leave.Before(asOf) {
				continue
			}
			k := metric.UnitKey(m.Email)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, Unit{ID: m.Email, Stratum: t.Name})
		}
	}
	return out
}
