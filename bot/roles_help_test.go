package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// coordinatorMenuSetFor reports whether a coordinators' menu was installed in
// the chat of id (scope chat, with /status in it).
func coordinatorMenuSetFor(h *harness, id int64) bool {
	for _, c := range h.srv.Calls("setMyCommands") {
		if c.Status == 200 && strings.Contains(c.Form.Get("scope"), `"chat_id":`+strconv.FormatInt(id, 10)) &&
			strings.Contains(c.Form.Get("commands"), `"status"`) {
			return true
		}
	}
	return false
}

// A coordinator bound with `contact add --role coordinator` gets the
// coordinators' menu at start; when Telegram refuses it (they never opened
// the bot) start-up goes on, and the menu is set when they first write.
func TestEveryCoordinatorGetsTheMenu(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const added, silent int64 = 9100, 9200
	for _, id := range []int64{added, silent} {
		if err := h.st.SaveContact(ctx, &models.Contact{TelegramID: id, Role: models.RoleCoordinator, Source: models.SourceCLI}); err != nil {
			t.Fatal(err)
		}
	}
	h.restart()
	h.srv.BlockChat(silent) // never opened the bot: setMyCommands for the chat fails
	if err := h.bot.Init(ctx); err != nil {
		t.Fatalf("Init failed on a coordinator who never opened the bot: %v", err)
	}
	if !coordinatorMenuSetFor(h, added) {
		t.Error("a coordinator from contact add did not get the coordinators' menu")
	}
	if coordinatorMenuSetFor(h, silent) {
		t.Fatal("the blocked chat's menu counts as set")
	}
	h.srv.UnblockChat(silent)
	h.chat(silent).Send("/whoami")
	if !coordinatorMenuSetFor(h, silent) {
		t.Error("the coordinator's menu was not set when they first wrote")
	}
	calls := len(h.srv.Calls("setMyCommands"))
	h.chat(silent).Send("/whoami")
	if got := len(h.srv.Calls("setMyCommands")); got != calls {
		t.Errorf("the menu is set again on every message (%d → %d calls)", calls, got)
	}
}

// /start, /mine and /help say what each role does, with examples.
func TestHelpPerRole(t *testing.T) {
	h := newHarness(t)
	co := h.chat(coordinator)
	co.Send("/start")
	mustContain(t, co.LastText(), "第一步")
	mustContain(t, co.LastText(), "/invite 市科协")
	co.Send("/mine")
	mustContain(t, co.LastText(), "您是督查考核办，不属于某个部门")
	mustContain(t, co.LastText(), "/status 市科协")
	co.Send("/help")
	coHelp := co.LastText()
	for _, want := range []string{"/status 市科协", "/overdue", "/export csv", "/invite 市科协", "/contacts 市科协", "/target", "代部门填报", "代报"} {
		mustContain(t, coHelp, want)
	}
	c := h.chat(tester)
	c.Send("/help")
	help := c.LastText()
	for _, want := range []string{"/report", "例如 12家", "更正数值", "补报往期", "备注/佐证", "申请延期", "/leave 2022-05-01 2022-05-07", "/mine"} {
		mustContain(t, help, want)
	}
	for _, notForContacts := range []string{"/invite", "/contacts", "/export"} {
		if strings.Contains(help, notForContacts) {
			t.Errorf("a contact's /help lists %s", notForContacts)
		}
	}
}
