package audit

import (
	"fmt"
	"math"
	"slices"
)

// Figures are the measured figures of a group of people (or of one
// person) over a period. Hours and counts are per person-week unless the
// name says otherwise; shares are 0..1. A suppressed group carries only its
// headcount and the note why.
type Figures struct {
	People      int    `json:"people"`
	PersonWeeks int    `json:"person_weeks"`
	Suppressed  bool   `json:"suppressed,omitempty"`
	Note        string `json:"note,omitempty"`

	WorkingHours       float64 `json:"working_hours"`
	MeetingHours       float64 `json:"meeting_hours"`
	MeetingHoursMedian float64 `json:"meeting_hours_median"`
	FocusHours         float64 `json:"focus_hours"`
	FocusHoursMedian   float64 `json:"focus_hours_median"`
	ShortFocusHours    float64 `json:"short_focus_hours"`
	FragmentedHours    float64 `json:"fragmented_hours"`

	AfterHoursMeetingHours float64 `json:"after_hours_meeting_hours"`
	AfterHoursMeetingShare float64 `json:"after_hours_meeting_share"`
	AfterHoursMessages     float64 `json:"after_hours_messages"`
	AfterHoursMessageShare float64 `json:"after_hours_message_share"`
	// AfterHoursShare is the share of meetings attended and messages
	// written that started outside the person's working hours.
	AfterHoursShare float64 `json:"after_hours_share"`

	Meetings            float64 `json:"meetings"`
	Messages            float64 `json:"messages"`
	MessagesReceived    float64 `json:"messages_received"`
	AsyncHours          float64 `json:"async_hours"`
	SyncAsyncCountRatio float64 `json:"sync_async_count_ratio"`
	SyncAsyncTimeRatio  float64 `json:"sync_async_time_ratio"`

	LongShare      float64 `json:"long_share"`
	LargeShare     float64 `json:"large_share"`
	RecurringShare float64 `json:"recurring_share"`
	OverMaxShare   float64 `json:"over_max_share"`
	BackToBack     float64 `json:"back_to_back"`
	DoubleBooked   float64 `json:"double_booked"`

	NoMeetingDayHours    float64 `json:"no_meeting_day_hours"`
	NoMeetingDayMeetings int     `json:"no_meeting_day_meetings_total"`

	Replies                    int     `json:"replies_total"`
	ResponseMedianWorkingHours float64 `json:"response_median_working_hours"`
	ResponseP90WorkingHours    float64 `json:"response_p90_working_hours"`
	ResponseMedianHours        float64 `json:"response_median_hours"`
	ResponseP90Hours           float64 `json:"response_p90_hours"`
	WithinWindowShare          float64 `json:"within_window_share"`
	WithinWindowWallShare      float64 `json:"within_window_wall_share"`
}

