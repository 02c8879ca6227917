package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

var shanghai = time.FixedZone("CST", 8*60*60)

// seed 5 gives the 14 seeded departments every reporting habit (see
// progress's discipline test), so the 通报 has someone to name.
const seed = 5

// generatedYear is the seeded 2022 plan with January–May reported, judged
// on 31 May 2022 at noon.
func generatedYear(t *testing.T) (progress.Snapshot, progress.Discipline) {
	t.Helper()
	ctx := context.Background()
	st := plangen.NewStore(t)
	if _, err := plangen.Huzhou2022(ctx, st, plangen.History{Periods: 5, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2022, time.May, 31, 12, 0, 0, 0, shanghai)
	snap, err := progress.Build(ctx, st, progress.Options{At: at, Loc: shanghai, Period: "2022-05", Thresholds: progress.DefaultThresholds()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := progress.BuildDiscipline(ctx, st, snap, calendar.Schedule{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return snap, d
}

func findMetric(t *testing.T, snap progress.Snapshot, dept, metric string) progress.MetricStatus {
	t.Helper()
	d, ok := snap.Department(dept)
	if !ok {
		t.Fatalf("no department %s", dept)
	}
	for _, task := range d.Tasks {
		for _, m := range task.Metrics {
			if m.Metric.Name == metric {
				return m
			}
		}
	}
	t.Fatalf("%s has no metric %s", dept, metric)
	return progress.MetricStatus{}
}

func openWorkbook(t *testing.T, snap progress.Snapshot, opts ...export.Option) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, snap, opts...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowWhere returns the 1-based number of the first row of sheet whose
// cells in columns a and b (0-based) are va and vb.
func rowWhere(t *testing.T, f *excelize.File, sheet string, a int, va string, b int, vb string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > max(a, b) && r[a] == va && r[b] == vb {
			return i + 1
		}
	}
	t.Fatalf("%s: no row with %q and %q", sheet, va, vb)
	return 0
}

func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func fillOf(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Fill.Color) == 0 {
		return ""
	}
	return strings.TrimPrefix(strings.ToUpper(s.Fill.Color[0]), "#")
}

func isNumber(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber) && cell(t, f, sheet, ref) != ""
}

func TestWorkbookMetricSheet(t *testing.T) {
	snap, d := generatedYear(t)
	redCross, _ := snap.Department("市红十字会")
	names := map[int64]string{plangen.ReporterID(redCross.ID): "王红"}
	f := openWorkbook(t, snap, export.WithDiscipline(d), export.WithLocation(shanghai), export.WithReporters(names))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"总览", "指标明细", "月度通报", "报送纪律", "佐证材料"}) {
		t.Fatalf("sheets %v", got)
	}
	const sheet = "指标明细"
	aid := findMetric(t, snap, "市红十字会", "应急救护普及培训新增")
	if aid.Latest == nil {
		t.Fatal("the generator left the first-aid metric unreported")
	}
	r := rowWhere(t, f, sheet, 0, "市红十字会", 2, "应急救护普及培训新增")
	want := map[string]string{
		"B": "1. 提高“救在身边”八个专项推进力",
		"D": "不低于",
		"E": "13.4",
		"F": "万人",
		"G": fmt.Sprint(aid.Latest.Value),
		"H": "2022-05",
		"L": export.LightLabel(aid.Eval.Light),
		"O": "王红",
	}
	for col, v := range want {
		if got := cell(t, f, sheet, fmt.Sprintf("%s%d", col, r)); got != v {
			t.Errorf("%s%d = %q, want %q", col, r, got, v)
		}
	}
	for _, col := range []string{"E", "G", "I", "J", "K", "M", "P"} {
		if ref := fmt.Sprintf("%s%d", col, r); !isNumber(t, f, sheet, ref) {
			t.Errorf("%s is not a number: %q", ref, cell(t, f, sheet, ref))
		}
	}
	if got := fillOf(t, f, sheet, fmt.Sprintf("L%d", r)); got != lightFill(aid.Eval.Light) {
		t.Errorf("light cell fill %q, want %q", got, lightFill(aid.Eval.Light))
	}
	updated, _ := f.GetCellValue(sheet, fmt.Sprintf("P%d", r))
	if wantAt := aid.Latest.ReportedAt.In(shanghai).Format("2006-01-02 15:04"); updated != wantAt {
		t.Errorf("updated %q, want %q", updated, wantAt)
	}
	rows, _ := f.GetRows(sheet)
	if n := len(rows) - 1; n != snap.Counts.Total() {
		t.Errorf("%d metric rows, want %d", n, snap.Counts.Total())
	}
}

