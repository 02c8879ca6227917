package export

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

var metricHeader = []string{
	"单位", "任务", "指标", "方向", "目标", "计量单位", "最新值", "所属期", "完成进度", "序时进度",
	"差距(百分点)", "灯色", "年末预计", "每月尚需", "报送人", "更新时间", "调整前目标",
}

var metricWidths = []float64{16, 34, 34, 8, 10, 9, 10, 10, 10, 10, 12, 8, 11, 11, 14, 17, 11}

// metricRow is one metric's line, shared by the sheet and the CSV.
type metricRow struct {
	dept, task string
	ms         progress.MetricStatus
	reporter   string
	updated    time.Time // zero when not reported
}

func (r metricRow) milestone() bool {
	return progress.Kind(r.ms.Metric.Kind) == progress.KindMilestone
}

// paced reports whether the metric is measured against 序时进度: only an
// at-least cumulative metric is; a rate, rank or cap must hold at every
// moment, so its 序时进度 column stays blank rather than reading 100%, and
// its 差距 is the shortfall in points of the target.
func (r metricRow) paced() bool {
	m := r.ms.Metric
	return progress.Kind(m.Kind) == progress.KindCumulative && progress.Direction(m.Direction) != progress.AtMost
}

// lightText is the light's label, or 待审核 for a value that waits for
// approved evidence.
func (r metricRow) lightText() string {
	if r.ms.AwaitingReview {
		return EvidenceStatusLabel(models.ReviewPending)
	}
	return LightLabel(r.ms.Eval.Light)
}

// eachMetric calls fn for every metric of snap in plan order.
func eachMetric(snap progress.Snapshot, set settings, fn func(metricRow) error) error {
	for _, d := range snap.Departments {
		for _, t := range d.Tasks {
			task := fmt.Sprintf("%d. %s", t.Seq, t.Title)
			for _, ms := range t.Metrics {
				r := metricRow{dept: d.Name, task: task, ms: ms}
				if ms.Latest != nil {
					r.reporter = set.reporterName(ms.Latest.ReporterID, ms.Latest.OnBehalf)
					r.updated = ms.Latest.ReportedAt.In(set.loc)
				}
				if err := fn(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s settings) reporterName(id int64, onBehalf bool) string {
	name, ok := s.reporters[id]
	if !ok {
		name = strconv.FormatInt(id, 10)
	}
	if onBehalf {
		name += "(代报)"
	}
	return name
}

func writeMetrics(sw *excelize.StreamWriter, st styles, snap progress.Snapshot, set settings) error {
	if err := setWidths(sw, metricWidths); err != nil {
		return err
	}
	if err := freezeRows(sw, 1); err != nil {
		return err
	}
	if err := headerRow(sw, st, 1, metricHeader); err != nil {
		return err
	}
	// One row of cells, refilled for each metric and handed to the stream
	// writer by pointer: boxing 850,000 cells one by one was a fifth of
	// what a city's workbook allocated.
	var cells []excelize.Cell
	var values []any
	n := 2
	return eachMetric(snap, set, func(r metricRow) error {
		cells = metricCells(cells[:0], st, r)
		values = values[:0]
		for i := range cells {
			values = append(values, &cells[i])
		}
		n++
		return row(sw, n-1, values...)
	})
}

// metricCells appends a metric's row to cells: its values, then the target
// before the latest mid-year change (blank when the target never changed).
func metricCells(cells []excelize.Cell, st styles, r metricRow) []excelize.Cell {
	prior := excelize.Cell{StyleID: st.number}
	if p := r.ms.Metric.PriorTarget; p != nil {
		prior.Value = *p
	}
	return append(metricValueCells(cells, st, r), prior)
}

func metricValueCells(cells []excelize.Cell, st styles, r metricRow) []excelize.Cell {
	m, e := r.ms.Metric, r.ms.Eval
	cells = append(cells,
		excelize.Cell{StyleID: st.text, Value: r.dept},
		excelize.Cell{StyleID: st.wrap, Value: r.task},
		excelize.Cell{StyleID: st.wrap, Value: m.Name},
		excelize.Cell{StyleID: st.text, Value: directionLabel(m.Kind, m.Direction)},
		excelize.Cell{StyleID: st.number, Value: m.Target},
		excelize.Cell{StyleID: st.text, Value: m.Unit},
	)
	if r.milestone() {
		cells[len(cells)-2] = excelize.Cell{StyleID: st.text, Value: MilestoneLabel(m.Target)}
	}
	if r.ms.Latest == nil {
		blank := excelize.Cell{StyleID: st.text}
		cells = append(cells, blank, blank, blank, blank, blank,
			excelize.Cell{StyleID: st.light[progress.Grey], Value: LightLabel(progress.Grey)},
			blank, blank, blank, blank)
		return cells
	}
	latest, projection := any(r.ms.Latest.Value), any(round2(e.Projection))
	if r.milestone() {
		latest, projection = MilestoneLabel(r.ms.Latest.Value), MilestoneLabel(e.Projection)
	}
	var monthly, pace any
	if e.MonthlyNeeded > 0 {
		monthly = round2(e.MonthlyNeeded)
	}
	if r.paced() || r.milestone() {
		pace = e.Pace
	}
	return append(cells,
		excelize.Cell{StyleID: st.number, Value: latest},
		excelize.Cell{StyleID: st.text, Value: r.ms.Latest.Period},
		excelize.Cell{StyleID: st.percent, Value: e.Progress},
		excelize.Cell{StyleID: st.percent, Value: pace},
		excelize.Cell{StyleID: st.number, Value: round2(e.Gap)},
		excelize.Cell{StyleID: st.light[e.Light], Value: r.lightText()},
		excelize.Cell{StyleID: st.number, Value: projection},
		excelize.Cell{StyleID: st.number, Value: monthly},
		excelize.Cell{StyleID: st.text, Value: r.reporter},
		excelize.Cell{StyleID: st.date, Value: r.updated},
	)
}

// round2 rounds to two decimals: enough for every unit in the plan (万人,
// 亿元, %), and it keeps 166.66666666666666 out of the cells.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
