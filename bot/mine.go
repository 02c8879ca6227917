package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/duban-bot/duban/progress"
)

// snapshot builds the progress of the whole plan at the bot's now.
func (b *Bot) snapshot(ctx context.Context) (progress.Snapshot, error) {
	return progress.Build(ctx, b.st, progress.Options{
		At: b.now(), Loc: b.set.Loc, Period: b.currentPeriod(), Thresholds: b.set.Thresholds,
	})
}

// mine shows the contact's own department; coordinators are pointed to /status.
func (b *Bot) mine(ctx context.Context, r *request) error {
	if r.contact.DepartmentID == nil {
		return userError{msgMineCoordinator}
	}
	y, err := b.requirePlan(ctx, msgNothingToReport)
	if err != nil {
		return err
	}
	s, err := b.snapshotOf(ctx, y)
	if err != nil {
		return err
	}
	for _, d := range s.Departments {
		if d.ID == *r.contact.DepartmentID {
			// A large bureau's plan is more than one message holds.
			for _, part := range splitLines(DepartmentText(s, d), maxText) {
				b.answer(ctx, r, part)
			}
			return nil
		}
	}
	return userErrorf(msgDeptNoTasks, r.contact.Department.Name, y.Year)
}

// DepartmentText is one department's progress, task by task, as /mine and
// the /status drill-down show it.
func DepartmentText(s progress.Snapshot, d progress.DepartmentStatus) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, txtDeptHead, d.Name, s.Period, percent(s.Share), countsText(d.Counts))
	for _, t := range d.Tasks {
		fmt.Fprintf(&sb, "\n%s %d. %s\n", t.Counts.Worst().Emoji(), t.Seq, t.Title)
		for _, m := range t.Metrics {
			fmt.Fprintf(&sb, "  %s %s：%s / %s %s\n", m.Eval.Light.Emoji(), m.Metric.Name,
				metricLatest(m), targetShown(m.Metric), bar(m.Eval.Progress))
		}
	}
	return sb.String()
}

func metricLatest(m progress.MetricStatus) string {
	if m.Latest == nil {
		return txtNotReported
	}
	if m.AwaitingReview {
		return valueText(m.Metric, m.Latest.Value) + txtAwaitingReview
	}
	return valueText(m.Metric, m.Latest.Value)
}

func countsText(c progress.Counts) string {
	return fmt.Sprintf("🟢%d 🟡%d 🔴%d ⚪%d", c.Green, c.Yellow, c.Red, c.Grey)
}

// bar is a ten-cell text progress bar that reads well on a phone.
func bar(share float64) string {
	n := int(share*10 + 0.5)
	n = max(0, min(n, 10))
	return strings.Repeat("▓", n) + strings.Repeat("░", 10-n) + " " + percent(share)
}
