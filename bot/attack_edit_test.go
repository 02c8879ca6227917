package bot_test

import (
	"testing"

	tgmodels "github.com/go-telegram/bot/models"
)

// A contact types a value, then fixes a typo by editing the message (as
// Telegram lets them). The bot reads only new messages; it must say so
// rather than leave the contact believing the edit counted.
func TestEditedValueIsAnswered(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	m := c.NewMessage()
	m.Text = "12万人"
	c.SendUpdate(tgmodels.Update{Message: m})
	mustContain(t, c.LastText(), "12万人")
	sent := len(h.srv.Sent(tester))
	edited := *m
	edited.Text = "1.2万人"
	edited.EditDate = int(h.clk.Now().Unix())
	c.SendUpdate(tgmodels.Update{EditedMessage: &edited})
	if len(h.srv.Sent(tester)) == sent {
		t.Fatal("an edited value got no answer")
	}
	mustContain(t, c.LastText(), "重新发送")
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports, want 0", n)
	}
	c.Tap("仍然保存") // 12万人 is six times the target
	assertCurrent(t, h, "培训人数", "2022-05", 12)
}
