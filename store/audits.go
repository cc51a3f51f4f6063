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
// read. It returns the audit's id. An audit of a period that a saved audit
// covers already is refused (ECONFLICT) when a group's membership changed
// by fewer than the minimum group size: see audit.Membership.
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
		if err := checkDifferencing(ctx, tx, teamID, r); err != nil {
			return err
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

// checkDifferencing refuses to save r when a saved audit of the team covers
// an overlapping period with a membership that differs from r's by fewer
// than the minimum group size in some group: the two sets of group
// figures would give away the figures of the people who differ.
func checkDifferencing(ctx context.Context, tx *Tx, teamID int64, r *audit.Result) error {
	windows := []audit.Window{r.Report.Window}
	if r.Report.Compare != nil {
		windows = append(windows, *r.Report.Compare)
	}
	type saved struct {
		id  int64
		rep audit.Report
	}
	var overlapping []saved
	rows, err := tx.Query(ctx, "SELECT id, report FROM audits WHERE team_id = ? ORDER BY id", teamID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var a saved
		var body string
		if err := rows.Scan(&a.id, &body); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(body), &a.rep); err != nil {
			rows.Close()
			return fmt.Errorf("audit %d: %w", a.id, err)
		}
		if overlapsAny(windows, a.rep) {
			overlapping = append(overlapping, a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cur := r.Membership()
	for _, a := range overlapping {
		people, err := auditPeople(ctx, tx, a.id)
		if err != nil {
			return err
		}
		minGroup := max(a.rep.MinGroup, r.Report.MinGroup)
		if group, n, ok := audit.Differencing(audit.MembershipOf(&a.rep, people), cur, minGroup); !ok {
			who, label := "people", group
			if n == 1 {
				who = "person"
			}
			if group == audit.TeamGroup {
				label = "the team"
			}
			return rhythm.Errorf(rhythm.ECONFLICT, "audit of %s to %s refused: saved audit %d covers %s to %s, and %d %s of %s differ from it, fewer than the minimum group size %d: "+
				"the two sets of group figures would give away their own figures. Group figures of a period are computed once per membership; audit a period that does not overlap, or wait until at least %d people have changed",
				r.Report.Window.From, r.Report.Window.To, a.id, a.rep.Window.From, a.rep.Window.To, n, who, label, minGroup, minGroup)
		}
	}
	return nil
}

func overlapsAny(windows []audit.Window, rep audit.Report) bool {
	for _, w := range windows {
		if w.Overlaps(rep.Window) || (rep.Compare != nil && w.Overlaps(*rep.Compare)) {
			return true
		}
	}
	return false
}

// auditPeople returns the people a saved audit has own figures for.
func auditPeople(ctx context.Context, tx *Tx, auditID int64) ([]audit.PersonReport, error) {
	rows, err := tx.Query(ctx, "SELECT figures FROM audit_people WHERE audit_id = ?", auditID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.PersonReport
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var p audit.PersonReport
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return nil, fmt.Errorf("audit %d: %w", auditID, err)
		}
		out = append(out, audit.PersonReport{Email: p.Email, Zone: p.Zone})
	}
	return out, rows.Err()
}
