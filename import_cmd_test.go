package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

// storedPlanJSON is what `duban plan --json --year Y` prints, decoded, for
// the newest year the database holds.
func storedPlanJSON(t *testing.T, vars map[string]string) seeds.Plan {
	t.Helper()
	st, err := models.Open(vars["DUBAN_DB"], models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	years, err := st.PlanYears(context.Background())
	st.Close()
	if err != nil || len(years) == 0 {
		t.Fatalf("plan years %v: %v", years, err)
	}
	out, err := runCmd(t, vars, "plan", "--json", "--year", strconv.Itoa(years[len(years)-1]))
	if err != nil {
		t.Fatal(err)
	}
	var p seeds.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func freshDB(t *testing.T) map[string]string {
	return map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
}

func huzhouAs(t *testing.T, year int) seeds.Plan {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	p.Year = year
	return p
}

// The seeded 2022 plan exported with `export --plan` and imported as 2023
// into another database is the same plan, for xlsx and for csv.
func TestExportPlanThenImportAsNextYear(t *testing.T) {
	for _, ext := range []string{".xlsx", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "plan"+ext)
			if _, err := runCmd(t, seededDB(t), "export", "--plan", "--year", "2022", "--out", file); err != nil {
				t.Fatal(err)
			}
			next := freshDB(t)
			out, err := runCmd(t, next, "import", file, "--year", "2023")
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "imported the 2023 plan: 14 departments, 69 tasks, 203 metrics") {
				t.Errorf("output:\n%s", out)
			}
			if got, want := storedPlanJSON(t, next), huzhouAs(t, 2023); !reflect.DeepEqual(got, want) {
				t.Fatalf("imported plan differs: %v", planfile.Diff(want, got).List)
			}
		})
	}
}

// badWorkbook has three bad rows: a task number that is not a number, a
// task without a title, a rank with a unit.
func badWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "计划")
	rows := [][]any{
		{"部门", "序号", "任务", "目标", "指标", "类型", "方向", "目标值", "单位"},
		{"市科协", 1, "南太湖智汇科创行动", "新建5家", "新建工作站", "累计", "以上", 6, "家"},
		{"市科协", "二", "科技助企", "开展活动", "开展活动", "里程碑", "", "", ""},
		{"市科协", 3, "", "举办大会", "举办大会", "里程碑", "", "", ""},
		{"市统计局", 1, "统计监测", "全省前三", "全省排名", "排名", "", 3, "%"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("计划", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "bad.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// A workbook with three bad rows: all three are reported with sheet, row
// and column, and the database is unchanged, with or without --replace.
func TestImportWithBadRowsChangesNothing(t *testing.T) {
	vars := seededDB(t)
	before := storedPlanJSON(t, vars)
	out, err := runCmd(t, vars, "import", badWorkbook(t), "--year", "2022", "--replace", "--force")
	if err == nil || !strings.Contains(err.Error(), "3 problems") {
		t.Fatalf("err = %v, want 3 problems", err)
	}
	for _, want := range []string{"计划!B3: 序号「二」不是正整数", "计划!C4: 任务为空", "计划!I5: 排名指标的单位只能是「名」或留空，不应是「%」"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if after := storedPlanJSON(t, vars); !reflect.DeepEqual(after, before) {
		t.Fatalf("the plan changed: %v", planfile.Diff(before, after).List)
	}

	empty := freshDB(t)
	if _, err := runCmd(t, empty, "import", badWorkbook(t), "--year", "2023"); err == nil {
		t.Fatal("bad workbook imported into an empty database")
	}
	if _, err := runCmd(t, empty, "plan"); err == nil || !isUsage(err) {
		t.Fatalf("after a refused import, `plan` says %v; want no plan yet", err)
	}
}

// A CSV that Excel in China saved (GB18030, no BOM) imports.
func TestImportGB18030CSV(t *testing.T) {
	var utf bytes.Buffer
	if err := planfile.WriteCSV(&utf, huzhouAs(t, 2023)); err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf.Bytes(), []byte("\uFEFF")))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "计划.csv")
	if err := os.WriteFile(file, gb, 0o600); err != nil {
		t.Fatal(err)
	}
	vars := freshDB(t)
	if out, err := runCmd(t, vars, "import", "--year", "2023", file); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got, want := storedPlanJSON(t, vars), huzhouAs(t, 2023); !reflect.DeepEqual(got, want) {
		t.Fatalf("differs: %v", planfile.Diff(want, got).List)
	}
}

// editedPlanCSV is the stored plan with 市科协's first target raised, its
// 论坛 metric dropped and a task added, written as CSV.
func editedPlanCSV(t *testing.T, vars map[string]string) string {
	t.Helper()
	p := storedPlanJSON(t, vars)
	t1 := &p.Departments[0].Tasks[1]
	t1.Metrics[0].Target = 6
	t1.Metrics = append(t1.Metrics[:1], t1.Metrics[2:]...)
	p.Departments[0].Tasks = append(p.Departments[0].Tasks, seeds.Task{Seq: 9, Title: "科普新行动", Text: "建成",
		Metrics: []seeds.Metric{{Name: "建成科普馆", Kind: "milestone", Direction: "at_least", Target: 1}}})
	var buf bytes.Buffer
	if err := planfile.WriteCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "edited.csv")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// --dry-run lists what would be added, changed and removed and leaves the
// database as it was.
func TestImportDryRun(t *testing.T) {
	vars := seededDB(t)
	before := storedPlanJSON(t, vars)
	out, err := runCmd(t, vars, "import", editedPlanCSV(t, vars), "--year", "2022", "--dry-run", "--replace")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"修改 市科协 第2项 指标「新建市级院士专家工作站」：目标值 「5」 → 「6」",
		"删除 市科协 第2项 指标「开展院士论坛、报告会」",
		"新增 市科协 第9项「科普新行动」（1 个指标）",
		"1 added, 1 changed, 1 removed",
		"dry run: nothing was changed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if after := storedPlanJSON(t, vars); !reflect.DeepEqual(after, before) {
		t.Fatalf("dry run changed the plan: %v", planfile.Diff(before, after).List)
	}
}

