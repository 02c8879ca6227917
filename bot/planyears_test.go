package bot_test

import (
	"strings"
	"testing"
	"time"
)

// The bot's clock in December 2026 with only the 2022 plan loaded: nobody
// is asked to report, everybody is told plainly why, and /status 2022 still
// reads 2022 as it ended, drill-down included.
func TestNoPlanForTodaysYear(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h) // 2022-05 values, read later through /status 2022
	h.clk.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai))
	coord, contact := h.chat(coordinator), h.chat(tester)
	cases := []struct {
		name    string
		chat    func() string
		want    []string
		notWant []string
	}{
		{"coordinator /status names the year, the years loaded and the import command",
			func() string { coord.Send("/status"); return coord.LastText() },
			[]string{"尚未导入2026年的计划", "已有计划的年份：2022", "/status 2022", "duban import FILE --year 2026"},
			[]string{"序时进度"}},
		{"contact /status: the same, without the command",
			func() string { contact.Send("/status"); return contact.LastText() },
			[]string{"尚未导入2026年的计划", "2022"}, []string{"duban import"}},
		{"contact taps 开始填报 on an old reminder: one toast says why",
			func() string {
				contact.TapData("go:report", 999)
				calls := h.srv.Calls("answerCallbackQuery")
				return calls[len(calls)-1].Form.Get("text") + contact.LastText()
			},
			[]string{"2026年的计划尚未导入，今年没有需要填报的任务"}, []string{"测试任务"}},
		{"contact /report: nothing to report this year",
			func() string { contact.Send("/report"); return contact.LastText() },
			[]string{"2026年的计划尚未导入，今年没有需要填报的任务"}, []string{"测试任务"}},
		{"contact /mine", func() string { contact.Send("/mine"); return contact.LastText() },
			[]string{"2026年的计划尚未导入"}, nil},
		{"coordinator /overdue", func() string { coord.Send("/overdue"); return coord.LastText() },
			[]string{"2026年的计划尚未导入"}, []string{"2026-11"}},
		{"coordinator /status 2022: the year as it ended",
			func() string { coord.Send("/status 2022"); return coord.LastText() },
			[]string{"2022年重点任务进度 2022-12（序时进度 100%）", "市测试办"}, []string{"尚未导入"}},
		{"drill-down stays in 2022",
			func() string { coord.Tap("市测试办"); return coord.LastText() },
			[]string{"「市测试办」2022-12 进度", "培训人数：0.5万人"}, nil},
		{"to a metric's history",
			func() string { coord.Tap("测试任务"); coord.Tap("培训人数"); return coord.LastText() },
			[]string{"2022-05  0.5万人"}, nil},
		{"/status of a year never loaded",
			func() string { coord.Send("/status 2019"); return coord.LastText() },
			[]string{"没有2019年的计划", "已有计划的年份：2022"}, []string{"本年度"}},
		{"contact /status 2022: their own department of 2022",
			func() string { contact.Send("/status 2022"); return contact.LastText() },
			[]string{"「市测试办」2022-12 进度"}, nil},
	}
	for _, tc := range cases {
		got := tc.chat()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q should not contain %q", tc.name, got, w)
			}
		}
	}
}

// In a year the holiday file does not cover, coordinators' /status starts
// with a one-line notice; contacts do not get it, nor does a covered year.
func TestHolidayNoticeForAnUncoveredYear(t *testing.T) {
	h := newHarness(t)
	coord, contact := h.chat(coordinator), h.chat(tester)
	coord.Send("/status")
	if got := coord.LastText(); strings.Contains(got, "节假日数据") {
		t.Errorf("2022 is covered, yet: %q", got)
	}
	h.clk.Set(time.Date(2027, 1, 5, 9, 0, 0, 0, shanghai))
	coord.Send("/status 2022")
	got := coord.LastText()
	if first, _, _ := strings.Cut(got, "\n"); !strings.Contains(first, "缺少2027年的节假日数据") || !strings.Contains(first, "DUBAN_HOLIDAYS") {
		t.Errorf("coordinator's first line %q; want the notice for 2027", first)
	}
	if !strings.Contains(got, "2022年重点任务进度") {
		t.Errorf("the notice replaced the overview: %q", got)
	}
	contact.Send("/status")
	if got := contact.LastText(); strings.Contains(got, "节假日数据") {
		t.Errorf("a contact got the holiday notice: %q", got)
	}
}

// 2023's plan lists only 市科协: 市测试办, which had tasks in 2022, is told
// plainly that it has none this year once 2022 is closed for late reports,
// and 2022 still reads as it was.
func TestDepartmentWithoutTasksThisYear(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	h.loadYear(2023, seedDepartments(t)[:1]...)
	h.clk.Set(time.Date(2023, 5, 20, 10, 0, 0, 0, shanghai))
	coord, contact := h.chat(coordinator), h.chat(tester)
	coord.Send("/status")
	if got := coord.LastText(); !strings.Contains(got, "2023年重点任务进度 2023-05") || strings.Contains(got, "市测试办") {
		t.Errorf("2023 overview: %q; want 2023 without 市测试办", got)
	}
	coord.Send("/status 市测试办")
	mustContain(t, coord.LastText(), "「市测试办」在2023年的计划中没有任务")
	coord.Send("/status 市测试办 2022")
	mustContain(t, coord.LastText(), "「市测试办」2022-12 进度")
	// Its last December is still among the six periods open for late
	// reports, so /report opens that, marked 补报.
	contact.Send("/report")
	mustContain(t, contact.LastText(), "「市测试办」2022-12 进度填报（补报）")
	h.clk.Set(time.Date(2023, 7, 3, 10, 0, 0, 0, shanghai))
	contact.Send("/report")
	mustContain(t, contact.LastText(), "「市测试办」在2023年的计划中没有任务")
	h.chat(kexie).Send("/report")
	mustContain(t, h.chat(kexie).LastText(), "「市科协」2023-07 进度填报")
}

// A department 2023's plan no longer lists can still file its December
// 2022 in January 2023, late, as every department can; after that it is
// told it has no tasks.
func TestDroppedDepartmentFilesLastDecember(t *testing.T) {
	h := newHarness(t)
	h.loadYear(2023, seedDepartments(t)[:1]...)
	h.clk.Set(time.Date(2023, 1, 10, 10, 0, 0, 0, shanghai))
	c := h.chat(tester)
	c.Send("/report")
	mustContain(t, c.LastText(), "2022-12")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.9")
	c.Tap("确认保存")
	assertCurrent(t, h, "培训人数", "2022-12", 1.9)
	if got := h.reports("培训人数"); len(got) != 1 || !got[0].Late {
		t.Errorf("reports = %+v, want one late value for 2022-12", got)
	}
}
