package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
)

// TestPulseStore is the storage suite of surveys, metric samples and
// experiments; every subtest runs against SQLite and PostgreSQL.
func TestPulseStore(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Run("default survey matches the code", func(t *testing.T) { testDefaultSurvey(t, d) })
			t.Run("rounds", func(t *testing.T) { testRounds(t, d) })
			t.Run("answers", func(t *testing.T) { testAnswers(t, d) })
			t.Run("responses cannot be joined to people", func(t *testing.T) { testAnonymity(t, d) })
			t.Run("concurrent answers are all kept", func(t *testing.T) { testConcurrentAnswers(t, d) })
			t.Run("results need min group size", func(t *testing.T) { testResultsThreshold(t, d) })
			t.Run("imports are idempotent", func(t *testing.T) { testImport(t, d) })
			t.Run("imports never mix with collected answers", func(t *testing.T) { testImportIntoCollectedRoundRefused(t, d) })
			t.Run("metric samples", func(t *testing.T) { testSamples(t, d) })
			t.Run("experiments", func(t *testing.T) { testExperiments(t, d) })
		})
	}
}

var (
	roundOpens  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	roundCloses = time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
)

// pulseDB opens a database with a team of n members whose clock reads the
// middle of the round.
func pulseDB(t *testing.T, d storetest.Dialect, n int) (*store.DB, team.Team) {
	t.Helper()
	db := storetest.OpenDSN(t, d.DSN(t))
	db.Now = func() time.Time { return roundOpens.Add(24 * time.Hour) }
	emails := make([]string, n)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%02d@x.org", i)
	}
	tm := roster(t, "Pulse", emails...)
	tm.Norms.MinGroupSize = 5
	tm, err := db.CreateTeam(context.Background(), tm)
	if err != nil {
		t.Fatal(err)
	}
	return db, tm
}

func createRound(t *testing.T, db *store.DB) pulse.Round {
	t.Helper()
	r, err := db.CreateRound(context.Background(), "Pulse", pulse.Round{Opens: roundOpens, Closes: roundCloses})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func answers(enps, connected int) pulse.Answers {
	return pulse.Answers{"enps": enps, "connected": connected, "uninterrupted_time": 3, "meetings_worthwhile": 4}
}

func testDefaultSurvey(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	got, err := db.Survey(ctx, store.DefaultSurveyID)
	if err != nil {
		t.Fatal(err)
	}
	want := pulse.DefaultSurvey()
	want.ID = store.DefaultSurveyID
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored default survey differs from pulse.DefaultSurvey:\n%s", diff)
	}
	s, err := db.CreateSurvey(ctx, pulse.Survey{Title: "Short", Items: []pulse.Item{{Key: "enps", Kind: pulse.KindENPS, Text: "Recommend?"}}})
	if err != nil || s.ID == store.DefaultSurveyID {
		t.Fatalf("second survey: %+v, %v (the id sequence must move past the seeded survey)", s, err)
	}
	list, _ := db.ListSurveys(ctx)
	if len(list) != 2 {
		t.Errorf("ListSurveys = %d surveys, want 2", len(list))
	}
	if _, err := db.CreateSurvey(ctx, pulse.Survey{Title: "Bad"}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("invalid survey: err = %v", err)
	}
}

