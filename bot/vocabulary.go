package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/quantity"
)

// countUnits are the units of things counted one by one: a computed figure
// in them (a projection, an amount still needed) is a whole number. Any
// other unit (万人, 亿元, %) is an amount, written with at most two decimals.
const countUnits = "家个人项起次座所件台户名场套辆条处批只支"

// computedText writes a computed figure (never a typed value) in the
// metric's unit: counts rounded to whole numbers (10.4722家 → 10家), amounts
// to two decimals.
func computedText(m models.Metric, v float64) string {
	if m.Kind == string(progress.KindMilestone) || m.Kind == string(progress.KindRank) {
		return valueText(m, math.Round(v))
	}
	if isCountUnit(m.Unit) {
		return quantity.Format(math.Round(v), m.Unit)
	}
	return quantity.Format(math.Round(v*100)/100, m.Unit)
}

// neededText writes an amount still needed per month: a count is rounded
// up (0.3家 a month still needs one), an amount up to two decimals.
func neededText(m models.Metric, v float64) string {
	if isCountUnit(m.Unit) {
		return quantity.Format(math.Ceil(v-1e-9), m.Unit)
	}
	return quantity.Format(math.Ceil(v*100-1e-9)/100, m.Unit)
}

func isCountUnit(unit string) bool {
	r := []rune(unit)
	return len(r) == 1 && strings.ContainsRune(countUnits, r[0])
}

// standingText says where a metric stands, each kind in its own terms:
//   - cumulative: 达到序时进度 / 落后序时 12.5 个百分点 (the only kind with a pace);
//   - rate or level: 8.1%，目标≥8.5%，差0.4个百分点 (差 in the metric's unit
//     when it is not a percentage; 达到目标 when met);
//   - rank: 第5名，目标前3名，差2名;
//   - cap: 未超过上限 / 已超过上限;
//   - milestone: its state against 年内完成.
func standingText(m progress.MetricStatus) string {
	if m.Latest == nil {
		return txtNeverReported
	}
	met, v := m.Metric, m.Latest.Value
	switch {
	case met.Kind == string(progress.KindMilestone):
		return fmt.Sprintf(txtMileStanding, milestoneLabel(v))
	case met.Kind == string(progress.KindRank):
		return rankStanding(met, v)
	case met.Kind == string(progress.KindRate):
		return rateStanding(met, v)
	case met.Direction == string(progress.AtMost):
		if m.Eval.Gap > 0 {
			return txtCapExceeded
		}
		return txtCapKept
	case m.Eval.Gap > 0:
		return fmt.Sprintf(txtBehind, fmtNum(m.Eval.Gap))
	}
	return txtOnPace
}

func rankStanding(m models.Metric, v float64) string {
	head := fmt.Sprintf(txtLevelHead, valueText(m, v), targetText(m))
	if v <= m.Target {
		return head + txtTargetMet
	}
	return head + fmt.Sprintf(txtRankShort, quantity.Format(v-m.Target, ""))
}

func rateStanding(m models.Metric, v float64) string {
	head := fmt.Sprintf(txtLevelHead, valueText(m, v), targetText(m))
	short := m.Target - v
	if m.Direction == string(progress.AtMost) {
		short = v - m.Target
	}
	if short <= 0 {
		return head + txtTargetMet
	}
	short = math.Round(short*100) / 100
	if m.Unit == "%" || m.Unit == "‰" {
		return head + fmt.Sprintf(txtRateShortPoints, quantity.Format(short, ""), pointsUnit(m.Unit))
	}
	return head + fmt.Sprintf(txtRateShort, quantity.Format(short, m.Unit))
}

func pointsUnit(unit string) string {
	if unit == "‰" {
		return txtPermillePoints
	}
	return txtPercentPoints
}

// weekTitle is the digest's week as the office writes it: 2022年第21周
// （05-23至05-29）, from the Monday's date.
func weekTitle(monday string) string {
	d, err := time.Parse(time.DateOnly, monday)
	if err != nil {
		return monday
	}
	year, week := d.ISOWeek()
	return fmt.Sprintf(txtWeekTitle, year, week, d.Format("01-02"), d.AddDate(0, 0, 6).Format("01-02"))
}
