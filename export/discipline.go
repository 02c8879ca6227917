package export

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/progress"
)

// SheetDiscipline is the reporting record's sheet: per department, how each
// period of the year so far was reported.
const SheetDiscipline = "报送纪律"

var disciplineHead = []string{"名次", "单位", "按时", "迟报", "未报"}

// standingShort names a standing in a period's cell and in the drill-down.
func standingShort(s progress.Standing) string {
	switch s {
	case progress.OnTime:
		return "按时"
	case progress.Late:
		return "迟报"
	case progress.Missed:
		return "未报"
	}
	return "未到期"
}

// periodShort is a period's column title: 1月, 第2季度, 第23周.
func periodShort(key string) string {
	label := PeriodLabel(key)
	if _, rest, ok := strings.Cut(label, "年"); ok {
		return rest
	}
	return label
}

// writeDiscipline writes the ranked record: place, department, the counts
// of periods on time, late and missed, then each period's standing coloured
// like a light (missed red, late yellow).
func writeDiscipline(sw *excelize.StreamWriter, st styles, set settings) error {
	d := set.discipline
	widths := []float64{7, 22, 7, 7, 7}
	header := append([]string(nil), disciplineHead...)
	for _, p := range d.Periods {
		header = append(header, periodShort(p.Key))
		widths = append(widths, 9)
	}
	if err := setWidths(sw, widths); err != nil {
		return err
	}
	if err := freezeRows(sw, 1); err != nil {
		return err
	}
	if err := headerRow(sw, st, 1, header); err != nil {
		return err
	}
	for i, rd := range progress.RankDiscipline(d) {
		cells := []any{
			excelize.Cell{StyleID: st.integer, Value: rd.Place}, excelize.Cell{StyleID: st.text, Value: rd.Name},
			excelize.Cell{StyleID: st.integer, Value: rd.OnTime}, excelize.Cell{StyleID: st.integer, Value: rd.Late},
			excelize.Cell{StyleID: st.integer, Value: rd.Missed},
		}
		for _, p := range rd.Periods {
			cells = append(cells, standingStyled(st, p.Standing))
		}
		if err := row(sw, i+2, cells...); err != nil {
			return err
		}
	}
	return nil
}

func standingStyled(st styles, s progress.Standing) excelize.Cell {
	style := st.light[progress.Green]
	switch s {
	case progress.Missed:
		style = st.light[progress.Red]
	case progress.Late:
		style = st.light[progress.Yellow]
	case progress.Pending:
		style = st.light[progress.Grey]
	}
	return excelize.Cell{StyleID: style, Value: standingShort(s)}
}

// yearEndBulletin reports whether the 通报 closes the year (December, or
// after the year's end): it then ranks the departments' reporting record.
func yearEndBulletin(snap progress.Snapshot, set settings) bool {
	return snap.Share >= 1 || snap.At.In(set.loc).Month() == 12
}

// writeDisciplineRanking writes the 通报's 全年报送纪律排名 from row r: a
// title merged across, then one row per department, best first.
func writeDisciplineRanking(sw *excelize.StreamWriter, st styles, r int, last string, snap progress.Snapshot, set settings) error {
	title := fmt.Sprintf("%d年报送纪律排名（按未报、迟报次数从少到多，按时次数从多到少）", snap.Year)
	if err := setRow(sw, fmt.Sprintf("A%d", r), []any{excelize.Cell{StyleID: st.subtitle, Value: title}}, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	if err := sw.MergeCell(fmt.Sprintf("A%d", r), fmt.Sprintf("%s%d", last, r)); err != nil {
		return err
	}
	if err := headerRow(sw, st, r+1, disciplineHead); err != nil {
		return err
	}
	for i, rd := range progress.RankDiscipline(set.discipline) {
		if err := row(sw, r+2+i,
			excelize.Cell{StyleID: st.integer, Value: rd.Place}, excelize.Cell{StyleID: st.text, Value: rd.Name},
			excelize.Cell{StyleID: st.integer, Value: rd.OnTime}, excelize.Cell{StyleID: st.integer, Value: rd.Late},
			excelize.Cell{StyleID: st.integer, Value: rd.Missed}); err != nil {
			return err
		}
	}
	return nil
}
