package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
)

// CountUsers returns how many users exist (0 means first-run setup).
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	})
	return n, err
}

// CreateUser stores a user with a password hash. A user with the same
// email is a conflict.
func (db *DB) CreateUser(ctx context.Context, u account.User, passwordHash string) (account.User, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		u, err = db.createUser(ctx, tx, u, passwordHash)
		return err
	})
	return u, err
}

// CreateFirstAdmin stores u as an admin only when no user exists yet, so
// that two first-run setups racing each other make one admin.
func (db *DB) CreateFirstAdmin(ctx context.Context, u account.User, passwordHash string) (account.User, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := lockUsers(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return rhythm.Errorf(rhythm.ECONFLICT, "setup is done already; sign in instead")
		}
		u.Role = account.Admin
		var err error
		u, err = db.createUser(ctx, tx, u, passwordHash)
		return err
	})
	return u, err
}

func (db *DB) createUser(ctx context.Context, tx *Tx, u account.User, passwordHash string) (account.User, error) {
	now := db.Now()
	var err error
	u.ID, err = tx.InsertID(ctx, `INSERT INTO users (email, email_key, name, password_hash, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Email, nameKey(u.Email), u.Name, passwordHash, string(u.Role), now.Unix(), now.Unix())
	if db.isUnique(err) {
		return u, rhythm.Errorf(rhythm.ECONFLICT, "a user with email %s exists already", u.Email)
	} else if err != nil {
		return u, err
	}
	u.CreatedAt = time.Unix(now.Unix(), 0).UTC()
	return u, setLeadTeams(ctx, tx, u.ID, u.LeadOf)
}

const userColumns = "id, email, name, role, created_at, zone"

func scanUser(s scanner) (account.User, error) {
	var (
		u    account.User
		role string
		at   int64
	)
	err := s.Scan(&u.ID, &u.Email, &u.Name, &role, &at, &u.Zone)
	u.Role, u.CreatedAt = account.Role(role), time.Unix(at, 0).UTC()
	return u, err
}

func loadLeadOf(ctx context.Context, tx *Tx, u *account.User) error {
	rows, err := tx.Query(ctx, "SELECT team_id FROM team_leads WHERE user_id = ? ORDER BY team_id", u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.LeadOf = nil
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		u.LeadOf = append(u.LeadOf, id)
	}
	return rows.Err()
}

// User returns the user with the given id.
func (db *DB) User(ctx context.Context, id int64) (account.User, error) {
	var u account.User
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id)); err != nil {
			return notFound(err, "user %d not found", id)
		}
		return loadLeadOf(ctx, tx, &u)
	})
	return u, err
}

// UserByEmail returns the user with the email (any case) and the password
// hash, for signing in.
func (db *DB) UserByEmail(ctx context.Context, email string) (account.User, string, error) {
	var (
		u    account.User
		hash string
	)
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email_key = ?", nameKey(email))); err != nil {
			return notFound(err, "no user with email %s", email)
		}
		if err := tx.QueryRow(ctx, "SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash); err != nil {
			return err
		}
		return loadLeadOf(ctx, tx, &u)
	})
	return u, hash, err
}

// ListUsers returns every user by email.
func (db *DB) ListUsers(ctx context.Context) ([]account.User, error) {
	var out []account.User
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY email_key")
		if err != nil {
			return err
		}
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if err := loadLeadOf(ctx, tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// UpdateUser changes a user's name, role and the teams they lead.
func (db *DB) UpdateUser(ctx context.Context, u account.User) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := lockUsers(ctx, tx); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "UPDATE users SET name = ?, role = ?, updated_at = ? WHERE id = ?", u.Name, string(u.Role), db.Now().Unix(), u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "user %d not found", u.ID)
		}
		if u.Role != account.Admin {
			if err := keepAnAdmin(ctx, tx); err != nil {
				return err
			}
		}
		return setLeadTeams(ctx, tx, u.ID, u.LeadOf)
	})
}

// lockUsers makes the transactions that count users or admins before they
// write take turns on PostgreSQL, even across servers, so that two first-run
// setups make one admin and two admins demoting each other leave one.
// Readers are not held up. SQLite write transactions take turns already.
func lockUsers(ctx context.Context, tx *Tx) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
	return err
}

func keepAnAdmin(ctx context.Context, tx *Tx) error {
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin'").Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return rhythm.Errorf(rhythm.ECONFLICT, "rhythm needs at least one admin")
	}
	return nil
}

func setLeadTeams(ctx context.Context, tx *Tx, userID int64, teams []int64) error {
	if _, err := tx.Exec(ctx, "DELETE FROM team_leads WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, id := range teams {
		var exists int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM teams WHERE id = ?", id).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return rhythm.Errorf(rhythm.EINVALID, "lead_of: team %d not found", id)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO team_leads (team_id, user_id) VALUES (?, ?)", id, userID); err != nil {
			return err
		}
	}
	return nil
}

// SetPassword replaces a user's password hash, ends their sessions and
// revokes their API tokens: whoever knew the old password may have made
// one.
func (db *DB) SetPassword(ctx context.Context, userID int64, passwordHash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		now := db.Now().Unix()
		res, err := tx.Exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", passwordHash, now, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "user %d not found", userID)
		}
		if _, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0", now, userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
		return err
	})
}

// DeleteUser removes a user with their sessions and tokens; the last admin
// cannot be removed.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := lockUsers(ctx, tx); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM users WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "user %d not found", id)
		}
		return keepAnAdmin(ctx, tx)
	})
}

// CreateSession stores a session under the hash of its secret.
func (db *DB) CreateSession(ctx context.Context, tokenHash string, userID int64, expires time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		now := db.Now().Unix()
		// Expired sessions go as new ones come.
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			tokenHash, userID, now, expires.Unix())
		return err
	})
}

// SessionUser returns the user of a live session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (account.User, error) {
	var u account.User
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `SELECT u.id, u.email, u.name, u.role, u.created_at, u.zone FROM sessions s
			JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash, db.Now().Unix()))
		if err != nil {
			return notFound(err, "session expired; sign in again")
		}
		return loadLeadOf(ctx, tx, &u)
	})
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return u, rhythm.Errorf(rhythm.EUNAUTHORIZED, "session expired; sign in again")
	}
	return u, err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
		return err
	})
}

