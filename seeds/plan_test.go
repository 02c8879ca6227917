package seeds_test

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
)

func openStore(t *testing.T) *models.Store {
	t.Helper()
	st, err := models.Open(filepath.Join(t.TempDir(), "duban.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mustPlan(t *testing.T) seeds.Plan {
	t.Helper()
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatalf("embedded plan: %v", err)
	}
	return p
}

func TestHuzhou2022Counts(t *testing.T) {
	p := mustPlan(t)
	if p.Year != 2022 {
		t.Errorf("year = %d, want 2022", p.Year)
	}
	want := map[string]int{
		"市科协": 5, "市文联": 5, "市贸促会": 5, "市残联": 5, "市红十字会": 4, "市工商联": 5,
		"市发展改革委": 5, "市经信局": 5, "市财政局": 5, "市自然资源和规划局": 5,
		"市建设局": 5, "市交通运输局": 5, "市水利局": 5, "市农业农村局": 5,
	}
	tasks := 0
	for _, d := range p.Departments {
		if want[d.Name] != len(d.Tasks) {
			t.Errorf("%s has %d tasks, want %d", d.Name, len(d.Tasks), want[d.Name])
		}
		tasks += len(d.Tasks)
	}
	if len(p.Departments) != 14 || tasks != 69 {
		t.Errorf("got %d departments and %d tasks, want 14 and 69", len(p.Departments), tasks)
	}
}

// TestHuzhou2022MetricCounts pins the breakdown README.md and NOTES.md state.
func TestHuzhou2022MetricCounts(t *testing.T) {
	got := map[string]int{}
	total := 0
	for _, d := range mustPlan(t).Departments {
		for _, tk := range d.Tasks {
			for _, m := range tk.Metrics {
				got[m.Kind+" "+m.Direction]++
				total++
			}
		}
	}
	want := map[string]int{
		"cumulative at_least": 98, "cumulative at_most": 6, "rate at_least": 22, "rate at_most": 3,
		"rank at_most": 22, "milestone at_least": 52,
	}
	if total != 203 || !maps.Equal(got, want) {
		t.Errorf("got %d metrics %v, want 203 %v", total, got, want)
	}
}

// TestHuzhou2022Targets spot-checks targets across departments against the
// seed document.
func TestHuzhou2022Targets(t *testing.T) {
	p := mustPlan(t)
	tests := []struct {
		dept      string
		task      int
		metric    string // a substring of the metric name
		kind, dir string
		target    float64
		unit      string
	}{
		{"市红十字会", 1, "应急救护", "cumulative", "at_least", 13.4, "万人"},
		{"市发展改革委", 1, "倍差", "rate", "at_most", 1.64, ""},
		{"市科协", 2, "院士专家工作站", "cumulative", "at_least", 5, "家"},
		{"市科协", 2, "博士创新站", "cumulative", "at_least", 25, "家"},
		{"市文联", 2, "省示范村", "cumulative", "at_least", 1, "个"},
		{"市贸促会", 1, "商事认证", "cumulative", "at_least", 30000, "份"},
		{"市贸促会", 4, "发送量", "cumulative", "at_least", 4000, "人次"},
		{"市经信局", 1, "增加值", "rate", "at_least", 8.5, "%"},
		{"市自然资源和规划局", 5, "森林火灾受害率", "rate", "at_most", 0.3, "‰"},
		{"市发展改革委", 3, "湖杭高铁", "milestone", "at_least", 1, ""},
		{"市文联", 4, "写福送春联", "cumulative", "at_least", 50, "场"},
		{"市科协", 1, "院士专家", "cumulative", "at_least", 100, "名"},
		{"市科协", 2, "南太湖院士之家", "milestone", "at_least", 1, ""},
		{"市发展改革委", 3, "通苏湖城际", "milestone", "at_least", 1, ""},
		{"市自然资源和规划局", 4, "国土空间总体规划", "milestone", "at_least", 1, ""},
		{"市自然资源和规划局", 4, "总体城市设计", "milestone", "at_least", 1, ""},
		{"市自然资源和规划局", 5, "亡人事故", "cumulative", "at_most", 0, "起"},
		{"市自然资源和规划局", 5, "重伤事故", "cumulative", "at_most", 0, "起"},
		{"市自然资源和规划局", 5, "较大及以上森林火灾", "cumulative", "at_most", 0, "起"},
		{"市经信局", 2, "有进位", "milestone", "at_least", 1, ""},
		{"市水利局", 1, "有进位", "milestone", "at_least", 1, ""},
		{"市水利局", 5, "垮坝", "cumulative", "at_most", 0, "起"},
		{"市建设局", 2, "生活垃圾总量增长", "rate", "at_most", 0, "%"},
	}
	for _, tc := range tests {
		m, ok := findMetric(p, tc.dept, tc.task, tc.metric)
		if !ok {
			t.Errorf("%s task %d: no metric containing %q", tc.dept, tc.task, tc.metric)
			continue
		}
		if m.Kind != tc.kind || m.Direction != tc.dir || m.Target != tc.target || m.Unit != tc.unit {
			t.Errorf("%s task %d %s = %s %s %v %q, want %s %s %v %q", tc.dept, tc.task, m.Name,
				m.Kind, m.Direction, m.Target, m.Unit, tc.kind, tc.dir, tc.target, tc.unit)
		}
	}
}

func findMetric(p seeds.Plan, dept string, task int, name string) (seeds.Metric, bool) {
	for _, d := range p.Departments {
		for _, tk := range d.Tasks {
			if d.Name != dept || tk.Seq != task {
				continue
			}
			for _, m := range tk.Metrics {
				if strings.Contains(m.Name, name) {
					return m, true
				}
			}
		}
	}
	return seeds.Metric{}, false
}

func counts(t *testing.T, st *models.Store) [3]int64 {
	t.Helper()
	d, tk, m, err := st.Counts(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int64{d, tk, m}
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if err := seeds.Load(ctx, st, mustPlan(t)); err != nil {
		t.Fatal(err)
	}
	first := counts(t, st)
	if first[0] != 14 || first[1] != 69 {
		t.Fatalf("after first load: %v", first)
	}
	if err := seeds.Load(ctx, st, mustPlan(t)); err != nil {
		t.Fatal(err)
	}
	if second := counts(t, st); second != first {
		t.Errorf("second load changed counts: %v → %v", first, second)
	}
}

func TestChangedTargetKeepsReports(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := mustPlan(t)
	if err := seeds.Load(ctx, st, p); err != nil {
		t.Fatal(err)
	}
	depts, _ := st.Plan(ctx, 2022)
	m := depts[0].Tasks[1].Metrics[0]
	if err := st.SaveReport(ctx, &models.Report{MetricID: m.ID, Period: "2022-03", Value: 2, ReporterID: 7}); err != nil {
		t.Fatal(err)
	}
	p.Departments[0].Tasks[1].Metrics[0].Target = 9
	if err := seeds.Load(ctx, st, p); err != nil {
		t.Fatal(err)
	}
	got, _, err := st.Metric(ctx, m.ID)
	if err != nil || got.Target != 9 {
		t.Fatalf("metric after reload = %+v, %v; want same id with target 9", got, err)
	}
	latest, err := st.LatestReports(ctx, "")
	if err != nil || latest[m.ID].Value != 2 {
		t.Errorf("report after reload = %+v, %v; want value 2 kept", latest[m.ID], err)
	}
}

func TestBrokenPlanNamesTheCulpritAndWritesNothing(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(p *seeds.Plan)
		want   string
	}{
		{"duplicate task number", func(p *seeds.Plan) { p.Departments[2].Tasks[1].Seq = 1 }, "市贸促会 task 1: duplicate task number"},
		{"empty title", func(p *seeds.Plan) { p.Departments[4].Tasks[3].Title = " " }, "市红十字会 task 4: empty title"},
		{"negative target", func(p *seeds.Plan) { p.Departments[0].Tasks[1].Metrics[0].Target = -5 }, "市科协 task 2 metric"},
		{"unknown kind", func(p *seeds.Plan) { p.Departments[1].Tasks[0].Metrics[0].Kind = "total" }, `市文联 task 1 metric`},
		{"unknown direction", func(p *seeds.Plan) { p.Departments[1].Tasks[0].Metrics[0].Direction = "up" }, `unknown direction "up"`},
		{"department without tasks", func(p *seeds.Plan) { p.Departments[13].Tasks = nil }, "市农业农村局 has no tasks"},
		{"zero target at least", func(p *seeds.Plan) { p.Departments[0].Tasks[1].Metrics[0].Target = 0 }, "市科协 task 2 metric"},
		{"zero rank", func(p *seeds.Plan) { p.Departments[6].Tasks[0].Metrics[1].Target = 0 }, "市发展改革委 task 1 metric"},
		{"negative cap", func(p *seeds.Plan) { p.Departments[6].Tasks[0].Metrics[0].Target = -1 }, "市发展改革委 task 1 metric"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			if err := seeds.Load(ctx, st, mustPlan(t)); err != nil {
				t.Fatal(err)
			}
			before := counts(t, st)
			p := mustPlan(t)
			p.Departments[0].Tasks[0].Title = "changed title that must not land"
			tc.break_(&p)
			err := seeds.Load(ctx, st, p)
			if !errors.Is(err, seeds.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v, want ErrInvalid naming %q", err, tc.want)
			}
			if after := counts(t, st); after != before {
				t.Errorf("counts changed %v → %v", before, after)
			}
			depts, _ := st.Plan(ctx, 2022)
			if depts[0].Tasks[0].Title == "changed title that must not land" {
				t.Error("a broken plan was half-written")
			}
		})
	}
}

func TestParseRejectsUnknownFields(t *testing.T) {
	_, err := seeds.Parse([]byte("year: 2022\ndepartments:\n  - name: 市科协\n    taks: []\n"))
	if !errors.Is(err, seeds.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

// TestZeroCapTargetLoads: 不发生较大及以上森林火灾 is at most 0 起; the
// loader stores a target of 0 for such a metric and reads it back.
func TestZeroCapTargetLoads(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := mustPlan(t)
	task := &p.Departments[0].Tasks[0]
	task.Metrics = append(task.Metrics, seeds.Metric{Name: "测试：不发生较大事故", Kind: "cumulative", Direction: "at_most", Target: 0, Unit: "起"})
	if err := seeds.Load(ctx, st, p); err != nil {
		t.Fatalf("Load with an at-most-0 metric: %v", err)
	}
	depts, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	ms := depts[0].Tasks[0].Metrics
	last := ms[len(ms)-1]
	if last.Name != "测试：不发生较大事故" || last.Target != 0 || last.Direction != "at_most" {
		t.Errorf("stored metric = %+v, want the at-most-0 metric", last)
	}
}
