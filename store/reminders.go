package store

import (
	"context"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/remind"
)

// AddReminders stores reminders, skipping those that exist already for the
// same thread, member, kind and channel, and returns how many are new.
func (db *DB) AddReminders(ctx context.Context, rs []remind.Reminder) (int, error) {
	n := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		n = 0
		for _, r := range rs {
			res, err := tx.Exec(ctx, `INSERT INTO reminders (team_id, thread_id, member, member_key, kind, channel, state, send_at, next_attempt_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id, member_key, kind, channel) DO NOTHING`,
				r.TeamID, r.ThreadID, r.Member, nameKey(r.Member), string(r.Kind), r.Channel, string(remind.Pending), unix(r.SendAt), unix(r.NextAttemptAt), unix(r.CreatedAt))
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	return n, err
}

const reminderColumns = "id, team_id, thread_id, member, kind, channel, state, send_at, next_attempt_at, attempts, claimed_by, claimed_at, sent_at, last_error, created_at"

func scanReminder(s scanner, extra ...any) (remind.Reminder, error) {
	var (
		r                                      remind.Reminder
		kind, state                            string
		sendAt, next, claimedAt, sent, created int64
	)
	dst := append([]any{&r.ID, &r.TeamID, &r.ThreadID, &r.Member, &kind, &r.Channel, &state, &sendAt, &next, &r.Attempts, &r.ClaimedBy,
		&claimedAt, &sent, &r.LastError, &created}, extra...)
	err := s.Scan(dst...)
	r.Kind, r.State = remind.Kind(kind), remind.State(state)
	r.SendAt, r.NextAttemptAt, r.ClaimedAt, r.SentAt, r.CreatedAt = fromUnix(sendAt), fromUnix(next), fromUnix(claimedAt), fromUnix(sent), fromUnix(created)
	return r, err
}

// ClaimReminders marks up to limit pending reminders whose next attempt is
// due as being sent by worker, counts the attempt, and returns them. On
// PostgreSQL concurrent claims skip each other's rows (FOR UPDATE SKIP
// LOCKED); on SQLite the immediate transaction makes claims take turns.
// Either way no reminder is claimed twice for one attempt.
func (db *DB) ClaimReminders(ctx context.Context, worker string, now time.Time, limit int) ([]remind.Reminder, error) {
	// The candidates are chosen once, in a materialized CTE: a LIMIT …
	// FOR UPDATE SKIP LOCKED subquery inside IN (…) may be run again per
	// row by PostgreSQL and pick more rows than the limit.
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []remind.Reminder
	err := db.InTx(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.Query(ctx, `WITH c AS MATERIALIZED (SELECT id FROM reminders WHERE state = ? AND next_attempt_at <= ?
				ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
			UPDATE reminders SET state = ?, claimed_by = ?, claimed_at = ?, attempts = attempts + 1
			WHERE state = ? AND id IN (SELECT id FROM c)
			RETURNING `+reminderColumns,
			string(remind.Pending), unix(now), limit, string(remind.Sending), worker, unix(now), string(remind.Pending))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanReminder(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	slices.SortFunc(out, func(a, b remind.Reminder) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out, err
}

// FinishReminder records the outcome of worker's attempt at reminder id. It
// changes nothing when the reminder is no longer being sent by worker.
func (db *DB) FinishReminder(ctx context.Context, id int64, worker string, o remind.Outcome) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var err error
		switch o.State {
		case remind.Sent:
			_, err = tx.Exec(ctx, "UPDATE reminders SET state = ?, sent_at = ?, last_error = '' WHERE id = ? AND claimed_by = ? AND state = ?",
				string(o.State), unix(o.At), id, worker, string(remind.Sending))
		case remind.Pending:
			_, err = tx.Exec(ctx, "UPDATE reminders SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND claimed_by = ? AND state = ?",
				string(o.State), unix(o.NextAttempt), o.Error, id, worker, string(remind.Sending))
		case remind.Failed, remind.Cancelled:
			_, err = tx.Exec(ctx, "UPDATE reminders SET state = ?, last_error = ? WHERE id = ? AND claimed_by = ? AND state = ?",
				string(o.State), o.Error, id, worker, string(remind.Sending))
		default:
			err = rhythm.Errorf(rhythm.EINVALID, "state: %q is not an outcome", o.State)
		}
		return err
	})
}

// ExpireClaims fails the reminders claimed before the time and not
// finished, with msg, and returns how many.
func (db *DB) ExpireClaims(ctx context.Context, before time.Time, msg string) (int, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE reminders SET state = ?, last_error = ? WHERE state = ? AND claimed_at < ?",
			string(remind.Failed), msg, string(remind.Sending), unix(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// ReminderFilter selects a team's reminders.
type ReminderFilter struct {
	// States keeps reminders in these states; empty means any.
	States []remind.State
	// Failing keeps only reminders whose last attempt failed (failed, or
	// pending with an error).
	Failing bool
	Limit   int
}

// Reminders lists a team's reminders, newest first, with their threads'
// titles.
func (db *DB) Reminders(ctx context.Context, teamID int64, f ReminderFilter) ([]remind.Reminder, error) {
	cond, args := "r.team_id = ?", []any{teamID}
	if len(f.States) > 0 {
		cond += " AND r.state IN (?" + repeat(", ?", len(f.States)-1) + ")"
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Failing {
		cond += " AND (r.state = ? OR r.last_error <> '')"
		args = append(args, string(remind.Failed))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	out := []remind.Reminder{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+prefixed("r.", reminderColumns)+", t.title FROM reminders r JOIN threads t ON t.id = r.thread_id WHERE "+cond+
			" ORDER BY r.created_at DESC, r.id DESC LIMIT ?", append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var title string
			r, err := scanReminder(rows, &title)
			if err != nil {
				return err
			}
			r.Title = title
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// RetryReminder puts a failed reminder of the team back in the queue with
// a fresh set of attempts, to be sent at now.
func (db *DB) RetryReminder(ctx context.Context, teamID, id int64, now time.Time) (remind.Reminder, error) {
	var r remind.Reminder
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		r, err = scanReminder(tx.QueryRow(ctx, "SELECT "+reminderColumns+" FROM reminders WHERE team_id = ? AND id = ?", teamID, id))
		if err != nil {
			return notFound(err, "reminder %d not found in this team", id)
		}
		if r.State != remind.Failed {
			return rhythm.Errorf(rhythm.ECONFLICT, "reminder %d is %s; only failed reminders are retried", id, r.State)
		}
		_, err = tx.Exec(ctx, "UPDATE reminders SET state = ?, attempts = 0, next_attempt_at = ?, claimed_by = '' WHERE id = ? AND state = ?",
			string(remind.Pending), unix(now), id, string(remind.Failed))
		r.State, r.Attempts, r.NextAttemptAt = remind.Pending, 0, now.UTC().Truncate(time.Second)
		return err
	})
	return r, err
}

// The worker's storage interface.
var _ remind.Store = (*DB)(nil)

// SnoozeReminder puts the member's reminder id of the team back in the
// queue, to be sent again at until (the member pressed "Snooze"). A
// reminder of someone else, or one being sent right now, is ENOTFOUND.
func (db *DB) SnoozeReminder(ctx context.Context, teamID, id int64, member string, until time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE reminders SET state = ?, send_at = ?, next_attempt_at = ?, attempts = 0, claimed_by = ''
			WHERE team_id = ? AND id = ? AND member_key = ? AND state IN (?, ?, ?)`,
			string(remind.Pending), unix(until), unix(until), teamID, id, nameKey(member),
			string(remind.Sent), string(remind.Pending), string(remind.Failed))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return firstErr(err, rhythm.Errorf(rhythm.ENOTFOUND, "no reminder %d of yours to snooze", id))
		}
		return nil
	})
}
