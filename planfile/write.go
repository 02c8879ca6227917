package planfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/seeds"
)

// utf8BOM makes Excel read a CSV as UTF-8 instead of the system code page.
const utf8BOM = "\ufeff"

// headerRow is the plan sheet's header, in column order.
func headerRow() []string {
	out := make([]string, nFields)
	for f := range nFields {
		out[f] = field(f).title()
	}
	return out
}

// planRow is one row of the import layout: text cells neutralised against
// formulas, the target as a number.
type planRow struct {
	text   [nFields]string // every cell but the target
	target float64
}

// eachRow calls fn with the rows of p in the import layout: a task row
// carries the task and its first metric, each further metric gets a row
// repeating 部门 and 序号 (so a sheet filtered or sorted by department
// keeps its rows) with 任务 and 目标 empty.
func eachRow(p seeds.Plan, fn func(planRow) error) error {
	for _, d := range p.Departments {
		for _, t := range d.Tasks {
			for i, m := range t.Metrics {
				var r planRow
				r.text[fDept], r.text[fSeq] = neutralise(d.Name), strconv.Itoa(t.Seq)
				if i == 0 {
					r.text[fTitle], r.text[fText] = neutralise(t.Title), neutralise(t.Text)
				}
				r.text[fMetric], r.text[fUnit] = neutralise(m.Name), neutralise(m.Unit)
				r.text[fKind], r.text[fDirection] = kindLabels[m.Kind], directionLabels[m.Direction]
				r.target = m.Target
				if err := fn(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// WriteCSV writes p in the import layout as UTF-8 CSV with a byte-order
// mark (Excel then reads the Chinese correctly).
func WriteCSV(w io.Writer, p seeds.Plan) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("write plan csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(headerRow()); err != nil {
		return fmt.Errorf("write plan csv: %w", err)
	}
	err := eachRow(p, func(r planRow) error {
		rec := r.text[:]
		rec[fTarget] = strconv.FormatFloat(r.target, 'f', -1, 64)
		return cw.Write(rec)
	})
	if err != nil {
		return fmt.Errorf("write plan csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write plan csv: %w", err)
	}
	return nil
}

// WriteXLSX writes p in the import layout: sheet 计划 with the plan and
// sheet 说明 explaining each column. Text cells are typed strings and
// numbers are numbers; nothing is a formula.
func WriteXLSX(w io.Writer, p seeds.Plan) error {
	return writeWorkbook(w, func(add func(cells []any) error) error {
		return eachRow(p, func(r planRow) error { return add(xlsxCells(r)) })
	})
}

// WriteTemplate writes an empty plan workbook with one example row (its
// title starts with （示例）, which import refuses, so a forgotten example
// is not imported) and the 说明 sheet.
func WriteTemplate(w io.Writer) error {
	example := planRow{target: 5}
	example.text = [nFields]string{
		fDept: "市科协", fSeq: "1", fTitle: examplePre + "南太湖智汇科创行动",
		fText:   "新建市级院士专家工作站5家以上，新建市级博士创新站25家。",
		fMetric: "新建市级院士专家工作站", fKind: kindLabels["cumulative"],
		fDirection: directionLabels["at_least"], fUnit: "家",
	}
	return writeWorkbook(w, func(add func(cells []any) error) error { return add(xlsxCells(example)) })
}

func xlsxCells(r planRow) []any {
	cells := make([]any, nFields)
	for f := range nFields {
		cells[f] = r.text[f]
	}
	cells[fSeq], _ = strconv.Atoi(r.text[fSeq])
	cells[fTarget] = r.target
	return cells
}

// columnWidths are the plan sheet's widths in characters (CJK count two).
var columnWidths = [nFields]float64{
	fDept: 16, fSeq: 6, fTitle: 28, fText: 60, fMetric: 28, fKind: 8, fDirection: 8, fTarget: 10, fUnit: 10,
}

func writeWorkbook(w io.Writer, rows func(add func(cells []any) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetPlan); err != nil {
		return fmt.Errorf("write plan xlsx: %w", err)
	}
	if _, err := f.NewSheet(sheetHelp); err != nil {
		return fmt.Errorf("write plan xlsx: %w", err)
	}
	if err := writePlanSheet(f, rows); err != nil {
		return fmt.Errorf("write plan xlsx: %w", err)
	}
	if err := writeHelpSheet(f); err != nil {
		return fmt.Errorf("write plan xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write plan xlsx: %w", err)
	}
	return nil
}

func writePlanSheet(f *excelize.File, rows func(add func(cells []any) error) error) error {
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetPlan)
	if err != nil {
		return err
	}
	for i, wd := range columnWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	titles := make([]any, nFields)
	for i, t := range headerRow() {
		titles[i] = excelize.Cell{StyleID: header, Value: t}
	}
	if err := sw.SetRow("A1", titles); err != nil {
		return err
	}
	n := 1
	err = rows(func(cells []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

func writeHelpSheet(f *excelize.File) error {
	for i, w := range []float64{10, 6, 80, 30} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheetHelp, col, col, w); err != nil {
			return err
		}
	}
	for r, row := range helpRows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = v
		}
		if err := f.SetSheetRow(sheetHelp, cell, &cells); err != nil {
			return err
		}
	}
	return nil
}
