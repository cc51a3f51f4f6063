package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/store"
)

// decideView is the decide page: the form as filled, and the answer.
type decideView struct {
	Error    string
	Form     url.Values
	Purposes []option
	Teams    []store.TeamSummary
	Decision *decide.Decision
	Chart    *matrixChart
}

type option struct{ Value, Label string }

// uiDecide shows the form and, once submitted (GET, so an answer can be
// bookmarked and shared), the recommendation, the matrix chart and the trace.
func (s *Server) uiDecide(w http.ResponseWriter, r *http.Request) {
	p, err := decide.DefaultPolicy()
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := decideView{Form: q}
	for _, id := range p.PurposeIDs() {
		v.Purposes = append(v.Purposes, option{id, p.PurposeName(id)})
	}
	if v.Teams, err = s.app.Teams(r.Context(), s.actor(r)); err != nil {
		s.uiFail(w, r, err)
		return
	}
	if !q.Has("purpose") {
		s.render(w, r, http.StatusOK, "decide", "Decide", v)
		return
	}
	d, err := s.decideForm(r, q)
	if err != nil {
		if rhythm.ErrorCode(err) != rhythm.EINVALID {
			s.uiFail(w, r, err)
			return
		}
		v.Error = rhythm.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "decide", "Decide", v)
		return
	}
	v.Decision = &d
	v.Chart = newMatrixChart(d.Matrix)
	s.render(w, r, http.StatusOK, "decide", "Decide: "+d.Mode.String(), v)
}

// decideForm reads the form into a request and answers it, with the chosen
// team's norms and roster when the user may see that team.
func (s *Server) decideForm(r *http.Request, q url.Values) (decide.Decision, error) {
	var req decide.Request
	req.Purpose = q.Get("purpose")
	req.Ambiguity, req.Relationship, req.Stakes = q.Get("ambiguity"), q.Get("relationship"), q.Get("stakes")
	req.Urgency, req.Owner = q.Get("urgency"), q.Get("owner")
	var err error
	for _, f := range []struct {
		name string
		dst  **int
	}{{"stakeholders", &req.Stakeholders}, {"zones", &req.Zones}, {"functions", &req.Functions}} {
		if *f.dst, err = formInt(q, f.name); err != nil {
			return decide.Decision{}, err
		}
	}
	if s := strings.TrimSpace(q.Get("overlap_hours")); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return decide.Decision{}, rhythm.Errorf(rhythm.EINVALID, "overlap_hours: %q is not a number of hours", s)
		}
		req.OverlapHours = &v
	}
	switch q.Get("record") {
	case "yes":
		req.Record = ptrTo(true)
	case "no":
		req.Record = ptrTo(false)
	}
	for n := range strings.SplitSeq(q.Get("with"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			req.With = append(req.With, n)
		}
	}
	if ref := strings.TrimSpace(q.Get("team")); ref != "" {
		return s.app.DecideForTeam(r.Context(), s.actor(r), ref, &req)
	}
	return s.app.Decide(r.Context(), s.actor(r), &req)
}

func formInt(q url.Values, name string) (*int, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a whole number", name, s)
	}
	return &n, nil
}

func ptrTo[T any](v T) *T { return &v }

// matrixChart is the matrix as a small horizontal bar chart: per criterion
// one bar for async and one for sync, on a 0..5 scale.
type matrixChart struct {
	Width, Height int
	Bars          []chartRow
	Ticks         []chartTick
	Totals        chartRow
}

type chartRow struct {
	Label, Weight       string
	Y, YSync, YText     int
	AsyncW, SyncW       float64
	AsyncText, SyncText string
	AsyncX, SyncX       float64 // where the value labels go
}

type chartTick struct {
	X     float64
	Label string
}

const (
	chartLabelW = 190 // room for the criterion names
	chartBarW   = 300 // the 0..5 scale
	chartRowH   = 38
	chartTop    = 30
)

func newMatrixChart(m decide.Matrix) *matrixChart {
	c := &matrixChart{Width: chartLabelW + chartBarW + 50}
	row := func(label, weight string, y int, a, s float64) chartRow {
		aw, sw := a/5*chartBarW, s/5*chartBarW
		return chartRow{Label: label, Weight: weight, Y: y, YSync: y + 14, YText: y + 11,
			AsyncW: aw, SyncW: sw, AsyncX: chartLabelW + aw + 4, SyncX: chartLabelW + sw + 4,
			AsyncText: strconv.FormatFloat(a, 'f', 1, 64), SyncText: strconv.FormatFloat(s, 'f', 1, 64)}
	}
	y := chartTop
	for _, cr := range m.Criteria {
		c.Bars = append(c.Bars, row(cr.Name, "weight "+strconv.FormatFloat(cr.Weight, 'f', 2, 64), y, cr.Async, cr.Sync))
		y += chartRowH
	}
	// Weighted totals, as averages on the same 0..5 scale.
	if async, sync, ok := m.Averages(); ok {
		c.Totals = row("Weighted average", "", y+6, async, sync)
		y += chartRowH + 6
	}
	for i := 0; i <= 5; i++ {
		c.Ticks = append(c.Ticks, chartTick{X: chartLabelW + float64(i)*chartBarW/5, Label: strconv.Itoa(i)})
	}
	c.Height = y + 18
	return c
}
