package bot_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

const kexieDeputy int64 = 3101

// role reads a user's binding from the database: "role@department",
// "none" when unbound.
func role(t *testing.T, h *harness, user int64) string {
	t.Helper()
	c, err := h.st.ContactByTelegramID(context.Background(), user)
	if errors.Is(err, models.ErrNotFound) {
		return "none"
	}
	if err != nil {
		t.Fatal(err)
	}
	if c.Department == nil {
		return c.Role + "@-"
	}
	return c.Role + "@" + c.Department.Name
}

// outboxTo lists the texts queued for a chat.
func outboxTo(t *testing.T, h *harness, chat int64) []string {
	t.Helper()
	var rows []models.Outbox
	if err := h.st.DB().Where("chat_id = ?", chat).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Text)
	}
	return out
}

// withDeputy binds a deputy to 市科协 through an invite, as people join.
func withDeputy(t *testing.T, h *harness) {
	t.Helper()
	d := h.chat(kexieDeputy)
	d.Send("/start " + newInvite(t, h, "市科协"))
	mustContain(t, d.LastText(), "副联络员")
}

// The coordinator lists 市科协's people, unbinds the main contact after a
// confirmation, and the deputy takes over; a second press of the same
// confirmation removes nothing more.
func TestCoordinatorUnbindsAContact(t *testing.T) {
	h := newHarness(t)
	withDeputy(t, h)
	co := h.chat(coordinator)
	co.Send("/contacts 市科协")
	list := co.LastText()
	mustContain(t, list, "「市科协」联络人（2人）")
	mustContain(t, list, "ID 2001")
	mustContain(t, list, "User 3101（副联络员）")
	for _, b := range co.Buttons() {
		if !strings.HasPrefix(b, "解除绑定") {
			t.Errorf("button %q on the list", b)
		}
	}

	co.Tap("解除绑定 ID 2001")
	mustContain(t, co.LastText(), "确认解除 ID 2001（「市科协」联络员")
	mustContain(t, co.LastText(), "由副联络员 User 3101 接任")
	if got := role(t, h, kexie); got != "contact@市科协" {
		t.Fatalf("asking removed already: %s", got)
	}
	co.Tap("取消")
	mustContain(t, co.LastText(), "「市科协」联络人（2人）")
	if got := role(t, h, kexie); got != "contact@市科协" {
		t.Fatalf("cancel removed: %s", got)
	}

	co.Tap("解除绑定 ID 2001")
	var confirm string
	for _, call := range h.srv.Sent(coordinator) {
		if m := call.Form.Get("reply_markup"); strings.Contains(m, "确认解除") {
			confirm = buttonData(t, m, "确认解除")
		}
	}
	if len(confirm) >= 64 {
		t.Errorf("callback data %q is %d bytes", confirm, len(confirm))
	}
	co.Tap("确认解除")
	mustContain(t, co.LastText(), "已解除 ID 2001 与「市科协」的绑定")
	mustContain(t, co.LastText(), "副联络员 User 3101 现为「市科协」的联络员")
	mustContain(t, co.LastText(), "「市科协」联络人（1人）")
	if got := role(t, h, kexie); got != "none" {
		t.Errorf("unbound contact is %s", got)
	}
	if got := role(t, h, kexieDeputy); got != "contact@市科协" {
		t.Errorf("deputy is %s, want the main contact", got)
	}
	if msgs := outboxTo(t, h, kexieDeputy); len(msgs) != 1 || !strings.Contains(msgs[0], "您已成为「市科协」的联络员") {
		t.Errorf("the deputy is told %q", msgs)
	}
	if msgs := outboxTo(t, h, kexie); len(msgs) != 1 || !strings.Contains(msgs[0], "绑定已被督查考核办解除") {
		t.Errorf("the unbound contact is told %q", msgs)
	}

	// The same confirmation again (a double tap, a stale message): nothing more.
	var before int64
	h.st.DB().Model(&models.Contact{}).Count(&before)
	co.TapData(confirm, 0)
	mustContain(t, h.lastToast(), "该绑定已解除")
	var after int64
	h.st.DB().Model(&models.Contact{}).Count(&after)
	if after != before || role(t, h, kexieDeputy) != "contact@市科协" || len(outboxTo(t, h, kexieDeputy)) != 1 {
		t.Errorf("second press changed something: %d → %d contacts, deputy %s", before, after, role(t, h, kexieDeputy))
	}
}

