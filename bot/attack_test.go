package bot_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
)

// Scenarios of an outside review: real users doing things in odd orders.

const deputy int64 = 2004 // a deputy of 市测试办

func addDeputy(t *testing.T, h *harness, user int64, dept string) {
	t.Helper()
	ctx := context.Background()
	d, err := h.st.DepartmentByName(ctx, dept)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.st.SaveContact(ctx, &models.Contact{TelegramID: user, Role: models.RoleDeputy, DepartmentID: &d.ID}); err != nil {
		t.Fatal(err)
	}
}

// The contact and the deputy of one department, in two chats, both hold a
// read-back of the same metric and confirm one after the other: both values
// are in the history, the later one is current, and the later one is
// announced as the correction it is.
func TestContactAndDeputyConfirmTheSameMetric(t *testing.T) {
	h := newHarness(t)
	addDeputy(t, h, deputy, "市测试办")
	a, b := h.chat(tester), h.chat(deputy)
	for _, c := range []*struct {
		chat  interface{ Send(string) }
		value string
	}{{a, "1万人"}, {b, "1.5万人"}} {
		c.chat.Send("/report")
	}
	for _, c := range []struct {
		tap   func(string)
		send  func(string)
		value string
	}{{a.Tap, a.Send, "1万人"}, {b.Tap, b.Send, "1.5万人"}} {
		c.tap("测试任务")
		c.tap("培训人数")
		c.send(c.value)
	}
	a.Tap("确认保存")
	b.Tap("确认保存")
	mustContain(t, b.LastText(), "1.5万人")
	mustContain(t, b.LastText(), "更正")
	if hist := h.reports("培训人数"); len(hist) != 2 {
		t.Fatalf("%d reports in the history, want 2", len(hist))
	}
	assertCurrent(t, h, "培训人数", "2022-05", 1.5)
}

// A coordinator reports on behalf of the department while its contact
// reports the same metric: the later confirmation is current, the history
// says which one was on behalf.
func TestCoordinatorOnBehalfAndContactAtOnce(t *testing.T) {
	h := newHarness(t)
	coord, contact := h.chat(coordinator), h.chat(tester)
	coord.Send("/report")
	coord.Tap("市测试办")
	coord.Tap("测试任务")
	coord.Tap("增长率")
	coord.Send("5%")
	contact.Send("/report")
	contact.Tap("测试任务")
	contact.Tap("增长率")
	contact.Send("6%")
	contact.Tap("确认保存")
	coord.Tap("确认保存")
	assertCurrent(t, h, "增长率", "2022-05", 5)
	hist := h.reports("增长率")
	if len(hist) != 2 {
		t.Fatalf("%d reports, want 2", len(hist))
	}
	behalf := 0
	for _, r := range hist {
		if r.OnBehalf {
			behalf++
			if r.ReporterID != coordinator || r.Value != 5 {
				t.Errorf("on-behalf report %+v", r)
			}
		}
	}
	if behalf != 1 {
		t.Errorf("%d reports on behalf, want 1", behalf)
	}
}

// dropMetric imports the 2022 plan again (as `duban import --replace
// --force` does) without the metric named name of 市测试办.
func dropMetric(t *testing.T, h *harness, name string) {
	t.Helper()
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	d := testDepartment()
	var kept []seeds.Metric
	for _, m := range d.Tasks[0].Metrics {
		if m.Name != name {
			kept = append(kept, m)
		}
	}
	d.Tasks[0].Metrics = kept
	plan.Departments = append(plan.Departments, d)
	if err := seeds.Load(context.Background(), h.st, plan); err != nil {
		t.Fatal(err)
	}
}

// A coordinator re-imports the plan without a metric while a contact has
// its value screen (or read-back) open. The contact is not told they did
// something forbidden: they are told the metric is no longer in the plan,
// and nothing is stored.
func TestMetricRetiredWhileItsScreenIsOpen(t *testing.T) {
	for _, tc := range []struct {
		name string
		act  func(c interface {
			Send(string)
			Tap(string)
		})
	}{
		{"value typed after the import", func(c interface {
			Send(string)
			Tap(string)
		}) {
			c.Send("1万人")
		}},
		{"metric button pressed after the import", func(c interface {
			Send(string)
			Tap(string)
		}) {
			c.Tap("培训人数")
		}},
		{"confirm pressed after the import", func(c interface {
			Send(string)
			Tap(string)
		}) {
			c.Tap("确认保存")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.chat(tester)
			c.Send("/report")
			c.Tap("测试任务")
			if !strings.HasPrefix(tc.name, "metric button") {
				c.Tap("培训人数")
			}
			if strings.HasPrefix(tc.name, "confirm") {
				c.Send("1万人")
			}
			dropMetric(t, h, "培训人数")
			tc.act(c)
			got := c.LastText() + h.lastToast()
			if strings.Contains(got, "无权") {
				t.Errorf("the contact is told they may not: %q", got)
			}
			mustContain(t, got, "计划已调整")
			if n := h.allReports(); n != 0 {
				t.Fatalf("%d reports stored, want 0", n)
			}
		})
	}
}