// Importing over a plan the database holds needs --replace; without it
// nothing changes.
func TestImportOverAPlanNeedsReplace(t *testing.T) {
	vars := seededDB(t)
	before := storedPlanJSON(t, vars)
	_, err := runCmd(t, vars, "import", editedPlanCSV(t, vars), "--year", "2022")
	if err == nil || !isUsage(err) || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("err = %v, want a refusal naming --replace", err)
	}
	if after := storedPlanJSON(t, vars); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused import changed the plan")
	}
}

// --replace: a metric whose target changed keeps its reports; dropping a
// metric that has reports is refused unless --force, and then the metric is
// retired with its reports kept.
func TestImportReplaceKeepsReports(t *testing.T) {
	vars := seededWithHistory(t)
	file := editedPlanCSV(t, vars)
	kept := models.MetricKey{Department: "市科协", TaskSeq: 2, Metric: "新建市级院士专家工作站"}
	dropped := models.MetricKey{Department: "市科协", TaskSeq: 2, Metric: "开展院士论坛、报告会"}
	counts := reportCounts(t, vars)
	if counts[kept] == 0 || counts[dropped] == 0 {
		t.Fatalf("the generated history has no reports for the metrics under test: %v %v", counts[kept], counts[dropped])
	}
	before := storedPlanJSON(t, vars)
	out, err := runCmd(t, vars, "import", file, "--year", "2022", "--replace")
	if err == nil || !isUsage(err) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v, want a refusal naming --force", err)
	}
	if !strings.Contains(out, "has reports: 市科协 第2项 指标「开展院士论坛、报告会」") {
		t.Errorf("output does not name the metric at stake:\n%s", out)
	}
	if after := storedPlanJSON(t, vars); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused --replace changed the plan")
	}

	if out, err := runCmd(t, vars, "import", file, "--year", "2022", "--replace", "--force"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	after := storedPlanJSON(t, vars)
	task := after.Departments[0].Tasks[1]
	if len(task.Metrics) != len(before.Departments[0].Tasks[1].Metrics)-1 || task.Metrics[0].Target != 6 || hasMetric(task, dropped.Metric) {
		t.Errorf("task 2 after replace = %+v, want target 6 and the forum metric gone", task.Metrics)
	}
	if got := reportCounts(t, vars); got[kept] != counts[kept] || got[dropped] != counts[dropped] {
		t.Errorf("reports after replace: kept %d→%d, dropped %d→%d; want every report kept",
			counts[kept], got[kept], counts[dropped], got[dropped])
	}
}

