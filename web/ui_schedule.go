package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

// heatCell is one hour of one row of the heat map.
type heatCell struct {
	Level int    // quarter-hours available, 0-4
	Label string // e.g. "Mon 14:00: 3 of 4 quarter-hours"
	Day   bool   // the first hour of a day
}

// heatRow is a member's week, hour by hour.
type heatRow struct {
	Name, Zone string
	Hours      float64
	Cells      []heatCell
}

// dayHead labels the hours of one day.
type dayHead struct {
	Label string
	Span  int
}

type pairView struct {
	A, B  string
	Hours float64
}

// overlapView is the heat map page.
type overlapView struct {
	Team       team.Team
	Zone       string
	Zones      []string
	Week       string // the Monday, YYYY-MM-DD
	Prev, Next string
	Days       []dayHead
	Everyone   heatRow
	Rows       []heatRow
	Golden     []string
	Pairs      []pairView
	MorePairs  int
	Error      string
}

// zoneChoices lists UTC, the viewer's zone and the members' zones.
func zoneChoices(t *team.Team, extra ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, z := range append(append([]string{"UTC"}, extra...), memberZones(t)...) {
		if z != "" && !seen[z] {
			seen[z] = true
			out = append(out, z)
		}
	}
	slices.Sort(out[1:])
	return out
}

func memberZones(t *team.Team) []string {
	var z []string
	for _, m := range t.Members {
		z = append(z, m.Zone)
	}
	return z
}

func (s *Server) uiOverlap(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	q := r.URL.Query()
	zone := s.zone(r).Name
	if z := strings.TrimSpace(q.Get("zone")); z != "" {
		zone = z
	}
	v := overlapView{Team: t, Zone: zone, Zones: zoneChoices(&t, zone)}
	_, h, err := s.app.Overlap(r.Context(), s.actor(r), r.PathValue("team"), app.OverlapQuery{Zone: zone, Week: q.Get("week"), With: splitValues(q["with"])})
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			v.Error = msg
			s.render(w, r, status, "overlap", "Overlap · "+t.Name, v)
		})
		return
	}
	fillOverlap(&v, h)
	s.render(w, r, http.StatusOK, "overlap", "Overlap · "+t.Name, v)
}

// fillOverlap turns the heat map's quarter-hour slots into hour cells.
func fillOverlap(v *overlapView, h *schedule.Heatmap) {
	v.Zone = h.Zone
	v.Week = h.Start.Format(time.DateOnly)
	v.Prev = h.Start.AddDate(0, 0, -7).Format(time.DateOnly)
	v.Next = h.Start.AddDate(0, 0, 7).Format(time.DateOnly)
	// Group slots by local hour; a week with a clock change has one more
	// or one fewer.
	type hour struct {
		start time.Time
		slots []int
	}
	var hours []hour
	for i, t := range h.Slots {
		hs := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, t.Location())
		if n := len(hours); n == 0 || !sameWall(hours[n-1].start, hs) || t.Sub(hours[n-1].start) >= time.Hour {
			hours = append(hours, hour{start: t})
		}
		hours[len(hours)-1].slots = append(hours[len(hours)-1].slots, i)
	}
	for _, hr := range hours {
		label := hr.start.Format("Mon 2")
		if n := len(v.Days); n > 0 && v.Days[n-1].Label == label {
			v.Days[n-1].Span++
		} else {
			v.Days = append(v.Days, dayHead{Label: label, Span: 1})
		}
	}
	cell := func(hr hour, ok func(int) bool, what string) heatCell {
		n := 0
		for _, sl := range hr.slots {
			if ok(sl) {
				n++
			}
		}
		return heatCell{Level: n * 4 / len(hr.slots), Label: fmt.Sprintf("%s: %s %d of %d quarter-hours", hr.start.Format("Mon 15:04"), what, n, len(hr.slots)), Day: hr.start.Hour() == 0}
	}
	all := len(h.Members)
	v.Everyone = heatRow{Name: "Everyone", Zone: fmt.Sprintf("%d members", all)}
	for _, hr := range hours {
		v.Everyone.Cells = append(v.Everyone.Cells, cell(hr, func(sl int) bool { return h.Counts[sl] == all }, "everyone available"))
	}
	for _, g := range h.Golden {
		v.Everyone.Hours += g.End.Sub(g.Start).Hours()
	}
	for _, m := range h.Members {
		row := heatRow{Name: m.Name, Zone: m.Zone, Hours: m.Hours}
		for _, hr := range hours {
			row.Cells = append(row.Cells, cell(hr, func(sl int) bool { return m.Available[sl] }, m.Name+" available"))
		}
		v.Rows = append(v.Rows, row)
	}
	for _, g := range h.Golden {
		v.Golden = append(v.Golden, g.Start.Format("Mon 15:04")+"–"+g.End.Format("15:04"))
	}
	names := map[string]string{}
	for _, m := range h.Members {
		names[m.Email] = m.Name
	}
	for _, p := range h.Pairs {
		v.Pairs = append(v.Pairs, pairView{A: names[p.A], B: names[p.B], Hours: p.Hours})
	}
	slices.SortStableFunc(v.Pairs, func(a, b pairView) int { return cmp.Compare(a.Hours, b.Hours) })
	if len(v.Pairs) > 30 {
		v.MorePairs = len(v.Pairs) - 30
		v.Pairs = v.Pairs[:30]
	}
}

