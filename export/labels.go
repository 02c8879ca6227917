package export

import (
	"fmt"
	"strconv"

	"github.com/duban-bot/duban/progress"
)

// LightLabel names a light as the 通报 does.
func LightLabel(l progress.Light) string {
	switch l {
	case progress.Green:
		return "绿灯"
	case progress.Yellow:
		return "黄灯"
	case progress.Red:
		return "红灯"
	}
	return "灰灯"
}

// MilestoneLabel names a milestone's state; a value between the states is in
// progress, as progress.Evaluate counts it.
func MilestoneLabel(v float64) string {
	switch {
	case v >= progress.MilestoneDone:
		return "已完成"
	case v > progress.MilestoneNotStarted:
		return "推进中"
	}
	return "未启动"
}

// directionLabel says which side of the target is good.
func directionLabel(kind, direction string) string {
	if progress.Kind(kind) == progress.KindRank || progress.Direction(direction) == progress.AtMost {
		return "不高于"
	}
	return "不低于"
}

// PeriodLabel writes a period key in Chinese: 2022-05 → 2022年5月,
// 2022-Q2 → 2022年第2季度, 2022-W18 → 2022年第18周. An unknown key is
// returned as it is.
func PeriodLabel(key string) string {
	if len(key) < 6 || key[4] != '-' {
		return key
	}
	year, rest := key[:4], key[5:]
	var unit, format string
	switch rest[0] {
	case 'Q':
		unit, format, rest = "季度", "%s年第%d%s", rest[1:]
	case 'W':
		unit, format, rest = "周", "%s年第%d%s", rest[1:]
	default:
		unit, format = "月", "%s年%d%s"
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return key
	}
	return fmt.Sprintf(format, year, n, unit)
}

// DefaultIssuer heads the 通报 sheet: the shipped plan is Huzhou's.
const DefaultIssuer = "湖州市"