func testRounds(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 3)
	ctx := context.Background()
	r := createRound(t, db)
	if r.ID == 0 || r.TeamID != tm.ID || r.SurveyID != store.DefaultSurveyID || r.Team != "Pulse" {
		t.Errorf("round = %+v", r)
	}
	got, err := db.Round(ctx, r.ID)
	if err != nil || !cmp.Equal(r, got) {
		t.Errorf("Round = %+v, %v; want %+v", got, err, r)
	}
	tests := []struct {
		name  string
		round pulse.Round
		code  string
		msg   string
	}{
		{"overlap", pulse.Round{Opens: roundCloses.Add(-time.Hour), Closes: roundCloses.Add(24 * time.Hour)}, rhythm.EINVALID, "opens: the round would overlap round"},
		{"closes before opens", pulse.Round{Opens: roundCloses, Closes: roundOpens}, rhythm.EINVALID, "closes:"},
		{"unknown survey", pulse.Round{SurveyID: 999, Opens: roundCloses, Closes: roundCloses.Add(time.Hour)}, rhythm.EINVALID, "survey: survey 999 not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateRound(ctx, "Pulse", tt.round)
			if rhythm.ErrorCode(err) != tt.code || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.msg) {
				t.Errorf("err = %v, want %s %q", err, tt.code, tt.msg)
			}
		})
	}
	next, err := db.CreateRound(ctx, "pulse", pulse.Round{Opens: roundCloses, Closes: roundCloses.Add(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatalf("adjacent round: %v", err)
	}
	list, _ := db.ListRounds(ctx, "Pulse")
	if len(list) != 2 || list[0].ID != next.ID {
		t.Errorf("ListRounds = %+v, want newest first", list)
	}
}

func testAnswers(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 3)
	ctx := context.Background()
	r := createRound(t, db)
	m := tm.Members[0].ID
	if err := db.SubmitResponse(ctx, r.ID, m, answers(9, 4)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.HasAnswered(ctx, r.ID, m); !ok {
		t.Error("HasAnswered = false after answering")
	}
	outsider, err := db.CreateTeam(ctx, roster(t, "Elsewhere", "out@x.org"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		member int64
		a      pulse.Answers
		now    time.Time
		code   string
		msg    string
	}{
		{"second answer", m, answers(3, 1), time.Time{}, rhythm.ECONFLICT, "you have answered this round already"},
		{"Likert 7", tm.Members[1].ID, answers(9, 7), time.Time{}, rhythm.EINVALID, "connected: 7 is not a Likert answer (1–5)"},
		{"eNPS 11", tm.Members[1].ID, answers(11, 3), time.Time{}, rhythm.EINVALID, "enps: 11 is not an eNPS answer (0–10)"},
		{"incomplete", tm.Members[1].ID, pulse.Answers{"enps": 3}, time.Time{}, rhythm.EINVALID, "connected: please answer every question"},
		{"not on the team", outsider.Members[0].ID, answers(9, 4), time.Time{}, rhythm.EFORBIDDEN, "only members of team"},
		{"closed round", tm.Members[1].ID, answers(9, 4), roundCloses, rhythm.ECONFLICT, "round"},
		{"not yet open", tm.Members[1].ID, answers(9, 4), roundOpens.Add(-time.Second), rhythm.ECONFLICT, "round"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.now.IsZero() {
				saved := db.Now
				db.Now = func() time.Time { return tt.now }
				defer func() { db.Now = saved }()
			}
			err := db.SubmitResponse(ctx, r.ID, tt.member, tt.a)
			if rhythm.ErrorCode(err) != tt.code || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.msg) {
				t.Errorf("err = %v, want %s %q", err, tt.code, tt.msg)
			}
		})
	}
	if err := db.SubmitResponse(ctx, 987654, m, answers(9, 4)); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("unknown round: err = %v", err)
	}
	got, _ := db.Round(ctx, r.ID)
	if got.Responses != 1 {
		t.Errorf("responses = %d after one accepted answer, want 1", got.Responses)
	}
}

// columns returns the column names of a table, in order.
func columns(t *testing.T, db *store.DB, table string) []string {
	t.Helper()
	rows, err := db.SQL().Query("SELECT * FROM " + table + " WHERE 1 = 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	return cols
}

// testAnonymity: a response row holds only its round and the answers; the
// "has answered" table only round and member; and the rows of a round, in
// the order the database keeps them (rowid, ctid) and by transaction id,
// follow their content rather than the order people answered in.
func testAnonymity(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 7)
	ctx := context.Background()
	r := createRound(t, db)
	// Answer in an order that differs from the content order.
	for i, m := range tm.Members {
		if err := db.SubmitResponse(ctx, r.ID, m.ID, answers(10-i, 1+(i*3)%5)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"round_id", "answers"}, columns(t, db, "pulse_responses")); diff != "" {
		t.Errorf("pulse_responses columns:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"round_id", "member_id"}, columns(t, db, "pulse_answered")); diff != "" {
		t.Errorf("pulse_answered columns:\n%s", diff)
	}
	order := "rowid"
	if d.Name == store.Postgres {
		order = "ctid"
	}
	rows, err := db.SQL().Query("SELECT answers FROM pulse_responses WHERE round_id = " + fmt.Sprint(r.ID) + " ORDER BY " + order)
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		stored = append(stored, a)
	}
	rows.Close()
	if len(stored) != 7 || !slices.IsSorted(stored) {
		t.Errorf("rows in storage order %q: want 7, sorted by content", stored)
	}
	if d.Name == store.Postgres {
		var distinct int
		if err := db.SQL().QueryRow("SELECT COUNT(DISTINCT xmin::text) FROM pulse_responses WHERE round_id = $1", r.ID).Scan(&distinct); err != nil {
			t.Fatal(err)
		}
		if distinct != 1 {
			t.Errorf("responses carry %d transaction ids, want 1 (the last write rewrites them all)", distinct)
		}
	}
}

