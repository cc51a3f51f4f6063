package web

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"slices"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// experimentRequest is the body that creates an experiment.
type experimentRequest struct {
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

// defaultArms are the arms when a request names none.
var defaultArms = []experiment.Arm{
	{Name: "control", Description: "meetings as usual"},
	{Name: "async prep + 20-min sync", Description: "half of the prep moves to a shared doc; the sync is 25% shorter"},
}

func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 11
}

// leads reports whether u may manage team id: admins, and its leads.
func leads(u account.User, id int64) bool {
	return u.Role == account.Admin || slices.Contains(u.LeadOf, id)
}

// buildExperiment checks a request and returns the experiment with the
// ids of its teams. Only admins and leads of every team taking part may
// create one.
func (s *Server) buildExperiment(r *http.Request, req experimentRequest) (experiment.Experiment, []int64, error) {
	e := experiment.Experiment{Name: req.Name, Hypothesis: strings.TrimSpace(req.Hypothesis), Units: experiment.UnitKind(strings.TrimSpace(req.Units)),
		Arms: req.Arms, Outcomes: req.Outcomes}
	if len(e.Arms) == 0 {
		e.Arms = slices.Clone(defaultArms)
	}
	if e.Units == "" {
		e.Units = experiment.Teams
	}
	if e.Units != experiment.Teams && e.Units != experiment.People {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "units: %q is not team or person", req.Units)
	}
	var err error
	if e.Baseline, err = metric.ParsePeriod(req.Baseline); err != nil {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "baseline: %v", err)
	}
	if e.Treatment, err = metric.ParsePeriod(req.Treatment); err != nil {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "treatment: %v", err)
	}
	e.Seed = randomSeed()
	if req.Seed != nil {
		e.Seed = *req.Seed
	}
	if len(req.Teams) == 0 {
		return e, nil, rhythm.Errorf(rhythm.EINVALID, "teams: name the teams taking part")
	}
	var (
		teams []team.Team
		ids   []int64
	)
	for i, ref := range req.Teams {
		t, err := s.db.Team(r.Context(), strings.TrimSpace(ref))
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return e, nil, rhythm.Errorf(rhythm.EINVALID, "teams[%d]: %s", i, rhythm.ErrorMessage(err))
		} else if err != nil {
			return e, nil, err
		}
		if slices.Contains(ids, t.ID) {
			return e, nil, rhythm.Errorf(rhythm.EINVALID, "teams[%d]: %q appears twice", i, t.Name)
		}
		teams, ids = append(teams, t), append(ids, t.ID)
	}
	if e.Units == experiment.People {
		e.Pool = experiment.PeoplePool(teams, e.Baseline.Start)
	} else {
		stratify := req.Stratify
		if stratify == "" {
			stratify = experiment.StratifySize
		}
		if e.Pool, err = experiment.TeamPool(teams, stratify, e.Baseline.Start); err != nil {
			return e, nil, err
		}
	}
	if err := e.Validate(); err != nil {
		return e, nil, err
	}
	u, _ := currentUser(r)
	for _, t := range teams {
		if !leads(u, t.ID) {
			return e, nil, rhythm.Errorf(rhythm.EFORBIDDEN, "teams: only an admin or a lead of every team taking part may create this experiment, and you do not lead one of them")
		}
	}
	return e, ids, nil
}

// loadExperiment returns the experiment of the path and whether the user
// may manage it (assign): admins and leads of every team in it. Leads of
// some of its teams may read it; anyone else is refused.
func (s *Server) loadExperiment(r *http.Request) (experiment.Experiment, bool, error) {
	id, err := pathID(r, "experiment")
	if err != nil {
		return experiment.Experiment{}, false, err
	}
	e, err := s.db.Experiment(r.Context(), id)
	if err != nil {
		return e, false, err
	}
	teamIDs, err := s.db.ExperimentTeams(r.Context(), id)
	if err != nil {
		return e, false, err
	}
	u, _ := currentUser(r)
	some, all := false, true
	for _, t := range teamIDs {
		if leads(u, t) {
			some = true
		} else {
			all = false
		}
	}
	if u.Role == account.Admin {
		return e, true, nil
	}
	if !some {
		return e, false, rhythm.Errorf(rhythm.EFORBIDDEN, "only admins and leads of its teams may see experiment %d", id)
	}
	return e, all, nil
}

// visibleExperiments lists the experiments the user may read.
func (s *Server) visibleExperiments(r *http.Request) ([]store.ExperimentSummary, error) {
	all, err := s.db.ListExperiments(r.Context())
	if err != nil {
		return nil, err
	}
	u, _ := currentUser(r)
	out := []store.ExperimentSummary{}
	for _, e := range all {
		if u.Role == account.Admin || slices.ContainsFunc(e.TeamIDs, func(id int64) bool { return leads(u, id) }) {
			out = append(out, e)
		}
	}
	return out, nil
}

// experimentReport analyses the experiment on everything stored.
func (s *Server) experimentReport(r *http.Request, e experiment.Experiment) (experiment.Report, error) {
	now := s.now()
	samples, err := s.db.OutcomeSamples(r.Context(), now, nil)
	if err != nil {
		return experiment.Report{}, err
	}
	return experiment.Analyze(e, samples, team.DateOf(now.UTC()), stats.Options{Seed: e.Seed})
}

func (s *Server) apiListExperiments(w http.ResponseWriter, r *http.Request) {
	list, err := s.visibleExperiments(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiments": list})
}

func (s *Server) apiCreateExperiment(w http.ResponseWriter, r *http.Request) {
	var req experimentRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	e, ids, err := s.buildExperiment(r, req)
	if err == nil {
		u, _ := currentUser(r)
		e, err = s.db.CreateExperiment(r.Context(), e, u.ID, ids)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, map[string]any{"experiment": e, "power": experiment.Power(e, nil)})
}

func (s *Server) apiGetExperiment(w http.ResponseWriter, r *http.Request) {
	e, _, err := s.loadExperiment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiment": e, "status": e.Status(team.DateOf(s.now().UTC())), "power": experiment.Power(e, nil)})
}

func (s *Server) apiAssignExperiment(w http.ResponseWriter, r *http.Request) {
	e, manage, err := s.loadExperiment(r)
	if err == nil && !manage {
		err = rhythm.Errorf(rhythm.EFORBIDDEN, "only admins and leads of every team in experiment %d may assign it", e.ID)
	}
	if err == nil {
		e, err = s.db.AssignExperiment(r.Context(), e.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"experiment": e})
}

func (s *Server) apiExperimentReport(w http.ResponseWriter, r *http.Request) {
	e, _, err := s.loadExperiment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.experimentReport(r, e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, rep)
}
