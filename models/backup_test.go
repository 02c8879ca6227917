package models_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/duban-bot/duban/models"
)

// A backup taken while another connection keeps writing reports is a
// whole database: it opens, passes SQLite's integrity check, and holds a
// prefix of the reports (every one committed before the copy, none torn).
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.db")
	st, err := models.Open(path, models.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	plan, _ := st.Plan(ctx, 2022)
	metric := plan[0].Tasks[0].Metrics[0].ID
	const writes = 200
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range writes {
			r := &models.Report{MetricID: metric, Period: fmt.Sprintf("p%03d", i), Value: float64(i), ReporterID: 1, ReportedAt: fixedNow()}
			if err := st.SaveReport(ctx, r); err != nil {
				t.Error(err)
				return
			}
		}
	})
	out := filepath.Join(dir, "copy.db")
	if err := models.Backup(ctx, path, out); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}
	copied, err := models.OpenExisting(out, models.Options{})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer copied.Close()
	var check string
	copied.DB().Raw("PRAGMA integrity_check").Scan(&check)
	if check != "ok" {
		t.Errorf("integrity_check: %s", check)
	}
	var n, maxPeriod int64
	copied.DB().Table("reports").Count(&n)
	copied.DB().Raw("SELECT COALESCE(MAX(CAST(SUBSTR(period, 2) AS INTEGER)) + 1, 0) FROM reports").Scan(&maxPeriod)
	if n != maxPeriod || n > writes {
		t.Errorf("backup holds %d reports, periods up to %d: not a prefix of the writes", n, maxPeriod)
	}
	t.Logf("backup taken after %d of %d writes", n, writes)
}

// Bad targets change nothing: an existing file is kept, PostgreSQL is
// referred to pg_dump, a missing database is not created.
func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.db")
	st, err := models.Open(path, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	existing := filepath.Join(dir, "exists.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := models.Backup(ctx, path, existing); err == nil {
		t.Error("backup over an existing file succeeded")
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file was changed: %q", b)
	}
	if err := models.Backup(ctx, "postgres://u@h/db", filepath.Join(dir, "pg.db")); !errors.Is(err, models.ErrBackupPostgres) {
		t.Errorf("postgres: %v", err)
	}
	if err := models.Backup(ctx, filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")); err == nil {
		t.Error("backup of a missing database succeeded")
	}
	for _, name := range []string{"none.db", "x.db", "pg.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was created", name)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".duban-backup-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
