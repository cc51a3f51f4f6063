package gen

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/team"
)

// AssignmentFile is the name Write gives the list of teams and the arm each
// is in, when the people are split into several teams.
const AssignmentFile = "assignment.csv"

// Arms of the generated experiment.
const (
	ArmControl   = "control"
	ArmTreatment = "treatment"
)

// EffectMetrics are the metrics an effect can be injected into.
var EffectMetrics = []string{metric.MeetingHours}

// MaxEffect bounds the size of an effect, in hours per person-week.
const MaxEffect = 20.0

// Effect is a known treatment effect: from From on, the treated teams'
// Metric moves by Delta per person-week against what it would have been.
//
// For meeting_hours the effect is a weekly squad meeting of |Delta| hours
// with every member accepted: with a negative Delta every squad holds it
// and the treated squads drop it from From on; with a positive Delta only
// the treated squads start it on From. The measured effect can fall a
// little short of Delta where the meeting overlaps other meetings, since
// the audit counts overlapping time once.
type Effect struct {
	Metric string
	Delta  float64
	// From is the first day of the treatment (default: the Monday of the
	// middle week of the data).
	From time.Time
}

// IsZero reports whether no effect is set.
func (e Effect) IsZero() bool { return e.Metric == "" }

// ParseEffect reads METRIC=DELTA, such as meeting_hours=-2.
func ParseEffect(s string) (Effect, error) {
	name, val, ok := strings.Cut(strings.TrimSpace(s), "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return Effect{}, rhythm.Errorf(rhythm.EINVALID, "--effect: %q is not METRIC=DELTA, such as %s=-2", s, metric.MeetingHours)
	}
	if !slices.Contains(EffectMetrics, name) {
		return Effect{}, rhythm.Errorf(rhythm.EINVALID, "--effect: %q is not a metric gen can change; use one of %s", name, strings.Join(EffectMetrics, ", "))
	}
	d, err := strconv.ParseFloat(val, 64)
	if err != nil || math.IsNaN(d) || math.IsInf(d, 0) {
		return Effect{}, rhythm.Errorf(rhythm.EINVALID, "--effect: %q is not a number of hours per person-week", val)
	}
	if math.Abs(d) > MaxEffect {
		return Effect{}, rhythm.Errorf(rhythm.EINVALID, "--effect: %g is more than %g hours per person-week", d, MaxEffect)
	}
	return Effect{Metric: name, Delta: d}, nil
}

// String writes the effect as ParseEffect reads it.
func (e Effect) String() string {
	if e.IsZero() {
		return ""
	}
	return e.Metric + "=" + strconv.FormatFloat(e.Delta, 'g', -1, 64)
}

// checkEffect fills in the effect's defaults and checks it against cfg.
func checkEffect(cfg *Config) error {
	e := &cfg.Effect
	if e.IsZero() {
		if !e.From.IsZero() {
			return rhythm.Errorf(rhythm.EINVALID, "--treat-from: needs --effect")
		}
		return nil
	}
	if !slices.Contains(EffectMetrics, e.Metric) {
		return rhythm.Errorf(rhythm.EINVALID, "--effect: %q is not a metric gen can change; use one of %s", e.Metric, strings.Join(EffectMetrics, ", "))
	}
	if math.IsNaN(e.Delta) || math.Abs(e.Delta) > MaxEffect {
		return rhythm.Errorf(rhythm.EINVALID, "--effect: %g is not between -%g and %g hours per person-week", e.Delta, MaxEffect, MaxEffect)
	}
	if cfg.Teams < 2 {
		return rhythm.Errorf(rhythm.EINVALID, "--effect: needs --teams of at least 2, so that some teams are treated and some are not")
	}
	if cfg.Weeks < 2 {
		return rhythm.Errorf(rhythm.EINVALID, "--effect: needs --weeks of at least 2, for a week before and a week after the treatment starts")
	}
	if e.From.IsZero() {
		e.From = cfg.Start.AddDate(0, 0, 7*(cfg.Weeks/2))
	}
	e.From = time.Date(e.From.Year(), e.From.Month(), e.From.Day(), 0, 0, 0, 0, time.UTC)
	end := cfg.Start.AddDate(0, 0, 7*cfg.Weeks)
	if !e.From.After(cfg.Start) || !e.From.Before(end) {
		return rhythm.Errorf(rhythm.EINVALID, "--treat-from: %s is not after the first day %s and before the last %s",
			e.From.Format(time.DateOnly), cfg.Start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return nil
}

// Teams returns the teams the people are split into: one roster each when
// Config.Teams is 2 or more, else none.
func (d *Dataset) Teams() []team.Team { return d.teams }

// Treated reports whether team k (an index into Teams) is in the
// treatment arm.
func (d *Dataset) Treated(k int) bool { return slices.Contains(d.treated, k) }

// TeamFile returns the roster file name of team k.
func TeamFile(k int) string { return fmt.Sprintf("team-%d.yaml", k+1) }

// teamName names team k of several.
func teamName(base string, k int) string { return fmt.Sprintf("%s %d", base, k+1) }

// WriteAssignment writes the teams, the arm each is in and the injected
// effect on it, as CSV: team,arm,metric,delta,treat_from.
func (d *Dataset) WriteAssignment(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"team", "arm", "metric", "delta", "treat_from"})
	e := d.cfg.Effect
	from := ""
	if !e.IsZero() {
		from = e.From.Format(time.DateOnly)
	}
	for k, t := range d.teams {
		arm, delta := ArmControl, 0.0
		if d.Treated(k) {
			arm, delta = ArmTreatment, e.Delta
		}
		cw.Write([]string{t.Name, arm, e.Metric, strconv.FormatFloat(delta, 'g', -1, 64), from})
	}
	cw.Flush()
	return cw.Error()
}

// effectEvents returns the meetings that carry the effect.
func (d *Dataset) effectEvents(uid func(string) string) []event {
	e := d.cfg.Effect
	if e.Metric != metric.MeetingHours || e.Delta == 0 {
		return nil
	}
	dur := time.Duration(math.Round(math.Abs(e.Delta)*60)) * time.Minute
	var evs []event
	for si, sq := range d.squads {
		treated := d.Treated(d.people[sq[0]].team)
		if e.Delta > 0 && !treated {
			continue
		}
		lead := d.people[sq[0]]
		// Thursdays, an hour into the lead's day.
		first := d.cfg.Start
		if e.Delta > 0 {
			first = e.From
		}
		for first.Weekday() != time.Thursday {
			first = first.AddDate(0, 0, 1)
		}
		at := time.Date(first.Year(), first.Month(), first.Day(), 0, lead.Hours.Start+60, 0, 0, lead.loc)
		until := d.end()
		if e.Delta < 0 && treated {
			until = e.From
		}
		if !at.Before(until) {
			continue
		}
		var as []attendee
		for _, i := range sq {
			as = append(as, attendee{p: i, status: "ACCEPTED"})
		}
		evs = append(evs, event{uid: uid("sync"), summary: fmt.Sprintf("%s weekly sync", strings.TrimPrefix(d.squadName(si), "team-")),
			desc: "Status round and open questions.", organizer: sq[0], start: at, dur: dur,
			rrule: "FREQ=WEEKLY;UNTIL=" + icsUTC(until.Add(-time.Second)), attendees: as})
	}
	return evs
}
