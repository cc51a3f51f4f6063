package report

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm/audit"
)

// Formats a report can be written in.
const (
	FormatHTML = "html"
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// WriteAudit writes an audit report in format (text, html, json or csv).
func WriteAudit(w io.Writer, format string, r *audit.Report) error {
	switch format {
	case FormatHTML:
		return AuditHTML(w, r)
	case FormatJSON:
		return AuditJSON(w, r)
	case FormatCSV:
		return AuditCSV(w, r)
	case FormatText:
		return AuditText(w, r)
	}
	return fmt.Errorf("unknown report format %q (text, html, json or csv)", format)
}

// AuditJSON writes an audit report as one indented JSON document.
func AuditJSON(w io.Writer, r *audit.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

//go:embed templates/audit/body.html
var auditBodyTemplate string

//go:embed templates/audit/page.html
var auditPageTemplate string

// AuditFuncs are the template functions the audit report body uses; a
// page that shows it adds them to its own.
func AuditFuncs() template.FuncMap {
	return template.FuncMap{
		"auditPct":    func(v float64) string { return pct(v) },
		"auditNum":    func(v float64) string { return num(v) },
		"auditHours":  hoursNum,
		"auditIndex":  trimNum,
		"auditValue":  value2,
		"auditChange": DeltaChange,
	}
}

// AddAuditBody parses the audit report body ("audit-body", taking an
// *AuditView) into t, so another page can show a report.
func AddAuditBody(t *template.Template) error {
	_, err := t.New("audit-body").Parse(auditBodyTemplate)
	return err
}

// auditPage is parsed when first used, not at start-up.
var auditPage = sync.OnceValue(func() *template.Template {
	t := template.Must(template.New("page").Funcs(AuditFuncs()).Parse(auditPageTemplate))
	if err := AddAuditBody(t); err != nil {
		panic(err)
	}
	return t
})

// AuditHTML writes an audit report as one self-contained HTML page:
// styles inline, charts as inline SVG, nothing loaded from elsewhere.
func AuditHTML(w io.Writer, r *audit.Report) error {
	var buf bytes.Buffer
	data := struct {
		View *AuditView
		CSS  template.CSS
	}{NewAuditView(r), template.CSS(CSS)}
	if err := auditPage().Execute(&buf, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// AuditView is an audit report prepared for the body template.
type AuditView struct {
	R        *audit.Report
	S        *audit.Summary
	Shown    bool // the team passes the privacy threshold
	Tiles    []Tile
	Charts   AuditCharts
	Skipped  []Count
	Suppress string // why nothing is shown, when not Shown
}

// Tile is one headline figure.
type Tile struct {
	Label, Value, Note string
	// Delta describes the change since the baseline; Trend is "better",
	// "worse" or "" for the style.
	Delta, Trend string
}

// Count is a labelled count.
type Count struct {
	Label string
	N     int
}

// NewAuditView prepares r for the body template.
func NewAuditView(r *audit.Report) *AuditView {
	v := &AuditView{R: r, S: &r.Current}
	t := &r.Current.Team
	v.Shown = !t.Suppressed && t.PersonWeeks > 0
	switch {
	case t.Suppressed:
		v.Suppress = fmt.Sprintf("The team had %d %s in this period; figures are shown only for groups of at least %d, so this report shows none.", t.People, plural(t.People, "person", "people"), r.MinGroup)
	case t.PersonWeeks == 0:
		v.Suppress = "Nobody on the team had working time in this period."
	}
	for reason, n := range r.Input.Skipped {
		v.Skipped = append(v.Skipped, Count{reason, n})
	}
	slices.SortFunc(v.Skipped, func(a, b Count) int { return strings.Compare(a.Label, b.Label) })
	if !v.Shown {
		return v
	}
	v.Charts = AuditChartsOf(v.S)
	delta := map[string]audit.Delta{}
	for _, d := range r.Deltas {
		delta[d.Metric] = d
	}
	tile := func(metric, label, value, note string) {
		tl := Tile{Label: label, Value: value, Note: note}
		if d, ok := delta[metric]; ok {
			tl.Delta = DeltaChange(d) + " vs " + value2(d.Baseline, d.Unit)
			if d.Better != "" && d.Change != 0 {
				if (d.Change > 0) == (d.Better == "up") {
					tl.Trend = "better"
				} else {
					tl.Trend = "worse"
				}
			}
		}
		v.Tiles = append(v.Tiles, tl)
	}
	tile("meeting_hours_median", "Meeting hours", num(t.MeetingHoursMedian)+" h", fmt.Sprintf("median per person-week (mean %s h)", num(t.MeetingHours)))
	tile("focus_hours_median", "Focus time", num(t.FocusHoursMedian)+" h", "median per person-week in 2 h+ blocks")
	tile("after_hours_meeting_hours", "After-hours meetings", num(t.AfterHoursMeetingHours)+" h", "per person-week, in each person's own zone")
	tile("after_hours_message_share", "Messages after hours", pct(t.AfterHoursMessageShare), "of messages sent")
	if t.Replies > 0 {
		tile("response_median_working_hours", "First reply", num(t.ResponseMedianWorkingHours)+" h", fmt.Sprintf("median, in working hours (%s h wall-clock)", num(t.ResponseMedianHours)))
		tile("within_window_share", "Within response window", pct(t.WithinWindowShare), "of first replies; window "+hoursText(r.Norms.ResponseWindowHours))
	}
	tile("sync_async_time_ratio", "Sync : async", ratioText(t.SyncAsyncTimeRatio), fmt.Sprintf("by time (%s by count)", ratioText(t.SyncAsyncCountRatio)))
	return v
}

// AuditCharts are an audit report's charts as inline SVG.
type AuditCharts struct {
	Weekly, Ratio, HeatMeetings, HeatMessages, Response, Focus, Burden template.HTML
}

// AuditChartsOf draws the charts of a period's summary.
func AuditChartsOf(s *audit.Summary) AuditCharts {
	var c AuditCharts
	n := len(s.Weeks)
	labels := make([]string, n)
	hidden := make([]bool, n)
	syncH, asyncH := make([]float64, n), make([]float64, n)
	timeR, countR := make([]float64, n), make([]float64, n)
	for i, w := range s.Weeks {
		labels[i] = shortDate(w.From.In(time.UTC))
		hidden[i] = w.Suppressed
		syncH[i], asyncH[i] = w.MeetingHours, w.AsyncHours
		timeR[i], countR[i] = w.SyncAsyncTimeRatio, w.SyncAsyncCountRatio
	}
	c.Weekly = barChart("chart-weekly", "Sync and async hours per person-week", "Meeting hours and estimated async hours per person, week by week.", " h", labels, hidden,
		barSeries{"sync (meetings)", colSync, syncH}, barSeries{"async (estimated)", colAsync, asyncH})
	c.Ratio = lineChart("chart-ratio", "Sync:async ratio by week", "Meeting hours per estimated async hour, and meetings per message, week by week.", labels,
		lineSeries{"by time (meeting h ÷ async h)", colSync, timeR, hidden}, lineSeries{"by count (meetings ÷ messages)", colAsync, countR, hidden})
	if len(s.Heat) > 0 {
		rows := make([]heatRow, len(s.Heat))
		msgs := make([]heatRow, len(s.Heat))
		for i, h := range s.Heat {
			rows[i] = heatRow{h.Group, h.MeetingHours}
			msgs[i] = heatRow{h.Group, h.Messages}
		}
		c.HeatMeetings = heatMap("chart-heat-meetings", "After-hours meeting time by zone and local hour", "Meeting hours outside working hours per person over the period, by zone group and hour of the local day.", " h", colLate, rows)
		c.HeatMessages = heatMap("chart-heat-messages", "After-hours messages by zone and local hour", "Messages sent outside working hours per person over the period, by zone group and hour of the local day.", "", colSync, msgs)
	} else {
		c.HeatMeetings = emptyChart("chart-heat-meetings", "After-hours meeting time by zone and local hour", "no zone group to show")
		c.HeatMessages = emptyChart("chart-heat-messages", "After-hours messages by zone and local hour", "no zone group to show")
	}
	rd := s.ResponseDistribution
	if sum(rd.Counts) > 0 {
		rl := make([]string, len(rd.Labels))
		for i, l := range rd.Labels {
			rl[i] = l + " h"
		}
		c.Response = barChart("chart-response", "Time to first reply", "Share of first replies by how long they took, in the responder's working hours and in wall-clock hours.", "%", rl, nil,
			barSeries{"in working hours", colSync, percents(rd.Counts)}, barSeries{"in wall-clock hours", colHead, percents(rd.Wall)})
	} else {
		c.Response = emptyChart("chart-response", "Time to first reply", "no replies measured")
	}
	fd := s.FocusDistribution
	fl := make([]string, len(fd.Labels))
	for i, l := range fd.Labels {
		fl[i] = l + " h"
	}
	c.Focus = barChart("chart-focus", "Focus time per person-week", "Person-weeks by hours of focus time in blocks of 2 hours or more.", "", fl, nil, barSeries{"person-weeks", colAsync, floats(fd.Counts)})
	if len(s.Zones) > 0 {
		rows := make([]shareBar, len(s.Zones))
		for i, z := range s.Zones {
			rows[i] = shareBar{z.Name, z.HeadcountShare, z.ShareOfAfterHoursMeetings, z.BurdenIndex}
		}
		c.Burden = shareChart("chart-burden", "Time-zone burden", "Each zone group's share of the team's people beside its share of after-hours meeting time; the number is the burden index.", "share of after-hours meeting time", rows)
	} else {
		c.Burden = emptyChart("chart-burden", "Time-zone burden", "no zone group to show")
	}
	return c
}

// PersonCharts draws one member's own weekly charts.
func PersonCharts(p *audit.PersonReport) AuditCharts {
	n := len(p.Weeks)
	labels := make([]string, n)
	syncH, asyncH, focus, late := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, w := range p.Weeks {
		labels[i] = shortDate(w.From.In(time.UTC))
		syncH[i], asyncH[i], focus[i], late[i] = w.MeetingHours, w.AsyncHours, w.FocusHours, w.AfterHoursMeetingHours
	}
	return AuditCharts{
		Weekly: barChart("chart-weekly", "My sync and async hours by week", "Your meeting hours and estimated async hours, week by week.", " h", labels, nil,
			barSeries{"sync (meetings)", colSync, syncH}, barSeries{"async (estimated)", colAsync, asyncH}),
		Focus: barChart("chart-focus", "My focus time and after-hours meetings by week", "Your focus hours in 2 h+ blocks and your after-hours meeting hours, week by week.", " h", labels, nil,
			barSeries{"focus (2 h+ blocks)", colAsync, focus}, barSeries{"after-hours meetings", colLate, late}),
	}
}

func shortDate(t time.Time) string { return t.Format("Jan 2") }

// percents returns each count as a percentage of their sum.
func percents(ns []int) []float64 {
	out := floats(ns)
	if t := sum(ns); t > 0 {
		for i := range out {
			out[i] = out[i] * 100 / float64(t)
		}
	}
	return out
}

func floats(ns []int) []float64 {
	out := make([]float64, len(ns))
	for i, n := range ns {
		out[i] = float64(n)
	}
	return out
}

func sum(ns []int) int {
	s := 0
	for _, n := range ns {
		s += n
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func num(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") }

// hoursNum formats hours with one decimal, two below one hour.
func hoursNum(v float64) string {
	if math.Abs(v) < 1 && v != 0 {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	}
	return num(v)
}

func ratioText(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func hoursText(h float64) string {
	if h >= 48 && math.Mod(h, 24) == 0 {
		return fmt.Sprintf("%.0f days", h/24)
	}
	return num(h) + " h"
}

// DeltaChange formats a delta's change: percentage points for shares, the
// difference for ratios, the relative change otherwise.
func DeltaChange(d audit.Delta) string {
	switch {
	case d.Unit == "share" && math.Abs(d.Change) < 0.005,
		d.Unit != "share" && (d.Baseline != 0 && math.Abs(d.ChangePct) < 0.5 || d.Baseline == 0 && math.Abs(d.Change) < 0.005):
		return "no change"
	case d.Unit == "share":
		return fmt.Sprintf("%+.0f pts", d.Change*100)
	case d.Unit == "ratio":
		return fmt.Sprintf("%+.2f", d.Change)
	case d.Baseline == 0:
		return fmt.Sprintf("%+.1f", d.Change)
	}
	return fmt.Sprintf("%+.0f%%", d.ChangePct)
}

func value2(v float64, unit string) string {
	switch unit {
	case "share":
		return pct(v)
	case "h":
		return hoursNum(v) + " h"
	case "ratio":
		return ratioText(v)
	}
	return num(v)
}

// AuditCSV writes an audit report as rows of section, period, group, metric, value, note:
// team, week and zone figures, the heat map, distributions, deltas and
// findings. Suppressed groups have one row with the note and no values.
func AuditCSV(w io.Writer, r *audit.Report) error {
	cw := csv.NewWriter(w)
	row := func(cells ...string) { cw.Write(cells) }
	row("section", "period", "group", "metric", "value", "note")
	summary := func(name string, s *audit.Summary) {
		period := s.Window.String()
		figureRows(row, name, period, r.Team, &s.Team)
		if s.Team.Suppressed {
			return
		}
		m := s.Meetings
		for _, kv := range []struct {
			k string
			v int
		}{{"meetings_distinct", m.Meetings}, {"meetings_long", m.Long}, {"meetings_large", m.Large}, {"meetings_recurring", m.Recurring}, {"meetings_over_max", m.OverMax}} {
			row(name, period, r.Team, kv.k, strconv.Itoa(kv.v), "")
		}
		row(name, period, r.Team, "overlap_hours", fnum(s.OverlapHours), "")
		row(name, period, r.Team, "after_hours_gini", fnum(s.Fairness.AfterHoursGini), "")
		row(name, period, r.Team, "after_hours_top_fifth_share", fnum(s.Fairness.TopFifthShare), "")
		for _, wk := range s.Weeks {
			figureRows(row, name+" week", fmt.Sprintf("%s..%s", wk.From, wk.To), r.Team, &wk.Figures)
		}
		for _, z := range s.Zones {
			figureRows(row, name+" zone", period, z.Name, &z.Figures)
			for _, kv := range []struct {
				k string
				v float64
			}{{"headcount_share", z.HeadcountShare}, {"share_of_after_hours_meetings", z.ShareOfAfterHoursMeetings}, {"burden_index", z.BurdenIndex},
				{"share_of_after_hours_messages", z.ShareOfAfterHoursMessages}, {"share_of_replies", z.ShareOfReplies}, {"share_of_threads", z.ShareOfThreads}} {
				row(name+" zone", period, z.Name, kv.k, fnum(kv.v), "")
			}
			row(name+" zone", period, z.Name, "zones", strings.Join(z.Zones, " "), "")
		}
		for _, z := range s.SuppressedZones {
			note := "suppressed: " + z.Reason
			if z.PooledInto != "" {
				note += "; counted in " + z.PooledInto
			}
			row(name+" zone", period, z.Zone, "people", strconv.Itoa(z.People), note)
		}
		for _, h := range s.Heat {
			for hr := range 24 {
				row(name+" heat", period, h.Group, fmt.Sprintf("after_hours_meeting_hours_%02d", hr), fnum(h.MeetingHours[hr]), "per person, local hour")
			}
			for hr := range 24 {
				row(name+" heat", period, h.Group, fmt.Sprintf("after_hours_messages_%02d", hr), fnum(h.Messages[hr]), "per person, local hour")
			}
		}
		for i, l := range s.FocusDistribution.Labels {
			row(name+" distribution", period, "focus hours "+l, "person_weeks", strconv.Itoa(s.FocusDistribution.Counts[i]), "")
		}
		for i, l := range s.ResponseDistribution.Labels {
			row(name+" distribution", period, "first reply "+l+" h", "replies_working_hours", strconv.Itoa(s.ResponseDistribution.Counts[i]), "")
			row(name+" distribution", period, "first reply "+l+" h", "replies_wall_clock_hours", strconv.Itoa(s.ResponseDistribution.Wall[i]), "")
		}
	}
	summary("current", &r.Current)
	if r.Baseline != nil {
		summary("baseline", r.Baseline)
		for _, d := range r.Deltas {
			row("delta", r.Current.Window.String()+" vs "+r.Baseline.Window.String(), r.Team, d.Metric, fnum(d.Change), fmt.Sprintf("%s: %s → %s (%+.1f%%)", d.Label, fnum(d.Baseline), fnum(d.Current), d.ChangePct))
		}
	}
	for _, f := range r.Findings {
		row("finding", r.Current.Window.String(), r.Team, f.Key, fnum(f.Value), f.Level+": "+f.Text)
	}
	for _, c := range []struct {
		k string
		v float64
	}{{"chat_minutes", r.Costs.Chat.Minutes()}, {"email_minutes", r.Costs.Email.Minutes()}, {"read_minutes", r.Costs.Read.Minutes()},
		{"response_window_hours", r.Norms.ResponseWindowHours}, {"meeting_max_minutes", r.Norms.MeetingMaxMinutes}, {"min_group", float64(r.MinGroup)}} {
		row("assumption", r.Current.Window.String(), r.Team, c.k, fnum(c.v), "")
	}
	cw.Flush()
	return cw.Error()
}

// figureRows writes one row per field of f, or one suppressed row.
func figureRows(row func(...string), section, period, group string, f *audit.Figures) {
	if f.Suppressed {
		row(section, period, group, "people", strconv.Itoa(f.People), f.Note)
		return
	}
	v := reflect.ValueOf(f).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || name == "suppressed" || name == "note" {
			continue
		}
		var s string
		switch x := v.Field(i).Interface().(type) {
		case float64:
			s = fnum(x)
		case int:
			s = strconv.Itoa(x)
		default:
			continue
		}
		row(section, period, group, name, s, "")
	}
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
