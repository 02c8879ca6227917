package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/telegramtest"
)

// virtualClock is a delivery.Clock whose Sleep moves the time on at once,
// so retries and pacing cost no real time.
type virtualClock struct{ c *telegramtest.Clock }

func (v virtualClock) Now() time.Time { return v.c.Now() }

func (v virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.c.Advance(d)
	return nil
}

// script is one contact's full report: /report, the first task, its first
// metric, the value (the target, or 已完成 for a milestone), confirm.
type script struct {
	user   int64
	metric models.Metric
}

func (s script) run(c *telegramtest.Chat) {
	c.Send("/report")
	c.Tap("▫️ 1. ")
	c.Tap("▫️ " + shortLabel(s.metric.Name, 20))
	if s.metric.Kind == string(progress.KindMilestone) {
		c.Tap("已完成")
	} else {
		c.Send(strconv.FormatFloat(s.metric.Target, 'f', -1, 64))
	}
	c.Tap("保存")
}

func shortLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// scripts binds one contact to each of the first n departments of the plan.
func scripts(t *testing.T, h *harness, n int) []script {
	t.Helper()
	depts, err := h.st.Plan(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	var out []script
	for i, d := range depts[:n] {
		user := int64(3000 + i)
		h.addContact(user, d.Name)
		out = append(out, script{user: user, metric: d.Tasks[0].Metrics[0]})
	}
	return out
}

// Issue 11, point 6: Telegram answers a fifth of the sends and edits with
// 429 (retry after 1 s) or 500. Every contact's dialog still completes: the
// value is stored and the user sees the "已保存" screen. Dialog replies used
// to be sent once, so a third of the dialogs ended on "系统繁忙".
func TestDialogsCompleteWhenTelegramRefusesAFifth(t *testing.T) {
	for _, tc := range []struct{ send, edit int }{
		{http.StatusTooManyRequests, http.StatusInternalServerError},
		{http.StatusInternalServerError, http.StatusTooManyRequests},
	} {
		t.Run(fmt.Sprintf("send %d edit %d", tc.send, tc.edit), func(t *testing.T) {
			h := newHarness(t)
			virt := virtualClock{telegramtest.NewClock(time.Date(2022, 5, 20, 2, 0, 0, 0, time.UTC))}
			h.set.Pacer = delivery.NewChatPacer(virt, 0)
			h.set.Sleep = virt.Sleep
			h.restart()
			contacts := scripts(t, h, 10)
			h.srv.FailRate("sendMessage", tc.send, 1, 5)
			h.srv.FailRate("editMessageText", tc.edit, 1, 5)

			var wg sync.WaitGroup
			for _, s := range contacts {
				wg.Go(func() { s.run(h.chat(s.user)) })
			}
			wg.Wait()

			for _, s := range contacts {
				if got := h.chat(s.user).LastText(); !strings.HasPrefix(got, "✅ 已保存") {
					t.Errorf("contact %d's last screen: %q", s.user, got)
				}
				want := s.metric.Target
				if s.metric.Kind == string(progress.KindMilestone) {
					want = progress.MilestoneDone
				}
				if got := h.reports(s.metric.Name); len(got) != 1 || got[0].Value != want {
					t.Errorf("metric %q: stored %+v, want one value %v", s.metric.Name, got, want)
				}
			}
			refused := 0
			for _, m := range []string{"sendMessage", "editMessageText"} {
				for _, c := range h.srv.Calls(m) {
					if c.Status != http.StatusOK {
						refused++
					}
				}
			}
			if refused == 0 {
				t.Fatal("Telegram refused nothing: the test tests nothing")
			}
		})
	}
}

// A reply Telegram keeps refusing is given up after about ten seconds with
// a message saying so, not "系统繁忙" forever nor silence.
func TestReplyRefusedForTenSecondsIsGivenUp(t *testing.T) {
	h := newHarness(t)
	var waited time.Duration
	h.set.Sleep = func(_ context.Context, d time.Duration) error { waited += d; return nil }
	h.restart()
	c := h.chat(tester)
	c.Send("/report")
	h.srv.FailRate("editMessageText", http.StatusInternalServerError, 0, 1)
	c.Tap("测试任务")
	if waited < 5*time.Second || waited > 10*time.Second {
		t.Errorf("waited %v before giving up, want 5–10 s", waited)
	}
	if got := h.lastToast(); !strings.Contains(got, "Telegram 暂时繁忙") {
		t.Errorf("toast after giving up: %q", got)
	}
}

// "message is not modified" is what an edit retried after a lost answer
// meets; it is success, and a 400 for a wrong request is not retried.
func TestEditAnswersThatAreNotRetried(t *testing.T) {
	h := newHarness(t)
	var waits int
	h.set.Sleep = func(context.Context, time.Duration) error { waits++; return nil }
	h.restart()
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	before := len(h.srv.Calls("editMessageText"))
	h.srv.FailNext("editMessageText", http.StatusBadRequest, 0)
	c.Tap("培训人数")
	if got := len(h.srv.Calls("editMessageText")) - before; got != 1 || waits != 0 {
		t.Errorf("a 400 was tried %d times after %d waits, want once, no wait", got, waits)
	}
}

// Issue 11, point 6: a reminder from the outbox and the reply to the
// contact's /report keep a second apart, whichever goes first, because the
// sender and the bot share one pacer. Each used to keep its own pace, and
// the second message got a 429.
func TestReminderAndReplyShareTheChatsPace(t *testing.T) {
	for _, replyFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("reply first %v", replyFirst), func(t *testing.T) {
			h := newHarness(t)
			virt := virtualClock{h.clk}
			srv := telegramtest.NewServer(t, telegramtest.WithClock(h.clk.Now), telegramtest.WithTelegramLimits())
			api, err := tg.New(telegramtest.Token, tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
			if err != nil {
				t.Fatal(err)
			}
			pacer := delivery.NewChatPacer(virt, 0)
			set := h.set
			set.Pacer, set.Sleep = pacer, virt.Sleep
			b := bot.New(api, h.st, h.clk.Now, slog.New(slog.DiscardHandler), set)
			sender, err := delivery.New(h.st, api, delivery.Options{Clock: virt, Pacer: pacer})
			if err != nil {
				t.Fatal(err)
			}
			c := srv.Chat(tester, b.HandleUpdate)
			remind := func() {
				if _, err := h.st.Enqueue(context.Background(), models.OutboxMessage{ChatID: tester, Text: "提醒"}); err != nil {
					t.Fatal(err)
				}
				if _, err := sender.Drain(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if replyFirst {
				c.Send("/report")
				remind()
			} else {
				remind()
				c.Send("/report")
			}
			calls := srv.Calls("sendMessage")
			for _, call := range calls {
				if call.Status == http.StatusTooManyRequests {
					t.Errorf("a message got 429 at %v", call.At.Sub(calls[0].At))
				}
			}
			if got := len(srv.Sent(tester)); got != 2 {
				t.Fatalf("%d messages delivered, want the reminder and the dialog", got)
			}
		})
	}
}
