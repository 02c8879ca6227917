package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

func TestOverviewReadsSQLite(t *testing.T) { testOverviewReads(t, openSQLite) }

func TestOverviewReadsPostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	testOverviewReads(t, openPostgres)
}

func testOverviewReads(t *testing.T, open opener) {
	cases := map[string]func(t *testing.T, open opener){
		"a plan change shows on the next read":       testPlanRevision,
		"new values and corrections show at once":    testLatestFollowsWrites,
		"completion per department and period":       testPeriodCompletion,
		"bulk plan and reports read back in order":   testBulk,
		"callers cannot change what the store keeps": testCopies,
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) { fn(t, open) })
	}
}

func testPlanRevision(t *testing.T, open opener) {
	ctx := context.Background()
	st, _ := seeded(t, open)
	p := smallPlan()
	p[0].Tasks[0].Metrics[0].Target = 7
	p[0].Tasks[0].Title = "任务一（调整）"
	if err := st.SyncPlan(ctx, 2022, p); err != nil {
		t.Fatal(err)
	}
	got, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	if tk := got[0].Tasks[0]; tk.Title != "任务一（调整）" || tk.Metrics[0].Target != 7 || len(tk.Metrics) != 2 {
		t.Errorf("after the change: %+v", tk)
	}
}

func report(mid uint, period string, v float64, at time.Time) *models.Report {
	return &models.Report{MetricID: mid, Period: period, Value: v, ReporterID: 7, ReportedAt: at}
}

