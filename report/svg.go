// Package report renders rhythm's reports for people: HTML fragments and
// standalone pages with inline SVG charts, and plain text for terminals.
// Charts use presentation attributes only (no inline styles), so pages
// work under a strict Content-Security-Policy.
package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"sync/atomic"
	"time"
)

// Palette holds the series colours (Okabe–Ito, safe for colour-blind readers).
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"}

const (
	chartW, chartH = 560.0, 320.0
	padL, padR     = 64.0, 16.0
	padT, padB     = 28.0, 48.0
	inkColour      = "#222"
	gridColour     = "#ddd"
)

var chartSeq atomic.Int64

func chartID() string { return fmt.Sprintf("chart%d", chartSeq.Add(1)) }

// XY is one point of a scatter plot.
type XY struct {
	X, Y  float64
	Label string // shown on hover
}

// scale maps [lo, hi] onto [a, b].
type scale struct{ lo, hi, a, b float64 }

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return (s.a + s.b) / 2
	}
	return s.a + (v-s.lo)/(s.hi-s.lo)*(s.b-s.a)
}

// niceRange widens [lo, hi] to round tick values and returns the ticks.
func niceRange(lo, hi float64) (float64, float64, []float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	span := hi - lo
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if span/(step*m) <= 6 {
			step *= m
			break
		}
	}
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	var ticks []float64
	for v := lo; v <= hi+step/1e6; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	return lo, hi, ticks
}

func fmtTick(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	s := fmt.Sprintf("%.3g", v)
	if s == "-0" {
		return "0"
	}
	return s
}

type svg struct{ b strings.Builder }

func (s *svg) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

func esc(s string) string { return html.EscapeString(s) }

