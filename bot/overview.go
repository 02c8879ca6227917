package bot

import (
	"fmt"
	"strings"

	"github.com/duban-bot/duban/progress"
)

// OverviewText is the city overview: one line per department, worst first,
// with its lights, share on pace and whether it reported this period.
func OverviewText(s progress.Snapshot) string {
	return OverviewTextMarked(s, worstFirst(s.Departments), nil)
}

// OverviewTextMarked writes the overview of depts in their given order;
// marks add an overdue or extension note per department id.
func OverviewTextMarked(s progress.Snapshot, depts []progress.DepartmentStatus, marks map[uint]string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d年重点任务进度 %s（序时进度 %s）\n全市 %s\n\n", s.Year, s.Period, percent(s.Share), countsText(s.Counts))
	for _, d := range depts {
		mark := marks[d.ID]
		if marks == nil && d.ReportedThisPeriod < d.Metrics() {
			mark = "本期未报齐"
		}
		if mark != "" {
			mark = " " + mark
		}
		fmt.Fprintf(&sb, "%s %s %s 达序 %s%s\n", d.Counts.Worst().Emoji(), d.Name, countsText(d.Counts),
			percent(d.Counts.OnPaceShare()), mark)
	}
	return sb.String()
}