func reportCounts(t *testing.T, vars map[string]string) map[models.MetricKey]int64 {
	t.Helper()
	st, err := models.Open(vars["DUBAN_DB"], models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts, err := st.MetricReportCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// Wrong usage is one line and exit status 2, and changes nothing.
func TestImportUsage(t *testing.T) {
	vars := freshDB(t)
	file := filepath.Join(t.TempDir(), "plan.csv")
	os.WriteFile(file, []byte("部门,序号,任务,目标\n市科协,1,a,b\n"), 0o600)
	cases := map[string][]string{
		"no year":          {"import", file},
		"two-digit year":   {"import", file, "--year", "23"},
		"year with letter": {"import", file, "--year", "2023a"},
		"no file":          {"import", "--year", "2023"},
		"two files":        {"import", file, file, "--year", "2023"},
		"unknown format":   {"import", "plan.txt", "--year", "2023"},
		"force alone":      {"import", file, "--year", "2023", "--force"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := runCmd(t, vars, args...); err == nil || !isUsage(err) {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
	if _, err := runCmd(t, vars, "plan"); err == nil {
		t.Fatal("a refused import left a plan")
	}
}

// A sheet with tasks but no metric columns: each task's metrics are drafted
// from its target text, and every drafted metric is printed with the
// phrase it came from.
func TestImportWithoutMetricColumns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plan.csv")
	os.WriteFile(file, []byte("部门,序号,任务,目标\n市科协,1,南太湖智汇科创行动,新建市级博士创新站25家\n市新部门,1,成立院士之家,成立“南太湖院士之家”\n"), 0o600)
	vars := freshDB(t)
	out, err := runCmd(t, vars, "import", file, "--year", "2023")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"plan.csv!D2 市科协 第1项「南太湖智汇科创行动」按目标文字识别：",
		"新建市级博士创新站：累计 不低于 25 家",
		"「新建市级博士创新站25家」 → 新建市级博士创新站",
		"成立“南太湖院士之家”：里程碑 不低于 1",
		"notice: plan.csv!A3: 部门「市新部门」尚不存在，导入时将新建"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	d, err := findDeptPlan(t, vars, "市新部门")
	if err != nil || len(d.Tasks) != 1 || d.Tasks[0].Metrics[0].Name != "成立“南太湖院士之家”" {
		t.Fatalf("new department = %+v, %v", d, err)
	}
}

func findDeptPlan(t *testing.T, vars map[string]string, name string) (seeds.Department, error) {
	for _, d := range storedPlanJSON(t, vars).Departments {
		if d.Name == name {
			return d, nil
		}
	}
	return seeds.Department{}, os.ErrNotExist
}

// `export --template` writes the empty workbook; `export --plan` for a year
// the database does not hold is refused.
func TestExportTemplateAndPlanYear(t *testing.T) {
	vars := seededDB(t)
	tmpl := filepath.Join(t.TempDir(), "模板.xlsx")
	if _, err := runCmd(t, vars, "export", "--template", "--out", tmpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"计划", "说明"}) {
		t.Errorf("sheets = %v", got)
	}
	for name, args := range map[string][]string{
		"another year":      {"export", "--plan", "--year", "2021", "--out", "x.xlsx"},
		"both modes":        {"export", "--plan", "--template", "--out", "x.xlsx"},
		"csv template":      {"export", "--template", "--out", "x.csv"},
		"yaml plan":         {"export", "--plan", "--out", "x.yaml"},
		"year not 4 digits": {"export", "--plan", "--year", "22", "--out", "x.xlsx"},
	} {
		if _, err := runCmd(t, vars, args...); err == nil || !isUsage(err) {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
}

// A file that drops tasks or departments the database holds is refused:
// the store would leave them active under the new plan. --dry-run says so.
func TestImportThatDropsTasksIsRefused(t *testing.T) {
	vars := seededDB(t)
	before := storedPlanJSON(t, vars)
	part := storedPlanJSON(t, vars) // a copy of its own to cut down
	part.Departments = part.Departments[:2]
	part.Departments[1].Tasks = part.Departments[1].Tasks[:1]
	var buf bytes.Buffer
	if err := planfile.WriteCSV(&buf, part); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "part.csv")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "import", file, "--year", "2022", "--replace", "--force", "--dry-run")
	if err != nil || !strings.Contains(out, "would be refused: the file drops 16 tasks or departments") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	_, err = runCmd(t, vars, "import", file, "--year", "2022", "--replace", "--force")
	if err == nil || !isUsage(err) || !strings.Contains(err.Error(), "cannot remove") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if after := storedPlanJSON(t, vars); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused import changed the plan")
	}
}

func hasMetric(t seeds.Task, name string) bool {
	for _, m := range t.Metrics {
		if m.Name == name {
			return true
		}
	}
	return false
}
