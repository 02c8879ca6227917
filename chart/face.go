package chart

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"image"
	"strconv"
)

// unifontHex is a subset of GNU Unifont (OFL-1.1): see fonts/README.md.
//
//go:embed fonts/unifont-cjk.hex.gz
var unifontHex []byte

//go:embed fonts/LICENSE.txt
var fontLicense string

// FontLicense returns the copyright notice and licence of the embedded
// font, which the SIL OFL asks every copy of the program to carry.
func FontLicense() string { return fontLicense }

// glyphHeight is the height of every Unifont glyph, in pixels.
const glyphHeight = 16

// glyph is one character's bitmap: 8 or 16 pixels wide, the leftmost pixel
// of a row in bit 15.
type glyph struct {
	width int
	rows  [glyphHeight]uint16
}

// face is the part of the bitmap font a chart needs. A rune the font lacks
// is drawn as a hollow box, so a missing glyph shows instead of vanishing.
type face struct {
	glyphs map[rune]glyph
	scale  int // each font pixel becomes scale×scale image pixels
}

// loadFace reads the embedded font and keeps the glyphs of the runes in
// texts; reading the whole font costs a few milliseconds, keeping all of
// it a few megabytes, so only what is drawn is kept.
func loadFace(scale int, texts ...string) (face, error) {
	want := map[rune]bool{}
	for _, t := range texts {
		for _, r := range t {
			want[r] = true
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(unifontHex))
	if err != nil {
		return face{}, fmt.Errorf("font: %w", err)
	}
	f := face{glyphs: make(map[rune]glyph, len(want)), scale: scale}
	sc := bufio.NewScanner(zr)
	for sc.Scan() && len(f.glyphs) < len(want) {
		line := sc.Bytes()
		colon := bytes.IndexByte(line, ':')
		code, err := strconv.ParseUint(string(line[:max(colon, 0)]), 16, 32)
		if err != nil || !want[rune(code)] {
			continue
		}
		g, err := parseGlyph(line[colon+1:])
		if err != nil {
			return face{}, fmt.Errorf("font: glyph %04X: %w", code, err)
		}
		f.glyphs[rune(code)] = g
	}
	if err := sc.Err(); err != nil {
		return face{}, fmt.Errorf("font: %w", err)
	}
	return f, nil
}

func parseGlyph(hex []byte) (glyph, error) {
	var g glyph
	switch len(hex) {
	case 32:
		g.width = 8
	case 64:
		g.width = 16
	default:
		return g, fmt.Errorf("%d hex digits, want 32 or 64", len(hex))
	}
	digits := len(hex) / glyphHeight
	for i := range glyphHeight {
		v, err := strconv.ParseUint(string(hex[i*digits:(i+1)*digits]), 16, 16)
		if err != nil {
			return g, err
		}
		g.rows[i] = uint16(v) << (16 - g.width)
	}
	return g, nil
}

// missing is drawn for a rune the font lacks.
var missing = glyph{width: 8, rows: [glyphHeight]uint16{
	0, 0, 0x7E00, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x4200, 0x7E00, 0, 0,
}}

func (f face) glyph(r rune) glyph {
	if g, ok := f.glyphs[r]; ok {
		return g
	}
	return missing
}

// height is the height of a line of text, in image pixels.
func (f face) height() int { return glyphHeight * f.scale }

// width is the width of s, in image pixels.
func (f face) width(s string) int {
	w := 0
	for _, r := range s {
		w += f.glyph(r).width
	}
	return w * f.scale
}

// draw writes s with its top-left corner at (x, y) in colour c and returns
// the x after it.
func (f face) draw(img *image.Paletted, x, y int, s string, c uint8) int {
	for _, r := range s {
		g := f.glyph(r)
		for row, bits := range g.rows {
			for col := range g.width {
				if bits&(0x8000>>col) != 0 {
					fill(img, image.Rect(x+col*f.scale, y+row*f.scale, x+(col+1)*f.scale, y+(row+1)*f.scale), c)
				}
			}
		}
		x += g.width * f.scale
	}
	return x
}

// fill paints r (clipped to img) in colour c.
func fill(img *image.Paletted, r image.Rectangle, c uint8) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = c
		}
	}
}
