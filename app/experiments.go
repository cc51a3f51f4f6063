package app

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"io"
	"slices"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// ExperimentInput defines an experiment.
type ExperimentInput struct {
	Name       string           `json:"name"`
	Hypothesis string           `json:"hypothesis,omitempty"`
	Units      string           `json:"units,omitempty"` // team (default) or person
	Teams      []string         `json:"teams"`           // names or ids of the teams taking part
	Arms       []experiment.Arm `json:"arms,omitempty"`  // the first is the control
	Baseline   string           `json:"baseline"`        // a period: 2026-01-05/2026-02-01, 2026-Q1…
	Treatment  string           `json:"treatment"`
	Outcomes   []string         `json:"outcomes"`
	Seed       *uint64          `json:"seed,omitempty"`     // default: random, stored
	Stratify   string           `json:"stratify,omitempty"` // team units: size (default) or none
}

// DefaultArms are the arms of an experiment defined without any: the
// "async prep + short sync" pattern against business as usual.
var DefaultArms = []experiment.Arm{
	{Name: "control", Description: "meetings as usual"},
	{Name: "async prep + 20-min sync", Description: "half of the prep moves to a shared doc; the sync is 25% shorter"},
}

// randomSeed is the seed of an experiment defined without one; it is
// stored, so the assignment can be reproduced.
func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 11 // fits a JSON number exactly
}

// leads reports whether who may manage team id: admins, and its leads.
func leads(who Actor, id int64) bool {
	return who.Admin() || slices.Contains(who.User.LeadOf, id)
}

// CreateExperiment checks and stores an experiment. Only admins and leads
// of every team taking part may create one.
func (a *App) CreateExperiment(ctx context.Context, who Actor, in ExperimentInput) (experiment.Experiment, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return experiment.Experiment{}, err
	}
	e, teams, err := a.buildExperiment(ctx, in)
	if err != nil {
		return e, err
	}
	ids := make([]int64, len(teams))
	for i, t := range teams {
		if !leads(who, t.ID) {
			return e, rhythm.Errorf(rhythm.EFORBIDDEN, "teams: only an admin or a lead of every team taking part may create this experiment, and you do not lead one of them")
		}
		ids[i] = t.ID
	}
	return a.db.CreateExperiment(ctx, e, who.User.ID, ids)
}

// buildExperiment checks an input and returns the experiment with its
// teams.
func (a *App) buildExperiment(ctx context.Context, in ExperimentInput) (experiment.Experiment, []team.Team, error) {
	e := experiment.Experiment{Name: in.Name, Hypothesis: strings.TrimSpace(in.Hypothesis), Units: experiment.UnitKind(strings.TrimSpace(in.Units)),
		Arms: in.Arms, Outcomes: in.Outcomes, Seed: randomSeed()}
	if len(e.Arms) == 0 {
		e.Arms = slices.Clone(DefaultArms)
	}
	if e.Units == "" {
		e.Units = experiment.Teams
	}
	if e.Units != experiment.Teams && e.Units != experiment.People {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "units: %q is not team or person", in.Units)
	}
	var err error
	if e.Baseline, err = metric.ParsePeriod(in.Baseline); err != nil {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "baseline: %v", err)
	}
	if e.Treatment, err = metric.ParsePeriod(in.Treatment); err != nil {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "treatment: %v", err)
	}
	if in.Seed != nil {
		e.Seed = *in.Seed
	}
	teams, err := a.experimentTeams(ctx, in.Teams)
	if err != nil {
		return e, nil, err
	}
	if e.Units == experiment.People {
		e.Pool = experiment.PeoplePool(teams, e.Baseline.Start)
	} else {
		stratify := in.Stratify
		if stratify == "" {
			stratify = experiment.StratifySize
		}
		if e.Pool, err = experiment.TeamPool(teams, stratify, e.Baseline.Start); err != nil {
			return e, nil, err
		}
	}
	return e, teams, e.Validate()
}

