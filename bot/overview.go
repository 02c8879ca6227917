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
	fmt.Fprintf(&sb, txtCityHead, s.Year, s.Period, percent(s.Share), countsText(s.Counts))
	for _, d := range depts {
		mark := marks[d.ID]
		if marks == nil && d.ReportedThisPeriod < d.Metrics() {
			mark = markIncomplete
		}
		if mark != "" {
			mark = " " + mark
		}
		fmt.Fprintf(&sb, txtCityLine, d.Counts.Worst().Emoji(), d.Name, countsText(d.Counts),
			percent(d.Counts.OnPaceShare()), mark)
	}
	return sb.String()
}
