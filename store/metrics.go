package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/team"
)

// SaveSamples stores metric samples, replacing earlier values of the same
// unit, period and metric, so importing a file twice changes nothing.
// source names where they came from (a file name, "audit"). It returns the
// number of values written.
func (db *DB) SaveSamples(ctx context.Context, source string, samples []metric.Sample) (int, error) {
	for _, s := range samples {
		if err := s.Validate(); err != nil {
			return 0, err
		}
	}
	n := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		n, err = saveSamples(ctx, tx, source, samples)
		return err
	})
	return n, err
}

// saveSamples writes valid samples in tx.
func saveSamples(ctx context.Context, tx *Tx, source string, samples []metric.Sample) (int, error) {
	n := 0
	now := tx.db.Now().Unix()
	for _, s := range samples {
		for _, m := range slices.Sorted(maps.Keys(s.Values)) {
			_, err := tx.Exec(ctx, `INSERT INTO metric_samples (unit, unit_key, period_start, period_end, metric, value, source, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (unit_key, period_start, period_end, metric) DO UPDATE SET unit = excluded.unit, value = excluded.value,
				source = excluded.source, updated_at = excluded.updated_at`,
				strings.TrimSpace(s.Unit), metric.UnitKey(s.Unit), s.Period.Start.String(), s.Period.End.String(), m, s.Values[m], source, now)
			if err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Samples returns every stored metric sample, one per unit and period, in
// unit then period order.
func (db *DB) Samples(ctx context.Context) ([]metric.Sample, error) {
	var out []metric.Sample
	err := db.ReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT unit, unit_key, period_start, period_end, metric, value FROM metric_samples
			ORDER BY unit_key, period_start, period_end, metric`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var lastKey string
		for rows.Next() {
			var unit, key, start, end, name string
			var v float64
			if err := rows.Scan(&unit, &key, &start, &end, &name, &v); err != nil {
				return err
			}
			k := key + "\x00" + start + "\x00" + end
			if k != lastKey {
				var p metric.Period
				if p.Start, err = team.ParseDate(start); err == nil {
					p.End, err = team.ParseDate(end)
				}
				if err != nil {
					return err
				}
				out = append(out, metric.Sample{Unit: unit, Period: p, Values: map[string]float64{}})
				lastKey = k
			}
			out[len(out)-1].Values[name] = v
		}
		return rows.Err()
	})
	return out, err
}

// OutcomeSamples returns every sample that correlations and experiments
// read: extra (samples from files), the stored metric samples, the results
// of closed pulse rounds that may be shown, and each team's churn per whole
// quarter over the span the other samples cover (up to now).
func (db *DB) OutcomeSamples(ctx context.Context, now time.Time, extra []metric.Sample) ([]metric.Sample, error) {
	stored, err := db.Samples(ctx)
	if err != nil {
		return nil, err
	}
	surveyed, err := db.PulseSamples(ctx, now)
	if err != nil {
		return nil, err
	}
	out := slices.Concat(extra, stored, surveyed)
	if len(out) == 0 {
		return out, nil
	}
	from, to := out[0].Period.Start, out[0].Period.End
	for _, s := range out {
		if s.Period.Start.Before(from) {
			from = s.Period.Start
		}
		if to.Before(s.Period.End) {
			to = s.Period.End
		}
	}
	if today := team.DateOf(now.UTC()); today.Before(to) {
		to = today
	}
	if to.Before(from) {
		return out, nil
	}
	teams, err := db.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	for _, ts := range teams {
		rows, err := db.Churn(ctx, strconv.FormatInt(ts.ID, 10), from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, pulse.ChurnSamples(rows)...)
	}
	return out, nil
}