func sameWall(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay() && a.Hour() == b.Hour()
}

// finderMember is a checkbox of the slot finder.
type finderMember struct {
	Email, Name, Zone string
	Checked           bool
}

// cellView is one attendee's local time in a result table.
type cellView struct {
	Text   string
	Inside bool
}

type resultRow struct {
	Label, Sub string // rank or instance number, and its slot letter
	When       string // in the anchor zone
	Inside     string // e.g. "2/3"
	Total, Max float64
	Cells      []cellView
}

type burdenView struct {
	Name, Zone, Outside string
	Share               float64
	Instances           int
	Inconvenience       float64
}

// finderView is the slot finder page: the form, and the proposal.
type finderView struct {
	Team     team.Team
	Members  []finderMember
	Zones    []string
	Q        map[string]string
	Error    string
	Ran      bool
	Weekly   bool
	Summary  string
	Notes    []string
	Heads    []finderMember // the participants, for column heads
	Rows     []resultRow
	Rotation []string
	Burdens  []burdenView
	Gini     float64
	Worst    float64
	ICS      string
}

func (s *Server) uiSchedule(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := finderView{Team: t, Q: map[string]string{}}
	for _, k := range []string{"duration", "from", "to", "weekly", "zone"} {
		v.Q[k] = strings.TrimSpace(q.Get(k))
	}
	checked := map[string]bool{}
	for _, e := range q["with"] {
		checked[strings.ToLower(e)] = true
	}
	for _, m := range t.Members {
		v.Members = append(v.Members, finderMember{Email: m.Email, Name: m.Name, Zone: m.Zone, Checked: len(checked) == 0 || checked[strings.ToLower(m.Email)]})
	}
	if v.Q["zone"] == "" {
		// The days and times typed are read in the user's zone.
		v.Q["zone"] = s.zone(r).Name
		q.Set("zone", v.Q["zone"])
	}
	if v.Q["duration"] == "" {
		v.Q["duration"] = "30m"
		if t.Norms.MeetingMax > 0 && t.Norms.MeetingMax.D() < 30*time.Minute {
			v.Q["duration"] = t.Norms.MeetingMax.String()
		}
	}
	v.Zones = zoneChoices(&t, v.Q["zone"])
	if q.Get("duration") == "" {
		s.render(w, r, http.StatusOK, "schedule", "Find a time · "+t.Name, v)
		return
	}
	query, err := finderQuery(q)
	if err == nil {
		var res *app.ScheduleResult
		if _, res, err = s.app.Schedule(r.Context(), s.actor(r), r.PathValue("team"), query); err == nil {
			v.Ran = true
			fillFinder(&v, res)
			v.ICS = "/teams/" + strconv.FormatInt(t.ID, 10) + "/schedule.ics?" + q.Encode()
		}
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			v.Error = msg
			s.render(w, r, status, "schedule", "Find a time · "+t.Name, v)
		})
		return
	}
	s.render(w, r, http.StatusOK, "schedule", "Find a time · "+t.Name, v)
}

// finderQuery reads the slot finder's form fields.
func finderQuery(q url.Values) (schedule.Query, error) {
	sq := schedule.Query{Duration: q.Get("duration"), Zone: q.Get("zone"), With: q["with"]}
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	switch {
	case from != "" && to != "":
		sq.Between = []string{from, to}
	case from != "" || to != "":
		return sq, rhythm.Errorf(rhythm.EINVALID, "between: give both a first and a last day, or neither")
	}
	if wk := strings.TrimSpace(q.Get("weekly")); wk != "" && wk != "0" {
		n, err := strconv.Atoi(wk)
		if err != nil || n < 1 || n > schedule.MaxWeeks {
			return sq, rhythm.Errorf(rhythm.EINVALID, "weekly must be a number of weeks between 1 and %d, got %q", schedule.MaxWeeks, wk)
		}
		sq.Weekly = n
	}
	sq.Top = 5
	return sq, nil
}

