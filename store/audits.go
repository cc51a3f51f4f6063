package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
)

// AuditInfo describes a saved audit.
type AuditInfo struct {
	ID       int64        `json:"id"`
	TeamID   int64        `json:"team_id"`
	TeamName string       `json:"team_name"`
	Window   audit.Window `json:"window"`
	Created  time.Time    `json:"created_at"`
}

// SaveAudit stores an audit result of the team, in one transaction: its
// group report, each member's own figures under their email, and the
// team-week samples (source "audit") that correlations and experiments
// read. It returns the audit's id.
func (db *DB) SaveAudit(ctx context.Context, teamID int64, r *audit.Result) (int64, error) {
	rep, err := json.Marshal(&r.Report)
	if err != nil {
		return 0, err
	}
	samples := r.Report.Samples()
	for _, s := range samples {
		if err := s.Validate(); err != nil {
			return 0, err
		}
	}
	var id int64
	err = db.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM teams WHERE id = ?", teamID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "team %d not found", teamID)
		}
		w := r.Report.Window
		id, err = tx.InsertID(ctx, "INSERT INTO audits (team_id, from_date, to_date, created_at, report) VALUES (?, ?, ?, ?, ?)",
			teamID, w.From.String(), w.To.String(), db.Now().Unix(), string(rep))
		if err != nil {
			return err
		}
		for _, p := range r.People() {
			b, err := json.Marshal(&p)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO audit_people (audit_id, email_key, figures) VALUES (?, ?, ?)", id, nameKey(p.Email), string(b)); err != nil {
				return err
			}
		}
		_, err = saveSamples(ctx, tx, "audit", samples)
		return err
	})
	return id, err
}

// LatestAudit returns the team's most recent saved audit and its group
// report, or ENOTFOUND when the team has none.
func (db *DB) LatestAudit(ctx context.Context, teamID int64) (AuditInfo, audit.Report, error) {
	var (
		info AuditInfo
		rep  audit.Report
	)
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var body string
		row := tx.QueryRow(ctx, `SELECT a.id, a.team_id, t.name, a.from_date, a.to_date, a.created_at, a.report
			FROM audits a JOIN teams t ON t.id = a.team_id WHERE a.team_id = ? ORDER BY a.id DESC LIMIT 1`, teamID)
		if err := scanAuditInfo(row, &info, &body); err != nil {
			return notFound(err, "team %d has no saved audit", teamID)
		}
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			return fmt.Errorf("audit %d: %w", info.ID, err)
		}
		return nil
	})
	return info, rep, err
}

// PersonAudit is a member's own figures from one saved audit.
type PersonAudit struct {
	AuditInfo
	Person audit.PersonReport `json:"person"`
}

// PersonAudits returns, for each team that has a saved audit with figures
// for the person with this email, the person's own figures from the latest
// such audit, newest first.
func (db *DB) PersonAudits(ctx context.Context, email string) ([]PersonAudit, error) {
	out := []PersonAudit{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT a.id, a.team_id, t.name, a.from_date, a.to_date, a.created_at, p.figures
			FROM audit_people p JOIN audits a ON a.id = p.audit_id JOIN teams t ON t.id = a.team_id
			WHERE p.email_key = ? AND a.id = (SELECT MAX(b.id) FROM audits b JOIN audit_people q ON q.audit_id = b.id
				WHERE b.team_id = a.team_id AND q.email_key = p.email_key)
			ORDER BY a.id DESC`, nameKey(email))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				pa   PersonAudit
				body string
			)
			if err := scanAuditInfo(rows, &pa.AuditInfo, &body); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &pa.Person); err != nil {
				return fmt.Errorf("audit %d: %w", pa.ID, err)
			}
			out = append(out, pa)
		}
		return rows.Err()
	})
	return out, err
}

func scanAuditInfo(s scanner, info *AuditInfo, body *string) error {
	var from, to string
	var created int64
	if err := s.Scan(&info.ID, &info.TeamID, &info.TeamName, &from, &to, &created, body); err != nil {
		return err
	}
	if err := firstErr(info.Window.From.UnmarshalText([]byte(from)), info.Window.To.UnmarshalText([]byte(to))); err != nil {
		return err
	}
	info.Created = time.Unix(created, 0).UTC()
	return nil
}