func testConcurrentAnswers(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 12)
	ctx := context.Background()
	r := createRound(t, db)
	var wg sync.WaitGroup
	for i, m := range tm.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.SubmitResponse(ctx, r.ID, m.ID, answers(i%11, 1+i%5)); err != nil {
				t.Errorf("member %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	db.Now = func() time.Time { return roundCloses }
	res, rs, err := db.RoundResults(ctx, r.ID, roundCloses)
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 12 || len(rs) != 12 {
		t.Errorf("after 12 concurrent answers: %d responses (%d returned), want 12", res.Responses, len(rs))
	}
	got, _ := db.Round(ctx, r.ID)
	if got.Responses != 12 {
		t.Errorf("round counts %d responses, want 12", got.Responses)
	}
}

func testResultsThreshold(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 6)
	ctx := context.Background()
	r := createRound(t, db)
	for i, m := range tm.Members[:4] {
		if err := db.SubmitResponse(ctx, r.ID, m.ID, answers(9-i, 4)); err != nil {
			t.Fatal(err)
		}
	}
	after := roundCloses.Add(time.Minute)
	res, rs, err := db.RoundResults(ctx, r.ID, after)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Suppressed || rs != nil || res.ENPS != nil || res.Responses != 4 || !strings.Contains(res.Reason, "at least 5") {
		t.Errorf("4 responses at min size 5: %+v, responses %v; want suppressed", res, rs)
	}
	samples, _ := db.PulseSamples(ctx, after)
	if len(samples) != 0 {
		t.Errorf("PulseSamples shows a suppressed round: %+v", samples)
	}
	if err := db.SubmitResponse(ctx, r.ID, tm.Members[4].ID, answers(5, 2)); err != nil {
		t.Fatal(err)
	}
	res, rs, _ = db.RoundResults(ctx, r.ID, roundOpens.Add(48*time.Hour))
	if !res.Suppressed || rs != nil {
		t.Errorf("open round with 5 responses shows results: %+v", res)
	}
	res, rs, _ = db.RoundResults(ctx, r.ID, after)
	if res.Suppressed || len(rs) != 5 || res.ENPS == nil || res.ENPS.N != 5 {
		t.Errorf("5 responses, closed: %+v", res)
	}
	samples, _ = db.PulseSamples(ctx, after)
	if len(samples) != 1 || samples[0].Unit != "Pulse" || samples[0].Values["enps"] != res.ENPS.Score {
		t.Errorf("PulseSamples = %+v", samples)
	}
}

func testImport(t *testing.T, d storetest.Dialect) {
	db, tm := pulseDB(t, d, 3)
	ctx := context.Background()
	r, err := db.CreateRound(ctx, "Pulse", pulse.Round{Opens: roundOpens, Closes: roundCloses, Imported: true})
	if err != nil {
		t.Fatal(err)
	}
	rs := []pulse.Answers{{"enps": 9}, {"enps": 3, "connected": 2}, {"connected": 5}}
	n, err := db.ImportResponses(ctx, r.ID, "abc", rs)
	if err != nil || n != 3 {
		t.Fatalf("import: %d, %v", n, err)
	}
	n, err = db.ImportResponses(ctx, r.ID, "abc", rs)
	if err != nil || n != 0 {
		t.Errorf("same file again: %d, %v; want 0 added", n, err)
	}
	_, err = db.ImportResponses(ctx, r.ID, "def", []pulse.Answers{{"enps": 9}, {"connected": 7}})
	if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), "response 2: connected: 7") {
		t.Errorf("bad import: %v", err)
	}
	got, _ := db.Round(ctx, r.ID)
	if got.Responses != 3 || !got.Imported || got.Status(db.Now()) != pulse.Imported {
		t.Errorf("round = %+v, want 3 responses, imported (the failed import adds none)", got)
	}
	// Its results cannot change: a second file and answers in rhythm are refused.
	_, err = db.ImportResponses(ctx, r.ID, "ghi", []pulse.Answers{{"enps": 9}})
	if rhythm.ErrorCode(err) != rhythm.ECONFLICT || !strings.Contains(rhythm.ErrorMessage(err), "another file") {
		t.Errorf("second file: %v, want a conflict", err)
	}
	if err := db.SubmitResponse(ctx, r.ID, tm.Members[0].ID, answers(9, 4)); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Errorf("answering an imported round: %v, want a conflict", err)
	}
	// An imported round may cover the period of a round rhythm runs.
	if _, err := db.CreateRound(ctx, "Pulse", pulse.Round{Opens: roundOpens, Closes: roundCloses}); err != nil {
		t.Errorf("collected round beside an imported one: %v", err)
	}
}

