package planfile_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

// What an office types by hand: a title row above an English, mixed-case
// header with an extra column; the department written once for its block
// (merged cells read as empty); further metrics on rows of their own;
// Chinese kinds and directions; targets with multipliers and percent signs.
func TestSheetAsPeopleFillItIn(t *testing.T) {
	rows := [][]string{
		{"2023年重点任务目标"},
		{"Department", " SEQ ", "Title", "Text", "备注", "Metric", "Kind", "Direction", "Target", "Unit"},
		{"市科协", "1", "南太湖智汇科创行动", "新建工作站5家以上，开展论坛5场", "见附件", "新建市级院士专家工作站", "累计", "以上", "5", "家"},
		{"", "", "", "", "", "开展院士论坛", "", "", "5", "场"},
		{"", "2", "科普惠民行动", "公民科学素质达标率达到15%", "", "公民科学素质达标率", "比率", "不低于", "15%", "%"},
		{"市人力社保局", "1", "就业创业", "新增就业13.4万人，全省前三", "", "城镇新增就业", "", "", "13.4万人", "万人"},
		{"市人力社保局", "1", "", "", "", "就业工作全省排名", "排名", "", "3", "名"},
		{"", "2", "安全生产", "不发生重大事故，失业率控制在3%以内", "", "城镇登记失业率", "rate", "以内", "3", "%"},
		{"", "", "", "", "", "", "", "", "", ""},
		{"", "3", "建成人才市场", "年内建成", "", "人才市场建成", "里程碑", "", "", ""},
	}
	got, rep, err := readSheet(t, rows, planfile.Options{Year: 2023})
	if err != nil {
		t.Fatalf("%v: %q", err, problemLines(rep))
	}
	want := seeds.Plan{Year: 2023, Departments: []seeds.Department{
		{Name: "市科协", Tasks: []seeds.Task{
			{Seq: 1, Title: "南太湖智汇科创行动", Text: "新建工作站5家以上，开展论坛5场", Metrics: []seeds.Metric{
				{Name: "新建市级院士专家工作站", Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "家"},
				{Name: "开展院士论坛", Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "场"},
			}},
			{Seq: 2, Title: "科普惠民行动", Text: "公民科学素质达标率达到15%", Metrics: []seeds.Metric{
				{Name: "公民科学素质达标率", Kind: "rate", Direction: "at_least", Target: 15, Unit: "%"},
			}},
		}},
		{Name: "市人力社保局", Tasks: []seeds.Task{
			{Seq: 1, Title: "就业创业", Text: "新增就业13.4万人，全省前三", Metrics: []seeds.Metric{
				{Name: "城镇新增就业", Kind: "cumulative", Direction: "at_least", Target: 13.4, Unit: "万人"},
				{Name: "就业工作全省排名", Kind: "rank", Direction: "at_most", Target: 3, Unit: "名"},
			}},
			{Seq: 2, Title: "安全生产", Text: "不发生重大事故，失业率控制在3%以内", Metrics: []seeds.Metric{
				{Name: "城镇登记失业率", Kind: "rate", Direction: "at_most", Target: 3, Unit: "%"},
			}},
			{Seq: 3, Title: "建成人才市场", Text: "年内建成", Metrics: []seeds.Metric{
				{Name: "人才市场建成", Kind: "milestone", Direction: "at_least", Target: 1, Unit: ""},
			}},
		}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan differs: %v\ngot %+v", planfile.Diff(want, got).List, got)
	}
}

// The workbook's plan is on the sheet named 计划 (or plan) wherever it is;
// other sheets, such as 说明, are not read.
func TestPlanSheetIsFoundByName(t *testing.T) {
	data := workbook(t,
		sheet{"说明", [][]string{{"列", "说明"}, {"部门", "责任单位"}}},
		sheet{"Plan", [][]string{header, {"市科协", "1", "任务", "目标", "指标", "", "", "5", "个"}}})
	p, rep, err := planfile.Read("x.xlsx", bytes.NewReader(data), planfile.Options{Year: 2023})
	if err != nil {
		t.Fatalf("%v: %q", err, problemLines(rep))
	}
	if len(p.Departments) != 1 || p.Departments[0].Tasks[0].Metrics[0].Target != 5 {
		t.Fatalf("plan = %+v", p)
	}
}

// A department that is not in the database yet is allowed and announced.
func TestNewDepartmentIsANotice(t *testing.T) {
	known := func(name string) bool { return name == "市科协" }
	rows := [][]string{header,
		{"市科协", "1", "任务", "目标", "指标", "", "", "5", "个"},
		{"市数据局", "1", "任务", "目标", "指标", "", "", "5", "个"},
		{"市数据局", "2", "任务二", "目标", "指标", "", "", "5", "个"},
	}
	_, rep, err := readSheet(t, rows, planfile.Options{KnownDepartment: known})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notices) != 1 || rep.Notices[0].String() != "计划!A3: 部门「市数据局」尚不存在，导入时将新建" {
		t.Fatalf("notices = %v", rep.Notices)
	}
}

// A task without metric rows has its metrics drafted from 目标, and the
// draft is reported for review with the drafter's notes.
func TestTasksWithoutMetricsAreDrafted(t *testing.T) {
	var texts []string
	drafter := func(text string) ([]seeds.Metric, []string) {
		texts = append(texts, text)
		if strings.Contains(text, "25家") {
			return []seeds.Metric{{Name: "新建市级博士创新站", Kind: "cumulative", Direction: "at_least", Target: 25, Unit: "家"}},
				[]string{"「新建市级博士创新站25家」→ 累计 ≥ 25 家"}
		}
		return nil, []string{"未读出数字"}
	}
	rows := [][]string{{"部门", "序号", "任务", "目标"},
		{"市科协", "1", "博士创新站", "新建市级博士创新站25家"},
		{"市科协", "2", "成立院士之家", "成立“南太湖院士之家”"},
	}
	p, rep, err := readSheet(t, rows, planfile.Options{Drafter: drafter})
	if err != nil {
		t.Fatalf("%v: %q", err, problemLines(rep))
	}
	if len(texts) != 2 {
		t.Errorf("drafter called with %q, want both texts", texts)
	}
	tasks := p.Departments[0].Tasks
	if m := tasks[0].Metrics; len(m) != 1 || m[0].Target != 25 || m[0].Unit != "家" {
		t.Errorf("task 1 metrics = %+v, want the drafted count", m)
	}
	if m := tasks[1].Metrics; len(m) != 1 || m[0].Kind != "milestone" || m[0].Name != "成立院士之家" {
		t.Errorf("task 2 metrics = %+v, want one milestone named after the task", m)
	}
	if len(rep.Drafted) != 2 {
		t.Fatalf("drafted = %+v", rep.Drafted)
	}
	lines := strings.Join(append(rep.Drafted[0].Lines(), rep.Drafted[1].Lines()...), "\n")
	for _, w := range []string{"计划!D2 市科协 第1项「博士创新站」", "新建市级博士创新站：累计 不低于 25 家",
		"「新建市级博士创新站25家」→ 累计 ≥ 25 家", "未读出数字", "已按任务名建一个里程碑「成立院士之家」"} {
		if !strings.Contains(lines, w) {
			t.Errorf("review lines lack %q:\n%s", w, lines)
		}
	}
}

// A drafter's metric that breaks the rules is a problem at the 目标 cell.
func TestBadDraftIsAProblem(t *testing.T) {
	drafter := func(string) ([]seeds.Metric, []string) {
		return []seeds.Metric{{Name: "排名", Kind: "rank", Direction: "at_most", Target: 3, Unit: "%"}}, nil
	}
	rows := [][]string{{"部门", "序号", "任务", "目标"}, {"市科协", "1", "任务", "全省前三"}}
	_, rep, err := readSheet(t, rows, planfile.Options{Drafter: drafter})
	if !errors.Is(err, planfile.ErrInvalid) || len(rep.Problems) != 1 ||
		rep.Problems[0].String() != "计划!D2: 从目标文字识别出的指标「排名」有误：排名指标的单位只能是「名」或留空，不应是「%」" {
		t.Fatalf("err %v, problems %q", err, problemLines(rep))
	}
}

// A CSV saved by Excel or WPS in China is GB18030; one saved as "CSV UTF-8"
// has a byte-order mark; one from a script has neither. All three read the
// same plan.
func TestCSVEncodings(t *testing.T) {
	want := huzhou(t)
	utf8BOM := write(t, "plan.csv", want)
	plain := bytes.TrimPrefix(utf8BOM, []byte("\uFEFF"))
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gb, plain) {
		t.Fatal("the GB18030 file is byte for byte the UTF-8 one; the test proves nothing")
	}
	for name, data := range map[string][]byte{"utf-8 with bom": utf8BOM, "utf-8": plain, "gb18030": gb} {
		t.Run(name, func(t *testing.T) {
			got, rep, err := planfile.Read("plan.csv", bytes.NewReader(data), planfile.Options{Year: 2022})
			if err != nil {
				t.Fatalf("%v: %q", err, problemLines(rep))
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("differs: %v", planfile.Diff(want, got).List)
			}
		})
	}
}

