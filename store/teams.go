package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// TeamSummary is a team without its roster.
type TeamSummary struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

func nameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ListTeams returns every team with its member count, by name.
func (db *DB) ListTeams(ctx context.Context) ([]TeamSummary, error) {
	out := []TeamSummary{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id, t.name, (SELECT COUNT(*) FROM members m WHERE m.team_id = t.id)
			FROM teams t ORDER BY t.name_key`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s TeamSummary
			if err := rows.Scan(&s.ID, &s.Name, &s.Members); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// Team returns the team with its roster. ref is the team's id or name.
func (db *DB) Team(ctx context.Context, ref string) (team.Team, error) {
	var t team.Team
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		t, err = getTeam(ctx, tx, ref)
		return err
	})
	return t, err
}

func getTeam(ctx context.Context, tx *Tx, ref string) (team.Team, error) {
	var (
		t     team.Team
		norms string
		row   *sql.Row
	)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		row = tx.QueryRow(ctx, "SELECT id, name, norms FROM teams WHERE id = ?", id)
	} else {
		row = tx.QueryRow(ctx, "SELECT id, name, norms FROM teams WHERE name_key = ?", nameKey(ref))
	}
	if err := row.Scan(&t.ID, &t.Name, &norms); err != nil {
		return t, notFound(err, "team %q not found", ref)
	}
	if err := json.Unmarshal([]byte(norms), &t.Norms); err != nil {
		return t, fmt.Errorf("team %d norms: %w", t.ID, err)
	}
	if err := readSlack(ctx, tx, &t); err != nil {
		return t, err
	}
	members, err := listMembers(ctx, tx, t.ID)
	t.Members = members
	return t, err
}

const memberColumns = "id, name, email, zone, hours, days, aliases, start_date, leave_date, holidays"

func listMembers(ctx context.Context, tx *Tx, teamID int64) ([]team.Member, error) {
	return queryAll(ctx, tx, scanMember, "SELECT "+memberColumns+" FROM members WHERE team_id = ? ORDER BY position, id", teamID)
}

func scanMember(s scanner) (team.Member, error) {
	var (
		m                                            team.Member
		hours, days, aliases, start, leave, holidays string
	)
	if err := s.Scan(&m.ID, &m.Name, &m.Email, &m.Zone, &hours, &days, &aliases, &start, &leave, &holidays); err != nil {
		return m, err
	}
	err := firstErr(
		m.Hours.UnmarshalText([]byte(hours)),
		m.Days.UnmarshalText([]byte(days)),
		json.Unmarshal([]byte(aliases), &m.Aliases),
		m.Start.UnmarshalText([]byte(start)),
		m.Leave.UnmarshalText([]byte(leave)),
		scanHolidays(&m, holidays),
	)
	if err != nil {
		return m, fmt.Errorf("member %d: %w", m.ID, err)
	}
	return m, nil
}

// scanHolidays reads the stored holidays: the roster's list of dates and
// at most one region code.
func scanHolidays(m *team.Member, stored string) error {
	var list []string
	if err := json.Unmarshal([]byte(stored), &list); err != nil {
		return err
	}
	return m.SetHolidays(list)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func memberArgs(m team.Member) []any {
	aliases, _ := json.Marshal(nonNil(m.Aliases))
	holidays, _ := json.Marshal(nonNil(m.HolidayList()))
	return []any{m.Name, m.Email, nameKey(m.Email), m.Zone, m.Hours.String(), m.Days.String(), string(aliases),
		m.Start.String(), m.Leave.String(), string(holidays)}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CreateTeam stores a new team with its members and returns it with ids.
// A team of the same name is a conflict.
func (db *DB) CreateTeam(ctx context.Context, t team.Team) (team.Team, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		t, err = db.insertTeam(ctx, tx, t)
		return err
	})
	return t, err
}

func (db *DB) insertTeam(ctx context.Context, tx *Tx, t team.Team) (team.Team, error) {
	t.Members = slices.Clone(t.Members) // ids are set on a copy, not the caller's slice
	if err := team.CheckName(t.Name); err != nil {
		return t, rhythm.Errorf(rhythm.EINVALID, "team: %v", err)
	}
	norms, err := json.Marshal(t.Norms)
	if err != nil {
		return t, err
	}
	now := db.Now().Unix()
	t.ID, err = tx.InsertID(ctx, "INSERT INTO teams (name, name_key, norms, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		t.Name, nameKey(t.Name), string(norms), now, now)
	if db.isUnique(err) {
		return t, rhythm.Errorf(rhythm.ECONFLICT, "a team named %q exists already", t.Name)
	} else if err != nil {
		return t, err
	}
	if err := writeSlack(ctx, tx, t); err != nil {
		return t, err
	}
	for i := range t.Members {
		if t.Members[i], err = db.insertMember(ctx, tx, t.ID, i, t.Members[i]); err != nil {
			return t, err
		}
	}
	return t, nil
}

func (db *DB) insertMember(ctx context.Context, tx *Tx, teamID int64, pos int, m team.Member) (team.Member, error) {
	args := append([]any{teamID, pos}, memberArgs(m)...)
	id, err := tx.InsertID(ctx, `INSERT INTO members (team_id, position, name, email, email_key, zone, hours, days, aliases,
		start_date, leave_date, holidays) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if db.isUnique(err) {
		return m, rhythm.Errorf(rhythm.ECONFLICT, "%s is on the team already", m.Email)
	}
	m.ID = id
	return m, err
}

// SaveRoster stores a roster: it creates the team, or replaces the norms
// and members of the team of the same name. Members keep their ids when
// their email stays. It returns the stored team and whether it was new.
func (db *DB) SaveRoster(ctx context.Context, t team.Team) (team.Team, bool, error) {
	created := false
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, t.Name); err != nil {
			return err
		}
		old, err := getTeam(ctx, tx, t.Name)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			created = true
			t, err = db.insertTeam(ctx, tx, t)
			return err
		} else if err != nil {
			return err
		}
		t.ID = old.ID
		t, err = db.replaceTeam(ctx, tx, old, t)
		return err
	})
	return t, created, err
}

