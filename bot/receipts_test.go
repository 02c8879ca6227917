package bot_test

import (
	"strings"
	"testing"
)

// Who pressed ✅ 收到 is shown in /overdue (已收到未报送 apart from 未读未报)
// and in the coordinator's drill-down, with the year's reporting record
// (issue 12 points 2 and 3).
func TestReceiptsInOverdueAndDrillDown(t *testing.T) {
	h := newHarness(t)
	s := newScheduler(t, h)
	tickAt(t, h, s, at(5, 18, 9)) // blue reminders
	deliver(t, h)
	k := h.chat(kexie)
	k.Tap("收到")
	mustContain(t, h.lastToast(), "已确认收到")

	tickAt(t, h, s, at(5, 26, 10)) // past the deadline: yellow notices
	deliver(t, h)
	co := h.chat(coordinator)
	co.Send("/overdue")
	got := co.LastText()
	mustContain(t, lineOf(got, "市科协"), "⏰逾期未报｜已收到未报送（ID 2001 05-18 09:00 确认收到）")
	mustContain(t, lineOf(got, "市文联"), "⏰逾期未报｜未读未报（通知未确认收到）")

	co.Send("/status 市科协")
	got = co.LastText()
	mustContain(t, got, "2022-05 期通知：ID 2001 于 05-18 09:00 确认收到（蓝色提醒）")
	mustContain(t, got, "本年报送纪律：按时 0 ｜ 迟报 0 ｜ 未报 5")
	co.Send("/status 市文联")
	mustContain(t, co.LastText(), "2022-05 期通知：已发出，尚无人确认收到")

	// A contact's /status of their own department carries no record of others.
	k.Send("/status")
	if strings.Contains(k.LastText(), "本年报送纪律") {
		t.Errorf("a contact sees the coordinators' record:\n%s", k.LastText())
	}
}
