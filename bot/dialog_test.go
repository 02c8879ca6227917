package bot_test

import (
	"context"
	"strings"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"
)

func mustContain(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("got %q\nwant it to contain %q", got, want)
	}
}

// A contact reports a cumulative value, a rate and a milestone, then adds a
// note; the database holds exactly those values for May 2022.
func TestContactReportsATask(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	mustContain(t, c.LastText(), "「市测试办」2022-05 进度填报")
	c.Tap("测试任务")
	mustContain(t, c.LastText(), "培训人数")

	c.Tap("培训人数")
	mustContain(t, c.LastText(), "单位：万人")
	c.Send("1.2万人")
	mustContain(t, c.LastText(), "「培训人数」= 1.2万人")
	mustContain(t, c.LastText(), "完成目标 60%")
	c.Tap("确认保存")
	mustContain(t, c.LastText(), "✅ 已保存「培训人数」= 1.2万人")

	// After a save the dialog asks for the task's next unreported metric.
	mustContain(t, c.LastText(), "请输入「增长率」")
	c.Send("８.５％")
	c.Tap("确认保存")

	mustContain(t, c.LastText(), "「建成测试平台」目前进展如何")
	c.Tap("推进中")
	mustContain(t, c.LastText(), "节点状态：推进中，🟢 进度正常")
	c.Tap("确认保存")
	mustContain(t, c.LastText(), "本任务指标已全部填报")
	c.Send("五月完成两期培训")
	mustContain(t, c.LastText(), "备注已保存")

	for _, tc := range []struct {
		metric string
		value  float64
		raw    string
	}{{"培训人数", 1.2, "1.2万人"}, {"增长率", 8.5, "８.５％"}, {"建成测试平台", 0.5, "推进中"}} {
		got := h.reports(tc.metric)
		if len(got) != 1 {
			t.Fatalf("%s: %d reports, want 1", tc.metric, len(got))
		}
		r := got[0]
		if r.Value != tc.value || r.Period != "2022-05" || r.ReporterID != tester || r.Raw != tc.raw || r.OnBehalf || r.Late {
			t.Errorf("%s: stored %+v, want value %v, period 2022-05, reporter %d, raw %q", tc.metric, r, tc.value, tester, tc.raw)
		}
	}
	if n := h.allReports(); n != 3 {
		t.Errorf("%d reports in all, want 3", n)
	}
}

// Whatever a contact types where a number is expected, a clear answer comes
// back and nothing is stored.
func TestBadValuesStoreNothing(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"letters", "abc", "没能识别"},
		{"negative", "-5", "超出合理范围"},
		{"huge exponent", "1e999", "没能识别"},
		{"NaN", "NaN", "没能识别"},
		{"double percent", "12%%", "没能识别"},
		{"wrong unit", "5家", "单位「家」与该指标不符"},
		{"5000 characters", strings.Repeat("9", 5000), "没能识别"},
		{"SQL", "'; DROP TABLE reports; --", "没能识别"},
		{"emoji", "👍", "没能识别"},
	}
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.Send(tc.input)
			mustContain(t, c.LastText(), tc.want)
			mustContain(t, c.LastText(), "例如")
			if n := h.allReports(); n != 0 {
				t.Fatalf("%d reports stored, want 0", n)
			}
		})
	}
	t.Run("sticker", func(t *testing.T) {
		m := c.NewMessage()
		m.Sticker = &tgmodels.Sticker{FileID: "sticker-1", Emoji: "😀"}
		c.SendUpdate(tgmodels.Update{Message: m})
		mustContain(t, c.LastText(), "这里需要输入一个数字")
	})
	t.Run("photo", func(t *testing.T) {
		m := c.NewMessage()
		m.Photo = []tgmodels.PhotoSize{{FileID: "photo-1", Width: 90, Height: 90}}
		c.SendUpdate(tgmodels.Update{Message: m})
		mustContain(t, c.LastText(), "这里需要输入一个数字")
	})
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports stored, want 0", n)
	}
	c.Send("2万人") // the dialog is still waiting for the value
	mustContain(t, c.LastText(), "「培训人数」= 2万人")
}

