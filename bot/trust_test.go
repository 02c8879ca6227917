package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Issue 8, defect 1: /report → a metric → 1.2万 → 确认 → /cancel →
// /report → another metric → 20 → 确认. The dialog's version restarted with
// the new dialog, so the second save reused the first one's key and was
// silently dropped while the bot said "已保存".
func TestValueAfterCancelIsStored(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	c.Tap("确认保存")
	c.Send("/cancel")

	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("增长率")
	c.Send("20")
	c.Tap("确认保存")

	assertCurrent(t, h, "培训人数", "2022-05", 1.2)
	assertCurrent(t, h, "增长率", "2022-05", 20)
}

// The same dialog run again next month, in the same order, stores next
// month's values: every month's first confirm used to collide.
func TestSameOrderNextMonthIsStored(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	report := func(value string) {
		c.Send("/report")
		c.Tap("测试任务")
		c.Tap("培训人数")
		c.Send(value)
		c.Tap("确认保存")
		c.Tap("返回") // from the next metric's value prompt to the list
		c.Tap("返回任务列表")
		c.Tap("结束填报")
	}
	report("1")
	h.clk.Set(time.Date(2022, 6, 20, 10, 0, 0, 0, shanghai))
	report("1.5")
	assertCurrent(t, h, "培训人数", "2022-05", 1)
	assertCurrent(t, h, "培训人数", "2022-06", 1.5)
}

// A request key counts as a repeat only for the same metric, period and
// value; anything else is refused and stores nothing.
func TestReusedKeyWithAnotherValueIsRefused(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	mid := metricID(t, h, "培训人数")
	key := "dlg:same"
	first := &models.Report{MetricID: mid, Period: "2022-05", Value: 1, ReporterID: tester, RequestKey: &key}
	if err := h.st.SaveReport(ctx, first); err != nil {
		t.Fatal(err)
	}
	repeat := &models.Report{MetricID: mid, Period: "2022-05", Value: 1, ReporterID: tester, RequestKey: &key}
	if err := h.st.SaveReport(ctx, repeat); err != nil || repeat.ID != first.ID {
		t.Fatalf("repeat: err %v, id %d; want the first report %d", err, repeat.ID, first.ID)
	}
	other := &models.Report{MetricID: mid, Period: "2022-05", Value: 2, ReporterID: tester, RequestKey: &key}
	if err := h.st.SaveReport(ctx, other); err == nil || !strings.Contains(err.Error(), models.ErrKeyReused.Error()) {
		t.Fatalf("another value under a used key: err %v, want ErrKeyReused", err)
	}
	if n := h.allReports(); n != 1 {
		t.Fatalf("%d reports stored, want 1", n)
	}
}

// Issue 8, defect 2: update ids start again (a week of silence, a new
// token). An id seen more than a day ago is a new update, and is handled.
func TestUpdateIDsThatStartAgainAreHandled(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	send := func(id int64, text string) {
		msg := c.NewMessage()
		msg.Text = text
		c.SendUpdate(tgmodels.Update{ID: id, Message: msg})
	}
	tap := func(id int64, label string) {
		c.SendUpdate(tgmodels.Update{ID: id, CallbackQuery: callbackFor(t, h, c.User(), label)})
	}
	send(1, "/report")
	tap(2, "测试任务")
	tap(3, "培训人数")
	send(4, "1")
	tap(5, "确认保存")
	assertCurrent(t, h, "培训人数", "2022-05", 1)

	h.clk.Advance(8 * 24 * time.Hour) // a quiet week; ids start at 1 again
	send(1, "/report")
	tap(2, "测试任务")
	tap(3, "培训人数")
	send(4, "1.6")
	tap(5, "确认保存")
	assertCurrent(t, h, "培训人数", "2022-05", 1.6)
}

// The same update delivered twice within the window is handled once.
func TestDuplicateUpdateIsHandledOnce(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1")
	q := callbackFor(t, h, c.User(), "确认保存")
	c.SendUpdate(tgmodels.Update{ID: 500, CallbackQuery: q})
	h.clk.Advance(time.Minute)
	c.SendUpdate(tgmodels.Update{ID: 500, CallbackQuery: q})
	if got := h.reports("培训人数"); len(got) != 1 {
		t.Fatalf("%d reports after a duplicated confirm, want 1", len(got))
	}
}

