package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// planYears lists the years the database holds a plan for.
func planYears(t *testing.T, vars map[string]string) []int {
	t.Helper()
	st, err := models.Open(vars["DUBAN_DB"], models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	years, err := st.PlanYears(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return years
}

// Next year's plan names last year's departments: they are not new (the
// departments, their contacts and invites carry over), so the import must
// not say it will create them.
func TestImportNextYearKnowsLastYearsDepartments(t *testing.T) {
	vars := freshDB(t)
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "2023.csv")
	os.WriteFile(file, []byte("部门,序号,任务,目标\n市科协,1,任务一,建成平台\n市新部门,1,任务一,建成平台\n"), 0o600)
	out, err := runCmd(t, vars, "import", file, "--year", "2023", "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "「市科协」尚不存在") {
		t.Errorf("a department of 2022 is announced as new:\n%s", out)
	}
	if !strings.Contains(out, "「市新部门」尚不存在") {
		t.Errorf("the new department is not announced:\n%s", out)
	}
}

// Cells far longer than a plan's texts — a title pasted with the whole
// document, a 2 MB cell — are refused with their position, for CSV and
// YAML: the bot could not show such a task within Telegram's 4,096
// characters, and the department could never report it.
func TestImportRefusesHugeCells(t *testing.T) {
	long := strings.Repeat("长", 5000)
	dir := t.TempDir()
	files := map[string]string{
		"title.csv":  "部门,序号,任务,目标\n市科协,1," + long + ",建成平台\n",
		"text.csv":   "部门,序号,任务,目标\n市科协,1,任务一," + strings.Repeat("建成平台，", 2000) + "\n",
		"metric.csv": "部门,序号,任务,目标,指标,类型,方向,目标值,单位\n市科协,1,任务一,x," + long + ",累计,不低于,5,家\n",
		"dept.csv":   "部门,序号,任务,目标\n" + long + ",1,任务一,建成平台\n",
		"plan.yaml": "year: 2023\ndepartments:\n  - name: 市科协\n    tasks:\n      - seq: 1\n        title: " + long +
			"\n        text: x\n        metrics:\n          - {name: 建成, kind: milestone, direction: at_least, target: 1}\n",
	}
	wants := map[string]string{"title.csv": "C2", "text.csv": "D2", "metric.csv": "E2", "dept.csv": "A2", "plan.yaml": "第1项"}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			vars := freshDB(t)
			if _, err := runCmd(t, vars, "seed"); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, name)
			os.WriteFile(file, []byte(content), 0o600)
			out, err := runCmd(t, vars, "import", file, "--year", "2023")
			if err == nil {
				t.Fatalf("imported:\n%.300s", out)
			}
			if !strings.Contains(out, "过长") || !strings.Contains(out, wants[name]) {
				t.Errorf("output does not locate the long cell (%s):\n%.300s", wants[name], out)
			}
			if years := planYears(t, vars); len(years) != 1 {
				t.Errorf("plan years after a refused import: %v", years)
			}
		})
	}
}

// A YAML "billion laughs" file is refused at once and changes nothing.
func TestImportRefusesAYAMLBomb(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		sb.WriteString(n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n")
		prev = n
	}
	sb.WriteString("year: 2023\ndepartments:\n  - name: *i\n")
	file := filepath.Join(t.TempDir(), "bomb.yaml")
	os.WriteFile(file, []byte(sb.String()), 0o600)
	vars := freshDB(t)
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "import", file, "--year", "2023"); err == nil {
		t.Fatalf("imported:\n%.300s", out)
	}
	if years := planYears(t, vars); len(years) != 1 {
		t.Errorf("plan years after a refused import: %v", years)
	}
}

// Names pasted from a document carry invisible characters (a zero-width
// space, a byte-order mark, a word joiner). 「市科协\u200b」 looks exactly
// like 市科协 in every message, yet it would be a new department, with no
// contact, while 市科协's people find nothing to report.
func TestImportNamesWithInvisibleCharacters(t *testing.T) {
	vars := freshDB(t)
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "2023.csv")
	os.WriteFile(file, []byte("部门,序号,任务,目标,指标,类型,方向,目标值,单位\n"+
		"市科协\u200b,1,任务一,x,新建\u2060工作站\ufeff,累计,不低于,5,家\n"+
		"\u200d市文联,1,任务一,建成平台,,,,,\n"), 0o600)
	out, err := runCmd(t, vars, "import", file, "--year", "2023")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "尚不存在") {
		t.Errorf("a known department is announced as new:\n%s", out)
	}
	p := storedPlanJSON(t, vars)
	names := map[string]bool{}
	for _, d := range p.Departments {
		names[d.Name] = true
		for _, tk := range d.Tasks {
			for _, m := range tk.Metrics {
				if strings.ContainsAny(m.Name, "\u200b\u2060\ufeff\u200d") {
					t.Errorf("metric name %q keeps invisible characters", m.Name)
				}
			}
		}
	}
	if !names["市科协"] || !names["市文联"] || len(names) != 2 {
		t.Errorf("2023 departments %v, want 市科协 and 市文联", names)
	}
}

// The same for a plan file in YAML: a name with a zero-width space is the
// department it looks like.
func TestImportYAMLNamesWithInvisibleCharacters(t *testing.T) {
	vars := freshDB(t)
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "2023.yaml")
	os.WriteFile(file, []byte("year: 2023\ndepartments:\n  - name: \"市科协\\u200b\"\n    tasks:\n      - seq: 1\n"+
		"        title: 任务一\n        text: x\n        metrics:\n          - {name: \"建成\\ufeff\", kind: milestone, direction: at_least, target: 1}\n"), 0o600)
	out, err := runCmd(t, vars, "import", file, "--year", "2023")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	p := storedPlanJSON(t, vars)
	if len(p.Departments) != 1 || p.Departments[0].Name != "市科协" || p.Departments[0].Tasks[0].Metrics[0].Name != "建成" {
		t.Fatalf("2023 plan %+v", p.Departments)
	}
}
