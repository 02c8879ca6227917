package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/models"
)

// panickyStore panics when a dialog screen loads the department plan.
type panickyStore struct{ *models.Store }

func (panickyStore) DepartmentPlan(context.Context, int, uint) (models.Department, error) {
	panic("boom")
}

func TestPanicIsRecoveredLoggedAndAnswered(t *testing.T) {
	h := newHarness(t)
	var logs bytes.Buffer
	h.bot = bot.New(h.api, panickyStore{h.st}, h.clk.Now, slog.New(slog.NewTextHandler(&logs, nil)), h.set)
	c := h.chat(tester)
	c.Send("/report")
	mustContain(t, c.LastText(), "系统繁忙")
	if n := strings.Count(logs.String(), "handler panic"); n != 1 {
		t.Errorf("panic logged %d times, want once:\n%s", n, logs.String())
	}
}

func TestCraftedCallbackIsLogged(t *testing.T) {
	h := newHarness(t)
	var logs bytes.Buffer
	h.bot = bot.New(h.api, h.st, h.clk.Now, slog.New(slog.NewTextHandler(&logs, nil)), h.set)
	c := h.chat(kexie)
	c.Send("/report")
	c.TapData(fmtData(dialogVersion(t, h, kexie), "t", 99999), lastMessageID(t, h, kexie))
	mustContain(t, logs.String(), "refused crafted request")
}

// Updates of one chat are handled in order, while chats run side by side.
func TestDispatcherKeepsEachChatInOrder(t *testing.T) {
	var mu sync.Mutex
	seen := map[int64][]int64{}
	d := bot.NewDispatcher(4, func(_ context.Context, u *tgmodels.Update) {
		mu.Lock()
		defer mu.Unlock()
		seen[u.Message.Chat.ID] = append(seen[u.Message.Chat.ID], u.ID)
	})
	d.Run(context.Background())
	for i := int64(1); i <= 200; i++ {
		chat := i % 7
		d.Enqueue(context.Background(), nil, &tgmodels.Update{ID: i, Message: &tgmodels.Message{Chat: tgmodels.Chat{ID: chat}}})
	}
	d.Close()
	total := 0
	for chat, ids := range seen {
		total += len(ids)
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("chat %d handled %v out of order", chat, ids)
			}
		}
	}
	if total != 200 {
		t.Fatalf("handled %d updates, want 200", total)
	}
}

// A coordinator reports on a department's behalf; the value is marked so.
func TestCoordinatorReportsOnBehalf(t *testing.T) {
	h := newHarness(t)
	c := h.chat(coordinator)
	c.Send("/report")
	c.Tap("市测试办")
	c.Tap("测试任务")
	c.Tap("增长率")
	c.Send("-1.5%") // a growth rate may fall
	c.Tap("确认保存")
	got := h.reports("增长率")
	if len(got) != 1 || !got[0].OnBehalf || got[0].Value != -1.5 || got[0].ReporterID != coordinator {
		t.Fatalf("reports = %+v, want one of -1.5 on behalf, by the coordinator", got)
	}
}

// A contact reports a missed month late; the value is marked late.
func TestLateReportForAPastPeriod(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("补报往期")
	c.Tap("2022-04")
	mustContain(t, c.LastText(), "2022-04 进度填报（补报）")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("5000人")
	c.Tap("确认保存")
	got := h.reports("培训人数")
	if len(got) != 1 || got[0].Period != "2022-04" || !got[0].Late {
		t.Fatalf("reports = %+v, want one late value for 2022-04", got)
	}
}

func TestCancelLeavesAtAnyStep(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("/cancel")
	mustContain(t, c.LastText(), "已退出填报")
	c.Send("12")
	mustContain(t, c.LastText(), "发送 /report 填报进度")
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports, want 0", n)
	}
}

func TestReportOnlyInPrivate(t *testing.T) {
	h := newHarness(t)
	group := tgmodels.Chat{ID: -1001234, Type: tgmodels.ChatTypeSupergroup}
	h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: 501, Message: &tgmodels.Message{
		ID: 1, Text: "/report@duban_test_bot", Chat: group, From: &tgmodels.User{ID: tester, FirstName: "测"},
	}})
	sent := h.srv.Sent(group.ID)
	if len(sent) != 1 || !strings.Contains(sent[0].Form.Get("text"), "私聊") {
		t.Fatalf("group answers = %v, want one pointing to a private chat", sent)
	}
	if _, err := h.st.Dialog(context.Background(), group.ID); err == nil {
		t.Error("a dialog was opened in a group")
	}
}

func TestMineShowsTheDepartment(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	c := h.chat(tester)
	c.Send("/mine")
	got := c.LastText()
	mustContain(t, got, "「市测试办」2022-05 进度")
	mustContain(t, got, "建成测试平台：已完成")
	mustContain(t, got, "增长率：未填报")
}
