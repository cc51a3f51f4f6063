package store

import (
	"context"
	"time"

	"github.com/rhythm-team/rhythm"
)

// TeamPlaybook is a team's own playbook template, stored as the YAML the
// team wrote.
type TeamPlaybook struct {
	Name      string    `json:"name"`
	YAML      string    `json:"yaml"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SaveTeamPlaybook stores a team's template under its name, replacing the
// one of the same name. The caller validates the YAML.
func (db *DB) SaveTeamPlaybook(ctx context.Context, teamID int64, p TeamPlaybook) (TeamPlaybook, error) {
	p.UpdatedAt = db.Now().UTC().Truncate(time.Second)
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO team_playbooks (team_id, name, yaml, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (team_id, name) DO UPDATE SET yaml = excluded.yaml, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			teamID, p.Name, p.YAML, p.UpdatedBy, unix(p.UpdatedAt))
		return err
	})
	return p, err
}

// TeamPlaybooks lists a team's own templates by name.
func (db *DB) TeamPlaybooks(ctx context.Context, teamID int64) ([]TeamPlaybook, error) {
	out := []TeamPlaybook{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT name, yaml, updated_by, updated_at FROM team_playbooks WHERE team_id = ? ORDER BY name", teamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p TeamPlaybook
			var at int64
			if err := rows.Scan(&p.Name, &p.YAML, &p.UpdatedBy, &at); err != nil {
				return err
			}
			p.UpdatedAt = fromUnix(at)
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteTeamPlaybook removes a team's template.
func (db *DB) DeleteTeamPlaybook(ctx context.Context, teamID int64, name string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM team_playbooks WHERE team_id = ? AND name = ?", teamID, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "the team has no playbook %q", name)
		}
		return nil
	})
}
