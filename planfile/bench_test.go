package planfile_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/seeds"
)

// bigPlan is 1,000 departments × 10 tasks × 3 metrics (30,000 metric rows).
func bigPlan() seeds.Plan {
	return seeds.FromModels(2023, plangen.Synthetic(plangen.Shape{Departments: 1000, Tasks: 10, Metrics: 3}, 7))
}

// BenchmarkReadXLSX reads a workbook of 1,000 departments × 10 tasks
// (30,001 rows) through excelize's streaming Rows.
func BenchmarkReadXLSX(b *testing.B) {
	p := bigPlan()
	data := write(b, "big.xlsx", p)
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	read := func() {
		got, _, err := planfile.Read("big.xlsx", bytes.NewReader(data), planfile.Options{Year: 2023})
		if err != nil || len(got.Departments) != 1000 {
			b.Fatalf("read %d departments: %v", len(got.Departments), err)
		}
	}
	measure(b, read)
}

// BenchmarkImportXLSX reads the same workbook and loads it into an empty
// SQLite store, as `duban import` does.
func BenchmarkImportXLSX(b *testing.B) {
	data := write(b, "big.xlsx", bigPlan())
	ctx := context.Background()
	measure(b, func() {
		st := plangen.NewStore(b)
		got, _, err := planfile.Read("big.xlsx", bytes.NewReader(data), planfile.Options{Year: 2023})
		if err != nil {
			b.Fatal(err)
		}
		if err := seeds.Load(ctx, st, got); err != nil {
			b.Fatal(err)
		}
	})
}

// measure times op in the loop and reports the peak heap growth of one run.
func measure(b *testing.B, op func()) {
	b.ReportAllocs()
	var total time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		op()
		total += time.Since(t0)
		n++
	}
	b.ReportMetric(float64(total)/float64(n)/float64(time.Millisecond), "ms/import")
	b.ReportMetric(float64(plangen.PeakHeap(op))/(1<<20), "peak-heap-MB")
}