// suppressed returns the figures of a group too small to show.
func suppressed(people, minGroup int) Figures {
	return Figures{People: people, Suppressed: true, Note: fmt.Sprintf("suppressed: %d %s, fewer than %d", people, plural(people, "person", "people"), minGroup)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// figures aggregates person-weeks (only active ones count) and first
// replies into Figures.
func figures(people int, pws []*personWeek, replies []*firstReply, costs Costs) Figures {
	f := Figures{People: people}
	var sum personWeekSums
	var meet, focus []float64
	for _, pw := range pws {
		if !pw.active() {
			continue
		}
		f.PersonWeeks++
		sum.add(pw)
		meet = append(meet, hours(pw.meet))
		focus = append(focus, hours(pw.focus2))
	}
	if n := float64(f.PersonWeeks); n > 0 {
		per := func(v float64) float64 { return v / n }
		f.WorkingHours = per(hours(sum.work))
		f.MeetingHours = per(hours(sum.meet))
		f.MeetingHoursMedian = quantile(meet, 0.5)
		f.FocusHours = per(hours(sum.focus2))
		f.FocusHoursMedian = quantile(focus, 0.5)
		f.ShortFocusHours = per(hours(sum.focus1))
		f.FragmentedHours = per(hours(sum.frag))
		f.AfterHoursMeetingHours = per(hours(sum.meetOff))
		f.AfterHoursMessages = per(float64(sum.afterMsgs))
		f.Meetings = per(float64(sum.nMeet))
		sent := sum.chat + sum.mail
		f.Messages = per(float64(sent))
		f.MessagesReceived = per(float64(sum.received))
		async := float64(sum.chat)*costs.Chat.Hours() + float64(sum.mail)*costs.Email.Hours() + float64(sum.received)*costs.Read.Hours()
		f.AsyncHours = per(async)
		f.SyncAsyncCountRatio = ratio(float64(sum.nMeet), float64(sent+sum.received))
		f.SyncAsyncTimeRatio = ratio(hours(sum.meet), async)
		f.AfterHoursMeetingShare = ratio(float64(sum.meetOff), float64(sum.meet))
		f.AfterHoursMessageShare = ratio(float64(sum.afterMsgs), float64(sent))
		f.AfterHoursShare = ratio(float64(sum.afterMsgs+sum.nMeetOff), float64(sent+sum.nMeet))
		f.LongShare = ratio(float64(sum.long), float64(sum.raw))
		f.LargeShare = ratio(float64(sum.large), float64(sum.raw))
		f.RecurringShare = ratio(float64(sum.recurring), float64(sum.raw))
		f.OverMaxShare = ratio(float64(sum.overMax), float64(sum.raw))
		f.BackToBack = per(float64(sum.nB2B))
		f.DoubleBooked = per(float64(sum.nConflict))
		f.NoMeetingDayHours = per(hours(sum.noMtgDay))
		f.NoMeetingDayMeetings = int(sum.nNoMtgDay)
	}
	if len(replies) > 0 {
		work := make([]float64, len(replies))
		wall := make([]float64, len(replies))
		var within, withinWall int
		for k, r := range replies {
			work[k], wall[k] = r.workH, r.wallH
			if r.within {
				within++
			}
			if r.withinWall {
				withinWall++
			}
		}
		f.Replies = len(replies)
		f.ResponseMedianWorkingHours, f.ResponseP90WorkingHours = quantiles(work, 0.5, 0.9)
		f.ResponseMedianHours, f.ResponseP90Hours = quantiles(wall, 0.5, 0.9)
		f.WithinWindowShare = float64(within) / float64(len(replies))
		f.WithinWindowWallShare = float64(withinWall) / float64(len(replies))
	}
	f.round()
	return f
}

// personWeekSums adds up person-weeks without overflowing 32-bit counts.
type personWeekSums struct {
	work, meet, meetOff, raw, recurring, long, large, overMax, noMtgDay int64
	focus2, focus1, frag                                                int64
	nMeet, nMeetOff, nB2B, nConflict, nNoMtgDay                         int64
	chat, mail, received, afterMsgs, replies                            int64
}

func (s *personWeekSums) add(pw *personWeek) {
	s.work += pw.work
	s.meet += pw.meet
	s.meetOff += pw.meetOff
	s.raw += pw.raw
	s.recurring += pw.recurring
	s.long += pw.long
	s.large += pw.large
	s.overMax += pw.overMax
	s.noMtgDay += pw.noMtgDay
	s.focus2 += pw.focus2
	s.focus1 += pw.focus1
	s.frag += pw.frag
	s.nMeet += int64(pw.nMeet)
	s.nMeetOff += int64(pw.nMeetOff)
	s.nB2B += int64(pw.nB2B)
	s.nConflict += int64(pw.nConflict)
	s.nNoMtgDay += int64(pw.nNoMtgDay)
	s.chat += int64(pw.chat)
	s.mail += int64(pw.mail)
	s.received += int64(pw.received)
	s.afterMsgs += int64(pw.afterMsgs)
	s.replies += int64(pw.replies)
}

// round rounds hours and ratios to two decimals, shares to three, so
// reports are stable and readable.
func (f *Figures) round() {
	for _, v := range []*float64{&f.WorkingHours, &f.MeetingHours, &f.MeetingHoursMedian, &f.FocusHours, &f.FocusHoursMedian,
		&f.ShortFocusHours, &f.FragmentedHours, &f.AfterHoursMeetingHours, &f.AfterHoursMessages, &f.Meetings, &f.Messages,
		&f.MessagesReceived, &f.AsyncHours, &f.SyncAsyncCountRatio, &f.SyncAsyncTimeRatio, &f.BackToBack, &f.DoubleBooked,
		&f.NoMeetingDayHours, &f.ResponseMedianWorkingHours, &f.ResponseP90WorkingHours, &f.ResponseMedianHours, &f.ResponseP90Hours} {
		*v = round(*v, 2)
	}
	for _, v := range []*float64{&f.AfterHoursMeetingShare, &f.AfterHoursMessageShare, &f.AfterHoursShare, &f.LongShare,
		&f.LargeShare, &f.RecurringShare, &f.OverMaxShare, &f.WithinWindowShare, &f.WithinWindowWallShare} {
		*v = round(*v, 3)
	}
}

func hours(sec int64) float64 { return float64(sec) / 3600 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// quantile returns the q-quantile of vs (linear interpolation between
// closest ranks); it reorders vs. It returns 0 for no values.
func quantile(vs []float64, q float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	pos := q * float64(len(vs)-1)
	lo := int(math.Floor(pos))
	a := selectNth(vs, lo)
	if lo+1 >= len(vs) {
		return a
	}
	b := slices.Min(vs[lo+1:]) // selectNth left the larger values above lo
	return a + (b-a)*(pos-float64(lo))
}

// quantiles returns the q1- and q2-quantiles of vs, q1 ≤ q2, as quantile
// does, selecting the second among the values above the first only.
func quantiles(vs []float64, q1, q2 float64) (float64, float64) {
	if len(vs) == 0 {
		return 0, 0
	}
	if q2 < q1 {
		b, a := quantiles(vs, q2, q1)
		return a, b
	}
	pos1, pos2 := q1*float64(len(vs)-1), q2*float64(len(vs)-1)
	lo1, lo2 := int(math.Floor(pos1)), int(math.Floor(pos2))
	a1 := selectNth(vs, lo1)
	if lo1+1 >= len(vs) {
		return a1, a1
	}
	// vs[lo1+1:] holds the values at or above a1.
	upper := vs[lo1+1:]
	var a2 float64
	if lo2 == lo1 {
		a2 = a1
	} else {
		a2 = selectNth(upper, lo2-lo1-1)
	}
	b1 := slices.Min(upper)
	v1 := a1 + (b1-a1)*(pos1-float64(lo1))
	if lo2+1 >= len(vs) {
		return v1, a2
	}
	b2 := slices.Min(vs[lo2+1:])
	return v1, a2 + (b2-a2)*(pos2-float64(lo2))
}

// selectNth reorders vs so that vs[k] holds the value it would have if vs
// were sorted, with no larger value before it and no smaller one after,
// and returns it (Hoare's selection, expected linear time).
func selectNth(vs []float64, k int) float64 {
	lo, hi := 0, len(vs)-1
	for lo < hi {
		// Median of three as the pivot keeps sorted input linear.
		mid := lo + (hi-lo)/2
		if vs[mid] < vs[lo] {
			vs[mid], vs[lo] = vs[lo], vs[mid]
		}
		if vs[hi] < vs[lo] {
			vs[hi], vs[lo] = vs[lo], vs[hi]
		}
		if vs[hi] < vs[mid] {
			vs[hi], vs[mid] = vs[mid], vs[hi]
		}
		pivot := vs[mid]
		i, j := lo, hi
		for i <= j {
			for vs[i] < pivot {
				i++
			}
			for vs[j] > pivot {
				j--
			}
			if i <= j {
				vs[i], vs[j] = vs[j], vs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return vs[k]
		}
	}
	return vs[k]
}

// gini returns the Gini coefficient of vs (0 when all are equal or all
// zero); it sorts vs.
func gini(vs []float64) float64 {
	n := float64(len(vs))
	if n == 0 {
		return 0
	}
	slices.Sort(vs)
	var sum, weighted float64
	for i, v := range vs {
		sum += v
		weighted += float64(i+1) * v
	}
	if sum == 0 {
		return 0
	}
	return (2*weighted)/(n*sum) - (n+1)/n
}

// topShare returns the share of the total held by the top fraction of vs
// (at least one value); vs must be sorted ascending.
func topShare(vs []float64, fraction float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	k := max(1, int(math.Round(float64(len(vs))*fraction)))
	var top, sum float64
	for i, v := range vs {
		sum += v
		if i >= len(vs)-k {
			top += v
		}
	}
	return ratio(top, sum)
}
