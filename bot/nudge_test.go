package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// TestNudgeReachesSomeone: 催办 on a department nobody can be reached in says
// so, offers /invite and keeps the 4-hour window; once a contact and a deputy
// are bound, the next press reaches both (issue 12 point 8).
func TestNudgeReachesSomeone(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.clk.Set(h.clk.Now().AddDate(0, 0, 6)) // past the deadline
	d, err := h.st.DepartmentByName(ctx, "市文联")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.RemoveContact(ctx, wenlian); err != nil {
		t.Fatal(err)
	}
	c := h.chat(coordinator)
	c.Send("/overdue")
	mustContain(t, c.LastText(), "市文联 ⏰逾期未报（⚠️无联络员，/invite 市文联）")
	c.Tap("催办 市文联")
	mustContain(t, h.lastToast(), "「市文联」尚无联络员，催办无法送达任何人")
	mustContain(t, c.LastText(), "/invite 市文联")
	if n := countRows(t, h, &models.Nudge{}); n != 0 {
		t.Fatalf("a nudge reaching nobody was recorded (%d rows): it would use up the window", n)
	}
	if n := countRows(t, h, &models.Outbox{}); n != 0 {
		t.Fatalf("outbox has %d messages, want none", n)
	}

	h.addContact(wenlian, "市文联")
	deputy := int64(2099)
	if err := h.st.SaveContact(ctx, &models.Contact{TelegramID: deputy, Role: models.RoleDeputy, DepartmentID: &d.ID}); err != nil {
		t.Fatal(err)
	}
	c.Send("/overdue")
	if got := c.LastText(); strings.Contains(got, "市文联 ⏰逾期未报（⚠️无联络员") {
		t.Fatalf("a department with a contact is still marked as having none:\n%s", got)
	}
	c.Tap("催办 市文联")
	mustContain(t, h.lastToast(), "已催办「市文联」（2 人）")
	var out []models.Outbox
	if err := h.st.DB().Order("chat_id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].ChatID != wenlian || out[1].ChatID != deputy {
		t.Fatalf("outbox = %+v, want the nudge to the contact and the deputy", out)
	}
	mustContain(t, out[0].Text, "【催办】「市文联」")
}
