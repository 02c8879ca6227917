// Package plangen makes plans and years of reports for tests and benchmarks:
// a synthetic plan of any size, and deterministic report histories (a fixed
// seed gives the same values, lateness and gaps every run) for any plan in a
// store, the embedded 2022 plan included.
package plangen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
)

// Shape is the size of a synthetic plan.
type Shape struct {
	Departments, Tasks, Metrics int // tasks per department, metrics per task
}

// metricTemplates cycle through the kinds and directions DESIGN lists, so a
// synthetic plan exercises every rule of progress.Evaluate.
var metricTemplates = []models.Metric{
	{Name: "新增企业", Kind: "cumulative", Direction: "at_least", Target: 120, Unit: "家"},
	{Name: "完成投资", Kind: "cumulative", Direction: "at_least", Target: 35.5, Unit: "亿元"},
	{Name: "增长率", Kind: "rate", Direction: "at_least", Target: 8.5, Unit: "%"},
	{Name: "全省排名", Kind: "rank", Direction: "at_most", Target: 3, Unit: "位"},
	{Name: "项目建成", Kind: "milestone", Direction: "at_least", Target: 1, Unit: ""},
	{Name: "新增能耗", Kind: "cumulative", Direction: "at_most", Target: 50, Unit: "万吨"},
	{Name: "城乡收入倍差", Kind: "rate", Direction: "at_most", Target: 1.64, Unit: ""},
}

// Synthetic returns a plan of the given shape, in plan order, named 单位0001,
// 单位0002, …; targets vary with a seeded generator so that departments
// differ.
func Synthetic(sh Shape, seed uint64) []models.Department {
	rng := rand.New(rand.NewPCG(seed, 1))
	depts := make([]models.Department, sh.Departments)
	for d := range depts {
		tasks := make([]models.Task, sh.Tasks)
		for t := range tasks {
			ms := make([]models.Metric, sh.Metrics)
			for m := range ms {
				ms[m] = syntheticMetric(rng, t*sh.Metrics+m+d, m)
			}
			tasks[t] = models.Task{
				Seq: t + 1, Title: fmt.Sprintf("重点任务%d", t+1),
				Text: fmt.Sprintf("单位%04d 第%d项重点任务的目标描述。", d+1, t+1), Metrics: ms,
			}
		}
		depts[d] = models.Department{Name: fmt.Sprintf("单位%04d", d+1), Seq: d + 1, Tasks: tasks}
	}
	return depts
}

func syntheticMetric(rng *rand.Rand, template, seq int) models.Metric {
	m := metricTemplates[template%len(metricTemplates)]
	m.Name = fmt.Sprintf("%s%d", m.Name, seq+1)
	m.Seq = seq + 1
	if m.Kind == "cumulative" {
		m.Target = float64(10 + rng.IntN(990))
	}
	return m
}

// Create stores a synthetic plan in an empty store for the given year.
func Create(ctx context.Context, st *models.Store, year int, sh Shape, seed uint64) ([]models.Department, error) {
	depts := Synthetic(sh, seed)
	if err := st.CreatePlan(ctx, year, depts); err != nil {
		return nil, fmt.Errorf("plangen: %w", err)
	}
	return depts, nil
}

// Huzhou2022 loads the embedded 2022 plan into st and fills h's history.
func Huzhou2022(ctx context.Context, st *models.Store, h History) (Summary, error) {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		return Summary{}, fmt.Errorf("plangen: %w", err)
	}
	if err := seeds.Load(ctx, st, p); err != nil {
		return Summary{}, fmt.Errorf("plangen: %w", err)
	}
	return Fill(ctx, st, h)
}

// NewStore opens an empty SQLite store in a temporary directory that lives
// as long as the test or benchmark.
func NewStore(tb testing.TB) *models.Store {
	tb.Helper()
	st, err := models.Open(filepath.Join(tb.TempDir(), "duban.db"), models.Options{
		Now: func() time.Time { return time.Date(2022, time.June, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
