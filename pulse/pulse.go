// Package pulse holds pulse surveys (an eNPS question and Likert items),
// their rounds and anonymous answers, the results a team may see, churn
// from roster dates, and correlations of audit metrics with these
// outcomes.
//
// Answers are anonymous: a response carries no identity and no time, only
// its round. Whether a person has answered is kept apart, with nothing that
// joins it to a response. Results appear only once a round has closed and
// only for at least the team's min_group_size responses.
package pulse

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// Kind is the kind of a survey item.
type Kind string

// Item kinds: eNPS answers run 0–10, Likert answers 1 (strongly disagree)
// to 5 (strongly agree).
const (
	KindENPS   Kind = "enps"
	KindLikert Kind = "likert"
)

// Range returns the smallest and largest answer of the kind.
func (k Kind) Range() (lo, hi int) {
	if k == KindENPS {
		return 0, 10
	}
	return 1, 5
}

// Item is one question of a survey.
type Item struct {
	// Key names the item in files and results, and is the metric name of
	// its team averages (e.g. "connected"). The eNPS item's key is "enps".
	Key  string `json:"key"`
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
}

// Survey is a set of items asked in every round that uses it.
type Survey struct {
	ID    int64  `json:"id,omitempty"`
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// DefaultSurvey is the survey rounds use unless they name another: eNPS
// and three Likert items on connection, focus time and meetings.
func DefaultSurvey() Survey {
	return Survey{
		Title: "Team pulse",
		Items: []Item{
			{Key: metric.ENPS, Kind: KindENPS, Text: "How likely are you to recommend this team as a place to work?"},
			{Key: "connected", Kind: KindLikert, Text: "I feel connected to my team."},
			{Key: "uninterrupted_time", Kind: KindLikert, Text: "I have enough uninterrupted time to do my best work."},
			{Key: "meetings_worthwhile", Kind: KindLikert, Text: "Our meetings are a good use of time."},
		},
	}
}

// MaxItems is the most items a survey may have.
const MaxItems = 30

// Validate checks the survey: a title, 1 to MaxItems items with unique
// keys that are valid metric names, known kinds and text; the eNPS item,
// if any, is keyed "enps".
func (s *Survey) Validate() error {
	s.Title = strings.TrimSpace(s.Title)
	if s.Title == "" {
		return rhythm.Errorf(rhythm.EINVALID, "title: must not be empty")
	}
	if len(s.Items) == 0 || len(s.Items) > MaxItems {
		return rhythm.Errorf(rhythm.EINVALID, "items: a survey has 1 to %d items, not %d", MaxItems, len(s.Items))
	}
	seen := map[string]bool{}
	for i := range s.Items {
		it := &s.Items[i]
		it.Key, it.Text = strings.TrimSpace(it.Key), strings.TrimSpace(it.Text)
		field := fmt.Sprintf("items[%d]", i)
		if err := metric.ValidName(it.Key); err != nil {
			return rhythm.Errorf(rhythm.EINVALID, "%s.key: %v", field, err)
		}
		if seen[it.Key] {
			return rhythm.Errorf(rhythm.EINVALID, "%s.key: %q appears twice", field, it.Key)
		}
		seen[it.Key] = true
		switch it.Kind {
		case KindENPS:
			if it.Key != metric.ENPS {
				return rhythm.Errorf(rhythm.EINVALID, "%s.key: the eNPS item must be keyed %q", field, metric.ENPS)
			}
		case KindLikert:
			if it.Key == metric.ENPS || it.Key == metric.Churn {
				return rhythm.Errorf(rhythm.EINVALID, "%s.key: %q is reserved", field, it.Key)
			}
		default:
			return rhythm.Errorf(rhythm.EINVALID, "%s.kind: %q is not enps or likert", field, it.Kind)
		}
		if it.Text == "" {
			return rhythm.Errorf(rhythm.EINVALID, "%s.text: must not be empty", field)
		}
	}
	return nil
}

// Item returns the item with the given key.
func (s *Survey) Item(key string) (Item, bool) {
	for _, it := range s.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Keys returns the item keys in survey order.
func (s *Survey) Keys() []string {
	out := make([]string, len(s.Items))
	for i, it := range s.Items {
		out[i] = it.Key
	}
	return out
}

// Answers are one person's answers to a round: item key → answer.
type Answers map[string]int

// Check validates answers against the survey: only its items, each within
// its range. With complete, every item must be answered; otherwise at
// least one.
func (s *Survey) Check(a Answers, complete bool) error {
	for _, k := range slices.Sorted(maps.Keys(a)) {
		it, ok := s.Item(k)
		if !ok {
			return rhythm.Errorf(rhythm.EINVALID, "%s: not an item of the survey %q (items: %s)", k, s.Title, strings.Join(s.Keys(), ", "))
		}
		lo, hi := it.Kind.Range()
		if v := a[k]; v < lo || v > hi {
			name := "a Likert answer"
			if it.Kind == KindENPS {
				name = "an eNPS answer"
			}
			return rhythm.Errorf(rhythm.EINVALID, "%s: %d is not %s (%d–%d)", k, v, name, lo, hi)
		}
	}
	if complete {
		for _, it := range s.Items {
			if _, ok := a[it.Key]; !ok {
				return rhythm.Errorf(rhythm.EINVALID, "%s: please answer every question", it.Key)
			}
		}
	} else if len(a) == 0 {
		return rhythm.Errorf(rhythm.EINVALID, "answers: a response needs at least one answer")
	}
	return nil
}

// Status is where a round is in its schedule.
type Status string

// Round statuses.
const (
	Scheduled Status = "scheduled"
	Open      Status = "open"
	Closed    Status = "closed"
	// Imported is a round that holds answers imported from another tool:
	// nobody answers it in rhythm, and its one import is never mixed with
	// answers rhythm collected.
	Imported Status = "imported"
)

// Round is one scheduled asking of a survey to a team.
type Round struct {
	ID       int64     `json:"id,omitempty"`
	SurveyID int64     `json:"survey_id"`
	TeamID   int64     `json:"team_id"`
	Team     string    `json:"team"`
	Opens    time.Time `json:"opens"`
	Closes   time.Time `json:"closes"`
	// Responses is how many responses the round holds.
	Responses int `json:"responses"`
	// Imported is set on a round created to hold one file of answers
	// from another tool; Opens and Closes are when that tool asked.
	Imported bool `json:"imported,omitempty"`
}

// Validate checks that the round closes after it opens and lasts at most
// a year.
func (r *Round) Validate() error {
	switch {
	case r.Opens.IsZero():
		return rhythm.Errorf(rhythm.EINVALID, "opens: must be set")
	case r.Closes.IsZero():
		return rhythm.Errorf(rhythm.EINVALID, "closes: must be set")
	case !r.Closes.After(r.Opens):
		return rhythm.Errorf(rhythm.EINVALID, "closes: %s is not after opens %s", r.Closes.UTC().Format(time.RFC3339), r.Opens.UTC().Format(time.RFC3339))
	case r.Closes.Sub(r.Opens) > 366*24*time.Hour:
		return rhythm.Errorf(rhythm.EINVALID, "closes: a round lasts at most a year")
	}
	r.Opens, r.Closes = r.Opens.UTC(), r.Closes.UTC()
	return nil
}

// Status returns the round's status at now.
func (r *Round) Status(now time.Time) Status {
	switch {
	case r.Imported:
		return Imported
	case now.Before(r.Opens):
		return Scheduled
	case now.Before(r.Closes):
		return Open
	}
	return Closed
}

// Period returns the days the round was open, in UTC.
func (r *Round) Period() metric.Period {
	end := r.Closes.Add(-time.Nanosecond)
	if end.Before(r.Opens) {
		end = r.Opens
	}
	return metric.Period{Start: team.DateOf(r.Opens.UTC()), End: team.DateOf(end.UTC())}
}

// Results are what a round shows: nothing until it has closed with at
// least MinGroupSize responses, then eNPS and each item's distribution.
type Results struct {
	Round        Round              `json:"round"`
	Survey       Survey             `json:"survey"`
	Status       Status             `json:"status"`
	Responses    int                `json:"responses"`
	MinGroupSize int                `json:"min_group_size"`
	Suppressed   bool               `json:"suppressed"`
	Reason       string             `json:"reason,omitempty"`
	ENPS         *stats.NetPromoter `json:"enps,omitempty"`
	Items        []ItemResult       `json:"items,omitempty"`
	Notes        []string           `json:"notes,omitempty"`
	Level        float64            `json:"level"`
}

// ItemResult is the summary of one item.
type ItemResult struct {
	Key  string `json:"key"`
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
	N    int    `json:"n"`
	// Suppressed is set when fewer than the minimum answered this item.
	Suppressed bool `json:"suppressed,omitempty"`
	// Mean and its t interval; Favourable is the share answering 4 or 5
	// (Likert) or 9 or 10 (eNPS), in percent. Both are 0 when suppressed.
	Mean       float64        `json:"mean"`
	CI         stats.Interval `json:"ci"`
	Favourable float64        `json:"favourable"`
	// Counts[i] is the number answering lo+i.
	Counts []int `json:"counts"`
	// Lo is the smallest answer of the item.
	Lo int `json:"lo"`
}

// Summarize computes a round's results at now. It shows nothing while the
// round is scheduled or open (so nobody can watch results change as
// people answer) or when it has fewer than minGroup responses.
func Summarize(r Round, s Survey, responses []Answers, minGroup int, now time.Time) Results {
	if minGroup < team.MinimumMinGroupSize {
		minGroup = team.MinimumMinGroupSize
	}
	res := Results{Round: r, Survey: s, Status: r.Status(now), Responses: len(responses), MinGroupSize: minGroup, Level: stats.DefaultLevel}
	res.Round.Responses = len(responses)
	switch {
	case res.Status != Closed && res.Status != Imported:
		res.Suppressed = true
		res.Reason = fmt.Sprintf("The round is %s; results appear when it closes on %s.", res.Status, r.Closes.UTC().Format("2006-01-02 15:04 UTC"))
		return res
	case len(responses) < minGroup:
		res.Suppressed = true
		res.Reason = fmt.Sprintf("%d responses; results need at least %d (the team's min_group_size), so that no one's answers can be singled out.", len(responses), minGroup)
		return res
	}
	for _, it := range s.Items {
		var vals []int
		for _, a := range responses {
			if v, ok := a[it.Key]; ok {
				vals = append(vals, v)
			}
		}
		ir := summarizeItem(it, vals, minGroup)
		res.Items = append(res.Items, ir)
		if it.Kind == KindENPS && !ir.Suppressed {
			e, err := stats.ENPS(vals, stats.DefaultLevel)
			if err == nil {
				res.ENPS = &e
			}
		}
	}
	res.Notes = append(res.Notes,
		"eNPS = % promoters (9–10) − % detractors (0–6); its 95% interval uses the variance formula with one pseudo-answer added per group.",
		"Likert means have 95% t intervals; favourable is the share answering 4 or 5.")
	return res
}

func summarizeItem(it Item, vals []int, minGroup int) ItemResult {
	lo, hi := it.Kind.Range()
	ir := ItemResult{Key: it.Key, Kind: it.Kind, Text: it.Text, N: len(vals), Lo: lo, CI: stats.Interval{Lo: math.NaN(), Hi: math.NaN(), Level: stats.DefaultLevel}}
	if len(vals) < minGroup {
		ir.Suppressed = true
		return ir
	}
	ir.Counts = make([]int, hi-lo+1)
	fl := make([]float64, len(vals))
	fav := 0
	for i, v := range vals {
		if v < lo || v > hi {
			continue // answers are checked when stored; never index out of range
		}
		ir.Counts[v-lo]++
		fl[i] = float64(v)
		if (it.Kind == KindLikert && v >= 4) || (it.Kind == KindENPS && v >= 9) {
			fav++
		}
	}
	ir.Mean = stats.Mean(fl)
	ir.Favourable = 100 * float64(fav) / float64(len(vals))
	ir.CI = stats.MeanInterval(fl, stats.DefaultLevel, float64(lo), float64(hi))
	return ir
}

// Sample returns the round's results as a metric sample of its team over
// the days it was open: eNPS and the mean of each Likert item. It reports
// false when the results are suppressed.
func (res Results) Sample() (metric.Sample, bool) {
	if res.Suppressed {
		return metric.Sample{}, false
	}
	s := metric.Sample{Unit: res.Round.Team, Period: res.Round.Period(), Values: map[string]float64{}}
	for _, it := range res.Items {
		if it.Suppressed {
			continue
		}
		if it.Kind == KindENPS {
			if res.ENPS != nil {
				s.Values[metric.ENPS] = res.ENPS.Score
			}
			continue
		}
		s.Values[it.Key] = it.Mean
	}
	return s, len(s.Values) > 0
}
