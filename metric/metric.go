// Package metric is the common currency of rhythm's measurements: the
// values of named metrics for one unit (a team, or a person) over one
// period. The audit produces samples from calendars, chat and mail; pulse
// produces them from surveys and rosters; correlations and experiments
// read them. Until the audit lands they can be fed from CSV or JSON.
package metric

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Well-known metric names. Audit metrics follow DESIGN.md §6; pulse
// metrics are named after survey items (enps, and the key of each Likert
// item, such as connected) and churn.
const (
	SyncAsyncRatio     = "sync_async_ratio"      // sync interactions / async interactions
	SyncAsyncTimeRatio = "sync_async_time_ratio" // meeting hours / estimated async hours
	MeetingHours       = "meeting_hours"         // per person per week
	AfterHours         = "after_hours"           // after-hours interaction hours per person per week
	ResponseTimeHours  = "response_time_hours"   // median time to first reply, working hours
	FocusHours         = "focus_hours"           // per person per week, blocks ≥ 2 h
	ENPS               = "enps"                  // -100..100
	Churn              = "churn"                 // leavers / average headcount, per quarter
)

// Sample is the input the audit feeds: the values of named metrics for one
// unit over one period.
type Sample struct {
	// Unit is a team name, or a person's email for person-level metrics.
	Unit string `json:"unit"`
	// Period is the span the values describe.
	Period Period `json:"period"`
	// Values maps a metric name to its value.
	Values map[string]float64 `json:"values"`
}

var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_.]{0,63}$`) })

// ValidName checks a metric name: lower case letters, digits, _ and ., at
// most 64 characters, starting with a letter.
func ValidName(name string) error {
	if !nameRE().MatchString(name) {
		return fmt.Errorf("%q is not a metric name (lower-case letters, digits, _ and ., starting with a letter)", name)
	}
	return nil
}

// Validate checks a sample: a unit, a period and finite values under
// valid names.
func (s Sample) Validate() error {
	if strings.TrimSpace(s.Unit) == "" {
		return rhythm.Errorf(rhythm.EINVALID, "unit: must not be empty")
	}
	if s.Period.IsZero() {
		return rhythm.Errorf(rhythm.EINVALID, "period: must not be empty")
	}
	for _, k := range slices.Sorted(maps.Keys(s.Values)) {
		if err := ValidName(k); err != nil {
			return rhythm.Errorf(rhythm.EINVALID, "values: %v", err)
		}
		if v := s.Values[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			return rhythm.Errorf(rhythm.EINVALID, "%s: value must be a finite number", k)
		}
	}
	return nil
}

// UnitKey is the form units are matched by: trimmed and case-folded, so
// "Platform" and "platform" are one team.
func UnitKey(unit string) string { return strings.ToLower(strings.TrimSpace(unit)) }

// Period is a span of whole days, both ends included.
type Period struct {
	Start, End team.Date
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Days returns the number of days in the period.
func (p Period) Days() int {
	return int(p.End.In(time.UTC).Sub(p.Start.In(time.UTC)).Hours()/24) + 1
}

// Mid returns the middle day of the period (the earlier of two).
func (p Period) Mid() team.Date {
	return team.DateOf(p.Start.In(time.UTC).AddDate(0, 0, (p.Days()-1)/2))
}

// Contains reports whether d lies in the period.
func (p Period) Contains(d team.Date) bool { return !d.Before(p.Start) && !p.End.Before(d) }

// Overlaps reports whether the periods share at least one day.
func (p Period) Overlaps(q Period) bool { return !p.End.Before(q.Start) && !q.End.Before(p.Start) }

// QuarterOf returns the calendar quarter containing d.
func QuarterOf(d team.Date) Period {
	m := time.Month((int(d.Month)-1)/3*3 + 1)
	start := time.Date(d.Year, m, 1, 0, 0, 0, 0, time.UTC)
	return Period{team.DateOf(start), team.DateOf(start.AddDate(0, 3, -1))}
}

// Quarters returns the calendar quarters that overlap p, in order.
func Quarters(p Period) []Period {
	var out []Period
	for q := QuarterOf(p.Start); !p.End.Before(q.Start); q = QuarterOf(team.DateOf(q.End.In(time.UTC).AddDate(0, 0, 1))) {
		out = append(out, q)
	}
	return out
}

// String writes the period in its shortest form: "2026-Q1" for a calendar
// quarter, "2026-03" for a month, "2026-W14" for an ISO week, "2026-03-04"
// for a day, and "2026-01-05/2026-02-01" otherwise.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	s, e := p.Start.In(time.UTC), p.End.In(time.UTC)
	switch {
	case p.Start == p.End:
		return p.Start.String()
	case QuarterOf(p.Start) == p:
		return fmt.Sprintf("%d-Q%d", p.Start.Year, (int(p.Start.Month)-1)/3+1)
	case s.Day() == 1 && e.Equal(s.AddDate(0, 1, -1)):
		return s.Format("2006-01")
	case s.Weekday() == time.Monday && p.Days() == 7:
		y, w := s.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return p.Start.String() + "/" + p.End.String()
}

var (
	quarterRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-Q([1-4])$`) })
	monthRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-(\d{2})$`) })
	weekRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-W(\d{2})$`) })
)

