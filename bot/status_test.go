package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

func reportTestTask(t *testing.T, h *harness) {
	t.Helper()
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("0.5万人")
	c.Tap("确认保存")
	c.Tap("返回") // the dialog asks for 增长率 next; skip it
	c.Tap("建成测试平台")
	c.Tap("已完成")
	c.Tap("确认保存")
}

func TestCoordinatorDrillsDownFromTheCity(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	c := h.chat(coordinator)
	c.Send("/status")
	overview := c.LastText()
	mustContain(t, overview, "2022年重点任务进度 2022-05")
	for _, name := range []string{"市科协", "市农业农村局", "市测试办"} {
		mustContain(t, overview, name)
	}
	mustContain(t, overview, "已报 2/3") // 市测试办: two of three metrics so far; the deadline is the 25th
	c.Tap("市测试办")
	mustContain(t, c.LastText(), "「市测试办」2022-05 进度")
	mustContain(t, c.LastText(), "培训人数：0.5万人 / ≥2万人")
	c.Tap("测试任务")
	mustContain(t, c.LastText(), "培训2万人")
	c.Tap("培训人数")
	history := c.LastText()
	mustContain(t, history, "2022-05  0.5万人")
	c.Tap("测试任务")
	c.Tap("市测试办")
	c.Tap("全市总览")
	mustContain(t, c.LastText(), "全市")
}

func TestStatusJumpsToADepartment(t *testing.T) {
	h := newHarness(t)
	c := h.chat(coordinator)
	c.Send("/status 市科协")
	mustContain(t, c.LastText(), "「市科协」2022-05 进度")
	c.Send("/status 市不存在局")
	mustContain(t, c.LastText(), "找不到部门")
}

func TestContactSeesOnlyOwnDepartment(t *testing.T) {
	h := newHarness(t)
	c := h.chat(kexie)
	c.Send("/status 市文联")
	mustContain(t, c.LastText(), "「市科协」")
	wl, err := h.st.DepartmentByName(context.Background(), "市文联")
	if err != nil {
		t.Fatal(err)
	}
	c.TapData("s:d:"+strconv.Itoa(int(wl.ID)), 0)
	mustContain(t, h.lastToast(), "无权")
	c.TapData("s:o", 0)
	mustContain(t, h.lastToast(), "无权")
}

func TestOverdueAndNudge(t *testing.T) {
	h := newHarness(t)
	h.clk.Set(h.clk.Now().AddDate(0, 0, 6)) // 2022-05-26, past the deadline
	c := h.chat(coordinator)
	c.Send("/overdue")
	mustContain(t, c.LastText(), "2022-05 期未报齐的部门")
	mustContain(t, c.LastText(), "市测试办 ⏰逾期未报")
	c.Tap("催办 市测试办")
	mustContain(t, h.lastToast(), "已催办「市测试办」（1 人）")
	c.Tap("催办 市测试办")
	mustContain(t, h.lastToast(), "4小时内不再重复催办")
	var out []models.Outbox
	if err := h.st.DB().Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].ChatID != tester || !strings.Contains(out[0].Text, "【催办】「市测试办」") ||
		!strings.Contains(out[0].Markup, "go:report") {
		t.Fatalf("outbox = %+v, want one nudge to the 市测试办 contact with a report button", out)
	}
	contact := h.chat(kexie)
	contact.Send("/overdue")
	mustContain(t, contact.LastText(), "仅限督查考核办")
}

func TestReportButtonOnANudgeOpensTheDialog(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.TapData("go:report", 0)
	mustContain(t, c.LastText(), "「市测试办」2022-05 进度填报")
}
