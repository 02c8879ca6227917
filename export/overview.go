package export

import (
	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/progress"
)

// rankedDept is a department with its place in the worst-first order.
type rankedDept struct {
	Rank int
	progress.DepartmentStatus
}

// rankDepartments orders departments worst first (progress.SortWorstFirst)
// and numbers them; departments with the same red, yellow and grey counts
// share a place (1, 2, 2, 4), as ranked lists in a 通报 do.
func rankDepartments(depts []progress.DepartmentStatus) []rankedDept {
	sorted := make([]progress.DepartmentStatus, len(depts))
	copy(sorted, depts)
	progress.SortWorstFirst(sorted, func(d progress.DepartmentStatus) progress.Counts { return d.Counts })
	out := make([]rankedDept, len(sorted))
	for i, d := range sorted {
		rank := i + 1
		if i > 0 && sameRank(d.Counts, sorted[i-1].Counts) {
			rank = out[i-1].Rank
		}
		out[i] = rankedDept{Rank: rank, DepartmentStatus: d}
	}
	return out
}

func sameRank(a, b progress.Counts) bool {
	return a.Red == b.Red && a.Yellow == b.Yellow && a.Grey == b.Grey
}

var overviewHeader = []string{
	"序号", "单位", "指标数", "🟢 绿灯", "🟡 黄灯", "🔴 红灯", "⚪ 灰灯(未报)", "序时达标率", "本期已报", "本期报送",
}

var overviewWidths = []float64{7, 20, 8, 9, 9, 9, 13, 12, 10, 12}

func writeOverview(sw *excelize.StreamWriter, st styles, snap progress.Snapshot, ranked []rankedDept, set settings) error {
	if err := setWidths(sw, overviewWidths); err != nil {
		return err
	}
	if err := freezeRows(sw, 1); err != nil {
		return err
	}
	if err := headerRow(sw, st, 1, overviewHeader); err != nil {
		return err
	}
	for i, d := range ranked {
		if err := row(sw, i+2, overviewCells(st, snap, d, set)...); err != nil {
			return err
		}
	}
	return nil
}

func overviewCells(st styles, snap progress.Snapshot, d rankedDept, set settings) []any {
	return []any{
		excelize.Cell{StyleID: st.integer, Value: d.Rank},
		excelize.Cell{StyleID: st.text, Value: d.Name},
		excelize.Cell{StyleID: st.integer, Value: d.Metrics()},
		st.lightCount(progress.Green, d.Counts.Green),
		st.lightCount(progress.Yellow, d.Counts.Yellow),
		st.lightCount(progress.Red, d.Counts.Red),
		st.lightCount(progress.Grey, d.Counts.Grey),
		onPaceCell(st, d.Counts),
		excelize.Cell{StyleID: st.integer, Value: d.ReportedThisPeriod},
		standingCell(st, set, d.ID, snap.Period),
	}
}

// onPaceCell is the share of reported metrics on pace, blank when nothing
// was reported (0 % would read as "all behind").
func onPaceCell(st styles, c progress.Counts) excelize.Cell {
	if c.Green+c.Yellow+c.Red == 0 {
		return excelize.Cell{StyleID: st.percent}
	}
	return excelize.Cell{StyleID: st.percent, Value: c.OnPaceShare()}
}

// standingCell is the department's reporting standing for period, coloured
// like a light: missed red, late yellow. Blank without a discipline record.
func standingCell(st styles, set settings, deptID uint, period string) excelize.Cell {
	if p, ok := set.byDept[deptID].In(period); ok {
		switch p.Standing {
		case progress.Missed:
			return excelize.Cell{StyleID: st.light[progress.Red], Value: p.Standing.Label()}
		case progress.Late:
			return excelize.Cell{StyleID: st.light[progress.Yellow], Value: p.Standing.Label()}
		}
		return excelize.Cell{StyleID: st.text, Value: p.Standing.Label()}
	}
	return excelize.Cell{StyleID: st.text}
}
