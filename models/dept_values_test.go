package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

// Issue 11, point 1, on either database: the arrival reads the revision of
// the dialog department's reports; every report written moves it, and
// values cached at an older revision are read again.
func testDepartmentValues(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	dept, metric := plan[0].ID, plan[0].Tasks[0].Metrics[0].ID
	ids := []uint{metric}
	if err := st.SaveContact(ctx, &models.Contact{TelegramID: 9, Role: models.RoleContact, DepartmentID: &dept}); err != nil {
		t.Fatal(err)
	}
	d := &models.DialogState{ChatID: 9, State: `{"step":"tasks"}`, Version: 1, DepartmentID: &dept}
	if err := st.SaveDialogMarked(ctx, d, 1); err != nil {
		t.Fatal(err)
	}
	arrive := func(update int64) models.ReportStamp {
		t.Helper()
		a, err := st.Arrive(ctx, 9, 9, update)
		if err != nil {
			t.Fatal(err)
		}
		if a.Reports.Department != dept {
			t.Fatalf("stamp of department %d, want %d", a.Reports.Department, dept)
		}
		return a.Reports
	}
	latest := func(stamp models.ReportStamp) float64 {
		t.Helper()
		got, err := st.DepartmentLatest(ctx, stamp, "2022-05", ids)
		if err != nil {
			t.Fatal(err)
		}
		return got[metric].Value
	}
	s0 := arrive(2)
	if v := latest(s0); v != 0 {
		t.Fatalf("before any report: %v", v)
	}
	if err := st.SaveReport(ctx, &models.Report{MetricID: metric, Period: "2022-05", Value: 3, ReporterID: 9}); err != nil {
		t.Fatal(err)
	}
	s1 := arrive(3)
	if s1.Revision != s0.Revision+1 {
		t.Errorf("revision after a save = %d, want %d", s1.Revision, s0.Revision+1)
	}
	if v := latest(s1); v != 3 {
		t.Errorf("value after a save = %v, want 3 (the cache of the revision before must not answer)", v)
	}
	if err := st.InsertReports(ctx, []models.Report{{MetricID: metric, Period: "2022-04", Value: 1, ReporterID: 9}}); err != nil {
		t.Fatal(err)
	}
	if s2 := arrive(4); s2.Revision == s1.Revision {
		t.Error("a bulk insert did not move the revision")
	}
}

// Many contacts of one department confirm the same metric at once: every
// save succeeds, one value is current and every other is in the history.
// On PostgreSQL two of them used to supersede the same row, and the second
// insert broke the one-current-value index.
func testConcurrentSavesOfOneMetric(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	metric := plan[0].Tasks[0].Metrics[0].ID
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		go func() {
			key := fmt.Sprintf("concurrent-%d", i)
			_, err := st.SaveReportOnce(ctx, &models.Report{MetricID: metric, Period: "2022-05", Value: float64(i + 1), ReporterID: int64(100 + i), RequestKey: &key}, time.Minute)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	hist, err := st.MetricHistory(ctx, metric)
	if err != nil {
		t.Fatal(err)
	}
	current := 0
	for _, r := range hist {
		if r.SupersededAt == nil {
			current++
		}
	}
	if len(hist) != n || current != 1 {
		t.Fatalf("%d rows, %d current; want %d rows, 1 current", len(hist), current, n)
	}
}