// ParsePeriod reads a period as String writes it: "2026-Q1", "2026-03",
// "2026-W14", "2026-03-04" or "2026-01-05/2026-02-01" (also with ".."
// between the dates).
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a period such as 2026-Q1, 2026-03, 2026-W14 or 2026-01-05/2026-02-01", s)
	if m := quarterRE().FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		return QuarterOf(team.Date{Year: y, Month: time.Month(3*q - 2), Day: 1}), nil
	}
	if m := monthRE().FindStringSubmatch(s); m != nil {
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return Period{}, bad
		}
		return Period{team.DateOf(t), team.DateOf(t.AddDate(0, 1, -1))}, nil
	}
	if m := weekRE().FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		// ISO week 1 holds January 4th.
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		mon := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
		if gy, gw := mon.ISOWeek(); w < 1 || gy != y || gw != w {
			return Period{}, bad
		}
		return Period{team.DateOf(mon), team.DateOf(mon.AddDate(0, 0, 6))}, nil
	}
	from, to, ok := strings.Cut(s, "/")
	if !ok {
		from, to, ok = strings.Cut(s, "..")
	}
	if !ok {
		d, err := team.ParseDate(s)
		if err != nil {
			return Period{}, bad
		}
		return Period{d, d}, nil
	}
	a, err1 := team.ParseDate(from)
	b, err2 := team.ParseDate(to)
	if err1 != nil || err2 != nil {
		return Period{}, bad
	}
	if b.Before(a) {
		return Period{}, fmt.Errorf("%q ends before it starts", s)
	}
	return Period{a, b}, nil
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Cell is one value of one metric, for one unit and period.
type Cell struct {
	Unit   string
	Period Period
	Value  float64
}

// Select returns every value of the named metric, in sample order.
func Select(samples []Sample, name string) []Cell {
	var out []Cell
	for _, s := range samples {
		if v, ok := s.Values[name]; ok {
			out = append(out, Cell{s.Unit, s.Period, v})
		}
	}
	return out
}

// Names returns the sorted metric names that occur in samples.
func Names(samples []Sample) []string {
	set := map[string]bool{}
	for _, s := range samples {
		for k := range s.Values {
			set[k] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// ByQuarter averages samples into calendar quarters: each sample counts
// toward the quarter that holds its middle day, and values of one metric
// for one unit and quarter are averaged. The result is sorted by unit,
// then quarter.
func ByQuarter(samples []Sample) []Sample {
	type key struct {
		unit string
		q    Period
	}
	type acc struct {
		unit string
		sum  map[string]float64
		n    map[string]int
	}
	groups := map[key]*acc{}
	for _, s := range samples {
		k := key{UnitKey(s.Unit), QuarterOf(s.Period.Mid())}
		a := groups[k]
		if a == nil {
			a = &acc{unit: strings.TrimSpace(s.Unit), sum: map[string]float64{}, n: map[string]int{}}
			groups[k] = a
		}
		for m, v := range s.Values {
			a.sum[m] += v
			a.n[m]++
		}
	}
	out := make([]Sample, 0, len(groups))
	for k, a := range groups {
		vals := make(map[string]float64, len(a.sum))
		for m, s := range a.sum {
			vals[m] = s / float64(a.n[m])
		}
		out = append(out, Sample{Unit: a.unit, Period: k.q, Values: vals})
	}
	slices.SortFunc(out, func(a, b Sample) int {
		if c := strings.Compare(UnitKey(a.Unit), UnitKey(b.Unit)); c != 0 {
			return c
		}
		return strings.Compare(a.Period.Start.String(), b.Period.Start.String())
	})
	return out
}
