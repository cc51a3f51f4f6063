package audit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Finding levels.
const (
	LevelAct   = "act"
	LevelWatch = "watch"
	LevelOK    = "ok"
)

// findings writes the plain-language observations of a report, the most
// pressing first. A suppressed team has none.
func findings(r *Report) []Finding {
	s := &r.Current
	t := &s.Team
	out := []Finding{}
	if t.Suppressed || t.PersonWeeks == 0 {
		return out
	}
	add := func(key, level string, value float64, unit, suggest, format string, args ...any) {
		out = append(out, Finding{Key: key, Level: level, Text: fmt.Sprintf(format, args...), Value: value, Unit: unit, Suggest: suggest})
	}
	level := func(v, watch, act float64) string {
		switch {
		case v >= act:
			return LevelAct
		case v >= watch:
			return LevelWatch
		}
		return LevelOK
	}
	low := func(v, watch, act float64) string { return level(-v, -watch, -act) }

	add("meeting_hours", level(t.MeetingHoursMedian, 12, 18), t.MeetingHoursMedian, "h",
		"Move status updates and reviews to async threads; keep live time for decisions and relationships.",
		"Meetings take a median %s h per person-week (mean %s h) of %s working hours.", num(t.MeetingHoursMedian), num(t.MeetingHours), num(t.WorkingHours))
	add("focus_hours", low(t.FocusHoursMedian, 10, 6), t.FocusHoursMedian, "h",
		"Cluster meetings into shared blocks and protect long stretches of the day.",
		"Median focus time is %s h per person-week in blocks of 2 h or more; %s h per person-week is fragmented into gaps under 1 h.", num(t.FocusHoursMedian), num(t.FragmentedHours))
	if t.Meetings > 0 {
		add("recurring_share", level(t.RecurringShare, 0.5, 0.7), t.RecurringShare, "share",
			"Review each recurring series: move its prep and updates async and run a shorter live part.",
			"Recurring meetings are %s of meeting time.", pct(t.RecurringShare))
		if r.Norms.MeetingMaxMinutes > 0 {
			add("over_max_share", level(t.OverMaxShare, 0.25, 0.5), t.OverMaxShare, "share",
				"Timebox meetings to the norm; end with decisions written down.",
				"%s of meeting time is in meetings longer than the team's %s limit (%s in meetings over 60 min).", pct(t.OverMaxShare), minutes(r.Norms.MeetingMaxMinutes), pct(t.LongShare))
		}
		add("large_share", level(t.LargeShare, 0.2, 0.4), t.LargeShare, "share",
			"Invite the people who decide; share the outcome async with everyone else.",
			"%s of meeting time is in meetings with more than %d attendees.", pct(t.LargeShare), LargeMeeting)
		add("back_to_back", level(t.BackToBack, 3, 6), t.BackToBack, "count",
			"End meetings 5 minutes early by default.",
			"A person-week has %s back-to-back meetings and %s double-booked ones on average.", num(t.BackToBack), num(t.DoubleBooked))
	}
	if r.Norms.NoMeetingDay != "" {
		add("no_meeting_day", level(t.NoMeetingDayHours, 0.25, 1), t.NoMeetingDayHours, "h",
			"Move the meetings that land on the no-meeting day, starting with recurring ones.",
			"%d meetings fell on the no-meeting day (%s) of at least one attendee: %s h per person-week.", s.Meetings.NoMeetingDay, r.Norms.NoMeetingDay, num(t.NoMeetingDayHours))
	}

	// Time-zone burden: the group that carries most beyond its share.
	if len(s.Zones) > 1 {
		zs := slices.Clone(s.Zones)
		slices.SortStableFunc(zs, func(x, y ZoneGroup) int { return cmp.Compare(y.BurdenIndex, x.BurdenIndex) })
		z := zs[0]
		who := z.Name + " members"
		switch {
		case z.Name == "Other zones":
			who = "Members in " + zoneList(z.Zones)
		case len(z.Zones) > 1:
			who = "Members in " + z.Name
		}
		add("zone_burden", level(z.BurdenIndex, 1.3, 2), z.ShareOfAfterHoursMeetings, "share",
			"Rotate the times of recurring cross-zone meetings (rhythm schedule --weekly) or make them async.",
			"%s carry %s of after-hours meeting time and are %s of the team.", who, pct(z.ShareOfAfterHoursMeetings), pct(z.HeadcountShare))
	}
	if t.AfterHoursMeetingHours > 0 {
		add("fairness", level(s.Fairness.AfterHoursGini, 0.6, 0.8), s.Fairness.AfterHoursGini, "gini",
			"Share the inconvenient slots: rotate who joins early or late.",
			"After-hours meeting time is unevenly shared: the fifth of people who carry most carry %s of it (Gini %.2f).", pct(s.Fairness.TopFifthShare), s.Fairness.AfterHoursGini)
	}
	add("after_hours_messages", level(t.AfterHoursMessageShare, 0.15, 0.3), t.AfterHoursMessageShare, "share",
		"Schedule sends for the recipient's morning and agree that after-hours messages wait.",
		"%s of messages are sent outside the sender's working hours (%s per person-week).", pct(t.AfterHoursMessageShare), num(t.AfterHoursMessages))
	if t.Replies > 0 {
		add("response_time", low(t.WithinWindowShare, 0.8, 0.6), t.ResponseMedianWorkingHours, "h",
			"Name an owner and a due-by on threads that need an answer.",
			"Median first reply %s working hours (%s h wall-clock, p90 %s working hours); the window is %s and %s of first replies arrive within it.",
			num(t.ResponseMedianWorkingHours), num(t.ResponseMedianHours), num(t.ResponseP90WorkingHours), hoursText(r.Norms.ResponseWindowHours), pct(t.WithinWindowShare))
	}
	add("sync_async_ratio", LevelOK, t.SyncAsyncTimeRatio, "ratio", "",
		"Sync:async is %s by count and %s by time: meetings take %s× the time estimated for writing and reading messages.",
		ratioText(t.SyncAsyncCountRatio), ratioText(t.SyncAsyncTimeRatio), num(t.SyncAsyncTimeRatio))

	// What changed since the baseline.
	if r.Baseline != nil {
		for _, d := range r.Deltas {
			small := math.Abs(d.ChangePct) < 10
			change := fmt.Sprintf("%+.0f%%", d.ChangePct)
			if d.Unit == "share" {
				small = math.Abs(d.Change) < 0.05
				change = fmt.Sprintf("%+.0f pts", d.Change*100)
			}
			if small || d.Better == "" {
				continue
			}
			better := (d.Change > 0) == (d.Better == "up")
			lvl := LevelWatch
			if better {
				lvl = LevelOK
			}
			verb := "fell"
			if d.Change > 0 {
				verb = "rose"
			}
			add("change_"+d.Metric, lvl, d.ChangePct, "pct", "",
				"%s %s from %s to %s (%s), compared with %s to %s.", d.Label, verb, value(d.Baseline, d.Unit), value(d.Current, d.Unit), change, r.Compare.From, r.Compare.To)
		}
	}
	rank := map[string]int{LevelAct: 0, LevelWatch: 1, LevelOK: 2}
	slices.SortStableFunc(out, func(x, y Finding) int { return cmp.Compare(rank[x.Level], rank[y.Level]) })
	return out
}

func num(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func ratioText(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func minutes(m float64) string { return hm(durationMinutes(m)) }

func hoursText(h float64) string {
	if h >= 48 && math.Mod(h, 24) == 0 {
		return fmt.Sprintf("%.0f days", h/24)
	}
	return num(h) + " h"
}

func value(v float64, unit string) string {
	switch unit {
	case "share":
		return pct(v)
	case "h":
		if math.Abs(v) < 1 && v != 0 {
			return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".") + " h"
		}
		return num(v) + " h"
	}
	return num(v)
}
