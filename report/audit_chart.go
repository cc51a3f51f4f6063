package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The one look of rhythm's charts: colours, sizes and type. Charts use
// presentation attributes only (no style attributes), so pages with a
// strict Content-Security-Policy show them as they are.
const (
	colSync   = "#0072B2" // Palette[0]
	colAsync  = "#009E73" // Palette[2]
	colLate   = "#D55E00" // Palette[5]
	colHead   = "#999999"
	colGrid   = gridColour
	colAxis   = "#555555"
	colText   = inkColour
	colMuted  = "#777777"
	auditW    = 640.0
	fontSize  = 12
	fontStack = `system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`
)

// canvas builds one chart.
type canvas struct {
	b    strings.Builder
	w, h float64
}

func newCanvas(id, title, desc string, w, h float64) *canvas {
	s := &canvas{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" viewBox="0 0 %g %g" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="%s" font-size="%d" fill="%s">`,
		esc(id), w, h, esc(id), esc(id), fontStack, fontSize, colText)
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
	return s
}

func (s *canvas) rect(x, y, w, h float64, fill string, extra ...string) {
	if w <= 0 || h <= 0 {
		return
	}
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"%s/>`, x, y, w, h, fill, attrs(extra))
}

func (s *canvas) line(x1, y1, x2, y2 float64, stroke string, width float64, extra ...string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"%s/>`, x1, y1, x2, y2, stroke, width, attrs(extra))
}

// text writes a label; anchor is start, middle or end.
func (s *canvas) text(x, y float64, anchor, fill, t string, extra ...string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s"%s>%s</text>`, x, y, anchor, fill, attrs(extra), esc(t))
}

func (s *canvas) tip(t string) { fmt.Fprintf(&s.b, `<title>%s</title>`, esc(t)) }

func attrs(extra []string) string {
	if len(extra) == 0 {
		return ""
	}
	return " " + strings.Join(extra, " ")
}

func (s *canvas) html() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String()) // built from escaped text and numbers only
}

// legend draws coloured keys from x at y.
func (s *canvas) legend(x, y float64, keys ...[2]string) {
	for _, k := range keys {
		s.rect(x, y-9, 10, 10, k[0])
		s.text(x+14, y, "start", colAxis, k[1])
		x += 22 + 7*float64(len(k[1]))
	}
}

// niceMax returns a round axis maximum at or above v and a round tick
// step that divides it into at most five parts.
func niceMax(v float64) (float64, float64) {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1, 0.25
	}
	raw := v / 4
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * exp
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*exp >= raw {
			step = m * exp
			break
		}
	}
	return math.Ceil(v/step-1e-9) * step, step
}