// Bytes that are neither UTF-8 nor GB18030 are one problem, not mojibake.
func TestCSVInNoKnownEncoding(t *testing.T) {
	data := []byte("部门,序号,任务,目标\n\xff\xff\xff,1,a,b\n")
	_, rep, err := planfile.Read("plan.csv", bytes.NewReader(data), planfile.Options{Year: 2022})
	if !errors.Is(err, planfile.ErrInvalid) || len(rep.Problems) != 1 ||
		rep.Problems[0].String() != "plan.csv: 文件既不是 UTF-8 也不是 GB18030 编码" {
		t.Fatalf("err %v, problems %q", err, problemLines(rep))
	}
}

// The YAML plan file of seeds/ imports as it is, under the year asked for.
func TestYAMLTakesTheYearAsked(t *testing.T) {
	got, rep, err := planfile.Read("huzhou.yaml", bytes.NewReader(seeds.Huzhou2022()), planfile.Options{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	want := huzhou(t)
	want.Year = 2023
	if !reflect.DeepEqual(got, want) {
		t.Fatal("yaml plan differs from the seed")
	}
	if len(rep.Notices) != 1 || !strings.Contains(rep.Notices[0].String(), "2022 按 --year 改为 2023") {
		t.Errorf("notices = %v", rep.Notices)
	}
}

// The example table of the README reads as the README says.
func TestReadmeExample(t *testing.T) {
	rows := [][]string{header,
		{"市科协", "2", "南太湖智汇科创行动", "新建市级院士专家工作站5家以上，…新建市级博士创新站25家…", "新建市级院士专家工作站", "累计", "不低于", "5", "家"},
		{"市科协", "2", "", "", "新建市级博士创新站", "累计", "不低于", "25", "家"},
		{"", "3", `"十百千"科技助企专项行动`, `开展"十名院士入湖企…"活动`, `开展"十百千"科技助企活动`, "里程碑", "", "", ""},
		{"市统计局", "1", "统计监测", "全省前三", "全省排名", "排名", "", "3", "名"},
		{"市统计局", "2", "投资", "完成投资1800亿元", "完成投资", "", "", "1,800", "亿元"},
	}
	p, rep, err := readSheet(t, rows, planfile.Options{})
	if err != nil {
		t.Fatalf("%v: %q", err, problemLines(rep))
	}
	kx, tj := p.Departments[0], p.Departments[1]
	if len(p.Departments) != 2 || len(kx.Tasks) != 2 || len(kx.Tasks[0].Metrics) != 2 {
		t.Fatalf("plan = %+v", p)
	}
	if m := kx.Tasks[1].Metrics[0]; kx.Tasks[1].Seq != 3 || m.Kind != "milestone" || m.Target != 1 {
		t.Errorf("task 3 = %+v, want a milestone of 市科协", kx.Tasks[1])
	}
	if m := tj.Tasks[0].Metrics[0]; m.Kind != "rank" || m.Direction != "at_most" || m.Target != 3 {
		t.Errorf("rank = %+v", m)
	}
	if m := tj.Tasks[1].Metrics[0]; m.Kind != "cumulative" || m.Direction != "at_least" || m.Target != 1800 {
		t.Errorf("investment = %+v", m)
	}
}

// A file over the size bound is one problem, never read cut off.
func TestFileTooBig(t *testing.T) {
	data := write(t, "plan.csv", huzhou(t))
	for _, name := range []string{"plan.csv", "plan.yaml"} {
		_, rep, err := planfile.Read(name, bytes.NewReader(data), planfile.Options{Year: 2022, MaxBytes: 1000})
		if !errors.Is(err, planfile.ErrInvalid) || len(rep.Problems) != 1 ||
			rep.Problems[0].String() != name+": 文件超过 1000 字节，不像一年的计划" {
			t.Errorf("%s: err %v, problems %q", name, err, problemLines(rep))
		}
	}
	if _, _, err := planfile.Read("plan.xlsx", bytes.NewReader(write(t, "plan.xlsx", huzhou(t))),
		planfile.Options{Year: 2022, MaxBytes: 1000}); err == nil {
		t.Error("a workbook unzipping past the bound was read")
	}
}
