package models_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

// migrateChildEnv makes the test binary, re-executed, open the store at
// the DSN it names and exit: one "replica" starting.
const migrateChildEnv = "DUBAN_TEST_MIGRATE_CHILD"

func TestMain(m *testing.M) {
	if dsn := os.Getenv(migrateChildEnv); dsn != "" {
		st, err := models.Open(dsn, models.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, "open:", err)
			os.Exit(1)
		}
		st.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Three replicas start at once on an empty PostgreSQL, twenty times: each
// run, every process opens the store without an error and the schema has
// every version once. (Before versions under a lock, 2 of 6 such starts
// failed with "relation departments already exists".)
func TestConcurrentStartPostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	const runs, replicas = 20, 3
	failures := 0
	for run := range runs {
		dsn := pgtest.SchemaDSN(t, "start")
		errs := startReplicas(t, dsn, replicas)
		for i, err := range errs {
			if err != nil {
				failures++
				t.Errorf("run %d replica %d: %v", run, i, err)
			}
		}
		st, err := models.OpenExisting(dsn, models.Options{})
		if err != nil {
			t.Fatalf("run %d: schema after the start: %v", run, err)
		}
		var n int64
		st.DB().Table("schema_migrations").Count(&n)
		st.Close()
		if n != int64(models.SchemaVersion()) {
			t.Errorf("run %d: %d rows in schema_migrations, want %d", run, n, models.SchemaVersion())
		}
	}
	t.Logf("%d runs × %d replicas: %d failures", runs, replicas, failures)
}

// The same on one SQLite file: its write lock (BEGIN IMMEDIATE) lets one
// process migrate while the others wait.
func TestConcurrentStartSQLite(t *testing.T) {
	for run := range 3 {
		dsn := filepath.Join(t.TempDir(), "duban.db")
		for i, err := range startReplicas(t, dsn, 3) {
			if err != nil {
				t.Errorf("run %d replica %d: %v", run, i, err)
			}
		}
	}
}

// startReplicas runs n copies of the test binary that open dsn at once and
// returns each one's failure.
func startReplicas(t *testing.T, dsn string, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), migrateChildEnv+"="+dsn)
			out, err := cmd.CombinedOutput()
			if err != nil {
				errs[i] = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
			}
		})
	}
	wg.Wait()
	return errs
}

// Databases made by older code open, upgraded, with their data: one from
// commit aa4d2f8 and one from the main branch just before versions, each
// after `duban seed`, a contact and reports (testdata/*.db, see
// testdata/README.md).
func TestUpgradeFromFixtures(t *testing.T) {
	for fixture, metrics := range map[string]int64{"aa4d2f8.db": 159, "preversions.db": 203} {
		t.Run(fixture, func(t *testing.T) {
			path := copyFixture(t, fixture)
			if _, err := models.OpenExisting(path, models.Options{}); !errors.Is(err, models.ErrSchemaOutdated) {
				t.Fatalf("read-only open of the old database: %v, want ErrSchemaOutdated", err)
			}
			st, err := models.Open(path, models.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.SchemaCurrent(); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			years, err := st.PlanYears(ctx)
			if err != nil || len(years) != 1 || years[0] != 2022 {
				t.Fatalf("plan years %v, %v", years, err)
			}
			d, tasks, m, err := st.Counts(ctx, 2022)
			if err != nil || d != 14 || tasks != 69 || m != metrics {
				t.Errorf("2022 plan: %d departments, %d tasks, %d metrics (%v)", d, tasks, m, err)
			}
			var reports int64
			st.DB().Table("reports").Count(&reports)
			if reports != 2 {
				t.Errorf("%d reports after the upgrade, want the fixture's 2", reports)
			}
			// Step 5: the reporting record's covering index replaces the
			// one it extends.
			if !st.DB().Migrator().HasIndex(&models.Report{}, "idx_report_first") {
				t.Error("no idx_report_first after the upgrade")
			}
			if st.DB().Migrator().HasIndex(&models.Report{}, "idx_report_metric_period") {
				t.Error("idx_report_metric_period survived the upgrade")
			}
			if err := st.SyncPlan(ctx, 2023, smallPlan()); err != nil {
				t.Errorf("a second plan year on the upgraded database: %v", err)
			}
		})
	}
}

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), name)
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A read-only open changes nothing: on an empty file it fails and creates
// no table; on a current database it reads.
func TestOpenExisting(t *testing.T) {
	dir := t.TempDir()
	if _, err := models.OpenExisting(filepath.Join(dir, "missing.db"), models.Options{}); err == nil {
		t.Error("a missing file opened")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("a read-only open created the file")
	}
	path := filepath.Join(dir, "duban.db")
	st, err := models.Open(path, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SyncPlan(context.Background(), 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ro, err := models.OpenExisting(path, models.Options{})
	if err != nil {
		t.Fatalf("current database: %v", err)
	}
	defer ro.Close()
	if years, err := ro.PlanYears(context.Background()); err != nil || len(years) != 1 {
		t.Errorf("read-only store: years %v, %v", years, err)
	}
}