func lightFill(l progress.Light) string {
	return map[progress.Light]string{progress.Green: "C6EFCE", progress.Yellow: "FFEB9C", progress.Red: "FFC7CE", progress.Grey: "D9D9D9"}[l]
}

func TestWorkbookOverviewSheet(t *testing.T) {
	snap, d := generatedYear(t)
	f := openWorkbook(t, snap, export.WithDiscipline(d))
	const sheet = "总览"
	ranked := slices.Clone(snap.Departments)
	progress.SortWorstFirst(ranked, func(d progress.DepartmentStatus) progress.Counts { return d.Counts })
	for i, dept := range ranked {
		r := i + 2
		if got := cell(t, f, sheet, fmt.Sprintf("B%d", r)); got != dept.Name {
			t.Fatalf("B%d = %q, want %q (worst first)", r, got, dept.Name)
		}
		counts := []int{dept.Counts.Green, dept.Counts.Yellow, dept.Counts.Red, dept.Counts.Grey}
		for j, col := range []string{"D", "E", "F", "G"} {
			ref := fmt.Sprintf("%s%d", col, r)
			if got := cell(t, f, sheet, ref); got != fmt.Sprint(counts[j]) {
				t.Errorf("%s %s = %q, want %d", dept.Name, ref, got, counts[j])
			}
		}
		if dept.Counts.Red > 0 {
			if got := fillOf(t, f, sheet, fmt.Sprintf("F%d", r)); got != "FFC7CE" {
				t.Errorf("%s red count fill %q", dept.Name, got)
			}
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 15 {
		t.Errorf("department column width %v", w)
	}
	assertNoFormulas(t, f)
}

func assertNoFormulas(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for i, r := range rows {
			for j := range r {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
					t.Fatalf("%s!%s holds formula %q", sheet, ref, fm)
				}
			}
		}
	}
}

func TestWorkbookBulletinSheet(t *testing.T) {
	snap, d := generatedYear(t)
	f := openWorkbook(t, snap, export.WithDiscipline(d), export.WithIssuer("湖州市"))
	const sheet = "月度通报"
	if got := cell(t, f, sheet, "A1"); got != "湖州市重点任务目标责任制 2022年5月 进展通报" {
		t.Errorf("title %q", got)
	}
	if got := cell(t, f, sheet, "A2"); !strings.HasPrefix(got, "（截至2022年5月31日，序时进度41.") {
		t.Errorf("date line %q", got)
	}
	merged, _ := f.GetMergeCells(sheet)
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if !slices.Contains(refs, "A1:J1") || !slices.Contains(refs, "A2:J2") {
		t.Errorf("merged %v, want the title and date lines across A:J", refs)
	}
	var silent []string
	for i, dept := range snap.Departments {
		if plangen.HabitOf(seed, i) == plangen.Silent {
			silent = append(silent, dept.Name+"（未报送）")
		}
	}
	footer := cell(t, f, sheet, fmt.Sprintf("A%d", len(snap.Departments)+5))
	if !strings.HasPrefix(footer, "本期未按时报送单位：") {
		t.Fatalf("footer %q", footer)
	}
	for _, s := range silent {
		if !strings.Contains(footer, s) {
			t.Errorf("footer %q does not name %s", footer, s)
		}
	}
	if got := cell(t, f, sheet, "I3"); got != "报送情况(2022年5月)" {
		t.Errorf("I3 = %q", got)
	}
}

func TestCSV(t *testing.T) {
	snap, _ := generatedYear(t)
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, snap, export.WithReporters(map[int64]string{}), export.WithLocation(shanghai)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf单位,任务,指标")) {
		t.Fatalf("CSV starts %q", buf.Bytes()[:20])
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != snap.Counts.Total()+1 {
		t.Fatalf("%d records, want %d", len(recs), snap.Counts.Total()+1)
	}
	aid := findMetric(t, snap, "市红十字会", "应急救护普及培训新增")
	for _, r := range recs {
		if r[0] == "市红十字会" && r[2] == "应急救护普及培训新增" {
			if r[4] != "13.4" || r[5] != "万人" || r[6] != fmt.Sprint(aid.Latest.Value) || r[11] != export.LightLabel(aid.Eval.Light) {
				t.Errorf("first-aid record %q", r)
			}
			return
		}
	}
	t.Error("no first-aid record")
}

func TestPeriodLabel(t *testing.T) {
	for key, want := range map[string]string{
		"2022-05": "2022年5月", "2022-12": "2022年12月", "2022-Q2": "2022年第2季度", "2022-W18": "2022年第18周",
		"2022-xx": "2022-xx", "": "",
	} {
		if got := export.PeriodLabel(key); got != want {
			t.Errorf("PeriodLabel(%q) = %q, want %q", key, got, want)
		}
	}
}
