package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/thread"
)

// ThreadFilter selects threads of a team.
type ThreadFilter struct {
	// State keeps threads in this state; "" means any.
	State thread.State
	// Member keeps threads the member (an email) owns or takes part in.
	Member string
	// Limit is the most threads returned; 0 means 1000.
	Limit int
}

// CreateThread stores a validated thread with its participants and returns
// it with its id.
func (db *DB) CreateThread(ctx context.Context, th thread.Thread) (thread.Thread, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		th, err = insertThread(ctx, tx, th)
		return err
	})
	return th, err
}

func insertThread(ctx context.Context, tx *Tx, th thread.Thread) (thread.Thread, error) {
	var err error
	th.ID, err = tx.InsertID(ctx, `INSERT INTO threads (team_id, title, link, owner, owner_key, due_by, state, playbook, created_by, created_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, th.TeamID, th.Title, th.Link, th.Owner, nameKey(th.Owner), unix(th.DueBy), string(th.State),
		th.Playbook, th.CreatedBy, unix(th.CreatedAt), unix(th.ClosedAt))
	if err != nil {
		return th, err
	}
	for i, p := range th.Participants {
		if _, err := tx.Exec(ctx, "INSERT INTO thread_participants (thread_id, position, email, email_key) VALUES (?, ?, ?, ?)",
			th.ID, i, p, nameKey(p)); err != nil {
			return th, err
		}
	}
	if th.Responses == nil {
		th.Responses = []thread.Response{}
	}
	return th, nil
}

// CreateThreads stores several validated threads in one transaction: all
// or none.
func (db *DB) CreateThreads(ctx context.Context, ths []thread.Thread) ([]thread.Thread, error) {
	out := make([]thread.Thread, len(ths))
	err := db.InTx(ctx, func(tx *Tx) error {
		for i, th := range ths {
			var err error
			if out[i], err = insertThread(ctx, tx, th); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

const threadColumns = "id, team_id, title, link, owner, due_by, state, playbook, created_by, created_at, closed_at"

func scanThread(s scanner) (thread.Thread, error) {
	var (
		th                     thread.Thread
		state                  string
		due, created, closedAt int64
	)
	err := s.Scan(&th.ID, &th.TeamID, &th.Title, &th.Link, &th.Owner, &due, &state, &th.Playbook, &th.CreatedBy, &created, &closedAt)
	th.State, th.DueBy, th.CreatedAt, th.ClosedAt = thread.State(state), fromUnix(due), fromUnix(created), fromUnix(closedAt)
	th.Participants, th.Responses = []string{}, []thread.Response{}
	return th, err
}

// Thread returns one thread of a team with its participants and responses.
func (db *DB) Thread(ctx context.Context, teamID, id int64) (thread.Thread, error) {
	var th thread.Thread
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		th, err = getThread(ctx, tx, teamID, id, false)
		return err
	})
	return th, err
}

func getThread(ctx context.Context, tx *Tx, teamID, id int64, lock bool) (thread.Thread, error) {
	q := "SELECT " + threadColumns + " FROM threads WHERE team_id = ? AND id = ?"
	if lock && tx.Dialect() == Postgres {
		q += " FOR UPDATE"
	}
	th, err := scanThread(tx.QueryRow(ctx, q, teamID, id))
	if err != nil {
		return th, notFound(err, "thread %d not found in this team", id)
	}
	ths := []*thread.Thread{&th}
	return th, loadThreadDetails(ctx, tx, ths, "t.id = ?", id)
}

// loadThreadDetails fills participants and responses of ths, whose ids
// are selected by the condition on threads t.
func loadThreadDetails(ctx context.Context, tx *Tx, ths []*thread.Thread, cond string, args ...any) error {
	if len(ths) == 0 {
		return nil
	}
	byID := make(map[int64]*thread.Thread, len(ths))
	for _, th := range ths {
		byID[th.ID] = th
	}
	rows, err := tx.Query(ctx, `SELECT p.thread_id, p.email FROM thread_participants p JOIN threads t ON t.id = p.thread_id
		WHERE `+cond+` ORDER BY p.thread_id, p.position`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return err
		}
		if th := byID[id]; th != nil {
			th.Participants = append(th.Participants, email)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT r.id, r.thread_id, r.email, r.kind, r.note, r.at FROM thread_responses r JOIN threads t ON t.id = r.thread_id
		WHERE `+cond+` ORDER BY r.thread_id, r.at, r.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r    thread.Response
			kind string
			at   int64
		)
		if err := rows.Scan(&r.ID, &r.ThreadID, &r.Member, &kind, &r.Note, &at); err != nil {
			return err
		}
		r.Kind, r.At = thread.Kind(kind), fromUnix(at)
		if th := byID[r.ThreadID]; th != nil {
			th.Responses = append(th.Responses, r)
		}
	}
	return rows.Err()
}

// Threads lists a team's threads that match f, soonest due first, with
// their participants and responses.
func (db *DB) Threads(ctx context.Context, teamID int64, f ThreadFilter) ([]thread.Thread, error) {
	cond, args := "t.team_id = ?", []any{teamID}
	if f.State != "" {
		cond += " AND t.state = ?"
		args = append(args, string(f.State))
	}
	if f.Member != "" {
		cond += " AND (t.owner_key = ? OR EXISTS (SELECT 1 FROM thread_participants mp WHERE mp.thread_id = t.id AND mp.email_key = ?))"
		args = append(args, nameKey(f.Member), nameKey(f.Member))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	var out []thread.Thread
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = listThreads(ctx, tx, cond, limit, args...)
		return err
	})
	return out, err
}

// listThreads returns the threads t matching cond, soonest due first, with
// their participants and responses.
func listThreads(ctx context.Context, tx *Tx, cond string, limit int, args ...any) ([]thread.Thread, error) {
	out, err := queryAll(ctx, tx, scanThread, "SELECT "+prefixed("t.", threadColumns)+" FROM threads t WHERE "+cond+" ORDER BY t.due_by, t.id LIMIT ?",
		append(args, limit)...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	ptrs := make([]*thread.Thread, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, loadThreadDetails(ctx, tx, ptrs, cond, args...)
}

// AddResponse records a response to a thread of the team. build builds the
// response from the thread as stored (so that it sees its current state)
// and may refuse it with an error.
func (db *DB) AddResponse(ctx context.Context, teamID, id int64, build func(*thread.Thread) (thread.Response, error)) (thread.Thread, error) {
	var th thread.Thread
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		if th, err = getThread(ctx, tx, teamID, id, true); err != nil {
			return err
		}
		r, err := build(&th)
		if err != nil {
			return err
		}
		r.ThreadID = th.ID
		if r.ID, err = tx.InsertID(ctx, "INSERT INTO thread_responses (thread_id, email, email_key, kind, note, at) VALUES (?, ?, ?, ?, ?, ?)",
			th.ID, r.Member, nameKey(r.Member), string(r.Kind), r.Note, unix(r.At)); err != nil {
			return err
		}
		th.Responses = append(th.Responses, r)
		return nil
	})
	return th, err
}

// CloseThread closes an open thread of the team at the given time; may
// refuses it (e.g. the requester is not its owner) by returning an error.
func (db *DB) CloseThread(ctx context.Context, teamID, id int64, at time.Time, may func(*thread.Thread) error) (thread.Thread, error) {
	var th thread.Thread
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		if th, err = getThread(ctx, tx, teamID, id, true); err != nil {
			return err
		}
		if may != nil {
			if err := may(&th); err != nil {
				return err
			}
		}
		return closeThread(ctx, tx, &th, at)
	})
	return th, err
}

func closeThread(ctx context.Context, tx *Tx, th *thread.Thread, at time.Time) error {
	if th.State == thread.Closed {
		return rhythm.Errorf(rhythm.ECONFLICT, "thread %d is closed already", th.ID)
	}
	th.State, th.ClosedAt = thread.Closed, at.UTC().Truncate(time.Second)
	_, err := tx.Exec(ctx, "UPDATE threads SET state = ?, closed_at = ? WHERE id = ?", string(th.State), unix(th.ClosedAt), th.ID)
	return err
}

// CreateDecision stores a validated decision. A linked thread must belong
// to the same team; with close, the thread is closed in the same
// transaction.
func (db *DB) CreateDecision(ctx context.Context, d thread.Decision, close bool) (thread.Decision, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		var threadID any
		if d.ThreadID != 0 {
			th, err := getThread(ctx, tx, d.TeamID, d.ThreadID, true)
			if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
				return rhythm.Errorf(rhythm.EINVALID, "thread_id: thread %d is not a thread of this team", d.ThreadID)
			} else if err != nil {
				return err
			}
			threadID = d.ThreadID
			if close && th.State == thread.Open {
				if err := closeThread(ctx, tx, &th, d.CreatedAt); err != nil {
					return err
				}
			}
		}
		var err error
		d.ID, err = tx.InsertID(ctx, `INSERT INTO decisions (team_id, what, why, owner, decided_on, thread_id, meeting, link, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.TeamID, d.What, d.Why, d.Owner, d.Date.String(), threadID, d.Meeting, d.Link, d.CreatedBy, unix(d.CreatedAt))
		return err
	})
	return d, err
}

