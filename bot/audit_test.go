package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/models"
)

// The audit line of a refused request names both departments by number
// (it printed the contact's as a pointer, 0xc000…).
func TestRefusedRequestLogsDepartmentNumbers(t *testing.T) {
	h := newHarness(t)
	var logs bytes.Buffer
	h.bot = bot.New(h.api, h.st, h.clk.Now, slog.New(slog.NewTextHandler(&logs, nil)), h.set)
	ctx := context.Background()
	kx, err := h.st.DepartmentByName(ctx, "市科协")
	if err != nil {
		t.Fatal(err)
	}
	wl, err := h.st.DepartmentByName(ctx, "市文联")
	if err != nil {
		t.Fatal(err)
	}
	// The contact moves to 市文联 while a 市科协 dialog is open: the next
	// press in it ends the dialog, and the log names both departments.
	c := h.chat(kexie)
	c.Send("/report")
	if err := h.st.DB().Model(&models.Contact{}).Where("telegram_id = ?", kexie).Update("department_id", wl.ID).Error; err != nil {
		t.Fatal(err)
	}
	c.Tap("南太湖智汇科创行动")
	mustContain(t, logs.String(), fmt.Sprintf("user %d (department %d) asked for department %d", kexie, wl.ID, kx.ID))
}
