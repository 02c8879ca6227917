package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/seeds"
)

func TestGlyphsMatchUnifont(t *testing.T) {
	f, err := loadFace(1, "市A")
	if err != nil {
		t.Fatal(err)
	}
	// 5E02 市 in unifont.hex 15.0.01.
	want := [glyphHeight]uint16{0x0200, 0x0100, 0x0000, 0x7FFC, 0x0100, 0x0100, 0x0100, 0x3FF8,
		0x2108, 0x2108, 0x2108, 0x2108, 0x2128, 0x2110, 0x0100, 0x0100}
	if g := f.glyph('市'); g.width != 16 || g.rows != want {
		t.Errorf("市: width %d rows %04X", g.width, g.rows)
	}
	if g := f.glyph('A'); g.width != 8 || g.rows[5] == 0 {
		t.Errorf("A: width %d rows %04X", g.width, g.rows)
	}
	if g := f.glyph('한'); g != missing {
		t.Errorf("a rune outside the subset should be the box, got %+v", g)
	}
	if w := f.width("市A"); w != 24 {
		t.Errorf("width of 市A = %d, want 24", w)
	}
}

func TestEverySeededNameHasGlyphs(t *testing.T) {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range p.Departments {
		names = append(names, d.Name)
	}
	f, err := loadFace(1, names...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		for _, r := range n {
			if _, ok := f.glyphs[r]; !ok {
				t.Errorf("%s: no glyph for %q", n, r)
			}
		}
	}
}

func TestFontLicenseShipsWithTheFont(t *testing.T) {
	if l := FontLicense(); !strings.Contains(l, "SIL OPEN FONT LICENSE") || !strings.Contains(l, "GNU Unifont") {
		t.Errorf("licence text %.80q…", l)
	}
}

func decode(t *testing.T, b []byte) *image.Paletted {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := img.(*image.Paletted)
	if !ok {
		t.Fatalf("decoded %T, want a paletted image", img)
	}
	return p
}

func dept(name string, g, y, r, grey int) progress.DepartmentStatus {
	return progress.DepartmentStatus{Name: name, Counts: progress.Counts{Green: g, Yellow: y, Red: r, Grey: grey}}
}

// coloursAlong returns the palette indices met along row y, in order,
// without repeats.
func coloursAlong(img *image.Paletted, y, x0, x1 int) []uint8 {
	var out []uint8
	for x := x0; x < x1; x++ {
		c := img.ColorIndexAt(x, y)
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	return out
}

func TestOverviewPNG(t *testing.T) {
	snap := progress.Snapshot{Period: "2022-05", Share: 0.412, Departments: []progress.DepartmentStatus{
		dept("市科协", 8, 0, 0, 0),
		dept("市自然资源和规划局", 5, 4, 0, 0),
		dept("市红十字会", 2, 3, 4, 2),
		dept("市文联", 0, 0, 0, 0),
	}}
	b, err := OverviewPNG(snap)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	lineH := glyphHeight * scale
	top := margin + lineH + 16 + lineH + 20
	if got, want := img.Bounds(), image.Rect(0, 0, width, top+4*rowHeight+margin); got != want {
		t.Fatalf("bounds %v, want %v", got, want)
	}
	// Worst first: 红十字会 (red), 自然资源 (yellow), then 科协 and 文联, which
	// tie (no red, yellow or grey) and keep their order.
	tests := []struct {
		row  int
		want []uint8
	}{
		{0, []uint8{green, yellow, red, grey}},
		{1, []uint8{green, yellow}},
		{2, []uint8{green}},
		{3, []uint8{rule}},
	}
	barStart := width - margin - shareWidth - 1
	for x := barStart; img.ColorIndexAt(x, top+rowHeight/2) != bg; x-- {
		barStart = x
	}
	for _, tt := range tests {
		y := top + tt.row*rowHeight + rowHeight/2
		got := coloursAlong(img, y, barStart, width-margin-shareWidth)
		if !slices.Equal(got, tt.want) {
			t.Errorf("row %d: colours %v, want %v", tt.row, got, tt.want)
		}
		if ink := inkPixels(img, image.Rect(margin, y-lineH/2, barStart, y+lineH/2)); ink < 50 {
			t.Errorf("row %d: %d ink pixels in the name, want a drawn name", tt.row, ink)
		}
	}
}

func inkPixels(img *image.Paletted, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.ColorIndexAt(x, y) == ink {
				n++
			}
		}
	}
	return n
}

func TestOverviewPNGCapsDepartments(t *testing.T) {
	var depts []progress.DepartmentStatus
	for i := range MaxDepartments + 20 {
		depts = append(depts, dept(fmt.Sprintf("单位%04d", i+1), 3, i%3, 0, 0))
	}
	b, err := OverviewPNG(progress.Snapshot{Period: "2022-12", Share: 1, Departments: depts})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	lineH := glyphHeight * scale
	want := margin + lineH + 16 + lineH + 20 + MaxDepartments*rowHeight + margin + lineH + 8
	if img.Bounds().Dy() != want {
		t.Errorf("height %d, want %d (%d rows and a footnote)", img.Bounds().Dy(), want, MaxDepartments)
	}
}
