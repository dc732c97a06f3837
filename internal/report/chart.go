package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/akinai/akinai/internal/shop"
)

// Chart is an SVG bar chart laid out on the server: axes with round
// ticks, a label under (or beside) every bar, and the previous period as
// a line. The template draws it; no script is needed.
type Chart struct {
	Width, Height  int
	Left, Top      int // the plot area's corner
	PlotW, PlotH   int
	Bars           []Bar
	Ticks          []Tick
	Labels         []Tick // category labels along the other axis
	Previous       string // polyline points of the previous period ("" for none)
	Horizontal     bool
	Summary        string // for screen readers
	AxisX, AxisY   int    // where the axes end
	ValueAxisLabel string
}

// Bar is one bar, with its tooltip.
type Bar struct {
	X, Y, W, H int
	Title      string
}

// Tick is a position on an axis and its text.
type Tick struct {
	X, Y  int
	Label string
}

// niceStep returns a round step (1, 2 or 5 × 10ⁿ) that divides max into
// about n parts.
func niceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// yenShort writes an axis value in yen with separators.
func yenShort(v float64) string { return "¥" + shop.Yen(int64(v)).String() }

// PeriodChart lays out vertical bars for the buckets, with the previous
// period's buckets as a line.
func PeriodChart(buckets []Bucket, summary string) Chart {
	c := Chart{Width: 960, Height: 320, Left: 96, Top: 12, Summary: summary}
	c.PlotW, c.PlotH = c.Width-c.Left-12, c.Height-c.Top-48
	c.AxisX, c.AxisY = c.Left+c.PlotW, c.Top+c.PlotH
	var max float64
	for _, b := range buckets {
		max = math.Max(max, math.Max(float64(b.Figures.Amount), float64(b.Previous.Amount)))
	}
	step := niceStep(max, 4)
	top := math.Max(step, math.Ceil(max/step)*step)
	for v := 0.0; v <= top+step/2; v += step {
		c.Ticks = append(c.Ticks, Tick{X: c.Left - 6, Y: c.Top + c.PlotH - int(v/top*float64(c.PlotH)), Label: yenShort(v)})
	}
	n := len(buckets)
	if n == 0 {
		return c
	}
	slot := float64(c.PlotW) / float64(n)
	w := int(math.Max(1, slot*0.7))
	every := int(math.Ceil(float64(n) / 12)) // at most 12 labels
	var prev []string
	for i, b := range buckets {
		h := int(float64(b.Figures.Amount) / top * float64(c.PlotH))
		x := c.Left + int(slot*float64(i)+(slot-float64(w))/2)
		c.Bars = append(c.Bars, Bar{X: x, Y: c.Top + c.PlotH - h, W: w, H: h,
			Title: fmt.Sprintf("%s ¥%s (%d)", b.Label, b.Figures.Amount.String(), b.Figures.Orders)})
		if i%every == 0 {
			c.Labels = append(c.Labels, Tick{X: x + w/2, Y: c.Top + c.PlotH + 18, Label: b.Label})
		}
		py := c.Top + c.PlotH - int(float64(b.Previous.Amount)/top*float64(c.PlotH))
		prev = append(prev, fmt.Sprintf("%d,%d", x+w/2, py))
	}
	c.Previous = strings.Join(prev, " ")
	return c
}

// BreakdownChart lays out horizontal bars for the first rows.
func BreakdownChart(rows []Row, summary string) Chart {
	const show, rowH = 15, 26
	if len(rows) > show {
		rows = rows[:show]
	}
	c := Chart{Width: 960, Left: 260, Top: 8, Horizontal: true, Summary: summary}
	c.PlotW = c.Width - c.Left - 56
	c.PlotH = rowH * len(rows)
	c.Height = c.Top + c.PlotH + 36
	c.AxisX, c.AxisY = c.Left+c.PlotW, c.Top+c.PlotH
	var max float64
	for _, r := range rows {
		max = math.Max(max, float64(r.Figures.Amount))
	}
	step := niceStep(max, 4)
	top := math.Max(step, math.Ceil(max/step)*step)
	for v := 0.0; v <= top+step/2; v += step {
		c.Ticks = append(c.Ticks, Tick{X: c.Left + int(v/top*float64(c.PlotW)), Y: c.Top + c.PlotH + 18, Label: yenShort(v)})
	}
	for i, r := range rows {
		w := int(float64(r.Figures.Amount) / top * float64(c.PlotW))
		y := c.Top + i*rowH + 4
		c.Bars = append(c.Bars, Bar{X: c.Left, Y: y, W: w, H: rowH - 8, Title: fmt.Sprintf("%s ¥%s", r.Label, r.Figures.Amount.String())})
		label := r.Label
		if runes := []rune(label); len(runes) > 18 {
			label = string(runes[:17]) + "…"
		}
		c.Labels = append(c.Labels, Tick{X: c.Left - 8, Y: y + rowH/2, Label: label})
	}
	return c
}