// Old update ids are pruned, recent ones kept.
func TestOldUpdateIDsArePruned(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for id := int64(1); id <= 3; id++ {
		if _, err := h.st.MarkUpdate(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	h.clk.Advance(25 * time.Hour)
	if _, err := h.st.MarkUpdate(ctx, 4); err != nil {
		t.Fatal(err)
	}
	n, err := h.st.PruneUpdates(ctx)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d (err %v), want 3", n, err)
	}
	if fresh, err := h.st.MarkUpdate(ctx, 4); err != nil || fresh {
		t.Fatalf("id 4 after pruning: fresh=%v err=%v, want a duplicate", fresh, err)
	}
}

// Issue 8, defect 3: the screen under "已保存" shows the value just saved,
// not "未填报".
func TestScreenAfterSavingShowsTheCommittedValue(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	c.Tap("确认保存")
	text := c.LastText()
	mustContain(t, text, "✅ 已保存「培训人数」= 1.2万人")
	mustContain(t, text, "请输入「增长率」") // the next unreported metric
	c.Tap("返回")
	text = c.LastText()
	line := lineAfter(text, "培训人数\n")
	if !strings.Contains(line, "最新 1.2万人（2022-05）") {
		t.Fatalf("metric line after saving = %q, want the saved value", line)
	}
	mustContain(t, strings.Join(c.Buttons(), " "), "✅ 培训人数")
	assertCurrent(t, h, "培训人数", "2022-05", 1.2)
}

// Issue 8, defect 4: a value for a metric and period already reported is
// announced as a correction, in the read-back and after saving, and the
// earlier value stays in the history.
func TestCorrectionIsAnnounced(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2")
	c.Tap("确认保存")
	c.Tap("返回")
	c.Tap("培训人数")
	c.Send("1.5")
	mustContain(t, c.LastText(), "本期已填报 1.2万人，确认后将更正为新值")
	c.Tap("确认保存")
	mustContain(t, c.LastText(), "✅ 已更正「培训人数」：1.2万人 → 1.5万人")
	hist := h.reports("培训人数")
	if len(hist) != 2 || hist[0].Value != 1.2 || hist[0].SupersededAt == nil || hist[1].Value != 1.5 || hist[1].SupersededAt != nil {
		t.Fatalf("history = %+v, want 1.2 superseded by 1.5", hist)
	}
}

// Issue 8, defect 5: a callback crafted by a contact on a coordinator's
// dialog message (the department picker, where the department check used to
// be skipped) changes nothing in the coordinator's dialog.
func TestButtonInAnotherUsersChatIsRefused(t *testing.T) {
	h := newHarness(t)
	victim := h.chat(coordinator)
	victim.Send("/report")
	before, err := h.st.Dialog(context.Background(), coordinator)
	if err != nil {
		t.Fatal(err)
	}
	attacker := h.chat(kexie)
	q := callbackFor(t, h, victim.User(), "结束填报")
	q.From = attacker.User()
	attacker.SendUpdate(tgmodels.Update{CallbackQuery: q})
	after, err := h.st.Dialog(context.Background(), coordinator)
	if err != nil {
		t.Fatalf("the coordinator's dialog is gone: %v", err)
	}
	if after.Version != before.Version || after.State != before.State {
		t.Fatalf("the coordinator's dialog changed: %+v → %+v", before, after)
	}
	mustContain(t, h.lastToast(), "无权")
}

// A button that is not on the current screen (the 📝 note button while a
// value is being asked for) is refused, and no note is stored.
func TestButtonOfAnotherStepIsRefused(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	noteData := buttonDataOf(t, h, tester, "备注")
	c.Tap("培训人数") // the screen now asks for a value
	version := dialogVersion(t, h, tester)
	c.TapData(strings.Replace(noteData, "r:"+itoa(version-1)+":", "r:"+itoa(version)+":", 1), lastMessageID(t, h, tester))
	c.Send("一段备注")
	notes := countRows(t, h, &models.TaskNote{})
	if notes != 0 {
		t.Fatalf("%d notes stored, want 0", notes)
	}
}

// The database refuses a note for a task that does not exist.
func TestNoteNeedsATask(t *testing.T) {
	h := newHarness(t)
	err := h.st.AddTaskNote(context.Background(), &models.TaskNote{TaskID: 0, Period: "2022-05", Note: "x", ReporterID: tester})
	if err == nil {
		t.Fatal("a note for task 0 was stored")
	}
}

// After 补报往期, the 本期 button goes back to the current period (it was
// refused as a crafted request).
func TestBackToTheCurrentPeriod(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("补报往期")
	c.Tap("2022-04")
	c.Tap("本期")
	mustContain(t, c.LastText(), "「市测试办」2022-05 进度填报")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1")
	c.Tap("确认保存")
	assertCurrent(t, h, "培训人数", "2022-05", 1)
}
