package audit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// Report is the result of an audit for a group audience: figures of the
// team, its weeks and its zone groups, each shown only when the group has
// at least MinGroup people. It names no person.
type Report struct {
	Team     string      `json:"team"`
	Window   Window      `json:"window"`
	Compare  *Window     `json:"compare,omitempty"`
	MinGroup int         `json:"min_group"`
	Norms    NormsUsed   `json:"norms"`
	Costs    Costs       `json:"costs"`
	Input    InputCounts `json:"input"`
	Current  Summary     `json:"current"`
	// Baseline is the comparison period, when one was asked for.
	Baseline *Summary `json:"baseline,omitempty"`
	// Deltas compare the team's figures with the baseline.
	Deltas   []Delta   `json:"deltas,omitempty"`
	Findings []Finding `json:"findings"`
	// TeamFigures are the figures the decision engine personalises with.
	TeamFigures TeamFigures  `json:"team_figures"`
	Definitions []Definition `json:"definitions"`
}

// NormsUsed are the team norms the figures were measured against.
type NormsUsed struct {
	ResponseWindowHours float64 `json:"response_window_hours"`
	MeetingMaxMinutes   float64 `json:"meeting_max_minutes"`
	NoMeetingDay        string  `json:"no_meeting_day,omitempty"`
}

// Summary holds the figures of one period.
type Summary struct {
	Window Window `json:"window"`
	// Interactions counts the interactions that entered the figures.
	Interactions int `json:"interactions"`
	// Team are the figures of everyone on the team during the period.
	Team Figures `json:"team"`
	// Meetings counts distinct meetings; empty when the team is suppressed.
	Meetings MeetingCounts `json:"meetings"`
	Fairness Fairness      `json:"fairness"`
	// OverlapHours is the working time per week that the whole team
	// shares.
	OverlapHours         float64          `json:"overlap_hours"`
	Weeks                []Week           `json:"weeks"`
	Zones                []ZoneGroup      `json:"zones"`
	SuppressedZones      []SuppressedZone `json:"suppressed_zones,omitempty"`
	Heat                 []HeatRow        `json:"after_hours_heat"`
	FocusDistribution    Histogram        `json:"focus_distribution"`
	ResponseDistribution Histogram        `json:"response_distribution"`
}

// Week is one team-week of a period.
type Week struct {
	Week int       `json:"week"` // 1-based
	From team.Date `json:"from"`
	To   team.Date `json:"to"`
	Days int       `json:"days"`
	Figures
}

// Fairness says how evenly after-hours meeting time falls on people.
type Fairness struct {
	// AfterHoursGini is the Gini coefficient of after-hours meeting hours
	// over people: 0 when all carry the same, towards 1 when few carry all.
	AfterHoursGini float64 `json:"after_hours_gini"`
	// TopFifthShare is the share of after-hours meeting time carried by
	// the fifth of people who carry most.
	TopFifthShare float64 `json:"top_fifth_share"`
}

// ZoneGroup is the people of one time zone, or of several small zones
// pooled so that the group is large enough to show.
type ZoneGroup struct {
	Name  string   `json:"name"`
	Zones []string `json:"zones"`
	// HeadcountShare is the group's share of the team's people.
	HeadcountShare float64 `json:"headcount_share"`
	// ShareOfAfterHoursMeetings is the group's share of the team's
	// after-hours meeting time; BurdenIndex is that share over the
	// headcount share (1 is a fair share).
	ShareOfAfterHoursMeetings float64 `json:"share_of_after_hours_meetings"`
	BurdenIndex               float64 `json:"burden_index"`
	ShareOfAfterHoursMessages float64 `json:"share_of_after_hours_messages"`
	// ShareOfReplies is the group's share of the thread replies written;
	// ShareOfThreads the share of answered threads it wrote in.
	ShareOfReplies float64 `json:"share_of_replies"`
	ShareOfThreads float64 `json:"share_of_threads"`
	Figures
}

// SuppressedZone is a zone not shown on its own: it has too few people,
// or it is pooled with such zones so that they cannot be worked out by
// subtraction.
type SuppressedZone struct {
	Zone   string `json:"zone"`
	People int    `json:"people"`
	Reason string `json:"reason"`
	// PooledInto names the group it is counted in, if any.
	PooledInto string `json:"pooled_into,omitempty"`
}

