package export_test

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/chart"
	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

// BenchmarkCity measures the overview and the export on the city
// of 1,000 departments × 10 tasks × 5 metrics with 12 months of reports
// (600,000 current values), built once into a temporary SQLite file:
//
//	go test ./export -run '^$' -bench BenchmarkCity -benchtime 60x
//
// Each part reports p50/p95 over at least 50 runs and the peak heap growth
// during one run.
func BenchmarkCity(b *testing.B) {
	ctx := context.Background()
	st := plangen.NewStore(b)
	start := time.Now()
	if _, err := plangen.Create(ctx, st, 2022, plangen.Shape{Departments: 1000, Tasks: 10, Metrics: 5}, 1); err != nil {
		b.Fatal(err)
	}
	sum, err := plangen.Fill(ctx, st, plangen.History{Periods: 12, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d current and %d superseded reports in %v", sum.Current, sum.Superseded, time.Since(start))
	at := time.Date(2022, time.December, 31, 12, 0, 0, 0, shanghai)
	opts := progress.Options{At: at, Loc: shanghai, Period: "2022-12", Thresholds: progress.DefaultThresholds()}
	build := func() progress.Snapshot {
		s, err := progress.Build(ctx, st, opts)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	b.Run("Build", func(b *testing.B) { measure(b, func() { build() }) })
	snap := build()
	b.Run("Discipline", func(b *testing.B) {
		measure(b, func() { discipline(b, st, snap) })
	})
	d := discipline(b, st, snap)
	b.Run("WriteXLSX", func(b *testing.B) {
		measure(b, func() {
			if err := export.WriteXLSX(io.Discard, snap, export.WithDiscipline(d)); err != nil {
				b.Fatal(err)
			}
		})
	})
	// Write is the whole /export: snapshot, reporting record, receipts,
	// evidence list and the workbook with every sheet, from the store.
	b.Run("Write", func(b *testing.B) {
		req := export.Request{At: at, Loc: shanghai, Thresholds: progress.DefaultThresholds()}
		measure(b, func() {
			if err := export.Write(ctx, st, req, export.XLSX, io.Discard); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("OverviewPNG", func(b *testing.B) {
		measure(b, func() {
			if _, err := chart.OverviewPNG(snap); err != nil {
				b.Fatal(err)
			}
		})
	})
}

func discipline(b *testing.B, st *models.Store, snap progress.Snapshot) progress.Discipline {
	d, err := progress.BuildDiscipline(context.Background(), st, snap, calendar.Schedule{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// minSamples is how many runs the percentiles are taken over at least.
const minSamples = 50

// measure times op in the benchmark loop, tops the samples up to
// minSamples outside it, and reports p50, p95 and the peak heap growth of
// one run.
func measure(b *testing.B, op func()) {
	b.ReportAllocs()
	var samples []time.Duration
	for b.Loop() {
		t0 := time.Now()
		op()
		samples = append(samples, time.Since(t0))
	}
	for len(samples) < minSamples {
		t0 := time.Now()
		op()
		samples = append(samples, time.Since(t0))
	}
	slices.Sort(samples)
	ms := func(q float64) float64 {
		return float64(samples[int(q*float64(len(samples)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
	b.ReportMetric(float64(plangen.PeakHeap(op))/(1<<20), "peak-heap-MB")
}
