package experiment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
)

// MaxAssignmentRows bounds an assignment file.
const MaxAssignmentRows = 100_000

// ParseAssignments reads an existing assignment from CSV: a header naming
// a unit column (unit, team, person or email) and an arm column, then one
// row per unit; other columns (such as those rhythm gen writes: metric,
// delta, treat_from) are not read. name labels errors ("assignment.csv:3:
// arm: …").
func ParseAssignments(name string, r io.Reader) ([]Assignment, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: empty; want a header with unit (or team) and arm", name)
	} else if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
	}
	unitCol, armCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "unit", "team", "person", "email":
			unitCol = i
		case "arm":
			armCol = i
		}
	}
	if unitCol < 0 || armCol < 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: the header needs a unit (or team) column and an arm column", name)
	}
	var out []Assignment
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
		}
		at := fmt.Sprintf("%s:%d", name, line)
		if len(rec) <= max(unitCol, armCol) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %d fields; the header has %d", at, len(rec), len(header))
		}
		unit, arm := strings.TrimSpace(rec[unitCol]), strings.TrimSpace(rec[armCol])
		switch {
		case unit == "":
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %s: empty", at, header[unitCol])
		case arm == "":
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: arm: empty", at)
		}
		if prev, ok := seen[metric.UnitKey(unit)]; ok {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %s: %q is listed already on line %d", at, header[unitCol], unit, prev)
		}
		seen[metric.UnitKey(unit)] = line
		if len(out) == MaxAssignmentRows {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: more than %d rows", name, MaxAssignmentRows)
		}
		out = append(out, Assignment{Unit: unit, Arm: arm})
	}
	if len(out) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: no rows after the header", name)
	}
	return out, nil
}

// Adopt checks an existing assignment against the experiment — every
// unit of the pool exactly once, no other unit, every arm one of the
// experiment's (any case) with at least two units — and returns it with
// the experiment's spelling of arms and units and the pool's strata.
func Adopt(e Experiment, as []Assignment) ([]Assignment, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	pool := map[string]Unit{}
	for _, u := range e.Pool {
		pool[metric.UnitKey(u.ID)] = u
	}
	count := map[string]int{}
	var out []Assignment
	for _, a := range as {
		u, ok := pool[metric.UnitKey(a.Unit)]
		if !ok {
			return nil, rhythm.Errorf(rhythm.EINVALID, "assignment: %q is not a unit of experiment %q (units: %s)", a.Unit, e.Name, unitList(e.Pool))
		}
		arm, ok := e.Arm(a.Arm)
		if !ok {
			return nil, rhythm.Errorf(rhythm.EINVALID, "assignment: %s: arm %q is not one of %s", a.Unit, a.Arm, armList(e.Arms))
		}
		count[arm.Name]++
		out = append(out, Assignment{Unit: u.ID, Arm: arm.Name, Stratum: u.Stratum})
	}
	for _, u := range e.Pool {
		if !slices.ContainsFunc(out, func(a Assignment) bool { return a.Unit == u.ID }) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "assignment: unit %q of the experiment has no arm in the file", u.ID)
		}
	}
	for _, a := range e.Arms {
		if count[a.Name] < 2 {
			return nil, rhythm.Errorf(rhythm.EINVALID, "assignment: arm %q has %d units; each arm needs at least 2", a.Name, count[a.Name])
		}
	}
	slices.SortFunc(out, func(a, b Assignment) int { return strings.Compare(metric.UnitKey(a.Unit), metric.UnitKey(b.Unit)) })
	return out, nil
}

func unitList(pool []Unit) string {
	s := make([]string, len(pool))
	for i, u := range pool {
		s[i] = u.ID
	}
	if len(s) > 12 {
		return strings.Join(s[:12], ", ") + fmt.Sprintf(", and %d more", len(s)-12)
	}
	return strings.Join(s, ", ")
}

func armList(arms []Arm) string {
	s := make([]string, len(arms))
	for i, a := range arms {
		s[i] = fmt.Sprintf("%q", a.Name)
	}
	return strings.Join(s, ", ")
}
