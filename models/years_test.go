package models_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

func TestPlanYearsSQLite(t *testing.T) { testPlanYears(t, openSQLite) }

func TestPlanYearsPostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	testPlanYears(t, openPostgres)
}

func testPlanYears(t *testing.T, open opener) {
	cases := map[string]func(t *testing.T, open opener){
		"two years side by side":             testTwoYears,
		"a task dropped from a year retires": testDroppedTask,
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) { fn(t, open) })
	}
}

// Loading 2023 next to 2022 shares the department, keeps 2022's tasks,
// targets and reports as they were, and each year reads its own plan.
func testTwoYears(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan22 := seeded(t, open)
	m22 := plan22[0].Tasks[0].Metrics[0].ID
	if err := st.SaveReport(ctx, report(m22, "2022-05", 2, may20)); err != nil {
		t.Fatal(err)
	}
	next := smallPlan()
	next[0].Tasks[0].Metrics = next[0].Tasks[0].Metrics[:1]
	next[0].Tasks[0].Metrics[0].Target = 9
	if err := st.SyncPlan(ctx, 2023, next); err != nil {
		t.Fatal(err)
	}
	years, err := st.PlanYears(ctx)
	if err != nil || !slices.Equal(years, []int{2022, 2023}) {
		t.Fatalf("years = %v, %v; want [2022 2023]", years, err)
	}
	again22, _ := st.Plan(ctx, 2022)
	plan23, _ := st.Plan(ctx, 2023)
	ms22, ms23 := again22[0].Tasks[0].Metrics, plan23[0].Tasks[0].Metrics
	if len(ms22) != 2 || ms22[0].ID != m22 || ms22[0].Target != 5 {
		t.Errorf("2022 after loading 2023: %+v; want both metrics, target 5", ms22)
	}
	if len(ms23) != 1 || ms23[0].ID == m22 || ms23[0].Target != 9 || plan23[0].ID != plan22[0].ID {
		t.Errorf("2023: dept %d metrics %+v; want the same department, a new metric with target 9", plan23[0].ID, ms23)
	}
	latest, err := st.LatestReports(ctx, "2022-12")
	if err != nil || latest[m22].Value != 2 {
		t.Errorf("2022's report after loading 2023: %+v, %v", latest[m22], err)
	}
	d, tk, m, err := st.Counts(ctx, 2023)
	if err != nil || d != 1 || tk != 1 || m != 1 {
		t.Errorf("2023 counts = %d %d %d %v; want 1 1 1", d, tk, m, err)
	}
	none, err := st.Plan(ctx, 2026)
	if err != nil || len(none) != 0 {
		t.Errorf("plan of a year never loaded = %+v, %v; want empty", none, err)
	}
	dp, err := st.DepartmentPlan(ctx, 2023, plan22[0].ID)
	if err != nil || len(dp.Tasks) != 1 || len(dp.Tasks[0].Metrics) != 1 || dp.Tasks[0].Year != 2023 {
		t.Errorf("department plan of 2023 = %+v, %v", dp, err)
	}
}

// A task missing from a year's new plan has its metrics retired; the same
// task of another year stays.
func testDroppedTask(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t, fixedNow)
	two := func() []models.Department {
		p := smallPlan()
		p[0].Tasks = append(p[0].Tasks, models.Task{Seq: 2, Title: "任务二", Text: "建成",
			Metrics: []models.Metric{{Name: "建成", Seq: 1, Kind: "milestone", Direction: "at_least", Target: 1}}})
		return p
	}
	for _, y := range []int{2022, 2023} {
		if err := st.SyncPlan(ctx, y, two()); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SyncPlan(ctx, 2023, smallPlan()); err != nil {
		t.Fatal(err)
	}
	_, _, m23, _ := st.Counts(ctx, 2023)
	_, _, m22, _ := st.Counts(ctx, 2022)
	if m23 != 2 || m22 != 3 {
		t.Errorf("active metrics 2023 %d, 2022 %d; want 2 (task 2 retired) and 3", m23, m22)
	}
}

