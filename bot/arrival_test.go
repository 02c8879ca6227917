package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"
)

// Issue 11, point 2: the handled mark is written with the update's dialog
// step, in one transaction. An update whose step did not commit (here the
// database refuses the dialog row; in production a crash) is not marked, so
// when it is delivered again (the inbox hands it over after a restart) it
// is handled. The mark used to be written first, on its own, and the
// second delivery was dropped as a duplicate: the user's /report was lost.
func TestUpdateWhoseStepFailedIsHandledWhenDeliveredAgain(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	db := h.st.DB()
	if err := db.Exec("CREATE TRIGGER refuse_dialog BEFORE INSERT ON dialog_states " +
		"BEGIN SELECT RAISE(ABORT, 'disk full'); END").Error; err != nil {
		t.Fatal(err)
	}
	msg := c.NewMessage()
	msg.Text = "/report"
	msg.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: len("/report")}}
	upd := tgmodels.Update{ID: 9001, Message: msg}
	c.SendUpdate(upd)
	if seen, err := h.st.UpdateSeen(context.Background(), upd.ID); err != nil || seen {
		t.Fatalf("update marked handled (%v, %v) though its step failed", seen, err)
	}
	if err := db.Exec("DROP TRIGGER refuse_dialog").Error; err != nil {
		t.Fatal(err)
	}
	c.SendUpdate(upd)
	if _, err := h.st.Dialog(context.Background(), tester); err != nil {
		t.Fatalf("the update delivered again opened no dialog: %v", err)
	}
	if !slices.ContainsFunc(c.Buttons(), func(b string) bool { return strings.Contains(b, "测试任务") }) {
		t.Errorf("last screen = %q %q, want the task list", c.LastText(), c.Buttons())
	}
	c.SendUpdate(upd) // a third delivery, now handled: dropped
	if n := len(h.srv.Sent(tester)); n != 3 {
		t.Errorf("%d messages sent to the chat, want 3 (busy, the screen; nothing for the duplicate)", n)
	}
}
