package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/duban-bot/duban/progress"
)

// utf8BOM makes Excel read the file as UTF-8 instead of the system's
// ANSI code page, which garbles Chinese.
const utf8BOM = "\ufeff"

// WriteCSV writes the 指标明细 sheet as CSV, UTF-8 with a byte-order mark.
// Progress and pace are percentages (42.5 means 42.5 %); dates are
// "2006-01-02 15:04" in the export's zone.
func WriteCSV(w io.Writer, snap progress.Snapshot, opts ...Option) error {
	set := newSettings(snap, opts)
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	cw := csv.NewWriter(w)
	header := append([]string(nil), metricHeader...)
	header[8], header[9] = "完成进度(%)", "序时进度(%)"
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	err := eachMetric(snap, set, func(r metricRow) error { return cw.Write(safeRecord(metricRecord(r))) })
	if err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

// metricRecord is a metric's row, as metricCells.
func metricRecord(r metricRow) []string {
	prior := ""
	if p := r.ms.Metric.PriorTarget; p != nil {
		prior = number(*p)
	}
	return append(metricValueRecord(r), prior)
}

func metricValueRecord(r metricRow) []string {
	m, e := r.ms.Metric, r.ms.Eval
	target := number(m.Target)
	if r.milestone() {
		target = MilestoneLabel(m.Target)
	}
	rec := []string{r.dept, r.task, m.Name, directionLabel(m.Kind, m.Direction), target, m.Unit}
	if r.ms.Latest == nil {
		return append(rec, "", "", "", "", "", LightLabel(progress.Grey), "", "", "", "")
	}
	latest, projection := number(r.ms.Latest.Value), number(e.Projection)
	if r.milestone() {
		latest, projection = MilestoneLabel(r.ms.Latest.Value), MilestoneLabel(e.Projection)
	}
	monthly := ""
	if e.MonthlyNeeded > 0 {
		monthly = number(e.MonthlyNeeded)
	}
	pace := ""
	if r.paced() || r.milestone() {
		pace = number(e.Pace * 100)
	}
	return append(rec, latest, r.ms.Latest.Period, number(e.Progress*100), pace,
		number(e.Gap), r.lightText(), projection, monthly, r.reporter, r.updated.Format("2006-01-02 15:04"))
}

// number writes v rounded to two decimals, without trailing zeros.
func number(v float64) string { return strconv.FormatFloat(round2(v), 'f', -1, 64) }
