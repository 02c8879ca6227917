package planfile_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

func smallPlan() seeds.Plan {
	return seeds.Plan{Year: 2023, Departments: []seeds.Department{
		{Name: "市科协", Tasks: []seeds.Task{
			{Seq: 1, Title: "智汇科创", Text: "新建5家", Metrics: []seeds.Metric{
				{Name: "新建工作站", Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "家"},
				{Name: "举办论坛", Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "场"},
			}},
			{Seq: 2, Title: "科普", Text: "建成", Metrics: []seeds.Metric{
				{Name: "建成科技馆", Kind: "milestone", Direction: "at_least", Target: 1},
			}},
		}},
		{Name: "市统计局", Tasks: []seeds.Task{
			{Seq: 1, Title: "统计", Text: "前三", Metrics: []seeds.Metric{
				{Name: "全省排名", Kind: "rank", Direction: "at_most", Target: 3, Unit: "名"},
			}},
		}},
	}}
}

// What --dry-run prints, for each kind of edit an office makes to its plan.
func TestDiff(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(p *seeds.Plan)
		lines   []string
		removed []planfile.MetricRef
	}{
		{"nothing changed", func(*seeds.Plan) {}, nil, nil},
		{"a target raised", func(p *seeds.Plan) { p.Departments[0].Tasks[0].Metrics[0].Target = 6 },
			[]string{"修改 市科协 第1项 指标「新建工作站」：目标值 「5」 → 「6」"}, nil},
		{"kind and unit changed", func(p *seeds.Plan) {
			m := &p.Departments[0].Tasks[0].Metrics[1]
			m.Kind, m.Unit = "rate", "%"
		}, []string{"修改 市科协 第1项 指标「举办论坛」：类型 「累计」 → 「比率」，单位 「场」 → 「%」"}, nil},
		{"a metric added", func(p *seeds.Plan) {
			t := &p.Departments[1].Tasks[0]
			t.Metrics = append(t.Metrics, seeds.Metric{Name: "数据质量", Kind: "rate", Direction: "at_least", Target: 98, Unit: "%"})
		}, []string{"新增 市统计局 第1项 指标「数据质量」：比率 不低于 98 %"}, nil},
		{"a metric dropped", func(p *seeds.Plan) {
			t := &p.Departments[0].Tasks[0]
			t.Metrics = t.Metrics[:1]
		}, []string{"删除 市科协 第1项 指标「举办论坛」"}, []planfile.MetricRef{{Department: "市科协", Seq: 1, Metric: "举办论坛"}}},
		{"a task retitled and its text rewritten", func(p *seeds.Plan) {
			p.Departments[0].Tasks[1].Title, p.Departments[0].Tasks[1].Text = "科普惠民", "年内建成"
		}, []string{"修改 市科协 第2项 任务：「科普」→「科普惠民」", "修改 市科协 第2项「科普惠民」的目标文字"}, nil},
		{"a task dropped", func(p *seeds.Plan) { p.Departments[0].Tasks = p.Departments[0].Tasks[:1] },
			[]string{"删除 市科协 第2项「科普」（1 个指标）"}, []planfile.MetricRef{{Department: "市科协", Seq: 2, Metric: "建成科技馆"}}},
		{"a department added", func(p *seeds.Plan) {
			p.Departments = append(p.Departments, seeds.Department{Name: "市数据局", Tasks: p.Departments[1].Tasks})
		}, []string{"新增 部门「市数据局」（1 项任务）"}, nil},
		{"a department dropped", func(p *seeds.Plan) { p.Departments = p.Departments[:1] },
			[]string{"删除 部门「市统计局」（1 项任务）"}, []planfile.MetricRef{{Department: "市统计局", Seq: 1, Metric: "全省排名"}}},
		{"tasks reordered only", func(p *seeds.Plan) {
			ts := p.Departments[0].Tasks
			ts[0], ts[1] = ts[1], ts[0]
		}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := smallPlan()
			c.edit(&p)
			got := planfile.Diff(smallPlan(), p)
			var lines []string
			for _, ch := range got.List {
				lines = append(lines, ch.String())
			}
			if strings.Join(lines, "\n") != strings.Join(c.lines, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(c.lines, "\n"))
			}
			if !reflect.DeepEqual(got.Removed, c.removed) {
				t.Errorf("removed = %v, want %v", got.Removed, c.removed)
			}
		})
	}
}

// A first import into an empty database adds every department; against
// another year's plan the year change is listed first.
func TestDiffOfANewYear(t *testing.T) {
	got := planfile.Diff(seeds.Plan{}, smallPlan())
	if got.Count(planfile.OpAdded) != 2 || len(got.List) != 2 {
		t.Errorf("into an empty store: %v", got.List)
	}
	old := smallPlan()
	old.Year = 2022
	got = planfile.Diff(old, smallPlan())
	if len(got.List) != 1 || got.List[0].String() != "修改 年份 2022 → 2023" {
		t.Errorf("over 2022: %v", got.List)
	}
}

// Text from the file is printed with control characters replaced, so a
// title cannot move the cursor or recolour the terminal.
func TestDiffLinesArePrintable(t *testing.T) {
	p := smallPlan()
	p.Departments[0].Tasks[0].Title = "科创\x1b[2J\u202e"
	got := planfile.Diff(smallPlan(), p).List[0].String()
	if strings.ContainsAny(got, "\x1b\u202e") {
		t.Errorf("line %q carries control characters", got)
	}
}
