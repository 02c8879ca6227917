package bot_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// coordGroup is the coordinators' group of these scenarios.
var coordGroup = tgmodels.Chat{ID: -1009876, Type: tgmodels.ChatTypeSupergroup, Title: "督查考核办工作群"}

// groupSays delivers a text from user in the group, with the bot_command
// entity Telegram adds when the text starts with a command.
func groupSays(h *harness, user int64, text string) {
	h.t.Helper()
	m := &tgmodels.Message{ID: len(h.srv.Calls("")) + 1, Text: text, Chat: coordGroup,
		From: &tgmodels.User{ID: user, FirstName: "群成员"}}
	if strings.HasPrefix(text, "/") {
		head, _, _ := strings.Cut(text, " ")
		m.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: utf16Len(head)}}
	}
	h.chat(user).SendUpdate(tgmodels.Update{Message: m}) // the fake numbers the update
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// groupTexts is what the bot posted into the group, in order.
func groupTexts(h *harness) []string {
	var out []string
	for _, c := range h.srv.Sent(coordGroup.ID) {
		out = append(out, c.Form.Get("text"))
	}
	return out
}

// rowCounts counts the rows of every table, to show that a request stored
// nothing at all (no contact, no invite, no dialog, no processed update).
func rowCounts(t *testing.T, h *harness) map[string]int64 {
	t.Helper()
	db := h.st.DB()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, table := range tables {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

// mustStoreNothing fails when any table changed since before. With
// commands, a request for the bot: the ids of handled updates (kept to drop
// redeliveries) may be stored, nothing else.
func mustStoreNothing(t *testing.T, h *harness, before map[string]int64, commands bool) {
	t.Helper()
	after := rowCounts(t, h)
	if commands {
		for _, m := range []map[string]int64{before, after} {
			maps.DeleteFunc(m, func(table string, _ int64) bool { return strings.Contains(table, "update") })
		}
	}
	if !maps.Equal(before, after) {
		t.Fatalf("rows changed:\nbefore %v\nafter  %v", before, after)
	}
}

// A stranger in a group gets no answer at all: no refusal posted for every
// member to read, and nothing stored, whatever they send.
func TestStrangerInAGroupGetsSilence(t *testing.T) {
	h := newHarness(t)
	before := rowCounts(t, h)
	for _, text := range []string{"/start", "/start abcdef", "/status", "/invite@duban_test_bot 市科协", "/help@duban_test_bot", "你好", "12"} {
		groupSays(h, stranger, text)
	}
	if got := groupTexts(h); len(got) != 0 {
		t.Fatalf("the bot posted %q into the group for a stranger", got)
	}
	mustStoreNothing(t, h, before, false)

	// The same stranger in a private chat is still told why not.
	c := h.chat(stranger)
	c.Send("/start")
	mustContain(t, c.LastText(), "尚未登记为督办联络员")
}

// A coordinator's /invite in a group creates no invite and posts no link:
// anyone in the group could open it. It says where to ask instead.
func TestInviteInAGroupMakesNoLink(t *testing.T) {
	h := newHarness(t)
	before := rowCounts(t, h)
	groupSays(h, coordinator, "/invite@duban_test_bot 市科协")
	groupSays(h, coordinator, "/invite 市科协")
	got := groupTexts(h)
	if len(got) != 2 {
		t.Fatalf("group got %q, want two answers", got)
	}
	for _, text := range got {
		mustContain(t, text, "私聊")
		if strings.Contains(text, "start=") || strings.Contains(text, "t.me/") {
			t.Errorf("an invite link was posted into the group: %q", text)
		}
	}
	var invites int64
	if err := h.st.DB().Model(&models.Invite{}).Count(&invites).Error; err != nil || invites != 0 {
		t.Fatalf("%d invites stored (err %v), want 0", invites, err)
	}
	mustStoreNothing(t, h, before, true)

	// In private the same command does create one, so the count above could fail.
	c := h.chat(coordinator)
	c.Send("/invite 市科协")
	mustContain(t, c.LastText(), "start=")
	if err := h.st.DB().Model(&models.Invite{}).Count(&invites).Error; err != nil || invites != 1 {
		t.Fatalf("%d invites after a private /invite, want 1", invites)
	}
}

// In a group the bot answers commands that name it or no bot, and ignores
// commands for other bots and ordinary chatter.
func TestGroupCommandsAddressedToThisBot(t *testing.T) {
	tests := []struct {
		name, text string
		answered   bool
	}{
		{"another bot's command", "/status@other_bot", false},
		{"another bot's command with an argument", "/status@other_bot 市科协", false},
		{"addressed to this bot", "/status@duban_test_bot", true},
		{"addressed in other case", "/status@Duban_Test_Bot", true},
		{"unaddressed", "/status", true},
		{"chatter", "今天的数据什么时候报？", false},
		{"a number", "12", false},
		{"command not at the start", "👍 /status", false},
		{"not a command name", "/状态", false},
		{"unknown unaddressed command, likely another bot's", "/weather", false},
		{"unknown command naming this bot", "/weather@duban_test_bot", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			groupSays(h, coordinator, tt.text)
			if got := len(groupTexts(h)) > 0; got != tt.answered {
				t.Fatalf("answered = %v, want %v (group got %q)", got, tt.answered, groupTexts(h))
			}
		})
	}
}

// A command right before a Chinese comma ends where Telegram's
// entity says (its length is in UTF-16 units), and an entity whose length
// does not fit the text falls back to the first space without harm.
func TestGroupCommandEndsWhereTheEntitySays(t *testing.T) {
	h := newHarness(t)
	m := &tgmodels.Message{ID: 1, Text: "/status@duban_test_bot，市测试办", Chat: coordGroup,
		From:     &tgmodels.User{ID: coordinator},
		Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: utf16Len("/status@duban_test_bot")}}}
	h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: 1, Message: m})
	got := groupTexts(h)
	if len(got) != 1 || !strings.Contains(got[0], "「市测试办」2022-05 进度") {
		t.Fatalf("group got %q, want the department named after the entity", got)
	}
	// Entities that do not fit the text: beyond it, empty, ending inside 👍.
	text := "/status@duban_test_bot 👍"
	for i, length := range []int{500, 0, utf16Len(text) - 1} {
		m := &tgmodels.Message{ID: 2 + i, Text: text, Chat: coordGroup, From: &tgmodels.User{ID: coordinator},
			Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: length}}}
		h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: int64(2 + i), Message: m})
	}
	got = groupTexts(h)
	if len(got) != 4 {
		t.Fatalf("%d answers, want 4: a bad entity length falls back to the first space", len(got))
	}
	for _, text := range got[1:] {
		mustContain(t, text, "找不到部门「👍」")
	}
}

