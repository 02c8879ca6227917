package export

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/progress"
)

// lightFills are the fills of the light cells: Excel's own good, neutral
// and bad pastels, so black text stays legible when printed.
var lightFills = map[progress.Light]string{
	progress.Green:  "C6EFCE",
	progress.Yellow: "FFEB9C",
	progress.Red:    "FFC7CE",
	progress.Grey:   "D9D9D9",
}

// styles are the workbook's style IDs, registered once per file.
type styles struct {
	header, title, subtitle, note int
	text, wrap, integer, number   int
	percent, date                 int
	light                         map[progress.Light]int // centred label on the light's fill
	count                         map[progress.Light]int // integer on the light's fill
}

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Vertical: "center"}
	oneDecimalPercent, date := "0.0%", "yyyy-mm-dd hh:mm"
	var errs []string
	add := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			errs = append(errs, err.Error())
		}
		return id
	}
	st := styles{
		header: add(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}),
		title:    add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: center}),
		subtitle: add(&excelize.Style{Alignment: center}),
		note:     add(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}),
		text:     add(&excelize.Style{Alignment: left, Border: border}),
		wrap:     add(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border}),
		integer:  add(&excelize.Style{NumFmt: 1, Alignment: center, Border: border}),
		number:   add(&excelize.Style{Border: border}), // General: values are rounded when written
		percent:  add(&excelize.Style{CustomNumFmt: &oneDecimalPercent, Border: border}),
		date:     add(&excelize.Style{CustomNumFmt: &date, Border: border}),
		light:    map[progress.Light]int{},
		count:    map[progress.Light]int{},
	}
	for l, color := range lightFills {
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
		st.light[l] = add(&excelize.Style{Fill: fill, Alignment: center, Border: border})
		st.count[l] = add(&excelize.Style{Fill: fill, NumFmt: 1, Alignment: center, Border: border})
	}
	if len(errs) > 0 {
		return st, fmt.Errorf("styles: %s", strings.Join(errs, "; "))
	}
	return st, nil
}

// lightCount is a light's count, on the light's fill when non-zero.
func (st styles) lightCount(l progress.Light, n int) excelize.Cell {
	if n == 0 {
		return excelize.Cell{StyleID: st.integer, Value: 0}
	}
	return excelize.Cell{StyleID: st.count[l], Value: n}
}
