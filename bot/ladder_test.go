package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/scheduler"
)

// newScheduler runs the ladder on the harness's store and clock with the
// bot's zh-CN renderer.
func newScheduler(t *testing.T, h *harness) *scheduler.Scheduler {
	t.Helper()
	s, err := scheduler.New(h.st, bot.NewRenderer(shanghai), scheduler.Options{
		Now: h.clk.Now, Calendar: h.set.Calendar, Schedule: h.set.Schedule, Holder: "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tickAt moves the clock and runs the scheduler once.
func tickAt(t *testing.T, h *harness, s *scheduler.Scheduler, at time.Time) {
	t.Helper()
	h.clk.Set(at)
	if err := s.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// deliver sends every pending outbox message through the Bot API, as the
// outbox sender would, so the tests can press its buttons.
func deliver(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	rows, err := h.st.ClaimOutbox(ctx, "test", h.clk.Now(), 1000, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rows {
		p := &tg.SendMessageParams{ChatID: m.ChatID, Text: m.Text}
		if m.Markup != "" {
			p.ReplyMarkup = json.RawMessage(m.Markup)
		}
		sent, err := h.api.SendMessage(ctx, p)
		if err != nil {
			t.Fatalf("deliver to %d: %v", m.ChatID, err)
		}
		if err := h.st.MarkSent(ctx, m.ID, sent.ID, h.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func at(month time.Month, day, hour int) time.Time {
	return time.Date(2022, month, day, hour, 0, 0, 0, shanghai)
}

// The 市科协 contact gets the blue reminder, acknowledges it, asks for an
// extension to 31 May; a coordinator approves; the yellow notice on 26 May
// then skips 市科协 while 市文联 gets it, and the ladder resumes from the new
// deadline with a last call on the 31st.
func TestExtensionStopsTheLadderUntilTheNewDeadline(t *testing.T) {
	h := newHarness(t)
	s := newScheduler(t, h)
	tickAt(t, h, s, at(5, 18, 9)) // blue: 5 working days before Wed 25 May
	deliver(t, h)
	k := h.chat(kexie)
	mustContain(t, k.LastText(), "🔵【督办提醒】「市科协」2022-05 期")
	mustContain(t, k.LastText(), "05-25（周三）17:00")
	if got := strings.Join(k.Buttons(), "|"); !strings.Contains(got, "开始填报") || !strings.Contains(got, "收到") || !strings.Contains(got, "申请延期") {
		t.Fatalf("reminder buttons = %s", got)
	}

	k.Tap("收到")
	mustContain(t, h.lastToast(), "已确认收到")
	k.Tap("申请延期")
	mustContain(t, k.LastText(), "请回复新的截止日期和理由")
	k.Send("下周再说")
	mustContain(t, k.LastText(), "没能识别日期")
	k.Send("2022-05-20 数据未出")
	mustContain(t, k.LastText(), "须晚于原截止时间")
	k.Send("2022-05-31")
	mustContain(t, k.LastText(), "写明延期理由")
	k.Send("2022-05-31 需待统计局核定一季度数据")
	mustContain(t, k.LastText(), "已提交 2022-05 期延期申请")
	k.Send("2022-06-02 再来一次")
	mustContain(t, k.LastText(), "没看懂这条消息") // the dialog ended: no second request

	deliver(t, h)
	c := h.chat(coordinator)
	mustContain(t, c.LastText(), "📅【延期申请】「市科协」申请将 2022-05 期截止时间延至 05-31（周二）17:00")
	c.Tap("批准")
	mustContain(t, h.lastToast(), "已批准")
	mustContain(t, c.LastText(), "✅ 已批准")
	c.TapData(buttonDataOf(t, h, coordinator, "批准"), lastEditedID(t, h, coordinator)) // a second press, e.g. from another phone
	mustContain(t, h.lastToast(), "该申请已处理")
	deliver(t, h)
	mustContain(t, k.LastText(), "延期申请已批准，新的截止时间为 05-31（周二）17:00")

	tickAt(t, h, s, at(5, 26, 9)) // yellow for everyone still missing, except 市科协
	deliver(t, h)
	mustContain(t, h.chat(wenlian).LastText(), "🟡【黄色督办】「市文联」")
	if strings.Contains(k.LastText(), "黄色督办") {
		t.Fatal("市科协 got a yellow notice during its extension")
	}
	mustContain(t, c.LastText(), "【逾期未报】2022-05 期")
	if strings.Contains(c.LastText(), "市科协") {
		t.Error("the coordinators' overdue list names 市科协, which is on an extension")
	}

	tickAt(t, h, s, at(5, 31, 9)) // the extended deadline's morning
	deliver(t, h)
	mustContain(t, k.LastText(), "⏰【今日截止】「市科协」2022-05 期")
	mustContain(t, k.LastText(), "已批准延期")
}

// A button of another chat's notice, typed by hand, is refused and changes
// nothing.
func TestCraftedNoticeButtonIsRefused(t *testing.T) {
	h := newHarness(t)
	s := newScheduler(t, h)
	tickAt(t, h, s, at(5, 18, 9))
	n := noticeOf(t, h, kexie)
	w := h.chat(wenlian)
	w.TapData("ext:"+strconv.Itoa(int(n.ID)), 0)
	mustContain(t, h.lastToast(), "无权")
	w.TapData("ack:"+strconv.Itoa(int(n.ID)), 0)
	mustContain(t, h.lastToast(), "无权")
	if got := noticeOf(t, h, kexie); got.AckedAt != nil {
		t.Fatal("another chat acknowledged 市科协's notice")
	}
	h.chat(kexie).TapData("xa:1", 0)
	mustContain(t, h.lastToast(), "无权")
	// The rightful contact pressing 收到 under a reminder too old for
	// Telegram to show (an inaccessible message) is still heard.
	h.chat(kexie).TapData("ack:"+strconv.Itoa(int(n.ID)), 424242)
	mustContain(t, h.lastToast(), "已确认收到")
	if got := noticeOf(t, h, kexie); got.AckedAt == nil || got.AckedBy != kexie {
		t.Fatalf("acknowledgement not recorded: %+v", got)
	}
}

func noticeOf(t *testing.T, h *harness, chat int64) models.Notice {
	t.Helper()
	var n models.Notice
	if err := h.st.DB().Where("chat_id = ?", chat).Order("id DESC").First(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// buttonDataOf is the callback data of a labelled button on the chat's last
// message that had a keyboard, as the client would send it again.
func buttonDataOf(t *testing.T, h *harness, chat int64, label string) string {
	t.Helper()
	sent := h.srv.Sent(chat)
	for i := len(sent) - 1; i >= 0; i-- {
		if strings.Contains(sent[i].Form.Get("reply_markup"), label) {
			return buttonData(t, sent[i].Form.Get("reply_markup"), label)
		}
	}
	t.Fatalf("no button %q in chat %d", label, chat)
	return ""
}

// lastEditedID is the id of the chat's most recently edited message.
func lastEditedID(t *testing.T, h *harness, chat int64) int {
	t.Helper()
	edits := h.srv.Calls("editMessageText")
	for i := len(edits) - 1; i >= 0; i-- {
		if edits[i].Form.Get("chat_id") == strconv.FormatInt(chat, 10) {
			id, err := strconv.Atoi(edits[i].Form.Get("message_id"))
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
	}
	t.Fatalf("no edit in chat %d", chat)
	return 0
}

// A contact going on leave is told who covers; reminders then go to the
// deputy, and the coordinators' /overdue says who covers.
func TestLeaveSendsRemindersToTheDeputy(t *testing.T) {
	h := newHarness(t)
	k := h.chat(kexie)
	for _, tc := range []struct{ in, want string }{
		{"/leave", "没有登记休假"},
		{"/leave 明天", "用法"},
		{"/leave 5-27 5-21", "结束日期不能早于开始日期"},
		{"/leave 2022-05-20 2022-05-27", "没有副联络员"},
	} {
		k.Send(tc.in)
		mustContain(t, k.LastText(), tc.want)
	}
	ctx := context.Background()
	d, err := h.st.DepartmentByName(ctx, "市科协")
	if err != nil {
		t.Fatal(err)
	}
	const deputy int64 = 2101
	if err := h.st.SaveContact(ctx, &models.Contact{TelegramID: deputy, Name: "李四", Role: models.RoleDeputy, DepartmentID: &d.ID}); err != nil {
		t.Fatal(err)
	}
	k.Send("/leave 2022-05-20 2022-05-27")
	mustContain(t, k.LastText(), "期间提醒将发给副联络员：李四")

	s := newScheduler(t, h)
	tickAt(t, h, s, at(5, 25, 9)) // last call
	deliver(t, h)
	mustContain(t, h.chat(deputy).LastText(), "⏰【今日截止】「市科协」")
	mustContain(t, h.chat(deputy).LastText(), "休假中，请您代为填报")
	if strings.Contains(k.LastText(), "今日截止") {
		t.Error("the contact on leave got the last call")
	}
	h.clk.Set(at(5, 26, 10))
	c := h.chat(coordinator)
	c.Send("/overdue")
	mustContain(t, c.LastText(), "休假，李四代办")
	k.Send("/leave 取消")
	mustContain(t, k.LastText(), "已取消休假")
}

// The Monday digest names every department with its lights, the overdue
// ones of the last period and the riskiest metric, in parts Telegram takes.
func TestDigestReadsAsAWeeklyReport(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h) // 市测试办: 0.5万 of 2万 trained by 20 May, behind pace
	s, err := scheduler.New(h.st, bot.NewRenderer(shanghai), scheduler.Options{
		Now: h.clk.Now, Calendar: h.set.Calendar, Schedule: h.set.Schedule, GroupChat: -100123,
	})
	if err != nil {
		t.Fatal(err)
	}
	texts, queued, err := s.Digest(context.Background(), at(5, 30, 9), true)
	if err != nil || queued == 0 {
		t.Fatalf("digest queued %d messages, err %v", queued, err)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"📊【每周督办通报】2022年第22周（05-30至06-05）", "市科协", "市文联", "市测试办", "2022-05 期逾期未报", "风险指标", "培训人数"} {
		mustContain(t, all, want)
	}
	for i, text := range texts {
		if n := len([]rune(text)); n > 4096 {
			t.Errorf("part %d has %d characters", i+1, n)
		}
	}
	// A coordinator in the group presses 📊 图表 under the digest: the
	// chart goes to the group.
	deliver(t, h)
	sent := h.srv.Sent(-100123)
	if len(sent) == 0 || !strings.Contains(sent[len(sent)-1].Form.Get("reply_markup"), `"s:c"`) {
		t.Fatal("the digest has no chart button")
	}
	group := tgmodels.Chat{ID: -100123, Type: tgmodels.ChatTypeSupergroup}
	h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: 777, CallbackQuery: &tgmodels.CallbackQuery{
		ID: "g-1", From: tgmodels.User{ID: coordinator}, Data: "s:c",
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage,
			Message: &tgmodels.Message{ID: 1, Chat: group}},
	}})
	_, data, _ := lastUpload(t, h, -100123, "sendPhoto")
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("the group got no chart: %v", err)
	}
}

// A coordinator acknowledges the red list in the group days later, when
// Telegram no longer shows the message to the bot (inaccessible): the
// acknowledgement is still recorded for the group's notice.
func TestGroupNoticeAcknowledgedUnderAnOldMessage(t *testing.T) {
	h := newHarness(t)
	s, err := scheduler.New(h.st, bot.NewRenderer(shanghai), scheduler.Options{
		Now: h.clk.Now, Calendar: h.set.Calendar, Schedule: h.set.Schedule, GroupChat: -100123,
	})
	if err != nil {
		t.Fatal(err)
	}
	tickAt(t, h, s, at(5, 31, 9)) // red: 3 working days after yellow
	var n models.Notice
	if err := h.st.DB().Where("chat_id = ? AND rung = ?", -100123, "red").First(&n).Error; err != nil {
		t.Fatalf("no red notice to the group: %v", err)
	}
	group := tgmodels.Chat{ID: -100123, Type: tgmodels.ChatTypeSupergroup}
	h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: 778, CallbackQuery: &tgmodels.CallbackQuery{
		ID: "g-2", From: tgmodels.User{ID: coordinator}, Data: "ack:" + strconv.Itoa(int(n.ID)),
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &tgmodels.InaccessibleMessage{Chat: group, MessageID: 5}},
	}})
	if got, err := h.st.Notice(context.Background(), n.ID); err != nil || got.AckedAt == nil || got.AckedBy != coordinator {
		t.Fatalf("group acknowledgement not recorded: %+v (toast %q)", got, h.lastToast())
	}
}