// A coordinator changes the target with /target while the contact's
// read-back is open: the confirmation stores the value, and the screen
// after saving judges it against the new target.
func TestTargetChangedWhileReadBackIsOpen(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1万人")
	mustContain(t, c.LastText(), "完成目标 50%")
	if err := h.st.ChangeTarget(context.Background(), &models.TargetChange{
		MetricID: metricID(t, h, "培训人数"), NewTarget: 4, Reason: "调整", ChangedBy: coordinator,
	}); err != nil {
		t.Fatal(err)
	}
	c.Tap("确认保存")
	mustContain(t, c.LastText(), "已保存")
	assertCurrent(t, h, "培训人数", "2022-05", 1)
}

// /cancel between the value and its confirmation: the old confirm button
// is stale and nothing is stored, even pressed twice with new query ids.
func TestCancelBetweenValueAndConfirm(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1万人")
	u := c.User()
	q := callbackFor(t, h, u, "确认保存")
	c.Send("/cancel")
	for _, id := range []string{"a", "b"} {
		q.ID = id
		c.SendUpdate(tgmodels.Update{CallbackQuery: q})
	}
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports after /cancel, want 0", n)
	}
	mustContain(t, h.lastToast(), "过期")
}

// Telegram delivers the same confirm press twice (a double tap, two
// callback query ids), and once more after a restart: one value is stored.
func TestDuplicateConfirmPressesAcrossARestart(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1万人")
	q := callbackFor(t, h, c.User(), "确认保存")
	for i, id := range []string{"q1", "q2", "q3"} {
		if i == 2 {
			h.restart()
		}
		q.ID = id
		c.SendUpdate(tgmodels.Update{CallbackQuery: q})
	}
	if n := h.allReports(); n != 1 {
		t.Fatalf("%d reports, want 1", n)
	}
}

// Updates without a person behind them — a channel post, an anonymous group
// admin (sender_chat), a message with no From, an edit in a group — get
// no answer and store nothing.
func TestUpdatesWithoutAPersonAreIgnored(t *testing.T) {
	h := newHarness(t)
	group := tgmodels.Chat{ID: -100123, Type: tgmodels.ChatTypeSupergroup}
	channel := tgmodels.Chat{ID: -100999, Type: tgmodels.ChatTypeChannel}
	anon := tgmodels.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
	updates := []tgmodels.Update{
		{ID: 900001, ChannelPost: &tgmodels.Message{ID: 1, Chat: channel, Text: "/status", SenderChat: &channel}},
		{ID: 900002, Message: &tgmodels.Message{ID: 2, Chat: group, From: &anon, SenderChat: &group, Text: "/status",
			Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 7}}}},
		{ID: 900003, Message: &tgmodels.Message{ID: 3, Chat: group, SenderChat: &group, Text: "/report"}},
		{ID: 900004, EditedMessage: &tgmodels.Message{ID: 4, Chat: group, From: &tgmodels.User{ID: tester}, Text: "/status"}},
	}
	before := len(h.srv.Calls("sendMessage"))
	for i := range updates {
		h.bot.HandleUpdate(context.Background(), &updates[i])
	}
	if after := len(h.srv.Calls("sendMessage")); after != before {
		t.Fatalf("%d messages sent for updates without a person", after-before)
	}
	if n := countRows(t, h, &models.DialogState{}); n != 0 {
		t.Fatalf("%d dialogs stored", n)
	}
}

