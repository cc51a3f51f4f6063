package pulse

import (
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/team"
)

// ChurnRow is a team's churn in one quarter, with the counts behind the
// rate.
type ChurnRow struct {
	Team   string        `json:"team"`
	Period metric.Period `json:"period"`
	// Partial is set when the range asked for cuts the quarter short.
	Partial bool `json:"partial,omitempty"`
	// Headcount on the first and last day (leavers on the last day not
	// counted), joiners (start date in the period) and leavers (leave date
	// in the period).
	StartHeadcount int `json:"start_headcount"`
	EndHeadcount   int `json:"end_headcount"`
	Joiners        int `json:"joiners"`
	Leavers        int `json:"leavers"`
	// AverageHeadcount is the mean of the daily headcounts.
	AverageHeadcount float64 `json:"average_headcount"`
	// Rate is Leavers / AverageHeadcount, as a fraction.
	Rate float64 `json:"rate"`
	// Suppressed is set, and the counts and rate are zero, when the
	// average headcount is below the team's min_group_size.
	Suppressed bool `json:"suppressed,omitempty"`
}

// present reports whether m is on the team on day d: on or after the start
// date and on or before the leave date (the last working day).
func present(m *team.Member, d team.Date) bool {
	return (m.Start.IsZero() || !d.Before(m.Start)) && (m.Leave.IsZero() || !m.Leave.Before(d))
}

// Churn returns the team's churn per calendar quarter over [from, to],
// from its roster's start and leave dates. Members without a start date
// count as present from the beginning; leavers count only while they stay
// on the roster with a leave date. Quarters whose average headcount is
// below minGroup are suppressed.
func Churn(t team.Team, from, to team.Date, minGroup int) ([]ChurnRow, error) {
	if from.IsZero() || to.IsZero() {
		return nil, rhythm.Errorf(rhythm.EINVALID, "from: churn needs a date range")
	}
	if to.Before(from) {
		return nil, rhythm.Errorf(rhythm.EINVALID, "to: %s is before from %s", to, from)
	}
	if to.In(time.UTC).Sub(from.In(time.UTC)) > 20*366*24*time.Hour {
		return nil, rhythm.Errorf(rhythm.EINVALID, "to: churn covers at most 20 years")
	}
	if minGroup < team.MinimumMinGroupSize {
		minGroup = team.MinimumMinGroupSize
	}
	var out []ChurnRow
	for _, q := range metric.Quarters(metric.Period{Start: from, End: to}) {
		p := q
		if p.Start.Before(from) {
			p.Start = from
		}
		if to.Before(p.End) {
			p.End = to
		}
		row := ChurnRow{Team: t.Name, Period: p, Partial: p != q}
		days, total := 0, 0
		for d := p.Start.In(time.UTC); !team.DateOf(d).After(p.End); d = d.AddDate(0, 0, 1) {
			day := team.DateOf(d)
			days++
			for i := range t.Members {
				if present(&t.Members[i], day) {
					total++
				}
			}
		}
		for i := range t.Members {
			m := &t.Members[i]
			if present(m, p.Start) {
				row.StartHeadcount++
			}
			if present(m, p.End) && m.Leave != p.End {
				row.EndHeadcount++
			}
			if !m.Start.IsZero() && p.Contains(m.Start) {
				row.Joiners++
			}
			if !m.Leave.IsZero() && p.Contains(m.Leave) {
				row.Leavers++
			}
		}
		row.AverageHeadcount = float64(total) / float64(days)
		if row.AverageHeadcount < float64(minGroup) {
			row = ChurnRow{Team: row.Team, Period: row.Period, Partial: row.Partial, Suppressed: true}
		} else {
			row.Rate = float64(row.Leavers) / row.AverageHeadcount
		}
		out = append(out, row)
	}
	return out, nil
}

// ChurnSamples returns the churn rates of whole, unsuppressed quarters as
// metric samples (a partial quarter's rate is not comparable).
func ChurnSamples(rows []ChurnRow) []metric.Sample {
	var out []metric.Sample
	for _, r := range rows {
		if r.Suppressed || r.Partial {
			continue
		}
		out = append(out, metric.Sample{Unit: r.Team, Period: r.Period, Values: map[string]float64{metric.Churn: r.Rate}})
	}
	return out
}
