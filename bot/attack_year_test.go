package bot_test

import (
	"testing"
	"time"
)

// The plan year's last period is reported in January, after the year has
// turned: December's values (the year-end figures) can still be filed,
// whether or not next year's plan is loaded yet.
func TestDecemberIsReportableInJanuary(t *testing.T) {
	t.Run("no 2023 plan yet", func(t *testing.T) {
		h := newHarness(t)
		h.clk.Set(time.Date(2023, 1, 6, 10, 0, 0, 0, shanghai))
		c := h.chat(tester)
		c.Send("/report")
		reportDecember(t, h, c)
	})
	t.Run("开始填报 of December's notice, no 2023 plan yet", func(t *testing.T) {
		h := newHarness(t)
		h.clk.Set(time.Date(2023, 1, 6, 10, 0, 0, 0, shanghai))
		c := h.chat(tester)
		c.TapData("go:report", 999)
		reportDecember(t, h, c)
	})
	t.Run("2023 plan loaded", func(t *testing.T) {
		h := newHarness(t)
		h.loadYear(2023, testDepartment())
		h.clk.Set(time.Date(2023, 1, 6, 10, 0, 0, 0, shanghai))
		c := h.chat(tester)
		c.Send("/report")
		mustContain(t, c.LastText(), "2023-01")
		c.Tap("补报往期")
		c.Tap("2022-12")
		reportDecember(t, h, c)
	})
}

func reportDecember(t *testing.T, h *harness, c interface {
	Send(string)
	Tap(string)
	LastText() string
}) {
	t.Helper()
	mustContain(t, c.LastText(), "2022-12")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("2万人")
	c.Tap("确认保存")
	assertCurrent(t, h, "培训人数", "2022-12", 2)
	for _, r := range h.reports("培训人数") {
		if !r.Late {
			t.Errorf("December's value filed in January is not marked late: %+v", r)
		}
	}
}

// A contact opens /report on 20 May and comes back to the same screen on
// 10 June: the value still goes to May, the period the dialog was opened
// for. The read-back must say so — the period, and that it is a late
// report — or June's figure is filed as May's while June stays unreported.
func TestReadBackNamesAPeriodThatHasEnded(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	h.clk.Set(time.Date(2022, 6, 10, 9, 0, 0, 0, shanghai))
	c.Send("1万人")
	mustContain(t, c.LastText(), "2022-05")
	mustContain(t, c.LastText(), "补报")
	c.Tap("确认保存")
	assertCurrent(t, h, "培训人数", "2022-05", 1)
}