// ReplaceTeam replaces the name, norms and members of the team with ref.
func (db *DB) ReplaceTeam(ctx context.Context, ref string, t team.Team) (team.Team, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, ref); err != nil {
			return err
		}
		old, err := getTeam(ctx, tx, ref)
		if err != nil {
			return err
		}
		t, err = db.replaceTeam(ctx, tx, old, t)
		return err
	})
	return t, err
}

func (db *DB) replaceTeam(ctx context.Context, tx *Tx, old, t team.Team) (team.Team, error) {
	if err := team.CheckName(t.Name); err != nil {
		return t, rhythm.Errorf(rhythm.EINVALID, "team: %v", err)
	}
	norms, err := json.Marshal(t.Norms)
	if err != nil {
		return t, err
	}
	t.ID = old.ID
	t.Members = slices.Clone(t.Members)
	_, err = tx.Exec(ctx, "UPDATE teams SET name = ?, name_key = ?, norms = ?, updated_at = ? WHERE id = ?",
		t.Name, nameKey(t.Name), string(norms), db.Now().Unix(), t.ID)
	if db.isUnique(err) {
		return t, rhythm.Errorf(rhythm.ECONFLICT, "a team named %q exists already", t.Name)
	} else if err != nil {
		return t, err
	}
	if err := writeSlack(ctx, tx, t); err != nil {
		return t, err
	}
	byEmail := map[string]int64{}
	for _, m := range old.Members {
		byEmail[nameKey(m.Email)] = m.ID
	}
	keep := map[int64]bool{}
	for i := range t.Members {
		m := &t.Members[i]
		if id, ok := byEmail[nameKey(m.Email)]; ok {
			m.ID = id
			keep[id] = true
			args := append([]any{i}, memberArgs(*m)...)
			if _, err := tx.Exec(ctx, `UPDATE members SET position = ?, name = ?, email = ?, email_key = ?, zone = ?, hours = ?,
				days = ?, aliases = ?, start_date = ?, leave_date = ?, holidays = ? WHERE id = ?`, append(args, id)...); err != nil {
				return t, err
			}
		}
	}
	for _, m := range old.Members {
		if !keep[m.ID] {
			if _, err := tx.Exec(ctx, "DELETE FROM members WHERE id = ?", m.ID); err != nil {
				return t, err
			}
		}
	}
	for i := range t.Members {
		if t.Members[i].ID == 0 {
			if t.Members[i], err = db.insertMember(ctx, tx, t.ID, i, t.Members[i]); err != nil {
				return t, err
			}
		}
	}
	return t, nil
}

