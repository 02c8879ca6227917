package models_test

import (
	"context"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

func TestMetricReportCountsSQLite(t *testing.T) { testMetricReportCounts(t, openSQLite) }

func TestMetricReportCountsPostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	testMetricReportCounts(t, openPostgres)
}

// Two values and a correction on one metric, none on the other: the count
// is three for the first (superseded rows count) and the second is absent.
func testMetricReportCounts(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	mid := plan[0].Tasks[0].Metrics[0].ID
	for _, r := range []models.Report{
		{MetricID: mid, Period: "2022-04", Value: 1, ReporterID: 1},
		{MetricID: mid, Period: "2022-05", Value: 2, ReporterID: 1},
		{MetricID: mid, Period: "2022-05", Value: 3, ReporterID: 1},
	} {
		if err := st.SaveReport(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.MetricReportCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[models.MetricKey]int64{{Department: "市科协", TaskSeq: 1, Metric: "新建工作站"}: 3}
	if len(got) != len(want) || got[models.MetricKey{Department: "市科协", TaskSeq: 1, Metric: "新建工作站"}] != 3 {
		t.Fatalf("counts = %v, want %v", got, want)
	}
}
