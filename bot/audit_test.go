package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/duban-bot/duban/bot"
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
	c := h.chat(kexie)
	c.Send("/report")
	c.TapData(fmtData(dialogVersion(t, h, kexie), "d", wl.ID), lastMessageID(t, h, kexie))
	mustContain(t, logs.String(), fmt.Sprintf("user %d (department %d) asked for department %d", kexie, kx.ID, wl.ID))
}