const decisionColumns = "id, team_id, what, why, owner, decided_on, thread_id, meeting, link, created_by, created_at"

func scanDecision(s scanner) (thread.Decision, error) {
	var (
		d        thread.Decision
		date     string
		threadID sql.NullInt64
		created  int64
	)
	if err := s.Scan(&d.ID, &d.TeamID, &d.What, &d.Why, &d.Owner, &date, &threadID, &d.Meeting, &d.Link, &d.CreatedBy, &created); err != nil {
		return d, err
	}
	d.ThreadID, d.CreatedAt = threadID.Int64, fromUnix(created)
	return d, d.Date.UnmarshalText([]byte(date))
}

// Decision returns one decision of a team.
func (db *DB) Decision(ctx context.Context, teamID, id int64) (thread.Decision, error) {
	var d thread.Decision
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		d, err = scanDecision(tx.QueryRow(ctx, "SELECT "+decisionColumns+" FROM decisions WHERE team_id = ? AND id = ?", teamID, id))
		return notFound(err, "decision %d not found in this team", id)
	})
	return d, err
}

// likePattern returns a LIKE pattern matching s anywhere, with LIKE's
// wildcards in s escaped by backslash.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// Decisions returns a team's decisions matching q, newest first.
func (db *DB) Decisions(ctx context.Context, teamID int64, q thread.Query) ([]thread.Decision, error) {
	if err := thread.CheckQuery(q); err != nil {
		return nil, err
	}
	cond, args := "team_id = ?", []any{teamID}
	for _, word := range strings.Fields(q.Text) {
		cond += ` AND (LOWER(what) LIKE ? ESCAPE '\' OR LOWER(why) LIKE ? ESCAPE '\' OR LOWER(owner) LIKE ? ESCAPE '\' OR LOWER(meeting) LIKE ? ESCAPE '\')`
		p := likePattern(word)
		args = append(args, p, p, p, p)
	}
	if !q.From.IsZero() {
		cond += " AND decided_on >= ?"
		args = append(args, q.From.String())
	}
	if !q.To.IsZero() {
		cond += " AND decided_on <= ?"
		args = append(args, q.To.String())
	}
	if q.ThreadID != 0 {
		cond += " AND thread_id = ?"
		args = append(args, q.ThreadID)
	}
	limit := q.Limit
	if limit == 0 {
		limit = 500
	}
	var out []thread.Decision
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanDecision, "SELECT "+decisionColumns+" FROM decisions WHERE "+cond+" ORDER BY decided_on DESC, id DESC LIMIT ?", append(args, limit)...)
		return err
	})
	return out, err
}

// OpenThreadsDue returns open threads of every team due before the given
// time, with participants and responses: the reminder worker's input.
func (db *DB) OpenThreadsDue(ctx context.Context, before time.Time, limit int) ([]thread.Thread, error) {
	var out []thread.Thread
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = listThreads(ctx, tx, "t.state = ? AND t.due_by <= ?", limit, string(thread.Open), unix(before))
		return err
	})
	return out, err
}

// prefixed writes a column list with every column qualified by p.
func prefixed(p, columns string) string {
	return p + strings.ReplaceAll(columns, ", ", ", "+p)
}