// Long and control-character text wherever a user types: every reply fits
// Telegram's limit and carries no control character the user sent.
func TestHostileTextEverywhere(t *testing.T) {
	long := strings.Repeat("长", 5000)
	ctrl := "a\u202e\u0000\x1b[31m\u200b\nb"
	h := newHarness(t)
	c := h.chat(tester)
	coord := h.chat(coordinator)
	inputs := []struct {
		chat interface{ Send(string) }
		text string
	}{
		{h.chat(stranger), "/start " + long},
		{h.chat(stranger), "/start " + ctrl},
		{c, "/start " + long},
		{c, "/leave " + long},
		{c, "/leave " + ctrl},
		{c, "/status " + long},
		{c, long},
		{coord, "/invite " + long},
		{coord, "/contacts " + ctrl + long},
		{coord, "/status " + ctrl},
		{coord, "/export " + long},
	}
	for _, in := range inputs {
		in.chat.Send(in.text)
	}
	for _, call := range append(h.srv.Calls("sendMessage"), h.srv.Calls("editMessageText")...) {
		text := call.Form.Get("text")
		if n := utf8.RuneCountInString(text); n > 4096 {
			t.Errorf("a reply of %d characters: %.80q", n, text)
		}
		if strings.ContainsAny(text, "\u202e\u0000\x1b\u200b") {
			t.Errorf("a reply echoes control characters: %q", text)
		}
	}
	if n := countRows(t, h, &models.Contact{}); n != 4 {
		t.Errorf("%d contacts after the junk, want 4", n)
	}
}

// A reason typed with /target (or duban target) is shown to every reader of
// the metric's history: it gets the same cleaning as any user text.
func TestTargetReasonIsQuotedInTheHistory(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	if err := h.st.ChangeTarget(context.Background(), &models.TargetChange{
		MetricID: metricID(t, h, "培训人数"), NewTarget: 3, ChangedBy: 0,
		Reason: "市政府\u202e常务会议\n\n🔴 已逾期，请立即联系",
	}); err != nil {
		t.Fatal(err)
	}
	coord := h.chat(coordinator)
	coord.Send("/status 市测试办")
	coord.Tap("测试任务")
	coord.Tap("培训人数")
	got := coord.LastText()
	mustContain(t, got, "常务会议")
	if strings.Contains(got, "\u202e") || strings.Contains(got, "\n\n🔴") {
		t.Errorf("the reason reaches the history raw: %q", got)
	}
}

// A coordinator types a rate target below zero with /target. The metric
// rules (progress.Metric.Validate, the importer, the seed loader) accept
// no target below 0, and a value judged against one comes out upside down
// (2 % against ≥-1.5 % read "完成目标 -133.3%, 🔴 严重滞后", with a "more than
// three times the target" warning): the change is refused, as the refusal
// text already says, and the target stays.
func TestTargetBelowZeroIsRefused(t *testing.T) {
	h := newHarness(t)
	c := h.chat(coordinator)
	c.Send("/target")
	c.Tap("市测试办")
	c.Tap("1. 测试任务")
	c.Tap("增长率")
	c.Send("-1.5%")
	mustContain(t, c.LastText(), "目标值须大于 0")
	if m := h.testMetric("增长率"); m.Target != 8.5 {
		t.Fatalf("target %v after a refused change, want 8.5", m.Target)
	}
	if n := countRows(t, h, &models.TargetChange{}); n != 0 {
		t.Fatalf("%d target changes recorded", n)
	}
}

// An import changes a metric's unit (万人 → 人) while a contact's read-back
// of "1.2万人" is open. Confirming must not store 1.2 in the new unit (1.2
// people): the value is read again against the metric as it now is, and a
// value that no longer reads the same is asked for again.
func TestUnitChangedWhileReadBackIsOpen(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万人")
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	d := testDepartment()
	d.Tasks[0].Metrics[0].Unit, d.Tasks[0].Metrics[0].Target = "人", 20000
	plan.Departments = append(plan.Departments, d)
	if err := seeds.Load(context.Background(), h.st, plan); err != nil {
		t.Fatal(err)
	}
	c.Tap("确认保存")
	for _, r := range h.reports("培训人数") {
		if r.Value != 12000 {
			t.Fatalf("stored %v in 人 for 1.2万人", r.Value)
		}
	}
	if n := h.allReports(); n == 0 {
		mustContain(t, c.LastText()+h.lastToast(), "计划已调整")
	}
}

// A zero-incident goal (不发生…事故, at most 0 起): reporting one incident
// is not "more than three times the target (≤0起)" — there is no size to
// compare with. The read-back shows it red; it needs no nonsense warning.
func TestNoThreeTimesWarningForAZeroGoal(t *testing.T) {
	h := newHarness(t)
	const user int64 = 2011
	h.addContact(user, "市自然资源和规划局")
	c := h.chat(user)
	c.Send("/report")
	c.Tap("5. 强化底线思维")
	c.Tap("地质灾害系统责任亡人事故")
	c.Send("1起")
	if got := c.LastText(); strings.Contains(got, "3倍") {
		t.Fatalf("read-back: %q", got)
	}
	mustContain(t, c.LastText(), "🔴")
	c.Tap("确认保存")
	assertCurrent(t, h, "地质灾害系统责任亡人事故", "2022-05", 1)
}