func (s *svg) open(id, title, desc string) {
	s.f(`<svg class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, id, id)
	s.f(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	s.f(`<rect x="0" y="0" width="%.0f" height="%.0f" fill="#fff"/>`, chartW, chartH)
}

// axes draws the grid, the tick labels and the axis titles.
func (s *svg) axes(xs, ys scale, xt, yt []float64, xLabel, yLabel string, xFmt func(float64) string) {
	for _, v := range yt {
		y := ys.at(v)
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, padL, y, chartW-padR, y, gridColour)
		s.f(`<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="%s">%s</text>`, padL-6, y+4, inkColour, esc(fmtTick(v)))
	}
	for _, v := range xt {
		x := xs.at(v)
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, x, padT, x, chartH-padB, gridColour)
		s.f(`<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="%s">%s</text>`, x, chartH-padB+16, inkColour, esc(xFmt(v)))
	}
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, padL, chartH-padB, chartW-padR, chartH-padB, inkColour)
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, padL, padT, padL, chartH-padB, inkColour)
	s.f(`<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="%s">%s</text>`, (padL+chartW-padR)/2, chartH-10, inkColour, esc(xLabel))
	s.f(`<text x="14" y="%.1f" font-size="12" text-anchor="middle" fill="%s" transform="rotate(-90 14 %.1f)">%s</text>`, (padT+chartH-padB)/2, inkColour, (padT+chartH-padB)/2, esc(yLabel))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Scatter draws a scatter plot. It draws no fitted line on purpose: a rank
// correlation makes no claim about a straight line.
func Scatter(title, xLabel, yLabel string, pts []XY) template.HTML {
	id := chartID()
	var s svg
	s.open(id, title, fmt.Sprintf("Scatter plot of %d points: %s against %s.", len(pts), yLabel, xLabel))
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		if finite(p.X) && finite(p.Y) {
			xlo, xhi = math.Min(xlo, p.X), math.Max(xhi, p.X)
			ylo, yhi = math.Min(ylo, p.Y), math.Max(yhi, p.Y)
		}
	}
	xlo, xhi, xt := niceRange(xlo, xhi)
	ylo, yhi, yt := niceRange(ylo, yhi)
	xs := scale{xlo, xhi, padL, chartW - padR}
	ys := scale{ylo, yhi, chartH - padB, padT}
	s.axes(xs, ys, xt, yt, xLabel, yLabel, fmtTick)
	for _, p := range pts {
		if !finite(p.X) || !finite(p.Y) {
			continue
		}
		s.f(`<circle cx="%.1f" cy="%.1f" r="4.5" fill="%s" fill-opacity="0.75" stroke="#fff" stroke-width="1"><title>%s</title></circle>`,
			xs.at(p.X), ys.at(p.Y), Palette[0], esc(fmt.Sprintf("%s: %s = %s, %s = %s", p.Label, xLabel, fmtTick(p.X), yLabel, fmtTick(p.Y))))
	}
	s.f(`</svg>`)
	return template.HTML(s.b.String())
}

// Line is one series of a time chart.
type Line struct {
	Name   string
	Points []TimeValue
}

// TimeValue is a value at a point in time.
type TimeValue struct {
	T     time.Time
	Value float64
}

// Band shades a span of time, such as an experiment window.
type Band struct {
	Label    string
	From, To time.Time
	Fill     string
}

// Lines draws series over time with shaded bands and a legend.
func Lines(title, yLabel string, lines []Line, bands []Band) template.HTML {
	id := chartID()
	var s svg
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.Name
	}
	s.open(id, title, fmt.Sprintf("Line chart of %s over time for %s.", yLabel, strings.Join(names, ", ")))
	tlo, thi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, b := range bands {
		tlo, thi = math.Min(tlo, unixDays(b.From)), math.Max(thi, unixDays(b.To))
	}
	for _, l := range lines {
		for _, p := range l.Points {
			if finite(p.Value) {
				tlo, thi = math.Min(tlo, unixDays(p.T)), math.Max(thi, unixDays(p.T))
				ylo, yhi = math.Min(ylo, p.Value), math.Max(yhi, p.Value)
			}
		}
	}
	if math.IsInf(tlo, 0) {
		tlo, thi = 0, 1
	}
	ylo, yhi, yt := niceRange(ylo, yhi)
	xs := scale{tlo, thi, padL, chartW - padR}
	ys := scale{ylo, yhi, chartH - padB, padT}
	for _, b := range bands {
		x0, x1 := xs.at(unixDays(b.From)), xs.at(unixDays(b.To))
		fill := b.Fill
		if fill == "" {
			fill = "#f0f0f0"
		}
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x0, padT, math.Max(1, x1-x0), chartH-padB-padT, fill)
		s.f(`<text x="%.1f" y="%.1f" font-size="11" fill="%s">%s</text>`, x0+4, padT-8, inkColour, esc(b.Label))
	}
	var xt []float64
	for i := range 5 {
		xt = append(xt, tlo+(thi-tlo)*float64(i)/4)
	}
	s.axes(xs, ys, xt, yt, "", yLabel, func(v float64) string {
		return time.Unix(int64(v*86400), 0).UTC().Format("Jan 2")
	})
	for i, l := range lines {
		c := Palette[i%len(Palette)]
		var pts []string
		for _, p := range l.Points {
			if finite(p.Value) {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", xs.at(unixDays(p.T)), ys.at(p.Value)))
			}
		}
		if len(pts) > 1 {
			s.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), c)
		}
		for _, p := range l.Points {
			if finite(p.Value) {
				s.f(`<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s</title></circle>`, xs.at(unixDays(p.T)), ys.at(p.Value), c,
					esc(fmt.Sprintf("%s, %s: %s", l.Name, p.T.Format("2006-01-02"), fmtTick(p.Value))))
			}
		}
		// Legend, top right, one row per series.
		ly := padT + 14 + 16*float64(i)
		s.f(`<rect x="%.1f" y="%.1f" width="12" height="4" fill="%s"/>`, chartW-padR-170, ly-4, c)
		s.f(`<text x="%.1f" y="%.1f" font-size="11" fill="%s">%s</text>`, chartW-padR-152, ly, inkColour, esc(l.Name))
	}
	s.f(`</svg>`)
	return template.HTML(s.b.String())
}

func unixDays(t time.Time) float64 { return float64(t.Unix()) / 86400 }

// Estimate is one row of a forest plot: an effect with its interval.
type Estimate struct {
	Label     string
	Value     float64
	Lo, Hi    float64
	Highlight bool // drawn darker: the interval excludes zero
}

// Forest draws estimates with their intervals around a zero line, each
// row labelled above its bar.
func Forest(title, xLabel string, rows []Estimate) template.HTML {
	id := chartID()
	var s svg
	const rowH = 40.0
	h := padT + padB + rowH*float64(max(len(rows), 1))
	s.f(`<svg class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, h, id, id)
	s.f(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(fmt.Sprintf("Effects with 95%% intervals for %d comparisons; the vertical line is no effect.", len(rows))))
	s.f(`<rect x="0" y="0" width="%.0f" height="%.0f" fill="#fff"/>`, chartW, h)
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		for _, v := range []float64{r.Value, r.Lo, r.Hi} {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi-lo < 1e-9*math.Max(1, math.Max(math.Abs(lo), math.Abs(hi))) {
		lo, hi = -1, 1 // nothing but zero: show a unit scale, not rounding noise
	}
	lo, hi, ticks := niceRange(lo, hi)
	const left = 16.0
	xs := scale{lo, hi, left, chartW - padR}
	bottom := h - padB
	for _, v := range ticks {
		x := xs.at(v)
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, x, padT, x, bottom, gridColour)
		s.f(`<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="%s">%s</text>`, x, bottom+16, inkColour, esc(fmtTick(v)))
	}
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5"/>`, xs.at(0), padT, xs.at(0), bottom, inkColour)
	s.f(`<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="%s">%s</text>`, (left+chartW-padR)/2, h-10, inkColour, esc(xLabel))
	for i, r := range rows {
		y := padT + 26 + rowH*float64(i)
		s.f(`<text x="%.1f" y="%.1f" font-size="12" fill="%s">%s</text>`, left, y-10, inkColour, esc(r.Label))
		if !finite(r.Value) {
			s.f(`<text x="%.1f" y="%.1f" font-size="11" fill="#666">no estimate</text>`, xs.at(0)+6, y+4)
			continue
		}
		c := Palette[4]
		if r.Highlight {
			c = Palette[0]
		}
		if finite(r.Lo) && finite(r.Hi) {
			s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`, xs.at(r.Lo), y, xs.at(r.Hi), y, c)
		}
		s.f(`<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"><title>%s</title></rect>`, xs.at(r.Value)-5, y-5, c,
			esc(fmt.Sprintf("%s: %s [%s, %s]", r.Label, fmtTick(r.Value), fmtTick(r.Lo), fmtTick(r.Hi))))
	}
	s.f(`</svg>`)
	return template.HTML(s.b.String())
}

// Bars draws a small bar chart of counts, one bar per label.
func Bars(title string, labels []string, counts []int) template.HTML {
	id := chartID()
	const w, h, top, bottom, left = 360.0, 120.0, 12.0, 22.0, 8.0
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	var s svg
	s.f(`<svg class="chart bars" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, w, h, id, id)
	parts := make([]string, len(labels))
	for i, l := range labels {
		c := 0
		if i < len(counts) {
			c = counts[i]
		}
		parts[i] = fmt.Sprintf("%s: %d", l, c)
	}
	s.f(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc("Answers: "+strings.Join(parts, ", ")))
	bw := (w - 2*left) / float64(max(len(labels), 1))
	for i, l := range labels {
		c := 0
		if i < len(counts) {
			c = counts[i]
		}
		bh := (h - top - bottom) * float64(c) / float64(most)
		x := left + bw*float64(i)
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x+2, h-bottom-bh, bw-4, bh, Palette[0])
		if c > 0 {
			s.f(`<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%d</text>`, x+bw/2, h-bottom-bh-2, inkColour, c)
		}
		s.f(`<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%s</text>`, x+bw/2, h-8, inkColour, esc(l))
	}
	s.f(`</svg>`)
	return template.HTML(s.b.String())
}