// Unbinding a department's only contact is allowed, and says the
// department has nobody left.
func TestUnbindingTheLastContact(t *testing.T) {
	h := newHarness(t)
	co := h.chat(coordinator)
	co.Send("/contacts 市文联")
	co.Tap("解除绑定")
	mustContain(t, co.LastText(), "唯一的联络人")
	co.Tap("确认解除")
	mustContain(t, co.LastText(), "「市文联」现在没有联络员")
	mustContain(t, co.LastText(), "/invite 市文联")
	if got := role(t, h, wenlian); got != "none" {
		t.Errorf("unbound contact is %s", got)
	}
}

// Contacts cannot list or unbind, not even with crafted buttons; nothing changes.
func TestOnlyCoordinatorsUnbind(t *testing.T) {
	h := newHarness(t)
	withDeputy(t, h)
	k := h.chat(kexie)
	k.Send("/contacts 市科协")
	mustContain(t, k.LastText(), "仅限督查考核办")
	c, err := h.st.ContactByTelegramID(context.Background(), kexieDeputy)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{"s:k:y:" + strconv.Itoa(int(c.ID)), "s:k:u:" + strconv.Itoa(int(c.ID)), "s:k:y:x"} {
		k.TapData(data, 0)
		mustContain(t, h.lastToast(), "无权")
	}
	if got := role(t, h, kexieDeputy); got != "deputy@市科协" {
		t.Errorf("a contact's crafted press left the deputy %s", got)
	}
	co := h.chat(coordinator)
	co.Send("/contacts")
	mustContain(t, co.LastText(), "用法：/contacts 部门简称")
	co.Send("/contacts 市不存在局")
	mustContain(t, co.LastText(), "找不到部门")
}

// A coordinator who opens an invite link is refused and the link stays
// open for the contact it was meant for.
func TestCoordinatorCannotBurnAnInvite(t *testing.T) {
	h := newHarness(t)
	token := newInvite(t, h, "市贸促会")
	co := h.chat(coordinator)
	co.Send("/start " + token)
	mustContain(t, co.LastText(), "您是督查考核办")
	if strings.Contains(co.LastText(), "您已成为") {
		t.Errorf("coordinator told %q", co.LastText())
	}
	var inv models.Invite
	if err := h.st.DB().Where("token = ?", token).First(&inv).Error; err != nil {
		t.Fatal(err)
	}
	if inv.UsedAt != nil || inv.UsedBy != nil {
		t.Fatalf("the coordinator burned the invite: %+v", inv)
	}
	if got := role(t, h, coordinator); got != "coordinator@-" {
		t.Errorf("coordinator is now %s", got)
	}
	newcomer := h.chat(3001)
	newcomer.Send("/start " + token)
	mustContain(t, newcomer.LastText(), "您已成为「市贸促会」的联络员")
	if got := role(t, h, 3001); got != "contact@市贸促会" {
		t.Errorf("newcomer is %s", got)
	}
}

// A contact who opens an invite of their own department keeps it open.
func TestMemberCannotBurnAnInvite(t *testing.T) {
	h := newHarness(t)
	token := newInvite(t, h, "市科协")
	k := h.chat(kexie)
	k.Send("/start " + token)
	mustContain(t, k.LastText(), "您已是「市科协」的联络员")
	withDeputyToken(t, h, token)
}

func withDeputyToken(t *testing.T, h *harness, token string) {
	t.Helper()
	d := h.chat(kexieDeputy)
	d.Send("/start " + token)
	mustContain(t, d.LastText(), "副联络员")
}

