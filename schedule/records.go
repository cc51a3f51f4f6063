package schedule

import (
	"encoding/json"
	"strings"
	"time"
)

// The JSON forms below are what `rhythm schedule --json` prints, one object
// per line, and what POST /api/v1/schedule answers; docs/schedule.md
// describes them.

// MarshalJSON adds outside_minutes.
func (a Attendee) MarshalJSON() ([]byte, error) {
	type plain Attendee
	return json.Marshal(struct {
		plain
		OutsideMinutes int `json:"outside_minutes"`
	}{plain(a), minutes(a.Outside)})
}

// MarshalJSON adds outside_minutes.
func (b Burden) MarshalJSON() ([]byte, error) {
	type plain Burden
	return json.Marshal(struct {
		plain
		OutsideMinutes int `json:"outside_minutes"`
	}{plain(b), minutes(b.Outside)})
}

// MarshalJSON adds the weekday by name ("monday").
func (s RotationSlot) MarshalJSON() ([]byte, error) {
	type plain RotationSlot
	return json.Marshal(struct {
		Weekday string `json:"weekday"`
		plain
	}{strings.ToLower(s.Weekday.String()), plain(s)})
}

func minutes(d time.Duration) int { return int(d / time.Minute) }

// SlotRecord is one ranked slot of a one-off search.
type SlotRecord struct {
	Type string `json:"type"` // "slot"
	Rank int    `json:"rank"` // 1 is best
	Slot
}

// InstanceRecord is one instance of a series.
type InstanceRecord struct {
	Type string `json:"type"` // "instance"
	Instance
}

// RankingSummary closes the records of a one-off search.
type RankingSummary struct {
	Type            string   `json:"type"` // "summary"
	Kind            string   `json:"kind"` // "one-off"
	Zone            string   `json:"zone"`
	DurationMinutes int      `json:"duration_minutes"`
	Candidates      int      `json:"candidates"`
	Blocked         int      `json:"blocked"`
	Slots           int      `json:"slots"`
	Warnings        []string `json:"warnings,omitempty"`
}

// SeriesSummary closes the records of a series: the rotation, each
// member's burden and the fairness figures.
type SeriesSummary struct {
	Type            string `json:"type"` // "summary"
	Kind            string `json:"kind"` // "series"
	DurationMinutes int    `json:"duration_minutes"`
	OutsideMinutes  int    `json:"outside_minutes"`
	*Series
}

// Records returns the slots as records, then the summary.
func (r *Ranking) Records() []any {
	out := make([]any, 0, len(r.Slots)+1)
	for i, s := range r.Slots {
		out = append(out, SlotRecord{Type: "slot", Rank: i + 1, Slot: s})
	}
	return append(out, r.Summary())
}

// Summary returns the summary record.
func (r *Ranking) Summary() RankingSummary {
	return RankingSummary{Type: "summary", Kind: "one-off", Zone: r.Zone, DurationMinutes: minutes(r.Duration),
		Candidates: r.Candidates, Blocked: r.Blocked, Slots: len(r.Slots), Warnings: r.Warnings}
}

// Records returns the instances as records, then the summary.
func (s *Series) Records() []any {
	out := make([]any, 0, len(s.Instances)+1)
	for _, in := range s.Instances {
		out = append(out, InstanceRecord{Type: "instance", Instance: in})
	}
	return append(out, s.Summary())
}

// Summary returns the summary record.
func (s *Series) Summary() SeriesSummary {
	return SeriesSummary{Type: "summary", Kind: "series", DurationMinutes: minutes(s.Duration), OutsideMinutes: minutes(s.Outside), Series: s}
}
