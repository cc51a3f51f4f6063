package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/team"
)

// DefaultSurveyID is the id of the survey the first migration of pulse
// stores: pulse.DefaultSurvey.
const DefaultSurveyID = 1

// CreateSurvey stores a validated survey.
func (db *DB) CreateSurvey(ctx context.Context, s pulse.Survey) (pulse.Survey, error) {
	if err := s.Validate(); err != nil {
		return s, err
	}
	items, err := json.Marshal(s.Items)
	if err != nil {
		return s, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		s.ID, err = tx.InsertID(ctx, "INSERT INTO pulse_surveys (title, items, created_at) VALUES (?, ?, ?)", s.Title, string(items), db.Now().Unix())
		return err
	})
	return s, err
}

// Survey returns the survey with the given id.
func (db *DB) Survey(ctx context.Context, id int64) (pulse.Survey, error) {
	var s pulse.Survey
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		s, err = getSurvey(ctx, tx, id)
		return err
	})
	return s, err
}

func getSurvey(ctx context.Context, tx *Tx, id int64) (pulse.Survey, error) {
	s := pulse.Survey{ID: id}
	var items string
	if err := tx.QueryRow(ctx, "SELECT title, items FROM pulse_surveys WHERE id = ?", id).Scan(&s.Title, &items); err != nil {
		return s, notFound(err, "survey %d not found", id)
	}
	if err := json.Unmarshal([]byte(items), &s.Items); err != nil {
		return s, fmt.Errorf("survey %d items: %w", id, err)
	}
	return s, nil
}

// ListSurveys returns every survey, by id.
func (db *DB) ListSurveys(ctx context.Context) ([]pulse.Survey, error) {
	out := []pulse.Survey{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT id, title, items FROM pulse_surveys ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s pulse.Survey
			var items string
			if err := rows.Scan(&s.ID, &s.Title, &items); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(items), &s.Items); err != nil {
				return fmt.Errorf("survey %d items: %w", s.ID, err)
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

const roundColumns = "r.id, r.survey_id, r.team_id, t.name, r.opens, r.closes, r.responses, r.imported"

func scanRound(s scanner) (pulse.Round, error) {
	var r pulse.Round
	var opens, closes, imported int64
	if err := s.Scan(&r.ID, &r.SurveyID, &r.TeamID, &r.Team, &opens, &closes, &r.Responses, &imported); err != nil {
		return r, err
	}
	r.Opens, r.Closes, r.Imported = time.Unix(opens, 0).UTC(), time.Unix(closes, 0).UTC(), imported != 0
	return r, nil
}

// CreateRound schedules a round of a survey (0 for the default survey) for
// the team with ref. Rounds of one team that collect answers may not
// overlap; a round with Imported set holds one imported file instead and
// may cover any period.
func (db *DB) CreateRound(ctx context.Context, teamRef string, r pulse.Round) (pulse.Round, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	if r.SurveyID == 0 {
		r.SurveyID = DefaultSurveyID
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		if _, err := getSurvey(ctx, tx, r.SurveyID); err != nil {
			if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
				return rhythm.Errorf(rhythm.EINVALID, "survey: %s", rhythm.ErrorMessage(err))
			}
			return err
		}
		var other int64
		err = tx.QueryRow(ctx, "SELECT id FROM pulse_rounds WHERE team_id = ? AND imported = 0 AND opens < ? AND closes > ? ORDER BY opens LIMIT 1",
			t.ID, r.Closes.Unix(), r.Opens.Unix()).Scan(&other)
		if err == nil && !r.Imported {
			return rhythm.Errorf(rhythm.EINVALID, "opens: the round would overlap round %d of team %q", other, t.Name)
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		imported := 0
		if r.Imported {
			imported = 1
		}
		r.TeamID, r.Team, r.Responses = t.ID, t.Name, 0
		r.ID, err = tx.InsertID(ctx, "INSERT INTO pulse_rounds (survey_id, team_id, opens, closes, created_at, imported) VALUES (?, ?, ?, ?, ?, ?)",
			r.SurveyID, t.ID, r.Opens.Unix(), r.Closes.Unix(), db.Now().Unix(), imported)
		return err
	})
	return r, err
}

// Round returns the round with the given id.
func (db *DB) Round(ctx context.Context, id int64) (pulse.Round, error) {
	var r pulse.Round
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		r, err = getRound(ctx, tx, id)
		return err
	})
	return r, err
}

func getRound(ctx context.Context, tx *Tx, id int64) (pulse.Round, error) {
	r, err := scanRound(tx.QueryRow(ctx, "SELECT "+roundColumns+" FROM pulse_rounds r JOIN teams t ON t.id = r.team_id WHERE r.id = ?", id))
	return r, notFound(err, "survey round %d not found", id)
}

// ListRounds returns the rounds of the team with ref, newest first.
func (db *DB) ListRounds(ctx context.Context, teamRef string) ([]pulse.Round, error) {
	out := []pulse.Round{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		t, err := getTeam(ctx, tx, teamRef)
		if err != nil {
			return err
		}
		out, err = queryRounds(ctx, tx, "WHERE r.team_id = ? ORDER BY r.opens DESC, r.id DESC", t.ID)
		return err
	})
	return out, err
}