// experimentTeams reads the teams named by refs, each once.
func (a *App) experimentTeams(ctx context.Context, refs []string) ([]team.Team, error) {
	if len(refs) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "teams: name the teams taking part")
	}
	var teams []team.Team
	for i, ref := range refs {
		t, err := a.db.Team(ctx, strings.TrimSpace(ref))
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return nil, rhythm.Errorf(rhythm.EINVALID, "teams[%d]: %s", i, rhythm.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(teams, func(o team.Team) bool { return o.ID == t.ID }) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "teams[%d]: %q appears twice", i, t.Name)
		}
		teams = append(teams, t)
	}
	return teams, nil
}

// Experiment returns an experiment and whether who may manage it
// (assign): admins and leads of every team in it. Leads of some of its
// teams may read it; anyone else is refused.
func (a *App) Experiment(ctx context.Context, who Actor, id int64) (experiment.Experiment, bool, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return experiment.Experiment{}, false, err
	}
	e, err := a.db.Experiment(ctx, id)
	if err != nil {
		return e, false, err
	}
	if who.Admin() {
		return e, true, nil
	}
	teamIDs, err := a.db.ExperimentTeams(ctx, id)
	if err != nil {
		return e, false, err
	}
	some, all := false, true
	for _, t := range teamIDs {
		if leads(who, t) {
			some = true
		} else {
			all = false
		}
	}
	if !some {
		return experiment.Experiment{}, false, rhythm.Errorf(rhythm.EFORBIDDEN, "only admins and leads of its teams may see experiment %d", id)
	}
	return e, all, nil
}

// Experiments lists the experiments who may read.
func (a *App) Experiments(ctx context.Context, who Actor) ([]store.ExperimentSummary, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	all, err := a.db.ListExperiments(ctx)
	if err != nil {
		return nil, err
	}
	out := []store.ExperimentSummary{}
	for _, e := range all {
		if who.Admin() || slices.ContainsFunc(e.TeamIDs, func(id int64) bool { return leads(who, id) }) {
			out = append(out, e)
		}
	}
	return out, nil
}

// LedTeams are the teams who may put in an experiment.
func (a *App) LedTeams(ctx context.Context, who Actor) ([]store.TeamSummary, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	all, err := a.db.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	out := []store.TeamSummary{}
	for _, t := range all {
		if leads(who, t.ID) {
			out = append(out, t)
		}
	}
	return out, nil
}

// AssignExperiment randomises the units of an experiment to its arms
// (once; reproducible from the stored seed), or with a CSV file (named
// name in errors) adopts an existing assignment. Only admins and leads of
// every team in it may.
func (a *App) AssignExperiment(ctx context.Context, who Actor, id int64, name string, csv io.Reader) (experiment.Experiment, error) {
	e, manage, err := a.Experiment(ctx, who, id)
	if err != nil {
		return e, err
	}
	if !manage {
		return e, rhythm.Errorf(rhythm.EFORBIDDEN, "only admins and leads of every team in experiment %d may assign it", e.ID)
	}
	if csv == nil {
		return a.db.AssignExperiment(ctx, e.ID)
	}
	from, err := experiment.ParseAssignments(name, csv)
	if err != nil {
		return e, err
	}
	return a.db.AdoptAssignment(ctx, e.ID, from)
}

// ExperimentReport analyses an experiment on everything stored plus
// extra samples; resamples 0 is the default.
func (a *App) ExperimentReport(ctx context.Context, who Actor, id int64, extra []metric.Sample, resamples int) (experiment.Experiment, experiment.Report, error) {
	e, _, err := a.Experiment(ctx, who, id)
	if err != nil {
		return e, experiment.Report{}, err
	}
	now := a.now()
	samples, err := a.db.OutcomeSamples(ctx, now, extra)
	if err != nil {
		return e, experiment.Report{}, err
	}
	rep, err := experiment.Analyze(e, samples, team.DateOf(now.UTC()), stats.Options{Seed: e.Seed, Resamples: resamples})
	return e, rep, err
}

// ExperimentStatus is where an experiment stands today.
func (a *App) ExperimentStatus(e experiment.Experiment) experiment.Status {
	return e.Status(team.DateOf(a.now().UTC()))
}