// tick formats an axis value with as many decimals as the step needs.
func tick(v, step float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 10000:
		return trimNum(v/1000) + "k"
	}
	d := 0
	for d < 6 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-9 {
		d++
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// yAxis draws horizontal grid lines and labels for 0..max.
func (s *canvas) yAxis(left, right, top, bottom, max, step float64, unit string) {
	for i := 0; float64(i)*step <= max+step/2; i++ {
		v := float64(i) * step
		y := bottom - (bottom-top)*v/max
		s.line(left, y, right, y, colGrid, 1)
		s.text(left-6, y+4, "end", colAxis, tick(v, step)+unit)
	}
}

// empty draws a chart that has nothing to show, saying why.
func emptyChart(id, title, why string) template.HTML {
	s := newCanvas(id, title, why, auditW, 80)
	s.rect(0.5, 0.5, auditW-1, 79, "#f7f8fb", `stroke="`+colGrid+`"`)
	s.text(auditW/2, 45, "middle", colMuted, why)
	return s.html()
}

func trimNum(v float64) string {
	switch {
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	case v*10 == math.Trunc(v*10):
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// barSeries is one series of a bar chart.
type barSeries struct {
	name, color string
	values      []float64
}

// bars draws grouped vertical bars, one group per label; a group marked
// in hidden is drawn as a grey "suppressed" slot.
func barChart(id, title, desc, unit string, labels []string, hidden []bool, series ...barSeries) template.HTML {
	const h, left, right, top, bottom = 240.0, 44.0, 12.0, 30.0, 200.0
	s := newCanvas(id, title, desc, auditW, h)
	var max float64
	for _, sr := range series {
		for _, v := range sr.values {
			max = math.Max(max, v)
		}
	}
	top0, step := niceMax(max)
	s.yAxis(left, auditW-right, top, bottom, top0, step, unit)
	keys := make([][2]string, len(series))
	for k, sr := range series {
		keys[k] = [2]string{sr.color, sr.name}
	}
	s.legend(left, 14, keys...)
	n := float64(len(labels))
	slot := (auditW - left - right) / math.Max(n, 1)
	bw := math.Min(28, slot*0.8/float64(len(series)))
	every := int(math.Ceil(n / 16)) // at most 16 axis labels
	for i, l := range labels {
		x0 := left + slot*float64(i) + (slot-bw*float64(len(series)))/2
		if i < len(hidden) && hidden[i] {
			s.rect(left+slot*float64(i)+2, top, slot-4, bottom-top, "#f1f3f7")
			s.text(left+slot*(float64(i)+0.5), bottom-6, "middle", colMuted, "–", `class="suppressed"`)
		}
		for k, sr := range series {
			if i >= len(sr.values) || (i < len(hidden) && hidden[i]) {
				continue
			}
			v := sr.values[i]
			bh := (bottom - top) * v / top0
			fmt.Fprintf(&s.b, `<g class="bar">`)
			s.rect(x0+bw*float64(k), bottom-bh, bw-1, bh, sr.color)
			s.tip(fmt.Sprintf("%s, %s: %s%s", l, sr.name, trimNum(round2(v)), unit))
			s.b.WriteString(`</g>`)
		}
		if i%every == 0 {
			s.text(left+slot*(float64(i)+0.5), bottom+16, "middle", colAxis, l)
		}
	}
	s.line(left, bottom, auditW-right, bottom, colAxis, 1)
	return s.html()
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// lineSeries is one line of a line chart.
type lineSeries struct {
	name, color string
	values      []float64
	hidden      []bool
}

// lines draws line charts side by side, one panel per series, each with
// its own scale.
func lineChart(id, title, desc string, labels []string, series ...lineSeries) template.HTML {
	const h, top, bottom, gap = 220.0, 36.0, 180.0, 24.0
	s := newCanvas(id, title, desc, auditW, h)
	pw := (auditW - gap*float64(len(series)-1)) / float64(len(series))
	for k, sr := range series {
		x0 := float64(k) * (pw + gap)
		left, right := x0+40, x0+pw-8
		var hi float64
		for i, v := range sr.values {
			if i < len(sr.hidden) && sr.hidden[i] {
				continue
			}
			hi = math.Max(hi, v)
		}
		top0, step := niceMax(hi)
		s.text(x0+40, 16, "start", colText, sr.name, `font-weight="600"`)
		s.yAxis(left, right, top, bottom, top0, step, "")
		n := len(sr.values)
		xAt := func(i int) float64 {
			if n <= 1 {
				return (left + right) / 2
			}
			return left + (right-left)*float64(i)/float64(n-1)
		}
		var path strings.Builder
		pen := false
		for i, v := range sr.values {
			if i < len(sr.hidden) && sr.hidden[i] {
				pen = false
				continue
			}
			y := bottom - (bottom-top)*v/top0
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, xAt(i), y)
			pen = true
		}
		if path.Len() > 0 {
			fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, strings.TrimSpace(path.String()), sr.color)
		}
		for i, v := range sr.values {
			if i < len(sr.hidden) && sr.hidden[i] {
				continue
			}
			y := bottom - (bottom-top)*v/top0
			fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s">`, xAt(i), y, sr.color)
			s.tip(fmt.Sprintf("%s: %s", labels[i], trimNum(round2(v))))
			s.b.WriteString(`</circle>`)
		}
		// Few labels, the last one ending at the edge.
		every := max(1, int(math.Ceil(float64(n)/4)))
		for i := range n {
			switch {
			case i == n-1 && n > 1:
				s.text(xAt(i), bottom+16, "end", colAxis, labels[i])
			case i%every == 0 && (n-1-i) >= every/2+1:
				anchor := "middle"
				if i == 0 && n > 1 {
					anchor = "start"
				}
				s.text(xAt(i), bottom+16, anchor, colAxis, labels[i])
			}
		}
		s.line(left, bottom, right, bottom, colAxis, 1)
	}
	return s.html()
}

// heatRow is one row of a heat map.
type heatRow struct {
	label  string
	values [24]float64
}

// heat draws a heat map of rows by hour of day.
func heatMap(id, title, desc, unit, color string, rows []heatRow) template.HTML {
	const left, top, cellH = 150.0, 34.0, 24.0
	h := top + cellH*float64(len(rows)) + 40
	s := newCanvas(id, title, desc, auditW, h)
	cw := (auditW - left - 8) / 24
	var max float64
	for _, r := range rows {
		for _, v := range r.values {
			max = math.Max(max, v)
		}
	}
	for hr := 0; hr < 24; hr += 3 {
		s.text(left+cw*(float64(hr)+0.5), top-8, "middle", colAxis, fmt.Sprintf("%02d", hr))
	}
	s.text(left-8, top-8, "end", colAxis, "local hour")
	for k, r := range rows {
		y := top + cellH*float64(k)
		label := r.label
		if len(label) > 22 {
			label = label[:21] + "…"
		}
		s.text(left-8, y+cellH/2+4, "end", colText, label)
		for hr, v := range r.values {
			op := 0.0
			if max > 0 {
				op = v / max
			}
			fill := "#f4f6fa"
			extra := []string{`stroke="#ffffff"`}
			if v > 0 {
				fill = color
				extra = append(extra, fmt.Sprintf(`fill-opacity="%.2f"`, 0.12+0.88*op))
			}
			fmt.Fprintf(&s.b, `<g class="cell">`)
			s.rect(left+cw*float64(hr), y, cw, cellH, fill, extra...)
			s.tip(fmt.Sprintf("%s, %02d:00–%02d:00: %s%s per person", r.label, hr, (hr+1)%24, trimNum(round2(v)), unit))
			s.b.WriteString(`</g>`)
		}
	}
	ly := top + cellH*float64(len(rows)) + 24
	s.text(left, ly, "start", colAxis, "less")
	for i := range 5 {
		s.rect(left+34+float64(i)*18, ly-10, 16, 12, color, fmt.Sprintf(`fill-opacity="%.2f"`, 0.12+0.88*float64(i+1)/5))
	}
	s.text(left+34+5*18+4, ly, "start", colAxis, fmt.Sprintf("more (max %s%s per person)", trimNum(round2(max)), unit))
	return s.html()
}

// shareBar is one row of a paired share chart.
type shareBar struct {
	label      string
	head, load float64 // shares 0..1
	index      float64
}

// shares draws, per group, its headcount share beside its share of a load.
func shareChart(id, title, desc, loadName string, rows []shareBar) template.HTML {
	const left, top, rowH = 150.0, 34.0, 34.0
	h := top + rowH*float64(len(rows)) + 6
	s := newCanvas(id, title, desc, auditW, h)
	s.legend(left, 16, [2]string{colHead, "share of people"}, [2]string{colLate, loadName})
	right := auditW - 150
	scale := 0.0
	for _, r := range rows {
		scale = math.Max(scale, math.Max(r.head, r.load))
	}
	if scale == 0 {
		scale = 1
	}
	w := func(v float64) float64 { return (right - left) * v / scale }
	for k, r := range rows {
		y := top + rowH*float64(k)
		label := r.label
		if len(label) > 22 {
			label = label[:21] + "…"
		}
		s.text(left-8, y+17, "end", colText, label)
		s.rect(left, y+2, w(r.head), 12, colHead)
		s.text(left+w(r.head)+4, y+12, "start", colAxis, pct(r.head))
		s.rect(left, y+15, w(r.load), 12, colLate)
		s.text(left+w(r.load)+4, y+25, "start", colAxis, pct(r.load))
		fill := colAxis
		if r.index >= 1.3 {
			fill = colLate
		}
		s.text(auditW-4, y+19, "end", fill, "burden ×"+trimNum(r.index), `font-weight="600"`)
	}
	return s.html()
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }
