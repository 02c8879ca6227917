package scheduler

import (
	"fmt"
	"strings"
)

// PlainRenderer renders notices as plain, structured English text. It is
// the stand-in for the bot's zh-CN renderer: tests read its texts, and it
// carries the same buttons and callback data the bot's messages carry.
type PlainRenderer struct{}

var _ Renderer = PlainRenderer{}

// plainLabels are PlainRenderer's button texts.
var plainLabels = ButtonLabels{Report: "Report now", Ack: "Got it", Extend: "Ask for more time"}

const plainClock = "2006-01-02 15:04"

// RenderReminder names the rung, the department, the deadline and every
// metric still missing.
func (PlainRenderer) RenderReminder(r Reminder) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s: %d of %d metrics missing for %s\n", r.Rung, r.Department.Name, len(r.Missing), r.Metrics, r.Period)
	fmt.Fprintf(&b, "Deadline: %s%s\n", r.Deadline.Format(plainClock), extendedMark(r.Extended))
	if r.OnLeave != nil {
		fmt.Fprintf(&b, "Covering for %s, on leave\n", personName(*r.OnLeave))
	}
	for _, m := range r.Missing {
		fmt.Fprintf(&b, "- task %d %s: %s%s\n", m.TaskSeq, m.Task, m.Name, unitMark(m.Unit))
	}
	return Message{Text: strings.TrimSuffix(b.String(), "\n"), Buttons: ReminderButtons(r, plainLabels)}
}

// RenderOverdue lists the overdue departments, who was told and who is away.
func (PlainRenderer) RenderOverdue(o Overdue) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] Overdue for %s: %d departments\n", o.Rung, o.Period, len(o.Departments))
	for _, d := range o.Departments {
		b.WriteString(overdueLine(d))
	}
	return Message{Text: strings.TrimSuffix(b.String(), "\n"), Buttons: OverdueButtons(o, plainLabels)}
}

func overdueLine(d OverdueDepartment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- %s: %d of %d missing, deadline %s%s", d.Department.Name, d.Missing, d.Metrics,
		d.Deadline.Format(plainClock), extendedMark(d.Extended))
	if len(d.Notified) > 0 {
		names := make([]string, len(d.Notified))
		for i, p := range d.Notified {
			names[i] = personName(p)
		}
		fmt.Fprintf(&b, "; notified %s", strings.Join(names, ", "))
	} else {
		b.WriteString("; nobody bound to notify")
	}
	if d.OnLeave != nil {
		fmt.Fprintf(&b, "; %s on leave", personName(*d.OnLeave))
	}
	return b.String() + "\n"
}

// RenderDigest is one message; the scheduler splits it when it is long.
func (PlainRenderer) RenderDigest(d Digest) []Message {
	var b strings.Builder
	s := d.Snapshot
	fmt.Fprintf(&b, "Weekly digest %s (as of %s)\n", d.Week, d.At.Format(plainClock))
	fmt.Fprintf(&b, "Year share %.1f%%: %s\n", s.Share*100, countsText(s.Counts.Green, s.Counts.Yellow, s.Counts.Red, s.Counts.Grey))
	for _, ds := range s.Departments {
		prev := d.Previous[ds.ID]
		fmt.Fprintf(&b, "- %s: %s (a week ago %s), %d values this week\n", ds.Name,
			countsText(ds.Counts.Green, ds.Counts.Yellow, ds.Counts.Red, ds.Counts.Grey),
			countsText(prev.Green, prev.Yellow, prev.Red, prev.Grey), d.ReportedThisWeek[ds.ID])
	}
	fmt.Fprintf(&b, "Overdue for %s: %d\n", d.OverduePeriod, len(d.Overdue))
	for _, o := range d.Overdue {
		fmt.Fprintf(&b, "- %s: %d of %d missing\n", o.Department.Name, o.Missing, o.Metrics)
	}
	for _, e := range d.Extensions {
		fmt.Fprintf(&b, "Extension: %s %s until %s %s\n", e.Department.Name, e.Period, e.Until.Format(plainClock), e.Reason)
	}
	for _, r := range d.Risky {
		fmt.Fprintf(&b, "Behind: %s task %s, %s by %.1f points\n", r.Department.Name, r.Task, r.Metric.Metric.Name, r.Metric.Eval.Gap)
	}
	return []Message{{Text: strings.TrimSuffix(b.String(), "\n")}}
}

func countsText(green, yellow, red, grey int) string {
	return fmt.Sprintf("green %d, yellow %d, red %d, grey %d", green, yellow, red, grey)
}

func personName(p Person) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprintf("user %d", p.TelegramID)
}

func extendedMark(extended bool) string {
	if extended {
		return " (extended)"
	}
	return ""
}

func unitMark(unit string) string {
	if unit == "" {
		return ""
	}
	return " (" + unit + ")"
}