// CreateToken stores an API token under the hash of its secret.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, tokenHash string) (account.Token, error) {
	t := account.Token{Name: name, CreatedAt: time.Unix(db.Now().Unix(), 0).UTC()}
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		t.ID, err = tx.InsertID(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
			userID, name, tokenHash, t.CreatedAt.Unix())
		return err
	})
	return t, err
}

// ListTokens returns a user's API tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]account.Token, error) {
	out := []account.Token{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				t                  account.Token
				created, used, rev int64
			)
			if err := rows.Scan(&t.ID, &t.Name, &created, &used, &rev); err != nil {
				return err
			}
			t.CreatedAt, t.Revoked = time.Unix(created, 0).UTC(), rev != 0
			if used != 0 {
				t.LastUsedAt = time.Unix(used, 0).UTC()
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken revokes one of a user's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0", db.Now().Unix(), tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "token %d not found or revoked already", tokenID)
		}
		return nil
	})
}

// TokenUser returns the user of a live API token and notes its use (at
// most once a minute, to spare the database).
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (account.User, error) {
	var (
		u        account.User
		id, used int64
	)
	err := db.ReadTx(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, "SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at = 0", tokenHash).Scan(&id, &u.ID, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return rhythm.Errorf(rhythm.EUNAUTHORIZED, "the API token is unknown or revoked")
		} else if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", u.ID)); err != nil {
			return err
		}
		return loadLeadOf(ctx, tx, &u)
	})
	if now := db.Now().Unix(); err == nil && now-used >= 60 {
		db.touchToken(id, now)
	}
	return u, err
}

// touchToken notes a token's use in the background, so that a request
// never waits for the writer (a long import, say) to note it; one note per
// token is in flight at a time, and a failed one is tried on a later use.
func (db *DB) touchToken(id, now int64) {
	if _, busy := db.touching.LoadOrStore(id, true); busy {
		return
	}
	go func() {
		defer db.touching.Delete(id)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?", now, id, now)
			return err
		})
	}()
}