func queryRounds(ctx context.Context, tx *Tx, where string, args ...any) ([]pulse.Round, error) {
	return queryAll(ctx, tx, scanRound, "SELECT "+roundColumns+" FROM pulse_rounds r JOIN teams t ON t.id = r.team_id "+where, args...)
}

// lockRound takes the round's row lock (PostgreSQL; SQLite transactions
// write one at a time anyway), so answers to one round are written one
// after another and the rewrite below never loses one.
func lockRound(ctx context.Context, tx *Tx, id int64) error {
	res, err := tx.Exec(ctx, "UPDATE pulse_rounds SET responses = responses WHERE id = ?", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rhythm.Errorf(rhythm.ENOTFOUND, "survey round %d not found", id)
	}
	return nil
}

// SubmitResponse stores one member's complete answers to an open round,
// anonymously. A second answer by the same member is a conflict.
func (db *DB) SubmitResponse(ctx context.Context, roundID, memberID int64, a pulse.Answers) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := lockRound(ctx, tx, roundID); err != nil {
			return err
		}
		r, err := getRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		s, err := getSurvey(ctx, tx, r.SurveyID)
		if err != nil {
			return err
		}
		if err := s.Check(a, true); err != nil {
			return err
		}
		switch st := r.Status(db.Now()); st {
		case pulse.Imported:
			return rhythm.Errorf(rhythm.ECONFLICT, "round %d holds answers imported from another tool; it cannot be answered in rhythm", r.ID)
		case pulse.Scheduled:
			return rhythm.Errorf(rhythm.ECONFLICT, "round %d opens on %s; it cannot be answered yet", r.ID, r.Opens.Format("2006-01-02 15:04 UTC"))
		case pulse.Closed:
			return rhythm.Errorf(rhythm.ECONFLICT, "round %d closed on %s; it can no longer be answered", r.ID, r.Closes.Format("2006-01-02 15:04 UTC"))
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM members WHERE id = ? AND team_id = ?", memberID, r.TeamID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return rhythm.Errorf(rhythm.EFORBIDDEN, "only members of team %q may answer its survey", r.Team)
		}
		_, err = tx.Exec(ctx, "INSERT INTO pulse_answered (round_id, member_id) VALUES (?, ?)", roundID, memberID)
		if db.isUnique(err) {
			return rhythm.Errorf(rhythm.ECONFLICT, "you have answered this round already; answers are anonymous, so they cannot be changed")
		} else if err != nil {
			return err
		}
		return addResponses(ctx, tx, roundID, []pulse.Answers{a})
	})
}

// addResponses adds answers to a round and rewrites all of the round's
// rows in the order of their content: the rows, their ids and (on
// PostgreSQL) their transaction ids then say nothing about who answered
// when.
func addResponses(ctx context.Context, tx *Tx, roundID int64, add []pulse.Answers) error {
	all, err := roundAnswers(ctx, tx, roundID)
	if err != nil {
		return err
	}
	for _, a := range add {
		b, err := json.Marshal(a) // map keys are sorted: one text per content
		if err != nil {
			return err
		}
		all = append(all, string(b))
	}
	slices.Sort(all)
	if _, err := tx.Exec(ctx, "DELETE FROM pulse_responses WHERE round_id = ?", roundID); err != nil {
		return err
	}
	const batch = 200
	for i := 0; i < len(all); i += batch {
		chunk := all[i:min(i+batch, len(all))]
		q := "INSERT INTO pulse_responses (round_id, answers) VALUES " + placeholders(len(chunk), "(?, ?)")
		args := make([]any, 0, 2*len(chunk))
		for _, a := range chunk {
			args = append(args, roundID, a)
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, "UPDATE pulse_rounds SET responses = ? WHERE id = ?", len(all), roundID)
	return err
}

func placeholders(n int, one string) string {
	b := make([]byte, 0, n*(len(one)+2))
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, one...)
	}
	return string(b)
}

func roundAnswers(ctx context.Context, tx *Tx, roundID int64) ([]string, error) {
	rows, err := tx.Query(ctx, "SELECT answers FROM pulse_responses WHERE round_id = ? ORDER BY answers", roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// HasAnswered reports whether the member has answered the round.
func (db *DB) HasAnswered(ctx context.Context, roundID, memberID int64) (bool, error) {
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "SELECT COUNT(*) FROM pulse_answered WHERE round_id = ? AND member_id = ?", roundID, memberID).Scan(&n)
	})
	return n > 0, err
}

