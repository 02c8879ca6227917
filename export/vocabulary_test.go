package export_test

import (
	"fmt"
	"testing"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/progress"
)

// In 指标明细 a rate or rank has no 序时进度 (it must hold at every moment;
// the column used to read 100%) while a cumulative metric has it, and the
// gap column is named for every kind (issue 12 point 5).
func TestMetricSheetShowsPaceOnlyForCumulative(t *testing.T) {
	snap, d := generatedYear(t)
	f := openWorkbook(t, snap, export.WithDiscipline(d), export.WithLocation(shanghai))
	const sheet = "指标明细"
	if got := cell(t, f, sheet, "K1"); got != "差距(百分点)" {
		t.Errorf("K1 = %q", got)
	}
	seen := map[progress.Kind]bool{}
	for _, dept := range snap.Departments {
		for _, task := range dept.Tasks {
			for _, m := range task.Metrics {
				k := progress.Kind(m.Metric.Kind)
				if m.Latest == nil || seen[k] || k == progress.KindMilestone || (k != progress.KindRank && m.Metric.Direction == "at_most") {
					continue
				}
				seen[k] = true
				r := rowWhere(t, f, sheet, 0, dept.Name, 2, m.Metric.Name)
				pace := cell(t, f, sheet, fmt.Sprintf("J%d", r))
				if (k == progress.KindCumulative) == (pace == "") {
					t.Errorf("%s %s (%s): 序时进度 %q", dept.Name, m.Metric.Name, k, pace)
				}
			}
		}
	}
	if !seen[progress.KindRate] || !seen[progress.KindRank] || !seen[progress.KindCumulative] {
		t.Fatalf("the generated year lacks a kind: %v", seen)
	}
}
