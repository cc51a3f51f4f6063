package schedule

import (
	"math/bits"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Window is a half-open span of time [Start, End).
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Heatmap shows, for one week cut into Step slots, which members are inside
// their working hours.
type Heatmap struct {
	// Zone is the zone whose Monday 00:00 starts the week.
	Zone  string    `json:"zone"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// StepMinutes is the length of a slot.
	StepMinutes int `json:"step_minutes"`
	// Slots holds the start of each slot, in Zone. A week with a clock
	// change has one hour (or half hour) more or fewer slots.
	Slots   []time.Time `json:"-"`
	Members []Presence  `json:"members"`
	// Counts holds, per slot, how many members are available.
	Counts []int `json:"counts"`
	// Golden lists the times when every member is available.
	Golden []Window `json:"golden"`
	// Pairs holds the weekly overlap of each pair of members.
	Pairs []Pair `json:"pairs"`
}

// Presence is one member's week in a Heatmap.
type Presence struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Zone  string `json:"zone"`
	// Inside is true, per slot, when the member is inside working hours
	// for the whole slot (working days, hours and holidays respected).
	Inside []bool `json:"-"`
	// Available is Inside, except on the team's no-meeting day in the
	// member's zone.
	Available []bool `json:"-"`
	// Working lists the times inside working hours as spans, and
	// Windows the available ones.
	Working []Window `json:"working"`
	Windows []Window `json:"available"`
	// Hours is the available time in the week.
	Hours float64 `json:"hours"`
}

// Pair is the time two members are both available in a week.
type Pair struct {
	A     string  `json:"a"` // email
	B     string  `json:"b"` // email
	Hours float64 `json:"hours"`
}

// Overlap computes the heat map of the week holding date week, cut into
// Step slots from Monday 00:00 in zone (UTC when nil), for the members
// named in with (the whole team when empty).
func Overlap(t *team.Team, with []string, zone *time.Location, week team.Date) (*Heatmap, error) {
	if zone == nil {
		zone = time.UTC
	}
	if week.IsZero() || week.Year < 1971 || week.Year > 2199 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "week: a date between 1971 and 2199 is required")
	}
	members, err := Participants(t, with)
	if err != nil {
		return nil, err
	}
	locs := make([]*time.Location, len(members))
	for i, m := range members {
		if locs[i], err = team.LoadZone(m.Zone); err != nil {
			return nil, invalid("with: member %s: %s", m.Email, rhythm.ErrorMessage(err))
		}
	}
	wd := (int(week.In(time.UTC).Weekday()) + 6) % 7 // days since Monday
	start := time.Date(week.Year, week.Month, week.Day-wd, 0, 0, 0, 0, zone)
	end := time.Date(week.Year, week.Month, week.Day-wd+7, 0, 0, 0, 0, zone)
	h := &Heatmap{Zone: zone.String(), Start: start, End: end, StepMinutes: int(Step / time.Minute)}
	var ts []int64
	for s := start; s.Before(end); s = s.Add(Step) {
		h.Slots = append(h.Slots, s)
		ts = append(ts, unixMinute(s))
	}
	n := len(ts)
	step := int(Step / time.Minute)
	e := newEngine(DefaultModel(), members, locs, step, team.NoDay, ts[0], ts[n-1]+int64(step))
	costs, ins := make([]float64, n), make([]int32, n)
	nm := t.Norms.NoMeetingDay
	words := (n + 63) / 64
	sets := make([][]uint64, len(members))
	h.Members = make([]Presence, len(members))
	for _, g := range e.groups {
		e.row(g, ts, costs, ins)
		for _, i := range g.members {
			m := members[i]
			p := Presence{Email: m.Email, Name: m.Name, Zone: m.Zone, Inside: make([]bool, n), Available: make([]bool, n)}
			set := make([]uint64, words)
			hint := 0
			z := e.zones[g.zone]
			for s := range n {
				p.Inside[s] = int(ins[s]) == step
				if !p.Inside[s] {
					continue
				}
				if nm != team.NoDay {
					k := z.at(ts[s], hint)
					hint = k
					if nm.Is(time.Weekday((epochDay(ts[s]+z.off[k])%7 + 7 + 4) % 7)) {
						continue
					}
				}
				p.Available[s] = true
				set[s/64] |= 1 << uint(s%64)
			}
			p.Working = windows(h.Slots, p.Inside)
			p.Windows = windows(h.Slots, p.Available)
			p.Hours = hours(bitCount(set))
			sets[i] = set
			h.Members[i] = p
		}
	}
	h.Counts = make([]int, n)
	all := make([]bool, n)
	for s := range n {
		for i := range members {
			if h.Members[i].Available[s] {
				h.Counts[s]++
			}
		}
		all[s] = h.Counts[s] == len(members)
	}
	h.Golden = windows(h.Slots, all)
	for i := range members {
		for j := i + 1; j < len(members); j++ {
			c := 0
			for w := range words {
				c += bits.OnesCount64(sets[i][w] & sets[j][w])
			}
			h.Pairs = append(h.Pairs, Pair{A: members[i].Email, B: members[j].Email, Hours: hours(c)})
		}
	}
	return h, nil
}

func bitCount(set []uint64) int {
	c := 0
	for _, w := range set {
		c += bits.OnesCount64(w)
	}
	return c
}

// hours converts a number of slots to hours.
func hours(slots int) float64 { return float64(slots) * Step.Hours() }

// windows merges consecutive marked slots into spans.
func windows(slots []time.Time, mark []bool) []Window {
	var out []Window
	for s := 0; s < len(slots); s++ {
		if !mark[s] {
			continue
		}
		k := s
		for k+1 < len(slots) && mark[k+1] {
			k++
		}
		out = append(out, Window{Start: slots[s], End: slots[k].Add(Step)})
		s = k
	}
	return out
}
