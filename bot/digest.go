package bot

import (
	"fmt"
	"strings"

	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/scheduler"
)

// RenderDigest is the Monday summary for the coordinators' group: the city,
// each department worst first with its change since last week, who is
// overdue or extended, and the metrics furthest behind. The scheduler splits
// it at Telegram's 4096 characters, at line breaks. Its 📊 图表 button asks
// for the PNG of every department's lights, sent to the group.
func (rd Renderer) RenderDigest(d scheduler.Digest) []scheduler.Message {
	var sb strings.Builder
	s := d.Snapshot
	fmt.Fprintf(&sb, dgHead, weekTitle(d.Week), percent(s.Share), s.Counts.Total(), lightCounts(s.Counts))
	for _, ds := range worstFirst(s.Departments) {
		fmt.Fprintf(&sb, "%s %s %s%s\n", ds.Counts.Worst().Emoji(), ds.Name, lightCounts(ds.Counts),
			rd.weekChange(d, ds))
	}
	rd.overdueSection(&sb, d)
	rd.riskSection(&sb, d)
	chart := [][]scheduler.Button{{{Text: btnChart, Data: statusPrefix + "c"}}}
	return []scheduler.Message{{Text: strings.TrimSpace(sb.String()), Buttons: chart}}
}

// weekChange says what moved since last week: greens gained or lost, reds,
// and how many values were filed.
func (rd Renderer) weekChange(d scheduler.Digest, ds progress.DepartmentStatus) string {
	prev, ok := d.Previous[ds.ID]
	var parts []string
	if ok {
		if n := ds.Counts.Green - prev.Green; n != 0 {
			parts = append(parts, fmt.Sprintf(dgGreenDelta, n))
		}
		if n := ds.Counts.Red - prev.Red; n != 0 {
			parts = append(parts, fmt.Sprintf(dgRedDelta, n))
		}
	}
	if n := d.ReportedThisWeek[ds.ID]; n > 0 {
		parts = append(parts, fmt.Sprintf(dgFiled, n))
	} else {
		parts = append(parts, dgNoneFiled)
	}
	return fmt.Sprintf(dgChange, strings.Join(parts, "，"))
}

func (rd Renderer) overdueSection(sb *strings.Builder, d scheduler.Digest) {
	if len(d.Overdue) == 0 && len(d.Extensions) == 0 {
		fmt.Fprintf(sb, dgAllReported, d.OverduePeriod)
		return
	}
	if len(d.Overdue) > 0 {
		fmt.Fprintf(sb, dgOverdueHead, d.OverduePeriod, len(d.Overdue))
		for _, o := range d.Overdue {
			fmt.Fprintf(sb, dgOverdueLine, o.Department.Name, o.Metrics-o.Missing, o.Metrics)
		}
	}
	if len(d.Extensions) > 0 {
		sb.WriteString(dgExtHead)
		for _, e := range d.Extensions {
			fmt.Fprintf(sb, dgExtLine, e.Department.Name, e.Period, rd.when(e.Until))
			if e.Reason != "" {
				fmt.Fprintf(sb, dgExtReason, quote(e.Reason, 30))
			}
			sb.WriteString("\n")
		}
	}
}

func (rd Renderer) riskSection(sb *strings.Builder, d scheduler.Digest) {
	if len(d.Risky) == 0 {
		return
	}
	sb.WriteString(dgRiskHead)
	for i, r := range d.Risky {
		m := r.Metric
		fmt.Fprintf(sb, "%d. %s %s · %s：%s，%s\n", i+1, m.Eval.Light.Emoji(), r.Department.Name,
			shorten(r.Task, 14), m.Metric.Name, paceLine(m))
	}
}
