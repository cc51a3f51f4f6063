package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
)

// ExperimentSummary is an experiment as lists show it.
type ExperimentSummary struct {
	ID        int64               `json:"id"`
	Name      string              `json:"name"`
	Units     experiment.UnitKind `json:"units"`
	Arms      int                 `json:"arms"`
	Pool      int                 `json:"pool"`
	Assigned  bool                `json:"assigned"`
	Baseline  metric.Period       `json:"baseline"`
	Treatment metric.Period       `json:"treatment"`
	TeamIDs   []int64             `json:"team_ids"`
	CreatedBy int64               `json:"created_by"`
}

// CreateExperiment stores a validated experiment, not yet assigned.
// teamIDs are the teams it involves; createdBy is the user who made it (0
// from the command line).
func (db *DB) CreateExperiment(ctx context.Context, e experiment.Experiment, createdBy int64, teamIDs []int64) (experiment.Experiment, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.Assignments = nil
	e.CreatedAt = db.Now().UTC().Truncate(time.Second)
	err := db.InTx(ctx, func(tx *Tx) error {
		def := e
		def.ID = 0
		b, err := json.Marshal(def)
		if err != nil {
			return err
		}
		e.ID, err = tx.InsertID(ctx, "INSERT INTO experiments (name, definition, created_by, created_at) VALUES (?, ?, ?, ?)",
			e.Name, string(b), createdBy, e.CreatedAt.Unix())
		if err != nil {
			return err
		}
		for _, id := range teamIDs {
			if _, err := tx.Exec(ctx, "INSERT INTO experiment_teams (experiment_id, team_id) VALUES (?, ?) ON CONFLICT DO NOTHING", e.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	return e, err
}

// Experiment returns the experiment with its assignments.
func (db *DB) Experiment(ctx context.Context, id int64) (experiment.Experiment, error) {
	var e experiment.Experiment
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var def string
		if err := tx.QueryRow(ctx, "SELECT definition FROM experiments WHERE id = ?", id).Scan(&def); err != nil {
			return notFound(err, "experiment %d not found", id)
		}
		if err := json.Unmarshal([]byte(def), &e); err != nil {
			return fmt.Errorf("experiment %d: %w", id, err)
		}
		e.ID = id
		rows, err := tx.Query(ctx, "SELECT unit, arm, stratum FROM experiment_assignments WHERE experiment_id = ? ORDER BY unit_key", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		e.Assignments = nil
		for rows.Next() {
			var a experiment.Assignment
			if err := rows.Scan(&a.Unit, &a.Arm, &a.Stratum); err != nil {
				return err
			}
			e.Assignments = append(e.Assignments, a)
		}
		return rows.Err()
	})
	return e, err
}

// ExperimentTeams returns the ids of the teams an experiment involves.
func (db *DB) ExperimentTeams(ctx context.Context, id int64) ([]int64, error) {
	var out []int64
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT team_id FROM experiment_teams WHERE experiment_id = ? ORDER BY team_id", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t int64
			if err := rows.Scan(&t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// ListExperiments returns every experiment, newest first.
func (db *DB) ListExperiments(ctx context.Context) ([]ExperimentSummary, error) {
	out := []ExperimentSummary{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT id, definition, created_by, assigned_at FROM experiments ORDER BY id DESC")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				s        ExperimentSummary
				def      string
				assigned int64
				e        experiment.Experiment
			)
			if err := rows.Scan(&s.ID, &def, &s.CreatedBy, &assigned); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(def), &e); err != nil {
				return fmt.Errorf("experiment %d: %w", s.ID, err)
			}
			s.Name, s.Units, s.Arms, s.Pool, s.Assigned = e.Name, e.Units, len(e.Arms), len(e.Pool), assigned != 0
			s.Baseline, s.Treatment = e.Baseline, e.Treatment
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			r, err := tx.Query(ctx, "SELECT team_id FROM experiment_teams WHERE experiment_id = ? ORDER BY team_id", out[i].ID)
			if err != nil {
				return err
			}
			out[i].TeamIDs = []int64{}
			for r.Next() {
				var t int64
				if err := r.Scan(&t); err != nil {
					r.Close()
					return err
				}
				out[i].TeamIDs = append(out[i].TeamIDs, t)
			}
			r.Close()
			if err := r.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// AssignExperiment randomises the experiment's units to its arms and
// stores the assignment. An experiment is assigned once: a second call is
// a conflict.
func (db *DB) AssignExperiment(ctx context.Context, id int64) (experiment.Experiment, error) {
	e, err := db.Experiment(ctx, id)
	if err != nil {
		return e, err
	}
	as, err := experiment.Assign(e)
	if err != nil {
		return e, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE experiments SET assigned_at = ? WHERE id = ? AND assigned_at = 0", db.Now().Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ECONFLICT, "experiment %d is assigned already; assignments never change once made", id)
		}
		for _, a := range as {
			if _, err := tx.Exec(ctx, "INSERT INTO experiment_assignments (experiment_id, unit, unit_key, arm, stratum) VALUES (?, ?, ?, ?, ?)",
				id, a.Unit, metric.UnitKey(a.Unit), a.Arm, a.Stratum); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	e.Assignments = as
	return e, nil
}
