package planfile_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

// workbook builds an .xlsx with the given sheets, each a list of rows.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cells := make([]any, len(row))
			for i, v := range row {
				cells[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type sheet struct {
	name string
	rows [][]string
}

var header = []string{"部门", "序号", "任务", "目标", "指标", "类型", "方向", "目标值", "单位"}

func readSheet(t *testing.T, rows [][]string, opts planfile.Options) (seeds.Plan, planfile.Report, error) {
	t.Helper()
	if opts.Year == 0 {
		opts.Year = 2023
	}
	return planfile.Read("plan.xlsx", bytes.NewReader(workbook(t, sheet{"计划", rows})), opts)
}

func problemLines(rep planfile.Report) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.String())
	}
	return out
}

// A workbook with three bad rows: every one is reported with sheet, row
// and column, and no plan comes back.
func TestThreeBadRowsAreAllReported(t *testing.T) {
	rows := [][]string{
		header,
		{"市科协", "1", "南太湖智汇科创行动", "新建工作站5家", "新建市级院士专家工作站", "累计", "不低于", "5", "家"},
		{"市科协", "x", "科技助企行动", "开展活动", "", "", "", "", ""},
		{"", "", "", "", "开展院士论坛", "累计", "不低于", "5", "场"},
		{"市科协", "3", "", "举办大会", "举办大会", "里程碑", "", "", ""},
		{"市统计局", "1", "统计监测", "全省前三", "全省排名", "排名", "", "3", "%"},
	}
	p, rep, err := readSheet(t, rows, planfile.Options{})
	if !errors.Is(err, planfile.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	want := []string{
		"计划!B3: 序号「x」不是正整数",
		"计划!C5: 任务为空",
		"计划!I6: 排名指标的单位只能是「名」或留空，不应是「%」",
	}
	if got := problemLines(rep); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(p.Departments) != 0 {
		t.Errorf("a plan came back with %d departments despite the problems", len(p.Departments))
	}
}

// Each kind of mistake a person makes in the sheet, with where it is named.
func TestProblemsNameTheCell(t *testing.T) {
	task := func(cells ...string) []string {
		return append([]string{"市科协", "1", "南太湖智汇科创行动", "目标"}, cells...)
	}
	cases := []struct {
		name string
		rows [][]string
		want string
	}{
		{"duplicate task number", [][]string{header, task("a", "累计", "", "1", "个"),
			{"市科协", "1", "另一项", "t", "b", "", "", "", ""}}, "计划!B3: 市科协 的序号 1 与第2行重复"},
		{"target not a number", [][]string{header, task("新建站", "累计", "以上", "五六家", "家")}, "计划!H2: 目标值「五六家」不是数字"},
		{"target in another unit", [][]string{header, task("新建站", "累计", "以上", "5场", "家")}, "计划!H2: 目标值「5场」的单位与单位列「家」不符"},
		{"unit the dialog cannot read", [][]string{header, task("新建站", "累计", "", "5", "@个")}, "计划!I2: 单位「@个」无法识别（填汉字单位如 家、万人、亿元，或 %、‰）"},
		{"cumulative without target", [][]string{header, task("新建站", "累计", "", "", "家")}, "计划!H2: 目标值为空（累计指标要填目标值）"},
		{"milestone other than 1", [][]string{header, task("建成", "里程碑", "", "2", "")}, "计划!H2: 里程碑的目标值只能是 1（完成），不是「2」"},
		{"milestone with a unit", [][]string{header, task("建成", "里程碑", "", "1", "个")}, "计划!I2: 里程碑没有单位，不应填「个」"},
		{"rank not a whole place", [][]string{header, task("排名", "排名", "", "2.5", "名")}, "计划!H2: 排名的目标值应是正整数名次，不是「2.5」"},
		{"unknown kind", [][]string{header, task("新建站", "数量", "", "5", "家")}, "计划!F2: 类型「数量」无法识别（可填 累计、比率、排名、里程碑）"},
		{"unknown direction", [][]string{header, task("新建站", "累计", "大约", "5", "家")}, "计划!G2: 方向「大约」无法识别（可填 不低于/以上、不高于/以内）"},
		{"zero for at least", [][]string{header, task("新建站", "累计", "不低于", "0", "家")}, "计划!H2: 目标值「0」必须大于 0（只有“不高于”的指标可以是 0）"},
		{"metric cells without a name", [][]string{header, task("", "累计", "", "5", "家")}, "计划!E2: 指标名称为空，但本行填了「累计」"},
		{"duplicate metric", [][]string{header, task("新建站", "累计", "", "5", "家"),
			{"", "", "", "", "新建站", "累计", "", "6", "家"}}, "计划!E3: 指标「新建站」在本任务中重复（另见第2行）"},
		{"metric row before any task", [][]string{header, {"", "", "", "", "新建站", "累计", "", "5", "家"}}, "计划!E2: 指标行上方没有任务行"},
		{"metric row of another department", [][]string{header, task("a", "", "", "5", "个"),
			{"市统计局", "", "", "", "b", "", "", "5", "个"}}, "计划!A3: 部门「市统计局」与上方任务（市科协 第1项）不一致"},
		{"no department at all", [][]string{header, {"", "1", "任务", "目标"}}, "计划!A2: 部门为空（上方也没有任务行可沿用）"},
		{"missing header", [][]string{{"部门", "序号", "任务"}, {"市科协", "1", "任务"}}, "计划 第1行: 表头缺少「目标」列"},
		{"kind without metric column", [][]string{{"部门", "序号", "任务", "目标", "类型"}}, "计划!E1: 有「类型」列但没有「指标」列"},
		{"no header at all", [][]string{{"a"}, {"b"}}, "计划 第1行: 找不到表头：前 10 行里没有「部门」「序号」「任务」「目标」列"},
		{"template example left in", [][]string{header, {"市科协", "1", "（示例）南太湖智汇科创行动", "t", "a", "", "", "5", "家"}}, "计划!C2: 这是模板的示例行，请删除后再导入"},
		{"header only", [][]string{header}, "计划: 没有任何任务行"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, rep, err := readSheet(t, c.rows, planfile.Options{})
			if !errors.Is(err, planfile.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if got := problemLines(rep); len(got) != 1 || got[0] != c.want {
				t.Errorf("problems = %q, want [%q]", got, c.want)
			}
		})
	}
}
