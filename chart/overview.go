// Package chart draws the pictures attached to /status and the digest: PNG
// charts with Chinese labels, rendered from an embedded bitmap font (a
// subset of GNU Unifont, OFL-1.1) so no system font is needed.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"unicode/utf8"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/progress"
)

// MaxDepartments is how many departments the overview draws, worst first;
// the rest are summed up in a footnote. Telegram shrinks a taller picture
// until nothing can be read.
const MaxDepartments = 40

// Palette indices of the chart's colours.
const (
	bg uint8 = iota
	ink
	muted
	green
	yellow
	red
	grey
	rule
)

var palette = color.Palette{
	bg:     color.RGBA{0xFF, 0xFF, 0xFF, 0xFF},
	ink:    color.RGBA{0x21, 0x21, 0x21, 0xFF},
	muted:  color.RGBA{0x75, 0x75, 0x75, 0xFF},
	green:  color.RGBA{0x43, 0xA0, 0x47, 0xFF},
	yellow: color.RGBA{0xFB, 0xC0, 0x2D, 0xFF},
	red:    color.RGBA{0xE5, 0x39, 0x35, 0xFF},
	grey:   color.RGBA{0xBD, 0xBD, 0xBD, 0xFF},
	rule:   color.RGBA{0xE0, 0xE0, 0xE0, 0xFF},
}

// lightColours are the bar segments, left to right: on pace first, so the
// green share reads from the axis like a progress bar.
var lightColours = []struct {
	light progress.Light
	c     uint8
}{{progress.Green, green}, {progress.Yellow, yellow}, {progress.Red, red}, {progress.Grey, grey}}

// Layout, in image pixels. Text is Unifont at twice its size: 32 pixels
// high, still legible once Telegram scales a 1000-pixel picture to a phone.
const (
	width      = 1000
	margin     = 24
	scale      = 2
	rowHeight  = 46
	barHeight  = 30
	nameChars  = 9 // longer names are cut with an ellipsis
	shareWidth = 110
)

// OverviewPNG draws every department's metrics as one stacked bar of
// lights, worst first as in /status: green, yellow, red and grey segments in
// proportion to their counts, with the share on pace (序时达标率) at the
// end. At most MaxDepartments are drawn.
func OverviewPNG(s progress.Snapshot) ([]byte, error) {
	depts := append([]progress.DepartmentStatus(nil), s.Departments...)
	progress.SortWorstFirst(depts, func(d progress.DepartmentStatus) progress.Counts { return d.Counts })
	hidden := max(0, len(depts)-MaxDepartments)
	depts = depts[:len(depts)-hidden]
	title := fmt.Sprintf("%s 各单位指标灯色（序时进度%.1f%%）", export.PeriodLabel(s.Period), s.Share*100)
	footnote := ""
	if hidden > 0 {
		footnote = fmt.Sprintf("另有%d个单位未列出，完整名单见导出表格。", hidden)
	}
	names := make([]string, len(depts))
	for i, d := range depts {
		names[i] = shorten(d.Name, nameChars)
	}
	texts := append([]string{title, footnote, legendNote, "0123456789%—"}, names...)
	for _, l := range lightColours {
		texts = append(texts, legendLabel(l.light))
	}
	f, err := loadFace(scale, texts...)
	if err != nil {
		return nil, fmt.Errorf("overview chart: %w", err)
	}
	c := canvas{face: f, names: names}
	img := c.draw(title, footnote, depts)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("overview chart: %w", err)
	}
	return buf.Bytes(), nil
}

// shorten cuts s to n runes, the last one an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

type canvas struct {
	face  face
	names []string
}

func (c canvas) draw(title, footnote string, depts []progress.DepartmentStatus) *image.Paletted {
	lineH := c.face.height()
	top := margin + lineH + 16 + lineH + 20 // title, legend
	height := top + len(depts)*rowHeight + margin
	if footnote != "" {
		height += lineH + 8
	}
	img := image.NewPaletted(image.Rect(0, 0, width, height), palette)
	c.face.draw(img, margin, margin, title, ink)
	c.drawLegend(img, margin+lineH+16)
	labelW := 0
	for _, n := range c.names {
		labelW = max(labelW, c.face.width(n))
	}
	bar := image.Rect(margin+labelW+16, 0, width-margin-shareWidth, 0)
	for _, q := range []int{1, 2, 3, 4} {
		x := bar.Min.X + bar.Dx()*q/4
		fill(img, image.Rect(x, top-6, x+1, top+len(depts)*rowHeight), rule)
	}
	for i, d := range depts {
		y := top + i*rowHeight
		c.face.draw(img, margin+labelW-c.face.width(c.names[i]), y+(rowHeight-lineH)/2, c.names[i], ink)
		drawBar(img, image.Rect(bar.Min.X, y+(rowHeight-barHeight)/2, bar.Max.X, y+(rowHeight+barHeight)/2), d.Counts)
		c.face.draw(img, bar.Max.X+12, y+(rowHeight-lineH)/2, shareText(d.Counts), muted)
	}
	if footnote != "" {
		c.face.draw(img, margin, top+len(depts)*rowHeight+8, footnote, muted)
	}
	return img
}

// legendNote explains the number at the end of each bar.
const legendNote = "右侧为序时达标率"

func legendLabel(l progress.Light) string {
	if l == progress.Grey {
		return export.LightLabel(l) + "(未报)"
	}
	return export.LightLabel(l)
}

// drawLegend writes a swatch and name per light, then legendNote.
func (c canvas) drawLegend(img *image.Paletted, y int) {
	x := margin
	sw := c.face.height() / 2
	for _, l := range lightColours {
		fill(img, image.Rect(x, y+sw/2, x+sw, y+sw/2+sw), l.c)
		x = c.face.draw(img, x+sw+6, y, legendLabel(l.light), ink) + 20
	}
	c.face.draw(img, x, y, legendNote, muted)
}

// drawBar fills r with one segment per light, widths in proportion to the
// counts; the last segment absorbs rounding so the bar is always full.
func drawBar(img *image.Paletted, r image.Rectangle, c progress.Counts) {
	total := c.Total()
	if total == 0 {
		fill(img, r, rule)
		return
	}
	counts := map[progress.Light]int{progress.Green: c.Green, progress.Yellow: c.Yellow, progress.Red: c.Red, progress.Grey: c.Grey}
	done := 0
	for _, l := range lightColours {
		n := counts[l.light]
		x0 := r.Min.X + r.Dx()*done/total
		done += n
		x1 := r.Min.X + r.Dx()*done/total
		fill(img, image.Rect(x0, r.Min.Y, x1, r.Max.Y), l.c)
	}
}

// shareText is 序时达标率 with one decimal, as /status shows it (0% when
// nothing was reported: unreported metrics are not on pace).
func shareText(c progress.Counts) string {
	return fmt.Sprintf("%.1f%%", c.OnPaceShare()*100)
}