// DUBAN_ADMINS is the source of truth: a listed contact becomes a
// coordinator and the deputy takes over, said to both; taken off the list,
// they are no coordinator after the restart; a coordinator that
// `contact add` made stays.
func TestAdminsListIsTheSourceOfTruth(t *testing.T) {
	h := newHarness(t)
	withDeputy(t, h)
	ctx := context.Background()
	if _, err := h.st.AssignRole(ctx, models.Contact{TelegramID: 9100, Role: models.RoleCoordinator, Source: models.SourceCLI}); err != nil {
		t.Fatal(err)
	}

	h.set.Admins = []int64{coordinator, kexie}
	h.restart()
	if err := h.bot.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if got := role(t, h, kexie); got != "coordinator@-" {
		t.Fatalf("listed contact is %s", got)
	}
	if got := role(t, h, kexieDeputy); got != "contact@市科协" {
		t.Fatalf("deputy is %s, want 市科协's main contact", got)
	}
	if msgs := outboxTo(t, h, kexieDeputy); len(msgs) != 1 || !strings.Contains(msgs[0], "已转为督查考核办") {
		t.Errorf("the deputy is told %q", msgs)
	}
	if msgs := outboxTo(t, h, coordinator); len(msgs) != 1 || !strings.Contains(msgs[0], "「市科协」联络员变更") {
		t.Errorf("the coordinator is told %q", msgs)
	}

	h.set.Admins = []int64{coordinator}
	h.restart()
	if err := h.bot.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if got := role(t, h, kexie); got != "none" {
		t.Errorf("taken off DUBAN_ADMINS, still %s", got)
	}
	if got := role(t, h, 9100); got != "coordinator@-" {
		t.Errorf("the coordinator made by contact add is %s", got)
	}
	dropped := false
	for _, c := range h.srv.Calls("deleteMyCommands") {
		dropped = dropped || strings.Contains(c.Form.Get("scope"), strconv.FormatInt(kexie, 10))
	}
	if !dropped {
		t.Error("the revoked coordinator keeps the coordinators' menu")
	}

	// The only contact of 市文联 in the list: start-up stops, naming it; nothing changes.
	h.set.Admins = []int64{coordinator, wenlian}
	h.restart()
	err := h.bot.Init(ctx)
	if err == nil || !strings.Contains(err.Error(), "DUBAN_ADMINS") || !strings.Contains(err.Error(), "市文联") {
		t.Fatalf("Init = %v, want a refusal naming DUBAN_ADMINS and 市文联", err)
	}
	if got := role(t, h, wenlian); got != "contact@市文联" {
		t.Errorf("refused, yet the contact is %s", got)
	}
}

// The coordinators' menu offers /contacts.
func TestContactsInCoordinatorMenu(t *testing.T) {
	h := newHarness(t)
	for _, c := range h.srv.Commands("chat") {
		if c.Command == "contacts" {
			return
		}
	}
	t.Errorf("coordinator menu %v lacks /contacts", h.srv.Commands("chat"))
}

// A contact moved to another department while their dialog was open finds
// it ended, with a word why; nothing is filed for the old department, and
// /report opens the new one.
func TestContactMovedMidDialog(t *testing.T) {
	for _, tc := range []struct {
		name string
		act  func(c *telegramtest.Chat)
	}{
		{"a typed value", func(c *telegramtest.Chat) { c.Send("1.5") }},
		{"a button", func(c *telegramtest.Chat) { c.Tap("返回") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.chat(tester)
			c.Send("/report")
			c.Tap("测试任务")
			c.Tap("培训人数")
			h.addContact(tester, "市科协") // a coordinator moved them
			tc.act(c)
			got := c.LastText()
			if q := h.lastToast(); strings.Contains(q, "变更") {
				got = q
			}
			mustContain(t, got, "所属部门或角色已变更，本次填报已结束")
			if n := len(h.reports("培训人数")); n != 0 {
				t.Fatalf("%d values filed for the old department", n)
			}
			if _, err := h.st.Dialog(context.Background(), tester); err == nil {
				t.Error("the dialog is still open")
			}
			c.Send("/report")
			mustContain(t, c.LastText(), "「市科协」2022-05 进度填报")
		})
	}
}
