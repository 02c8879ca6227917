package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// A token Telegram refuses stops `duban serve` at once with one line that
// names TELEGRAM_BOT_TOKEN, and without waiting to retry.
func TestServeWithAWrongTokenExitsAtOnce(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"),
		"TELEGRAM_BOT_TOKEN": "123456:WRONG", "TELEGRAM_API_URL": srv.URL()}
	slept := 0
	sys := system{getenv: testEnv(vars), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{},
		sleep: func(context.Context, time.Duration) error { slept++; return nil }}
	err := sys.run(context.Background(), []string{"serve"})
	if !isUsage(err) || !strings.HasPrefix(err.Error(), "TELEGRAM_BOT_TOKEN:") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want one usage line starting with TELEGRAM_BOT_TOKEN", err)
	}
	mustHave(t, err.Error(), "401")
	if slept != 0 || len(srv.Calls("getMe")) != 1 {
		t.Fatalf("slept %d times, %d getMe calls; want 0 and 1", slept, len(srv.Calls("getMe")))
	}
}

// Telegram answering 502 and 503 at start-up is waited out (1s, then 2s),
// and the bot then answers as usual.
func TestServeRetriesGetMeUntilTelegramAnswers(t *testing.T) {
	srv := telegramtest.NewServer(t)
	srv.FailNext("getMe", 502, 0)
	srv.FailNext("getMe", 503, 0)
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"),
		"TELEGRAM_BOT_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waits := make(chan time.Duration, 10)
	var logs bytes.Buffer
	sys := system{getenv: testEnv(vars), stdout: &bytes.Buffer{}, stderr: &logs,
		sleep: func(_ context.Context, d time.Duration) error { waits <- d; return nil }}
	done := make(chan error, 1)
	go func() { done <- sys.run(ctx, []string{"serve"}) }()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 1, Text: "/start",
		From: &tgmodels.User{ID: 9001}, Chat: tgmodels.Chat{ID: 9001, Type: tgmodels.ChatTypePrivate},
		Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 6}}}})
	if _, err := srv.WaitFor(wait, func(c telegramtest.Call) bool { return c.Method == "sendMessage" }); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve returned %v", err)
	}
	close(waits)
	var got []time.Duration
	for d := range waits {
		got = append(got, d)
	}
	if len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Fatalf("waits %v, want [1s 2s]", got)
	}
	if n := strings.Count(logs.String(), "telegram unreachable at start-up"); n != 2 {
		t.Errorf("%d retry warnings, want 2:\n%s", n, logs.String())
	}
}

func TestStartupWaitGrowsToACap(t *testing.T) {
	for attempt, want := range map[int]time.Duration{0: time.Second, 1: 2 * time.Second, 5: 32 * time.Second, 6: time.Minute, 100: time.Minute} {
		if got := startupWait(attempt); got != want {
			t.Errorf("startupWait(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// identityFunc is a Bot API whose getMe answers with the next error.
type identityFunc func() (*tgmodels.User, error)

func (f identityFunc) GetMe(context.Context) (*tgmodels.User, error) { return f() }

// A network error at start-up is waited out like a 5xx; stopping the
// process while waiting returns at once.
func TestWhoAmIRetriesNetworkErrors(t *testing.T) {
	netErr := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot***/getMe", Err: errors.New("dial tcp: connection refused")}
	calls := 0
	api := identityFunc(func() (*tgmodels.User, error) {
		if calls++; calls <= 3 {
			return nil, fmt.Errorf("error do request for method getMe, %w", netErr)
		}
		return &tgmodels.User{Username: "duban_bot"}, nil
	})
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	me, err := whoAmI(context.Background(), api, slog.New(slog.DiscardHandler), sleep)
	if err != nil || me.Username != "duban_bot" || len(waits) != 3 || waits[2] != 4*time.Second {
		t.Fatalf("me %v, err %v, waits %v; want duban_bot after waits of 1s 2s 4s", me, err, waits)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = -100
	stopped := func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	if _, err := whoAmI(ctx, api, slog.New(slog.DiscardHandler), stopped); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
