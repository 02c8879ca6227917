package telegramtest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/telegramtest"
)

var start = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)

// retryAfter sends one message and returns 0 when accepted, the 429's
// retry_after when refused; any other error fails the test.
func retryAfter(t *testing.T, b *tg.Bot, chatID int64) int {
	t.Helper()
	_, err := b.SendMessage(t.Context(), &tg.SendMessageParams{ChatID: chatID, Text: "提醒"})
	var flood *tg.TooManyRequestsError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &flood):
		return flood.RetryAfter
	}
	t.Fatalf("send to %d: %v", chatID, err)
	return -1
}

func TestLimitsPerPrivateChat(t *testing.T) {
	clk := telegramtest.NewClock(start)
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clk.Now), telegramtest.WithTelegramLimits())
	b := newBot(t, srv)

	steps := []struct {
		advance time.Duration
		want    int // retry_after; 0 = accepted
	}{
		{0, 0},
		{0, 1},                      // same instant
		{300 * time.Millisecond, 1}, // 0.7s left rounds up
		{700 * time.Millisecond, 0}, // 1s after the accepted send
		{999 * time.Millisecond, 1},
		{time.Millisecond, 0},
	}
	for i, step := range steps {
		clk.Advance(step.advance)
		if got := retryAfter(t, b, 1001); got != step.want {
			t.Errorf("step %d at +%v: retry_after = %d, want %d", i, clk.Now().Sub(start), got, step.want)
		}
	}
	rejected := srv.Calls("sendMessage")[1]
	if rejected.Status != http.StatusTooManyRequests || rejected.Description != "Too Many Requests: retry after 1" {
		t.Errorf("rejected call recorded as %d %q", rejected.Status, rejected.Description)
	}
	if got := len(srv.Sent(1001)); got != 3 {
		t.Errorf("Sent(1001) = %d messages, want the 3 accepted", got)
	}
}

func TestLimitsGlobalThirtyPerSecond(t *testing.T) {
	clk := telegramtest.NewClock(start)
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clk.Now), telegramtest.WithTelegramLimits())
	b := newBot(t, srv)

	for i := range 30 {
		if got := retryAfter(t, b, int64(2000+i)); got != 0 {
			t.Fatalf("send %d to a fresh chat refused with retry_after %d", i+1, got)
		}
		clk.Advance(30 * time.Millisecond)
	}
	if got := retryAfter(t, b, 3000); got != 1 {
		t.Errorf("31st send within one second: retry_after = %d, want 1", got)
	}
	clk.Set(start.Add(time.Second)) // the first send leaves the window
	if got := retryAfter(t, b, 3000); got != 0 {
		t.Errorf("send once the window slid: retry_after = %d, want 0", got)
	}
}

func TestLimitsPerGroupTwentyPerMinute(t *testing.T) {
	clk := telegramtest.NewClock(start)
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clk.Now), telegramtest.WithTelegramLimits())
	b := newBot(t, srv)
	const group = -4001

	for i := range 20 {
		if got := retryAfter(t, b, group); got != 0 {
			t.Fatalf("group send %d refused with retry_after %d", i+1, got)
		}
		clk.Advance(time.Second)
	}
	// 20 sends at +0s…+19s; the 21st at +20s waits until the first is a minute old.
	if got := retryAfter(t, b, group); got != 40 {
		t.Errorf("21st group send within a minute: retry_after = %d, want 40", got)
	}
	clk.Set(start.Add(time.Minute))
	if got := retryAfter(t, b, group); got != 0 {
		t.Errorf("group send a minute after the first: retry_after = %d, want 0", got)
	}
}

func TestClock(t *testing.T) {
	clk := telegramtest.NewClock(start)
	clk.Advance(90 * time.Minute)
	if got := clk.Now(); !got.Equal(start.Add(90 * time.Minute)) {
		t.Errorf("after Advance: %v", got)
	}
	clk.Set(start)
	if got := clk.Now(); !got.Equal(start) {
		t.Errorf("after Set: %v", got)
	}
}
