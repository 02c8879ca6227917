package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/telegramtest"
)

// serve asks Telegram for edited messages too: the bot answers an edit in
// a private chat (the edit is not read), and an update type not asked for
// never arrives at all.
func TestServeAsksForEditedMessages(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_NOW": "2022-05-20T10:00:00+08:00",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &bytes.Buffer{}) }()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve returned %v", err)
	}
	calls := srv.Calls("getUpdates")
	if len(calls) == 0 {
		t.Fatal("no getUpdates")
	}
	for _, want := range []string{"message", "edited_message", "callback_query"} {
		if got := calls[0].Form.Get("allowed_updates"); !strings.Contains(got, `"`+want+`"`) {
			t.Errorf("allowed_updates %s lacks %q", got, want)
		}
	}
}
