package export

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/progress"
)

var bulletinHeader = []string{"序号", "单位", "指标数", "绿灯", "黄灯", "红灯", "灰灯(未报)", "序时达标率", "报送情况", "通知签收"}

var bulletinWidths = []float64{7, 22, 8, 8, 8, 8, 12, 12, 20, 26}

// BulletinTitle is the 通报's title line, e.g. 湖州市重点任务目标责任制
// 2022年5月 进展通报.
func BulletinTitle(issuer string, snap progress.Snapshot) string {
	return fmt.Sprintf("%s重点任务目标责任制 %s 进展通报", issuer, PeriodLabel(snap.Period))
}

// writeBulletin lays out the monthly 通报 as the office prints it: a merged
// title and date line, the ranked table, then the departments that did not
// report on time for the last period that is due, and a legend.
func writeBulletin(sw *excelize.StreamWriter, st styles, snap progress.Snapshot, ranked []rankedDept, set settings) error {
	if err := setWidths(sw, bulletinWidths); err != nil {
		return err
	}
	if err := freezeRows(sw, 3); err != nil {
		return err
	}
	last := lastColumn(len(bulletinHeader))
	at := snap.At.In(set.loc)
	lines := []struct {
		text   string
		style  int
		height float64
	}{
		{BulletinTitle(set.issuer, snap), st.title, 36},
		{fmt.Sprintf("（截至%d年%d月%d日，序时进度%.1f%%）", at.Year(), at.Month(), at.Day(), snap.Share*100), st.subtitle, 22},
	}
	for i, l := range lines {
		r := i + 1
		if err := setRow(sw, fmt.Sprintf("A%d", r), []any{excelize.Cell{StyleID: l.style, Value: l.text}}, excelize.RowOpts{Height: l.height}); err != nil {
			return err
		}
		if err := sw.MergeCell(fmt.Sprintf("A%d", r), fmt.Sprintf("%s%d", last, r)); err != nil {
			return err
		}
	}
	period, _ := set.discipline.LatestDue()
	header := append([]string(nil), bulletinHeader...)
	if period != "" {
		header[len(header)-2] = fmt.Sprintf("报送情况(%s)", PeriodLabel(period))
	}
	if err := headerRow(sw, st, 3, header); err != nil {
		return err
	}
	for i, d := range ranked {
		cells := overviewCells(st, snap, d, set)[:8]
		cells = append(cells, standingCell(st, set, d.ID, period), receiptCell(st, set, d.ID))
		if err := row(sw, i+4, cells...); err != nil {
			return err
		}
	}
	r := len(ranked) + 5
	if err := writeBulletinFooter(sw, st, r, last, period, set); err != nil {
		return err
	}
	if !yearEndBulletin(snap, set) || len(set.discipline.Periods) == 0 {
		return nil
	}
	return writeDisciplineRanking(sw, st, r+3, last, snap, set)
}

// writeBulletinFooter writes the list of departments that did not report on
// time (when the record is known) and the legend, each merged across.
func writeBulletinFooter(sw *excelize.StreamWriter, st styles, r int, last, period string, set settings) error {
	var notes []string
	if period != "" {
		notes = append(notes, defaultersLine(period, set))
	}
	notes = append(notes, "说明：累计类指标绿灯为达到或基本达到序时进度，黄灯为落后于序时进度，红灯为明显落后于序时进度；增速、比率、排名类指标达到目标为绿灯，未达目标为黄灯或红灯；灰灯为尚未报送；"+
		"序时达标率为全部指标（含未报送）中绿灯所占比例；按红灯、黄灯、灰灯数从多到少排列。")
	for i, n := range notes {
		cell := fmt.Sprintf("A%d", r+i)
		if err := setRow(sw, cell, []any{excelize.Cell{StyleID: st.note, Value: n}}, excelize.RowOpts{Height: 48}); err != nil {
			return err
		}
		if err := sw.MergeCell(cell, fmt.Sprintf("%s%d", last, r+i)); err != nil {
			return err
		}
	}
	return nil
}

// defaultersLine is the 通报's sentence naming the departments that did not
// report on time for period, e.g. 本期未按时报送单位：市民政局（已收到未报送）、
// 市文联（未读未报）、市科协（逾期报送）。A department that did not report is
// told apart by whether it acknowledged (✅ 收到) a notice of the period.
func defaultersLine(period string, set settings) string {
	var names []string
	for _, p := range set.discipline.Defaulters(period) {
		label := p.Standing.Standing.Label()
		if p.Standing.Standing == progress.Missed && set.receipts.Period == period {
			label = missedLabel(set, p.ID)
		}
		names = append(names, fmt.Sprintf("%s（%s）", p.Name, label))
	}
	list := "无"
	if len(names) > 0 {
		list = strings.Join(names, "、")
	}
	return "本期未按时报送单位：" + list + "。"
}

// lastColumn is the letter of the n-th column.
func lastColumn(n int) string {
	name, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return "A"
	}
	return name
}
