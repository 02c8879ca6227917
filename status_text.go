package main

import (
	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/progress"
)

// statusText is what `duban status` prints: the same text /status shows.
func statusText(s progress.Snapshot) string {
	if len(s.Departments) == 1 {
		return bot.DepartmentText(s, s.Departments[0])
	}
	return bot.OverviewText(s)
}