// ImportResponses stores responses read from another tool's export in a
// round created for them (Imported). Imported answers never join answers
// rhythm collected (they could single out a real one), and a round's
// results never change once it has them: a round takes one file. The
// file's SHA-256 makes the import idempotent: importing the same file
// into the same round again adds nothing and reports 0 added.
func (db *DB) ImportResponses(ctx context.Context, roundID int64, sha256 string, rs []pulse.Answers) (added int, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := lockRound(ctx, tx, roundID); err != nil {
			return err
		}
		r, err := getRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		s, err := getSurvey(ctx, tx, r.SurveyID)
		if err != nil {
			return err
		}
		for i, a := range rs {
			if err := s.Check(a, false); err != nil {
				return rhythm.Errorf(rhythm.EINVALID, "response %d: %s", i+1, rhythm.ErrorMessage(err))
			}
		}
		if again, err := importable(ctx, tx, r, sha256, db.Now()); err != nil || again {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO pulse_imports (round_id, sha256) VALUES (?, ?)", roundID, sha256); err != nil {
			return err
		}
		added = len(rs)
		return addResponses(ctx, tx, roundID, rs)
	})
	return added, err
}

// importable refuses an import into a round that collects answers, and a
// second file into an imported round. A round that holds this very file
// already is no error: again is set and the caller adds nothing.
func importable(ctx context.Context, tx *Tx, r pulse.Round, sha256 string, now time.Time) (again bool, err error) {
	if !r.Imported {
		if st := r.Status(now); st == pulse.Closed {
			return false, rhythm.Errorf(rhythm.ECONFLICT, "round %d closed on %s; its results cannot change. Import answers from another tool into a round created for them (imported)",
				r.ID, r.Closes.Format("2006-01-02 15:04 UTC"))
		}
		return false, rhythm.Errorf(rhythm.ECONFLICT, "round %d collects answers in rhythm; answers from another tool are never mixed with them: import into a round created for them (imported)", r.ID)
	}
	var same, other int
	err = tx.QueryRow(ctx, "SELECT COALESCE(SUM(CASE WHEN sha256 = ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN sha256 <> ? THEN 1 ELSE 0 END), 0) FROM pulse_imports WHERE round_id = ?",
		sha256, sha256, r.ID).Scan(&same, &other)
	if err != nil {
		return false, err
	}
	if other > 0 {
		return false, rhythm.Errorf(rhythm.ECONFLICT, "round %d holds the answers of another file already; its results cannot change: create another imported round for this file", r.ID)
	}
	return same > 0, nil
}

// RoundResults returns a round's results at now, with the responses behind
// them when they may be shown (nil otherwise).
func (db *DB) RoundResults(ctx context.Context, roundID int64, now time.Time) (pulse.Results, []pulse.Answers, error) {
	var (
		res pulse.Results
		out []pulse.Answers
	)
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		res, out, err = roundResults(ctx, tx, roundID, now)
		return err
	})
	return res, out, err
}

func roundResults(ctx context.Context, tx *Tx, roundID int64, now time.Time) (pulse.Results, []pulse.Answers, error) {
	r, err := getRound(ctx, tx, roundID)
	if err != nil {
		return pulse.Results{}, nil, err
	}
	s, err := getSurvey(ctx, tx, r.SurveyID)
	if err != nil {
		return pulse.Results{}, nil, err
	}
	var normsJSON string
	if err := tx.QueryRow(ctx, "SELECT norms FROM teams WHERE id = ?", r.TeamID).Scan(&normsJSON); err != nil {
		return pulse.Results{}, nil, err
	}
	norms := team.DefaultNorms()
	if err := json.Unmarshal([]byte(normsJSON), &norms); err != nil {
		return pulse.Results{}, nil, err
	}
	texts, err := roundAnswers(ctx, tx, roundID)
	if err != nil {
		return pulse.Results{}, nil, err
	}
	answers := make([]pulse.Answers, len(texts))
	for i, t := range texts {
		if err := json.Unmarshal([]byte(t), &answers[i]); err != nil {
			return pulse.Results{}, nil, fmt.Errorf("round %d: stored answers: %w", roundID, err)
		}
	}
	res := pulse.Summarize(r, s, answers, norms.MinGroupSize, now)
	if res.Suppressed {
		return res, nil, nil
	}
	return res, answers, nil
}

// PulseSamples returns the results of every closed round that may be
// shown, as metric samples of their teams.
func (db *DB) PulseSamples(ctx context.Context, now time.Time) ([]metric.Sample, error) {
	var out []metric.Sample
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rounds, err := queryRounds(ctx, tx, "WHERE r.closes <= ? ORDER BY r.team_id, r.opens", now.Unix())
		if err != nil {
			return err
		}
		for _, r := range rounds {
			res, _, err := roundResults(ctx, tx, r.ID, now)
			if err != nil {
				return err
			}
			if s, ok := res.Sample(); ok {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// Churn returns the churn per quarter of the team with ref over [from, to].
func (db *DB) Churn(ctx context.Context, teamRef string, from, to team.Date) ([]pulse.ChurnRow, error) {
	t, err := db.Team(ctx, teamRef)
	if err != nil {
		return nil, err
	}
	return pulse.Churn(t, from, to, t.Norms.MinGroupSize)
}

// MemberIDByEmail returns the id of the member of the team with the given
// email, or ENOTFOUND.
func (db *DB) MemberIDByEmail(ctx context.Context, teamID int64, email string) (int64, error) {
	var id int64
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "SELECT id FROM members WHERE team_id = ? AND email_key = ?", teamID, nameKey(email)).Scan(&id)
	})
	return id, notFound(err, "%s is not on the roster of team %d", email, teamID)
}