func testSamples(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	q1, _ := metric.ParsePeriod("2026-Q1")
	w2, _ := metric.ParsePeriod("2026-W02")
	in := []metric.Sample{
		{Unit: "Platform", Period: q1, Values: map[string]float64{"sync_async_ratio": 0.8, "meeting_hours": 11.25}},
		{Unit: "ana@example.com", Period: w2, Values: map[string]float64{"meeting_hours": 9}},
	}
	n, err := db.SaveSamples(ctx, "a.csv", in)
	if err != nil || n != 3 {
		t.Fatalf("SaveSamples = %d, %v", n, err)
	}
	in[0].Values["meeting_hours"] = 12
	in[0].Unit = "platform"
	if _, err := db.SaveSamples(ctx, "a.csv", in); err != nil {
		t.Fatal(err)
	}
	got, err := db.Samples(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []metric.Sample{in[1], in[0]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := db.SaveSamples(ctx, "x", []metric.Sample{{Unit: "", Period: q1}}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("invalid sample: err = %v", err)
	}
}

func testExperiments(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	var ids []int64
	for _, n := range []string{"A", "B", "C", "D"} {
		tm, err := db.CreateTeam(ctx, roster(t, n, strings.ToLower(n)+"@x.org"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tm.ID)
	}
	base, _ := metric.ParsePeriod("2026-01-05/2026-02-01")
	treat, _ := metric.ParsePeriod("2026-02-09/2026-03-08")
	e := experiment.Experiment{Name: "Async prep", Arms: []experiment.Arm{{Name: "control"}, {Name: "async prep"}},
		Pool: []experiment.Unit{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}, Seed: 9, Baseline: base, Treatment: treat, Outcomes: []string{"meeting_hours"}}
	e, err := db.CreateExperiment(ctx, e, 7, ids)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Experiment(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("read back:\n%s", diff)
	}
	assigned, err := db.AssignExperiment(ctx, e.ID)
	if err != nil || len(assigned.Assignments) != 4 {
		t.Fatalf("assign: %+v, %v", assigned.Assignments, err)
	}
	want, _ := experiment.Assign(e)
	if diff := cmp.Diff(want, assigned.Assignments); diff != "" {
		t.Errorf("stored assignment differs from Assign:\n%s", diff)
	}
	if _, err := db.AssignExperiment(ctx, e.ID); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
		t.Errorf("second assign: err = %v, want conflict", err)
	}
	again, _ := db.Experiment(ctx, e.ID)
	if diff := cmp.Diff(want, again.Assignments); diff != "" {
		t.Errorf("assignments changed:\n%s", diff)
	}
	list, _ := db.ListExperiments(ctx)
	if len(list) != 1 || !list[0].Assigned || list[0].CreatedBy != 7 || !cmp.Equal(list[0].TeamIDs, ids) {
		t.Errorf("ListExperiments = %+v", list)
	}
	if _, err := db.Experiment(ctx, 999); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Errorf("unknown experiment: %v", err)
	}
	bad := e
	bad.Pool = bad.Pool[:2]
	if _, err := db.CreateExperiment(ctx, bad, 0, nil); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Errorf("one unit per arm: err = %v", err)
	}
}