// A contact's own data and dialogs stay in the private chat: in a group
// their commands get a pointer there, and nothing is stored.
func TestContactCommandsInAGroupPointToThePrivateChat(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	before := rowCounts(t, h)
	for _, text := range []string{"/mine", "/whoami", "/leave 2022-05-23 2022-05-27", "/report", "/status", "/export", "/cancel"} {
		groupSays(h, tester, text)
	}
	got := groupTexts(h)
	if len(got) != 7 {
		t.Fatalf("group got %d answers %q, want 7", len(got), got)
	}
	for _, text := range got {
		mustContain(t, text, "私聊")
		for _, private := range []string{"市测试办", "培训人数", "联络员", "05-23"} {
			if strings.Contains(text, private) {
				t.Errorf("group answer %q shows %q", text, private)
			}
		}
	}
	mustStoreNothing(t, h, before, true)
	if c, err := h.st.ContactByTelegramID(context.Background(), tester); err != nil || c.LeaveFrom != nil {
		t.Fatalf("a leave was stored from the group: %+v, %v", c, err)
	}

	groupSays(h, tester, "/help")
	mustContain(t, groupTexts(h)[len(groupTexts(h))-1], "/report")
}

// The coordinators use /status and /overdue in their group, as the design
// says; a stranger's button press under the digest gets a toast only they
// see, and nothing in the group.
func TestCoordinatorViewsInTheGroup(t *testing.T) {
	h := newHarness(t)
	groupSays(h, coordinator, "/status@duban_test_bot")
	groupSays(h, coordinator, "/overdue@duban_test_bot")
	got := groupTexts(h)
	if len(got) != 2 || !strings.Contains(got[0], "重点任务进度") || !strings.Contains(got[1], "未报齐") {
		t.Fatalf("group got %q, want the overview and the overdue list", got)
	}
	h.bot.HandleUpdate(context.Background(), &tgmodels.Update{ID: 4242, CallbackQuery: &tgmodels.CallbackQuery{
		ID: "g-9", From: tgmodels.User{ID: stranger}, Data: "s:c",
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage,
			Message: &tgmodels.Message{ID: 1, Chat: coordGroup}},
	}})
	mustContain(t, h.lastToast(), "尚未登记")
	if n := len(h.srv.Sent(coordGroup.ID)); n != 2 {
		t.Fatalf("%d messages in the group after a stranger's press, want still 2", n)
	}
}