func testLatestFollowsWrites(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	a, b := plan[0].Tasks[0].Metrics[0].ID, plan[0].Tasks[0].Metrics[1].ID
	steps := []struct {
		name   string
		save   *models.Report
		max    string
		wantA  float64
		wantB  float64
		lenout int
	}{
		{"nothing yet", nil, "2022-05", 0, 0, 0},
		{"April value", report(a, "2022-04", 1, may20), "2022-05", 1, 0, 1},
		{"May value", report(a, "2022-05", 2, may20), "2022-05", 2, 0, 1},
		{"May corrected", report(a, "2022-05", 3, may20.Add(time.Hour)), "2022-05", 3, 0, 1},
		{"March filed late changes nothing", report(a, "2022-03", 9, may20), "2022-05", 3, 0, 1},
		{"second metric", report(b, "2022-05", 8.1, may20), "2022-05", 3, 8.1, 2},
		{"June is past the period asked", report(b, "2022-06", 8.6, may20), "2022-05", 3, 8.1, 2},
		{"asking for June sees it", nil, "2022-06", 3, 8.6, 2},
		{"asking for April again", nil, "2022-04", 1, 0, 1},
	}
	for _, s := range steps {
		if s.save != nil {
			if err := st.SaveReport(ctx, s.save); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.LatestReports(ctx, s.max)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != s.lenout || got[a].Value != s.wantA || got[b].Value != s.wantB {
			t.Errorf("%s: %d values, a=%v b=%v; want %d, a=%v b=%v", s.name, len(got), got[a].Value, got[b].Value, s.lenout, s.wantA, s.wantB)
		}
	}
}

func testPeriodCompletion(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	a, b := plan[0].Tasks[0].Metrics[0].ID, plan[0].Tasks[0].Metrics[1].ID
	first, second := may20, may20.Add(48*time.Hour)
	for _, r := range []*models.Report{
		report(a, "2022-04", 1, first), report(b, "2022-04", 1, second),
		report(a, "2022-05", 2, first), report(a, "2022-05", 3, second), // a correction: completion keeps the first
	} {
		if err := st.SaveReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := st.PeriodCompletion(ctx, []string{"2022-04", "2022-05", "2022-06"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []models.DeptPeriodRow{
		{DepartmentID: plan[0].ID, Period: "2022-04", Reported: 2, CompletedAt: second},
		{DepartmentID: plan[0].ID, Period: "2022-05", Reported: 1, CompletedAt: first},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i].DepartmentID != want[i].DepartmentID || rows[i].Period != want[i].Period ||
			rows[i].Reported != want[i].Reported || !rows[i].CompletedAt.Equal(want[i].CompletedAt) {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	before, err := st.PeriodCompletion(ctx, []string{"2022-04"}, first.Add(time.Hour))
	if err != nil || len(before) != 1 || before[0].Reported != 1 {
		t.Errorf("as of an hour after the first value: %+v, %v; want 1 reported", before, err)
	}
}

func testBulk(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t, fixedNow)
	p := smallPlan()
	p = append(p, models.Department{Name: "市文联", Seq: 2, Tasks: []models.Task{{Seq: 1, Title: "文艺", Text: "",
		Metrics: []models.Metric{{Name: "演出", Seq: 1, Kind: "cumulative", Direction: "at_least", Target: 3, Unit: "场"}}}}})
	if err := st.CreatePlan(ctx, 2022, p); err != nil {
		t.Fatal(err)
	}
	years, err := st.PlanYears(ctx)
	plan, err2 := st.Plan(ctx, 2022)
	if err != nil || err2 != nil || len(years) != 1 || years[0] != 2022 || len(plan) != 2 || plan[1].Name != "市文联" ||
		plan[0].Tasks[0].Metrics[1].Name != "增长率" || !plan[0].Tasks[0].Metrics[1].Active {
		t.Fatalf("plan %v %+v, %v %v", years, plan, err, err2)
	}
	mid := plan[1].Tasks[0].Metrics[0].ID
	old := may20.Add(-time.Hour)
	err = st.InsertReports(ctx, []models.Report{
		{MetricID: mid, Period: "2022-05", Value: 1, ReporterID: 1, ReportedAt: old, SupersededAt: &may20},
		{MetricID: mid, Period: "2022-05", Value: 2, ReporterID: 1, ReportedAt: may20},
	})
	if err != nil {
		t.Fatal(err)
	}
	latest, err := st.LatestReports(ctx, "")
	if err != nil || latest[mid].Value != 2 || !latest[mid].ReportedAt.Equal(may20) {
		t.Errorf("latest after bulk insert: %+v, %v", latest[mid], err)
	}
}

func testCopies(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	mid := plan[0].Tasks[0].Metrics[0].ID
	if err := st.SaveReport(ctx, report(mid, "2022-05", 2, may20)); err != nil {
		t.Fatal(err)
	}
	first, _ := st.Plan(ctx, 2022)
	first[0].Name = "改名"
	first[0].Tasks[0].Metrics[0].Target = 99
	again, _ := st.Plan(ctx, 2022)
	if again[0].Name != "市科协" || again[0].Tasks[0].Metrics[0].Target != 5 {
		t.Errorf("a caller's change leaked into the store: %s %v", again[0].Name, again[0].Tasks[0].Metrics[0].Target)
	}
	// The latest values are shared read-only; a map handed out is never
	// changed under its reader when a correction arrives.
	before, _ := st.LatestReports(ctx, "2022-05")
	lent, _ := st.SharedLatestReports(ctx, "2022-05")
	lentReport := lent[mid]
	if err := st.SaveReport(ctx, report(mid, "2022-05", 3, may20.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	after, _ := st.LatestReports(ctx, "2022-05")
	if before[mid].Value != 2 || after[mid].Value != 3 {
		t.Errorf("before the correction %v, after %v; want 2 then 3", before[mid].Value, after[mid].Value)
	}
	lentAfter, _ := st.SharedLatestReports(ctx, "2022-05")
	if lent[mid] != lentReport || lentReport.Value != 2 || lentAfter[mid].Value != 3 {
		t.Errorf("lent before the correction %v (%v in its map), after %v; want 2 then 3",
			lentReport.Value, lent[mid].Value, lentAfter[mid].Value)
	}
	// The lent plan is the cache's: the same on the next call, and replaced
	// (not changed) when the plan changes.
	p1, _ := st.SharedPlan(ctx, 2022)
	p2, _ := st.SharedPlan(ctx, 2022)
	if len(p1) == 0 || &p1[0] != &p2[0] {
		t.Error("SharedPlan copied the cached plan")
	}
}