// DeleteTeam removes a team and everything that belongs to it.
func (db *DB) DeleteTeam(ctx context.Context, ref string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, ref); err != nil {
			return err
		}
		t, err := getTeam(ctx, tx, ref)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "DELETE FROM teams WHERE id = ?", t.ID)
		return err
	})
}

// Member returns one member of a team.
func (db *DB) Member(ctx context.Context, teamRef string, id int64) (team.Member, error) {
	var m team.Member
	err := db.ReadTx(ctx, func(tx *Tx) error {
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		m, err = scanMember(tx.QueryRow(ctx, "SELECT "+memberColumns+" FROM members WHERE team_id = ? AND id = ?", t.ID, id))
		return notFound(err, "member %d not found in team %q", id, t.Name)
	})
	return m, err
}

// AddMember adds a validated member to the end of a team's roster.
func (db *DB) AddMember(ctx context.Context, teamRef string, m team.Member) (team.Member, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, teamRef); err != nil {
			return err
		}
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		var pos int
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(position), -1) + 1 FROM members WHERE team_id = ?", t.ID).Scan(&pos); err != nil {
			return err
		}
		m, err = db.insertMember(ctx, tx, t.ID, pos, m)
		if err != nil {
			return err
		}
		return touch(ctx, tx, t.ID)
	})
	return m, err
}

// UpdateMember replaces a member's fields; the id stays.
func (db *DB) UpdateMember(ctx context.Context, teamRef string, id int64, m team.Member) (team.Member, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, teamRef); err != nil {
			return err
		}
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		args := append(memberArgs(m), t.ID, id)
		res, err := tx.Exec(ctx, `UPDATE members SET name = ?, email = ?, email_key = ?, zone = ?, hours = ?, days = ?,
			aliases = ?, start_date = ?, leave_date = ?, holidays = ? WHERE team_id = ? AND id = ?`, args...)
		if db.isUnique(err) {
			return rhythm.Errorf(rhythm.ECONFLICT, "%s is on the team already", m.Email)
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "member %d not found in team %q", id, t.Name)
		}
		m.ID = id
		return touch(ctx, tx, t.ID)
	})
	return m, err
}

// DeleteMember removes a member from a team.
func (db *DB) DeleteMember(ctx context.Context, teamRef string, id int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := lockTeam(ctx, tx, teamRef); err != nil {
			return err
		}
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM members WHERE team_id = ? AND id = ?", t.ID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "member %d not found in team %q", id, t.Name)
		}
		return touch(ctx, tx, t.ID)
	})
}

// lockTeam makes writers of one team take turns on PostgreSQL, so that
// each reads the roster the one before it wrote, even on another server.
// SQLite write transactions take turns already. The lock (FOR NO KEY
// UPDATE) does not hold up rows elsewhere that merely refer to the team,
// such as an import's. An unknown team is left for getTeam to report.
func lockTeam(ctx context.Context, tx *Tx, ref string) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	var (
		id  int64
		err error
	)
	if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		err = tx.QueryRow(ctx, "SELECT id FROM teams WHERE id = ? FOR NO KEY UPDATE", n).Scan(&id)
	} else {
		err = tx.QueryRow(ctx, "SELECT id FROM teams WHERE name_key = ? FOR NO KEY UPDATE", nameKey(ref)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

func touch(ctx context.Context, tx *Tx, teamID int64) error {
	_, err := tx.Exec(ctx, "UPDATE teams SET updated_at = ? WHERE id = ?", tx.db.Now().Unix(), teamID)
	return err
}
