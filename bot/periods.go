package bot

import (
	"context"
	"time"

	"github.com/duban-bot/duban/progress"
)

// currentPeriod is the reporting period at the bot's now.
func (b *Bot) currentPeriod() string {
	return b.set.Schedule.PeriodAt(b.now().In(b.set.Loc)).Key
}

// lateChoices are the past periods a contact may still report, most recent
// first (at most six). They reach back into the previous year: in January
// the year-end figures of December are the ones most often filed late.
func (b *Bot) lateChoices() []string {
	now := b.now().In(b.set.Loc)
	var out []string
	for _, year := range []int{now.Year() - 1, now.Year()} {
		for _, p := range b.set.Schedule.PeriodsOfYear(year) {
			if !p.End.After(now) {
				out = append([]string{p.Key}, out...)
			}
		}
	}
	if len(out) > 6 {
		out = out[:6]
	}
	return out
}

// isLate reports whether a value for period filed now is late: after the
// period's deadline.
func (b *Bot) isLate(period string) bool {
	p, err := b.set.Schedule.PeriodByKey(period)
	if err != nil {
		return false
	}
	return b.now().After(b.set.Schedule.Deadline(b.set.Calendar, p))
}

// shareAt is 序时进度 for a read-back: now for the current period, the
// period's end for a past one.
func (b *Bot) shareAt(_ context.Context, period string) float64 {
	at := b.now()
	if p, err := b.set.Schedule.PeriodByKey(period); err == nil && p.End.Before(at) {
		at = p.End.Add(-time.Second)
	}
	return progress.YearShare(b.periodYear(period), at, b.set.Loc)
}
