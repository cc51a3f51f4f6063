package audit

import (
	"github.com/rhythm-team/rhythm/metric"
)

// Metric names the audit adds to metric's well-known ones.
const (
	MetricAfterHoursMessageShare = "after_hours_message_share"
	MetricWithinWindowShare      = "within_window_share"
	MetricFragmentedHours        = "fragmented_hours"
	MetricRecurringShare         = "recurring_share"
)

// Samples returns the team's weekly figures, of the window and of the
// baseline, as metric samples for correlations and experiments: one
// sample per team-week that passes the privacy threshold. No sample is
// SampleMetrics are the metric names the audit's samples carry.
var SampleMetrics = []string{metric.MeetingHours, metric.FocusHours, metric.SyncAsyncRatio, metric.SyncAsyncTimeRatio,
	metric.AfterHours, MetricAfterHoursMessageShare, MetricFragmentedHours, MetricRecurringShare,
	metric.ResponseTimeHours, MetricWithinWindowShare}

// about a person.
func (r *Report) Samples() []metric.Sample {
	var out []metric.Sample
	for _, s := range []*Summary{r.Baseline, &r.Current} {
		if s == nil || s.Team.Suppressed || s.Interactions == 0 {
			continue
		}
		for _, w := range s.Weeks {
			if w.Suppressed || w.PersonWeeks == 0 {
				continue
			}
			v := map[string]float64{
				metric.MeetingHours:          w.MeetingHours,
				metric.FocusHours:            w.FocusHours,
				metric.SyncAsyncRatio:        w.SyncAsyncCountRatio,
				metric.SyncAsyncTimeRatio:    w.SyncAsyncTimeRatio,
				metric.AfterHours:            round(w.AfterHoursMeetingHours+w.AfterHoursMessages*r.Costs.Chat.Hours(), 2),
				MetricAfterHoursMessageShare: w.AfterHoursMessageShare,
				MetricFragmentedHours:        w.FragmentedHours,
				MetricRecurringShare:         w.RecurringShare,
			}
			if w.Replies > 0 {
				v[metric.ResponseTimeHours] = w.ResponseMedianWorkingHours
				v[MetricWithinWindowShare] = w.WithinWindowShare
			}
			out = append(out, metric.Sample{Unit: r.Team, Period: metric.Period{Start: w.From, End: w.To}, Values: v})
		}
	}
	return out
}