// A database written before plan years (tasks without a year, one
// plan_years row, a unique index on department and number) opens with its
// tasks in the old plan's year, and takes a second year; opening it again
// changes nothing.
func TestUpgradeOnePlanDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE `departments` (`id` integer PRIMARY KEY AUTOINCREMENT,`name` text NOT NULL,`seq` integer NOT NULL,`created_at` datetime,`updated_at` datetime)",
		"CREATE UNIQUE INDEX `idx_departments_name` ON `departments`(`name`)",
		"CREATE TABLE `tasks` (`id` integer PRIMARY KEY AUTOINCREMENT,`department_id` integer NOT NULL,`seq` integer NOT NULL,`title` text NOT NULL,`text` text NOT NULL,`created_at` datetime,`updated_at` datetime,CONSTRAINT `fk_departments_tasks` FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`))",
		"CREATE UNIQUE INDEX `idx_task_dept_seq` ON `tasks`(`department_id`,`seq`)",
		"CREATE TABLE `plan_years` (`id` integer PRIMARY KEY AUTOINCREMENT,`year` integer,`revision` integer NOT NULL DEFAULT 0)",
		"INSERT INTO departments (id, name, seq) VALUES (1, '市科协', 1)",
		"INSERT INTO tasks (id, department_id, seq, title, text) VALUES (7, 1, 1, '任务一', '新建5家')",
		"INSERT INTO plan_years (id, year, revision) VALUES (1, 2022, 3)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	for range 2 {
		st, err := models.Open(path, models.Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		years, _ := st.PlanYears(context.Background())
		plan, err := st.Plan(context.Background(), 2022)
		if err != nil || !slices.Equal(years, []int{2022}) || len(plan) != 1 || len(plan[0].Tasks) != 1 || plan[0].Tasks[0].ID != 7 {
			t.Fatalf("after upgrade: years %v, 2022 plan %+v, %v", years, plan, err)
		}
		st.Close()
	}
	st, _ := models.Open(path, models.Options{Now: fixedNow})
	defer st.Close()
	if err := st.SyncPlan(context.Background(), 2023, smallPlan()); err != nil {
		t.Fatalf("a second year on an upgraded database: %v", err)
	}
	plan, _ := st.Plan(context.Background(), 2022)
	if len(plan[0].Tasks) != 1 || len(plan[0].Tasks[0].Metrics) != 0 {
		t.Errorf("2022 after adding 2023: %+v", plan)
	}
}

// The upgrade on either database: a store made one-plan again (tasks
// without a year, the old unique index) opens upgraded, on the DSN the
// store was opened with.
func TestUpgradeBothDialects(t *testing.T) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "up.db")}
	if os.Getenv(pgtest.Env) != "" {
		dsns["postgres"] = pgtest.SchemaDSN(t, "up")
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := models.Open(dsn, models.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				"DROP INDEX idx_task_year_dept_seq",
				"UPDATE tasks SET year = 0",
				"CREATE UNIQUE INDEX idx_task_dept_seq ON tasks (department_id, seq)",
				"DROP TABLE schema_migrations", // databases of that layout predate versions
			} {
				if err := st.DB().Exec(q).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			st.Close()
			st, err = models.Open(dsn, models.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if st.DB().Migrator().HasIndex(&models.Task{}, "idx_task_dept_seq") {
				t.Error("the old index survived the upgrade")
			}
			if err := st.SyncPlan(ctx, 2023, smallPlan()); err != nil {
				t.Fatalf("a second year after the upgrade: %v", err)
			}
			p22, _ := st.Plan(ctx, 2022)
			p23, _ := st.Plan(ctx, 2023)
			if len(p22) != 1 || len(p23) != 1 || p22[0].Tasks[0].ID == p23[0].Tasks[0].ID {
				t.Errorf("after the upgrade: 2022 %+v, 2023 %+v", p22, p23)
			}
		})
	}
}
