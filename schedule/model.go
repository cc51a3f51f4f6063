package schedule

import (
	"math"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Model weighs the inconvenience of meeting time outside a member's working
// hours. Rates are points per hour of meeting; one point is one hour at rate
// 1. Inside working hours the rate is 0. Between two working days the rate
// rises linearly from Late at the end of work to Night over LateWindow,
// stays at Night, and rises from Early to Night over the EarlyWindow before
// the next start, so it grows with the distance from working hours. Time on
// a day off costs OffDay (at night the larger of Night and OffDay).
type Model struct {
	// Early is the rate just before the working day starts.
	Early float64 `json:"early"`
	// Late is the rate just after the working day ends.
	Late float64 `json:"late"`
	// EarlyWindow is how long before the start the rate takes to fall
	// from Night to Early: the member's early morning.
	EarlyWindow time.Duration `json:"early_window"`
	// LateWindow is how long after the end the rate takes to rise from
	// Late to Night: the member's evening.
	LateWindow time.Duration `json:"late_window"`
	// Night is the rate for the rest of the time between two working
	// days.
	Night float64 `json:"night"`
	// OffDay is the flat rate on a day the member does not work:
	// weekends, holidays, before their start or after their leave date.
	OffDay float64 `json:"off_day"`
}

// DefaultModel returns the model used when a request sets none: evenings
// start at 2/h and mornings at 1/h, both reaching the night rate of 10/h
// after 4 and 3 hours; days off cost 8/h.
func DefaultModel() Model {
	return Model{Early: 1, Late: 2, EarlyWindow: 3 * time.Hour, LateWindow: 4 * time.Hour, Night: 10, OffDay: 8}
}

// Validate reports the first field of m that is out of range.
func (m Model) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"model.early", m.Early}, {"model.late", m.Late}, {"model.night", m.Night}, {"model.off_day", m.OffDay}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || f.v > 1000 {
			return rhythm.Errorf(rhythm.EINVALID, "%s must be a rate between 0 and 1000, got %v", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"model.early_window", m.EarlyWindow}, {"model.late_window", m.LateWindow}} {
		if f.v < 0 || f.v > 24*time.Hour {
			return rhythm.Errorf(rhythm.EINVALID, "%s must be between 0 and 24h, got %v", f.name, f.v)
		}
	}
	return nil
}

func (m Model) isZero() bool { return m == Model{} }

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
	// epochSunday is the first Sunday 00:00 after the Unix epoch, in minutes.
	epochSunday = 3 * minutesPerDay
)

// classify returns the rate (points per minute) and whether the member is
// working during local minute x (0..1439) of the day numbered day. works
// reports whether a day number is a working day; day numbers are
// consecutive integers, so day-1 is the day before.
func classify(m Model, h team.Hours, x int, day int64, works func(int64) bool) (rate float64, inside bool) {
	length := int(h.Length() / time.Minute)
	o := x - h.Start // minutes since today's shift start
	shiftDay := day
	if o < 0 {
		o += minutesPerDay
		shiftDay = day - 1
	}
	if o < length {
		if works(shiftDay) {
			return 0, true
		}
		return m.OffDay / 60, false
	}
	gap := minutesPerDay - length
	early := int(m.EarlyWindow / time.Minute)
	late := int(m.LateWindow / time.Minute)
	if early+late > gap {
		e := float64(gap) * float64(early) / float64(early+late)
		early = int(math.Round(e))
		late = gap - early
	}
	since := o - length        // minutes since the shift ended
	until := minutesPerDay - o // minutes until the next shift starts
	if since < late {
		if works(shiftDay) {
			return ramp(m.Late, m.Night, (float64(since)+0.5)/float64(late)) / 60, false
		}
		return m.OffDay / 60, false
	}
	if until <= early {
		if works(shiftDay + 1) {
			return ramp(m.Early, m.Night, (float64(until)-0.5)/float64(early)) / 60, false
		}
		return m.OffDay / 60, false
	}
	r := m.Night
	if !works(day) && m.OffDay > r {
		r = m.OffDay
	}
	return r / 60, false
}

// ramp interpolates linearly from a at f=0 to b at f=1.
func ramp(a, b, f float64) float64 { return a + (b-a)*f }