func attendeeCells(as []schedule.Attendee, withEnd bool) ([]cellView, string) {
	var cells []cellView
	in := 0
	for _, a := range as {
		text := a.Start.Format("Mon 15:04")
		if withEnd {
			text += "–" + a.End.Format("15:04")
		}
		cells = append(cells, cellView{Text: text, Inside: a.Inside})
		if a.Inside {
			in++
		}
	}
	return cells, fmt.Sprintf("%d/%d", in, len(as))
}

func fillFinder(v *finderView, res *app.ScheduleResult) {
	if rk := res.Ranking; rk != nil {
		loc, _ := time.LoadLocation(rk.Zone)
		v.Summary = fmt.Sprintf("The best %d of %d start times for a %v meeting, in %s time.", len(rk.Slots), rk.Candidates, team.Duration(rk.Duration), rk.Zone)
		if rk.Blocked > 0 {
			v.Summary += fmt.Sprintf(" %d fall on the no-meeting day or a busy time.", rk.Blocked)
		}
		v.Notes = rk.Warnings
		for i, sl := range rk.Slots {
			if i == 0 {
				v.Heads = heads(sl.Attendees)
			}
			cells, inside := attendeeCells(sl.Attendees, false)
			v.Rows = append(v.Rows, resultRow{Label: strconv.Itoa(i + 1), When: stamp(sl.Start, loc), Inside: inside, Total: sl.Inconvenience, Max: sl.Max, Cells: cells})
		}
		return
	}
	sr := res.Series
	v.Weekly = true
	loc, _ := time.LoadLocation(sr.Zone)
	for i, rs := range sr.Rotation {
		v.Rotation = append(v.Rotation, fmt.Sprintf("%c: %s %s", 'A'+i, rs.Weekday, rs.Clock))
	}
	how := "at one time"
	if len(sr.Rotation) > 1 {
		how = fmt.Sprintf("rotating among %d times", len(sr.Rotation))
	}
	v.Summary = fmt.Sprintf("%d weekly instances of a %v meeting, %s (%s wall time).", sr.Weeks, team.Duration(sr.Duration), how, sr.Zone)
	if sr.AllInside {
		v.Summary += " Every instance is inside everyone's working hours."
	}
	v.Notes = sr.Warnings
	for i, in := range sr.Instances {
		if i == 0 {
			v.Heads = heads(in.Attendees)
		}
		cells, inside := attendeeCells(in.Attendees, true)
		v.Rows = append(v.Rows, resultRow{Label: strconv.Itoa(in.N), Sub: string(rune('A' + in.Turn)), When: stamp(in.Start, loc), Inside: inside, Total: in.Inconvenience, Max: in.Max, Cells: cells})
	}
	for _, b := range sr.Members {
		v.Burdens = append(v.Burdens, burdenView{Name: b.Name, Zone: b.Zone, Outside: team.Duration(b.Outside).String(), Share: b.Share * 100, Instances: b.InstancesOutside, Inconvenience: b.Inconvenience})
	}
	v.Gini, v.Worst = sr.Gini, sr.WorstShare*100
}

func heads(as []schedule.Attendee) []finderMember {
	var out []finderMember
	for _, a := range as {
		out = append(out, finderMember{Email: a.Email, Name: a.Name, Zone: a.Zone})
	}
	return out
}

// uiScheduleICS downloads the slot finder's proposal (the weekly series,
// or the best one-off time) as an iCalendar file.
func (s *Server) uiScheduleICS(w http.ResponseWriter, r *http.Request) {
	query, err := finderQuery(r.URL.Query())
	var (
		t   app.TeamOf
		res *app.ScheduleResult
		buf bytes.Buffer
	)
	if err == nil {
		t, res, err = s.app.Schedule(r.Context(), s.actor(r), r.PathValue("team"), query)
	}
	if err == nil {
		err = res.WriteICS(&buf, t.Name+" sync", s.now())
	}
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileSafe(t.Name)+`-sync.ics"`)
	w.Write(buf.Bytes())
}

// fileSafe keeps letters, digits and dashes of a name for a file name.
func fileSafe(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	if out := strings.Trim(b.String(), "-"); out != "" {
		return out
	}
	return "team"
}
