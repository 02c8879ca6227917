package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bot/duban/telegramtest"
)

// BenchmarkColdStart measures an empty database → seeded → the bot polling.
func BenchmarkColdStart(b *testing.B) {
	srv := telegramtest.NewServer(b)
	for b.Loop() {
		vars := map[string]string{
			"DUBAN_DB": filepath.Join(b.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
			"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001",
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &bytes.Buffer{}) }()
		wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
		if err := srv.WaitPolling(wait); err != nil {
			b.Fatal(err)
		}
		stop()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
}