// The bot restarts between the typed value and the confirmation: the
// confirmation still saves, exactly once.
func TestRestartBeforeConfirmSavesOnce(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("3000人")
	h.restart()
	c = h.chat(tester)
	c.Tap("确认保存")
	mustContain(t, c.LastText(), "已保存")
	if got := h.reports("培训人数"); len(got) != 1 || got[0].Value != 0.3 {
		t.Fatalf("reports = %+v, want one of 0.3 万人", got)
	}
}

// The same update delivered twice stores one value; a button of an old
// screen changes nothing.
func TestDuplicatesAndStaleButtons(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1万人")
	confirm := h.srv.Sent(tester)
	last := confirm[len(confirm)-1]
	data := buttonData(t, last.Form.Get("reply_markup"), "确认保存")
	msgID := lastMessageID(t, h, tester)
	upd := tgmodels.Update{ID: 777, CallbackQuery: &tgmodels.CallbackQuery{
		ID: "q-777", From: c.User(), Data: data,
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage,
			Message: &tgmodels.Message{ID: msgID, Chat: tgmodels.Chat{ID: tester, Type: tgmodels.ChatTypePrivate}}},
	}}
	h.bot.HandleUpdate(context.Background(), &upd)
	h.bot.HandleUpdate(context.Background(), &upd)
	if got := h.reports("培训人数"); len(got) != 1 {
		t.Fatalf("%d reports after a duplicate update, want 1", len(got))
	}
	c.TapData(data, msgID) // the same button again, as a new press
	if got := h.reports("培训人数"); len(got) != 1 {
		t.Fatalf("%d reports after a stale press, want 1", len(got))
	}
	mustContain(t, h.lastToast(), "已过期")
}

// A contact of 市科协 forging callback data for a 市文联 task is refused.
func TestCraftedCallbackForAnotherDepartment(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	wl, err := h.st.DepartmentByName(ctx, "市文联")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := h.st.DepartmentPlan(ctx, 2022, wl.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := h.chat(kexie)
	c.Send("/report")
	msgID := lastMessageID(t, h, kexie)
	version := dialogVersion(t, h, kexie)
	for _, data := range []string{
		fmtData(version, "t", plan.Tasks[0].ID),
		fmtData(version, "d", wl.ID),
		fmtData(version, "m", plan.Tasks[0].Metrics[0].ID),
	} {
		c.TapData(data, msgID)
		mustContain(t, h.lastToast(), "无权")
	}
	mustContain(t, c.LastText(), "「市科协」")
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports, want 0", n)
	}
}

// A cumulative total below the last one, or far above target, is saved only
// after a second, explicit confirmation; a correction supersedes.
func TestSanityRulesAndCorrections(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	report := func(value string) {
		c.Send("/report")
		c.Tap("测试任务")
		c.Tap("培训人数")
		c.Send(value)
	}
	report("1.5万人")
	c.Tap("确认保存")
	h.clk.Set(h.clk.Now().AddDate(0, 1, 0)) // June
	report("1万人")
	mustContain(t, c.LastText(), "低于上次填报的 1.5万人")
	c.Tap("仍然保存")
	report("7万人")
	mustContain(t, c.LastText(), "超过目标")
	c.Tap("仍然保存")
	got := h.reports("培训人数")
	if len(got) != 3 || got[1].SupersededByID == nil || *got[1].SupersededByID != got[2].ID || got[2].Value != 7 {
		t.Fatalf("history = %+v, want May 1.5, June 1 superseded by June 7", got)
	}
}

// Unknown users are refused and nothing of theirs is stored.
func TestStrangerIsRefused(t *testing.T) {
	h := newHarness(t)
	c := h.chat(stranger)
	c.Send("/report")
	mustContain(t, c.LastText(), "尚未登记")
	var n int64
	h.st.DB().Model(&struct{ UpdateID int64 }{}).Table("processed_updates").Count(&n)
	if n != 0 {
		t.Errorf("%d processed updates stored for a stranger, want 0", n)
	}
	if _, err := h.st.ContactByTelegramID(context.Background(), stranger); err == nil {
		t.Error("a stranger was stored as a contact")
	}
}
