package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func fmtData(version int, op string, id uint) string { return fmt.Sprintf("r:%d:%s:%d", version, op, id) }

func buttonData(t *testing.T, markup, label string) string {
	t.Helper()
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		t.Fatalf("reply_markup %q: %v", markup, err)
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q in %s", label, markup)
	return ""
}

func lastMessageID(t *testing.T, h *harness, chat int64) int {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return d.MessageID
}

func dialogVersion(t *testing.T, h *harness, chat int64) int {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return d.Version
}