// HeatRow is a zone group's after-hours activity by local hour of day,
// per person over the period.
type HeatRow struct {
	Group  string `json:"group"`
	People int    `json:"people"`
	// MeetingHours[h] is after-hours meeting time in local hour h.
	MeetingHours [24]float64 `json:"meeting_hours"`
	// Messages[h] is after-hours messages written in local hour h.
	Messages [24]float64 `json:"messages"`
}

// Histogram counts values in buckets.
type Histogram struct {
	Unit   string   `json:"unit"`
	Labels []string `json:"labels"`
	Counts []int    `json:"counts"`
	// Wall counts the same events by wall-clock time, for response times.
	Wall []int `json:"wall,omitempty"`
}

// Delta compares one team figure between the baseline and the window.
type Delta struct {
	Metric   string  `json:"metric"`
	Label    string  `json:"label"`
	Unit     string  `json:"unit"`
	Current  float64 `json:"current"`
	Baseline float64 `json:"baseline"`
	Change   float64 `json:"change"`
	// ChangePct is the relative change in percent (0 when the baseline is 0).
	ChangePct float64 `json:"change_pct"`
	// Better is "up" or "down" when one direction is the improvement.
	Better string `json:"better,omitempty"`
}

// Finding is one plain-language observation and the number behind it.
type Finding struct {
	Key   string  `json:"key"`
	Level string  `json:"level"` // act, watch or ok
	Text  string  `json:"text"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Suggest is what a lead could change.
	Suggest string `json:"suggest,omitempty"`
}

// TeamFigures are the team's measured figures in the form the decision
// engine personalises with; Measured is false when the team is too small
// to show figures.
type TeamFigures = decide.TeamFigures

// PersonReport is one member's own figures. Only that member may see it.
type PersonReport struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Zone   string `json:"zone"`
	Window Window `json:"window"`
	// Total are the figures over the window, per week.
	Total Figures `json:"total"`
	Weeks []Week  `json:"weeks"`
}

// Result is what an audit produces: the group report, and each member's
// own figures.
type Result struct {
	Report Report
	people []PersonReport
}

// Person returns the own figures of the member with the given email.
func (r *Result) Person(email string) (PersonReport, bool) {
	for _, p := range r.people {
		if strings.EqualFold(p.Email, email) {
			return p, true
		}
	}
	return PersonReport{}, false
}

// People returns every member's own figures, for storing; never show one
// member's figures to anyone else.
func (r *Result) People() []PersonReport { return slices.Clone(r.people) }

// Result computes the audit's figures from everything added so far.
func (a *Auditor) Result() *Result {
	a.sortMeetings()
	responses := a.collectResponses()
	res := &Result{}
	rep := &res.Report
	n := a.team.Norms
	*rep = Report{
		Team:     a.team.Name,
		Window:   a.cfg.Window,
		MinGroup: a.cfg.MinGroup,
		Norms: NormsUsed{
			ResponseWindowHours: n.ResponseWindow.D().Hours(),
			MeetingMaxMinutes:   n.MeetingMax.D().Minutes(),
			NoMeetingDay:        n.NoMeetingDay.String(),
		},
		Costs:       a.cfg.Costs,
		Input:       a.Counts(),
		Definitions: Definitions(a.cfg.Costs),
	}
	var people []PersonReport
	rep.Current, people = a.summary(a.wins[0], responses, true)
	res.people = people
	if len(a.wins) > 1 {
		c := a.cfg.Compare
		rep.Compare = &c
		base, _ := a.summary(a.wins[1], responses, false)
		rep.Baseline = &base
		if base.Interactions > 0 && rep.Current.Interactions > 0 {
			rep.Deltas = deltas(&rep.Current.Team, &base.Team)
		}
	}
	rep.TeamFigures = teamFigures(&rep.Current)
	rep.Findings = findings(rep)
	return res
}

// teamFigures fills the decision engine's input from a summary.
func teamFigures(s *Summary) TeamFigures {
	t := &s.Team
	if t.Suppressed || t.PersonWeeks == 0 {
		return TeamFigures{}
	}
	return TeamFigures{
		Measured:                   true,
		Weeks:                      s.Window.Weeks(),
		MedianResponseWorkingHours: t.ResponseMedianWorkingHours,
		MedianResponseHours:        t.ResponseMedianHours,
		WithinWindowShare:          t.WithinWindowShare,
		OverlapHours:               s.OverlapHours,
		SyncAsyncRatio:             t.SyncAsyncCountRatio,
		MeetingHoursPerWeek:        t.MeetingHoursMedian,
		AfterHoursShare:            t.AfterHoursShare,
	}
}

// summary computes the figures of window w, and each person's own report
// when people is set.
func (a *Auditor) summary(w *window, responses []response, people bool) (Summary, []PersonReport) {
	pws, heat, replies := a.weeks(w, responses)
	s := Summary{Window: w.w, Interactions: w.counted, Weeks: []Week{}, Zones: []ZoneGroup{}, Heat: []HeatRow{}}
	minGroup := a.cfg.MinGroup

	// Who was on the team during the window, and their totals.
	active := make([]bool, len(a.ppl))
	sums := make([]personWeekSums, len(a.ppl))
	var members []int32
	for i := range a.ppl {
		for k := range pws[i] {
			if pw := &pws[i][k]; pw.active() {
				active[i] = true
				sums[i].add(pw)
			}
		}
		if active[i] {
			members = append(members, int32(i))
		}
	}
	nWeeks := (w.w.Days() + 6) / 7
	byPerson := make([][]*firstReply, len(a.ppl))
	byWeek := make([][]*firstReply, nWeeks)
	for k := range replies {
		r := &replies[k]
		byPerson[r.p] = append(byPerson[r.p], r)
	}
	weekOf := func(k int) Week {
		from := w.w.From.In(time.UTC).AddDate(0, 0, 7*k)
		days := min(7, w.w.Days()-7*k)
		return Week{Week: k + 1, From: team.DateOf(from), To: team.DateOf(from.AddDate(0, 0, days-1)), Days: days}
	}
	group := func(ids []int32) ([]*personWeek, []*firstReply) {
		var g []*personWeek
		var r []*firstReply
		for _, i := range ids {
			for k := range pws[i] {
				g = append(g, &pws[i][k])
			}
			r = append(r, byPerson[i]...)
		}
		return g, r
	}

	var reports []PersonReport
	if people {
		for _, i := range members {
			m := a.ppl[i].m
			g, r := group([]int32{i})
			pr := PersonReport{Email: m.Email, Name: m.Name, Zone: m.Zone, Window: w.w, Total: figures(1, g, r, a.cfg.Costs)}
			perWeek := make([][]*firstReply, nWeeks)
			for _, x := range r {
				perWeek[x.wk] = append(perWeek[x.wk], x)
			}
			for k := range pws[i] {
				wk := weekOf(k)
				rk := perWeek[k]
				n := 0
				if pws[i][k].active() {
					n = 1
				}
				wk.Figures = figures(n, []*personWeek{&pws[i][k]}, rk, a.cfg.Costs)
				pr.Weeks = append(pr.Weeks, wk)
			}
			reports = append(reports, pr)
		}
	}

	if len(members) < minGroup {
		s.Team = suppressed(len(members), minGroup)
		return s, reports
	}
	all, allReplies := group(members)
	for _, r := range allReplies {
		byWeek[r.wk] = append(byWeek[r.wk], r)
	}
	s.Team = figures(len(members), all, allReplies, a.cfg.Costs)
	s.Meetings = w.meet
	s.OverlapHours = round(a.overlap(w, members), 2)

	// Fairness of after-hours meeting time over people.
	off := make([]float64, len(members))
	for k, i := range members {
		off[k] = hours(sums[i].meetOff)
	}
	s.Fairness.AfterHoursGini = round(gini(off), 3)
	s.Fairness.TopFifthShare = round(topShare(off, 0.2), 3)

	// Team-weeks.
	for k := range nWeeks {
		var g []*personWeek
		r := byWeek[k]
		n := 0
		for _, i := range members {
			if pws[i][k].active() {
				n++
				g = append(g, &pws[i][k])
			}
		}
		wk := weekOf(k)
		if n < minGroup {
			wk.Figures = suppressed(n, minGroup)
		} else {
			wk.Figures = figures(n, g, r, a.cfg.Costs)
		}
		s.Weeks = append(s.Weeks, wk)
	}

	// Zone groups.
	groups, small := a.zoneGroups(members, minGroup, w.w.From.In(time.UTC).AddDate(0, 0, w.w.Days()/2))
	s.SuppressedZones = small
	var teamOff, teamAfterMsgs, teamReplies int64
	for _, i := range members {
		teamOff += sums[i].meetOff
		teamAfterMsgs += sums[i].afterMsgs
		teamReplies += sums[i].replies
	}
	threadTotal, zoneThreads := a.threadParticipation(w)
	for _, zg := range groups {
		g, r := group(zg.ids)
		z := ZoneGroup{Name: zg.name, Zones: zg.zones, Figures: figures(len(zg.ids), g, r, a.cfg.Costs)}
		var off, msgs, rep int64
		var hr HeatRow
		hr.Group, hr.People = zg.name, len(zg.ids)
		for _, i := range zg.ids {
			off += sums[i].meetOff
			msgs += sums[i].afterMsgs
			rep += sums[i].replies
			for h := range 24 {
				hr.MeetingHours[h] += hours(heat[i][h])
				hr.Messages[h] += float64(w.ahHour[i][h])
			}
		}
		for h := range 24 {
			hr.MeetingHours[h] = round(hr.MeetingHours[h]/float64(len(zg.ids)), 3)
			hr.Messages[h] = round(hr.Messages[h]/float64(len(zg.ids)), 3)
		}
		z.HeadcountShare = round(float64(len(zg.ids))/float64(len(members)), 3)
		z.ShareOfAfterHoursMeetings = round(ratio(float64(off), float64(teamOff)), 3)
		z.BurdenIndex = round(ratio(ratio(float64(off), float64(teamOff)), float64(len(zg.ids))/float64(len(members))), 2)
		z.ShareOfAfterHoursMessages = round(ratio(float64(msgs), float64(teamAfterMsgs)), 3)
		z.ShareOfReplies = round(ratio(float64(rep), float64(teamReplies)), 3)
		z.ShareOfThreads = round(ratio(float64(zoneThreads(zg.zoneIDs)), float64(threadTotal)), 3)
		s.Zones = append(s.Zones, z)
		s.Heat = append(s.Heat, hr)
	}

	// Distributions.
	s.FocusDistribution = Histogram{Unit: "hours of focus time (2 h+ blocks) per person-week", Labels: focusLabels, Counts: make([]int, len(focusLabels))}
	for _, pw := range all {
		if pw.active() {
			s.FocusDistribution.Counts[focusBucket(hours(pw.focus2))]++
		}
	}
	s.ResponseDistribution = Histogram{Unit: "hours to first reply (working hours of the responder; wall-clock in wall)", Labels: responseLabels,
		Counts: make([]int, len(responseLabels)), Wall: make([]int, len(responseLabels))}
	for _, r := range allReplies {
		s.ResponseDistribution.Counts[responseBucket(r.workH)]++
		s.ResponseDistribution.Wall[responseBucket(r.wallH)]++
	}
	return s, reports
}

var (
	focusEdges     = []float64{5, 10, 15, 20, 25, 30, 35, 40}
	focusLabels    = []string{"0", "<5", "5–10", "10–15", "15–20", "20–25", "25–30", "30–35", "35–40", "40+"}
	responseEdges  = []float64{1, 2, 4, 8, 16, 24, 48}
	responseLabels = []string{"<1", "1–2", "2–4", "4–8", "8–16", "16–24", "24–48", "48+"}
)

func focusBucket(h float64) int {
	if h <= 0 {
		return 0
	}
	return 1 + bucket(h, focusEdges)
}

func responseBucket(h float64) int { return bucket(h, responseEdges) }

// bucket returns the number of edges at or below v.
func bucket(v float64, edges []float64) int {
	n := 0
	for _, e := range edges {
		if v >= e {
			n++
		}
	}
	return n
}

// zoneGroup is a set of people shown together.
type zoneGroup struct {
	name    string
	zones   []string
	zoneIDs []int32
	ids     []int32
}

// zoneGroups puts members into zone groups: a zone with at least minGroup
// people is its own group; smaller zones are pooled by region (Americas,
// Europe & Africa, Asia & Pacific, by UTC offset at t), regions still too
// small into "Other zones", and when that pool is too small as well, into
// the smallest group beside it, so that no group is below minGroup and no
// small group can be worked out by subtraction from the team's figures.
func (a *Auditor) zoneGroups(members []int32, minGroup int, t time.Time) ([]zoneGroup, []SuppressedZone) {
	byZone := map[int32][]int32{}
	for _, i := range members {
		z := a.ppl[i].zone
		byZone[z] = append(byZone[z], i)
	}
	zones := slices.Sorted(maps.Keys(byZone))
	var groups []zoneGroup
	pools := map[string]*zoneGroup{}
	var small []SuppressedZone
	add := func(g *zoneGroup, o zoneGroup) {
		g.zones = append(g.zones, o.zones...)
		g.zoneIDs = append(g.zoneIDs, o.zoneIDs...)
		g.ids = append(g.ids, o.ids...)
	}
	for _, z := range zones {
		ids := byZone[z]
		g := zoneGroup{name: a.zones[z], zones: []string{a.zones[z]}, zoneIDs: []int32{z}, ids: ids}
		if len(ids) >= minGroup {
			groups = append(groups, g)
			continue
		}
		r := region(a.ppl[ids[0]].loc, t)
		if pools[r] == nil {
			pools[r] = &zoneGroup{name: r}
		}
		add(pools[r], g)
		small = append(small, SuppressedZone{Zone: a.zones[z], People: len(ids), Reason: fmt.Sprintf("fewer than %d people", minGroup)})
	}
	rest := zoneGroup{name: "Other zones"}
	for _, r := range slices.Sorted(maps.Keys(pools)) {
		if p := pools[r]; len(p.ids) >= minGroup {
			groups = append(groups, *p)
		} else {
			add(&rest, *p)
		}
	}
	bySize := func(x, y zoneGroup) int {
		return cmp.Or(cmp.Compare(len(y.ids), len(x.ids)), strings.Compare(x.name, y.name))
	}
	slices.SortFunc(groups, bySize)
	if len(rest.ids) > 0 {
		if len(rest.ids) < minGroup && len(groups) > 0 {
			last := groups[len(groups)-1]
			groups = groups[:len(groups)-1]
			add(&rest, last)
			if len(last.zones) == 1 && last.name == last.zones[0] {
				small = append(small, SuppressedZone{Zone: last.name, People: len(last.ids), Reason: "pooled with smaller zones so that they cannot be worked out"})
			}
		}
		if len(groups) == 0 {
			rest.name = "All zones"
		}
		groups = append(groups, rest)
	}
	in := map[string]string{}
	for k := range groups {
		g := &groups[k]
		slices.Sort(g.zones)
		slices.Sort(g.ids)
		for _, z := range g.zones {
			in[z] = g.name
		}
	}
	for k := range small {
		if small[k].PooledInto = in[small[k].Zone]; small[k].PooledInto == small[k].Zone {
			small[k].PooledInto = ""
		}
	}
	slices.SortFunc(small, func(x, y SuppressedZone) int { return strings.Compare(x.Zone, y.Zone) })
	return groups, small
}

// Regions small zones are pooled into.
const (
	RegionAmericas = "Americas"
	RegionEMEA     = "Europe & Africa"
	RegionAPAC     = "Asia & Pacific"
)

// region names the part of the world of a zone by its UTC offset at t.
func region(loc *time.Location, t time.Time) string {
	_, off := t.In(loc).Zone()
	switch {
	case off < -2*3600:
		return RegionAmericas
	case off < 4*3600+1800:
		return RegionEMEA
	}
	return RegionAPAC
}

// threadParticipation counts the answered threads that started in w, and
// returns a function counting those a set of zones wrote in.
func (a *Auditor) threadParticipation(w *window) (int, func([]int32) int) {
	total := 0
	var masks []uint64
	for k := range a.threads.n {
		th := a.threads.at(k)
		if th.replies == 0 || th.root < w.utcS || th.root >= w.utcE {
			continue
		}
		total++
		masks = append(masks, th.zones)
	}
	return total, func(zones []int32) int {
		var want uint64
		for _, z := range zones {
			if z < 64 {
				want |= 1 << uint(z)
			}
		}
		n := 0
		for _, m := range masks {
			if m&want != 0 {
				n++
			}
		}
		return n
	}
}

// overlap returns the working time per week that all members share.
func (a *Auditor) overlap(w *window, members []int32) float64 {
	type edge struct {
		t int64
		d int
	}
	var edges []edge
	var lo, hi int64 = 1 << 62, -1 << 62
	for _, i := range members {
		d := w.days[i]
		lo, hi = min(lo, d[0]), max(hi, d[len(d)-1])
	}
	for _, i := range members {
		p := &a.ppl[i]
		for j := p.at(lo); j < len(p.work) && p.work[j].s < hi; j++ {
			edges = append(edges, edge{max(p.work[j].s, lo), 1}, edge{min(p.work[j].e, hi), -1})
		}
	}
	slices.SortFunc(edges, func(x, y edge) int { return cmp.Or(cmp.Compare(x.t, y.t), cmp.Compare(x.d, y.d)) })
	var shared int64
	n := 0
	for k, e := range edges {
		if n == len(members) && k > 0 {
			shared += e.t - edges[k-1].t
		}
		n += e.d
	}
	return hours(shared) / (float64(w.w.Days()) / 7)
}

// deltaMetrics are the team figures compared between periods.
var deltaMetrics = []struct {
	key, label, unit, better string
	get                      func(*Figures) float64
}{
	{"meeting_hours_median", "Median meeting hours per person-week", "h", "down", func(f *Figures) float64 { return f.MeetingHoursMedian }},
	{"focus_hours_median", "Median focus hours (2 h+ blocks) per person-week", "h", "up", func(f *Figures) float64 { return f.FocusHoursMedian }},
	{"fragmented_hours", "Fragmented hours per person-week", "h", "down", func(f *Figures) float64 { return f.FragmentedHours }},
	{"after_hours_meeting_hours", "After-hours meeting hours per person-week", "h", "down", func(f *Figures) float64 { return f.AfterHoursMeetingHours }},
	{"after_hours_message_share", "Messages sent after hours", "share", "down", func(f *Figures) float64 { return f.AfterHoursMessageShare }},
	{"sync_async_count_ratio", "Sync:async ratio (count)", "ratio", "", func(f *Figures) float64 { return f.SyncAsyncCountRatio }},
	{"sync_async_time_ratio", "Sync:async ratio (time)", "ratio", "", func(f *Figures) float64 { return f.SyncAsyncTimeRatio }},
	{"response_median_working_hours", "Median first reply (working hours)", "h", "down", func(f *Figures) float64 { return f.ResponseMedianWorkingHours }},
	{"within_window_share", "First replies within the response window", "share", "up", func(f *Figures) float64 { return f.WithinWindowShare }},
	{"recurring_share", "Recurring share of meeting time", "share", "", func(f *Figures) float64 { return f.RecurringShare }},
	{"long_share", "Meeting time in meetings over 60 min", "share", "down", func(f *Figures) float64 { return f.LongShare }},
	{"large_share", "Meeting time in meetings of more than 8", "share", "down", func(f *Figures) float64 { return f.LargeShare }},
	{"back_to_back", "Back-to-back meetings per person-week", "count", "down", func(f *Figures) float64 { return f.BackToBack }},
}

// deltas compares the team's figures of two periods; none when either
// is suppressed.
func deltas(cur, base *Figures) []Delta {
	if cur.Suppressed || base.Suppressed || cur.PersonWeeks == 0 || base.PersonWeeks == 0 {
		return nil
	}
	var out []Delta
	for _, m := range deltaMetrics {
		c, b := m.get(cur), m.get(base)
		d := Delta{Metric: m.key, Label: m.label, Unit: m.unit, Current: c, Baseline: b, Change: round(c-b, 3), Better: m.better}
		if b != 0 {
			d.ChangePct = round((c-b)/b*100, 1)
		}
		out = append(out, d)
	}
	return out
}

// zoneList formats zones for a sentence.
func zoneList(zs []string) string {
	if len(zs) <= 3 {
		return strings.Join(zs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(zs[:2], ", "), len(zs)-2)
}
