package export_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/progress"
)

// The 报送纪律 sheet ranks the departments' record over the year so far,
// with each period's standing; its counts agree with the record.
func TestWorkbookDisciplineSheet(t *testing.T) {
	snap, d := generatedYear(t)
	f := openWorkbook(t, snap, export.WithDiscipline(d), export.WithLocation(shanghai))
	const sheet = "报送纪律"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"名次", "单位", "按时", "迟报", "未报", "1月", "2月", "3月", "4月", "5月"}
	if fmt.Sprint(rows[0]) != fmt.Sprint(want) {
		t.Fatalf("header %v, want %v", rows[0], want)
	}
	if len(rows) != len(snap.Departments)+1 {
		t.Fatalf("%d rows, want a header and %d departments", len(rows), len(snap.Departments))
	}
	prevMissed := -1
	for _, r := range rows[1:] {
		var dd progress.DepartmentDiscipline
		for _, x := range d.Departments {
			if x.Name == r[1] {
				dd = x
			}
		}
		c := dd.Counts()
		if r[2] != strconv.Itoa(c.OnTime) || r[3] != strconv.Itoa(c.Late) || r[4] != strconv.Itoa(c.Missed) {
			t.Errorf("%s: row %v, record %+v", r[1], r, c)
		}
		if c.Missed < prevMissed {
			t.Errorf("%s with %d missed ranked after one with %d", r[1], c.Missed, prevMissed)
		}
		prevMissed = c.Missed
		if p, _ := dd.In("2022-05"); r[9] != map[progress.Standing]string{progress.OnTime: "按时", progress.Late: "迟报", progress.Missed: "未报", progress.Pending: "未到期"}[p.Standing] {
			t.Errorf("%s May = %q, record %v", r[1], r[9], p.Standing)
		}
	}
}

// Only the December (year-end) 通报 ranks the year's reporting record.
func TestYearEndBulletinRanksDiscipline(t *testing.T) {
	snap, d := generatedYear(t)
	const sheet = "月度通报"
	title := func(f *excelize.File) bool {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			if len(r) > 0 && r[0] == "2022年报送纪律排名（按未报、迟报次数从少到多，按时次数从多到少）" {
				return true
			}
		}
		return false
	}
	may := openWorkbook(t, snap, export.WithDiscipline(d), export.WithLocation(shanghai))
	if title(may) {
		t.Error("the May 通报 ranks the year's record")
	}
	snap.At = time.Date(2022, time.December, 28, 12, 0, 0, 0, shanghai)
	dec := openWorkbook(t, snap, export.WithDiscipline(d), export.WithLocation(shanghai))
	if !title(dec) {
		t.Fatal("the December 通报 has no 报送纪律排名")
	}
	rows, _ := dec.GetRows(sheet)
	best := progress.RankDiscipline(d)[0]
	found := false
	for i, r := range rows {
		if len(r) > 0 && r[0] == "名次" && i+1 < len(rows) {
			found = rows[i+1][1] == best.Name && rows[i+1][0] == "1"
		}
	}
	if !found {
		t.Errorf("the ranking does not start with %s at place 1", best.Name)
	}
}