// ReserveAttempt counts one password attempt under every key before the
// password is checked, so that parallel guesses cannot all pass the same
// count, even across servers sharing a PostgreSQL database. When a key is
// still waiting out its backoff nothing is counted and the error (code
// ETOOMANY) says how long to wait. A correct password hands the keys to
// AttemptSucceeded.
func (db *DB) ReserveAttempt(ctx context.Context, keys []account.AttemptKey) error {
	keys = slices.SortedFunc(slices.Values(keys), func(a, b account.AttemptKey) int { return strings.Compare(a.Key, b.Key) })
	var wait time.Duration
	err := db.InTx(ctx, func(tx *Tx) error {
		now := db.Now()
		// Writing first takes SQLite's write lock before anything is read.
		for _, k := range keys {
			if _, err := tx.Exec(ctx, "INSERT INTO login_throttle (key, failures, last_at) VALUES (?, 0, 0) ON CONFLICT (key) DO NOTHING", k.Key); err != nil {
				return err
			}
		}
		lock := ""
		if tx.Dialect() == Postgres {
			lock = " FOR UPDATE" // rows in key order, so two servers never deadlock
		}
		failures := make([]int, len(keys))
		for i, k := range keys {
			var last int64
			if err := tx.QueryRow(ctx, "SELECT failures, last_at FROM login_throttle WHERE key = ?"+lock, k.Key).Scan(&failures[i], &last); err != nil {
				return err
			}
			lastAt := time.UnixMilli(last)
			if now.Sub(lastAt) >= account.ForgetFailures {
				failures[i] = 0
			}
			wait = max(wait, lastAt.Add(k.Limit.Delay(failures[i])).Sub(now))
		}
		if wait > 0 {
			return nil
		}
		for i, k := range keys {
			if _, err := tx.Exec(ctx, "UPDATE login_throttle SET failures = ?, last_at = ? WHERE key = ?", failures[i]+1, now.UnixMilli(), k.Key); err != nil {
				return err
			}
		}
		// Keys nobody tried for a while go as new attempts come.
		_, err := tx.Exec(ctx, "DELETE FROM login_throttle WHERE last_at < ?", now.Add(-account.ForgetFailures).UnixMilli())
		return err
	})
	if err == nil && wait > 0 {
		err = account.TooManyAttempts(wait)
	}
	return err
}

// AttemptSucceeded undoes what ReserveAttempt counted for a correct
// password: keys marked Clear start afresh, others get their attempt back.
func (db *DB) AttemptSucceeded(ctx context.Context, keys []account.AttemptKey) error {
	keys = slices.SortedFunc(slices.Values(keys), func(a, b account.AttemptKey) int { return strings.Compare(a.Key, b.Key) })
	return db.InTx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			q := "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = ?"
			if k.Clear {
				q = "DELETE FROM login_throttle WHERE key = ?"
			}
			if _, err := tx.Exec(ctx, q, k.Key); err != nil {
				return err
			}
		}
		return nil
	})
}

// TeamAccess tells how a user relates to the team with ref (id or name):
// whether they lead it and whether its roster lists their email.
type TeamAccess struct {
	TeamID   int64
	TeamName string
	IsLead   bool
	IsMember bool
	// SlackWorkspace is the Slack workspace the team is linked to, if any.
	SlackWorkspace string
}

// Access returns u's relation to the team with ref.
func (db *DB) Access(ctx context.Context, ref string, u account.User) (TeamAccess, error) {
	var a TeamAccess
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var row *sql.Row
		if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
			row = tx.QueryRow(ctx, "SELECT id, name, slack_workspace FROM teams WHERE id = ?", id)
		} else {
			row = tx.QueryRow(ctx, "SELECT id, name, slack_workspace FROM teams WHERE name_key = ?", nameKey(ref))
		}
		if err := row.Scan(&a.TeamID, &a.TeamName, &a.SlackWorkspace); err != nil {
			return notFound(err, "team %q not found", ref)
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM team_leads WHERE team_id = ? AND user_id = ?", a.TeamID, u.ID).Scan(&n); err != nil {
			return err
		}
		a.IsLead = n > 0 && u.Role != account.Member
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM members WHERE team_id = ? AND email_key = ?", a.TeamID, nameKey(u.Email)).Scan(&n); err != nil {
			return err
		}
		a.IsMember = n > 0
		return nil
	})
	return a, err
}

// TeamsOf lists the teams a user leads or belongs to (every team for an admin).
func (db *DB) TeamsOf(ctx context.Context, u account.User) ([]TeamSummary, error) {
	all, err := db.ListTeams(ctx)
	if err != nil || u.Role == account.Admin {
		return all, err
	}
	mine := map[int64]bool{}
	err = db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT team_id FROM team_leads WHERE user_id = ?
			UNION SELECT team_id FROM members WHERE email_key = ?`, u.ID, nameKey(u.Email))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			mine[id] = true
		}
		return rows.Err()
	})
	out := []TeamSummary{}
	for _, t := range all {
		if mine[t.ID] {
			out = append(out, t)
		}
	}
	return out, err
}

// SetUserZone stores the IANA zone a user reads times in ("" for their
// roster zone). The caller checks the name.
func (db *DB) SetUserZone(ctx context.Context, userID int64, zone string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE users SET zone = ?, updated_at = ? WHERE id = ?", zone, db.Now().Unix(), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rhythm.Errorf(rhythm.ENOTFOUND, "user %d not found", userID)
		}
		return nil
	})
}

// RosterZone returns the zone of the roster member with the email (any
// case) in the first team that lists them (by team id), or "" when no
// roster does.
func (db *DB) RosterZone(ctx context.Context, email string) (string, error) {
	var zone string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, "SELECT zone FROM members WHERE email_key = ? ORDER BY team_id, position LIMIT 1", nameKey(email)).Scan(&zone)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return zone, err
}
