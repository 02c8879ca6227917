package bot

import (
	"fmt"
	"strings"

	"github.com/duban-bot/duban/progress"
)

// OverviewText is the city overview: one line per department, worst first,
// with its lights, share on pace and whether it reported this period.
func OverviewText(s progress.Snapshot) string {
	depts := append([]progress.DepartmentStatus(nil), s.Departments...)
	progress.SortWorstFirst(depts, func(d progress.DepartmentStatus) progress.Counts { return d.Counts })
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d年重点任务进度 %s（序时进度 %s）\n全市 %s\n\n", s.Year, s.Period, percent(s.Share), countsText(s.Counts))
	for _, d := range depts {
		mark := ""
		if d.ReportedThisPeriod == 0 {
			mark = " ⏰本期未报"
		}
		fmt.Fprintf(&sb, "%s %s %s 达序 %s%s\n", d.Counts.Worst().Emoji(), d.Name, countsText(d.Counts),
			percent(d.Counts.OnPaceShare()), mark)
	}
	return sb.String()
}
