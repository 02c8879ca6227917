package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// reminders returns n messages to each of chats, texted "chat C #i".
func reminders(chats []int64, n int) []models.OutboxMessage {
	var msgs []models.OutboxMessage
	for i := 1; i <= n; i++ {
		for _, c := range chats {
			msgs = append(msgs, models.OutboxMessage{
				ChatID: c, Text: fmt.Sprintf("chat %d #%d", c, i), DedupKey: fmt.Sprintf("r:%d:%d", c, i),
			})
		}
	}
	return msgs
}

func chatRange(first int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = first + int64(i)
	}
	return out
}

// checkDeliveredOnceInOrder asserts every message of msgs arrived exactly
// once, and each chat's in the order enqueued.
func checkDeliveredOnceInOrder(t *testing.T, e *env, msgs []models.OutboxMessage) {
	t.Helper()
	checkDeliveredOnce(t, e, msgs)
	for chat, calls := range byChat(e.sendCalls(http.StatusOK)) {
		for i, c := range calls {
			if want := fmt.Sprintf("chat %d #%d", chat, i+1); c.Form.Get("text") != want {
				t.Errorf("chat %d: delivery %d is %q, want %q", chat, i+1, c.Form.Get("text"), want)
			}
		}
	}
}

// checkDeliveredOnce asserts every message of msgs arrived exactly once
// and is recorded as sent.
func checkDeliveredOnce(t *testing.T, e *env, msgs []models.OutboxMessage) {
	t.Helper()
	got := e.deliveries()
	for _, m := range msgs {
		if got[m.Text] != 1 {
			t.Errorf("%q delivered %d times, want once", m.Text, got[m.Text])
		}
	}
	for _, r := range e.outbox() {
		if r.Status != models.OutboxSent || r.MessageID == 0 {
			t.Errorf("outbox row %d (%q) is %s with message id %d, want sent", r.ID, r.Text, r.Status, r.MessageID)
		}
	}
}

// checkFloodLimits asserts that no chat got two requests within a second
// and that no second saw more than 30 requests, counting every attempt.
func checkFloodLimits(t *testing.T, e *env) {
	t.Helper()
	all := e.sendCalls(0)
	for chat, calls := range byChat(all) {
		if gap := minGap(calls); gap >= 0 && gap < time.Second {
			t.Errorf("chat %d got two requests %v apart", chat, gap)
		}
	}
	if n := maxInWindow(all, time.Second); n > 30 {
		t.Errorf("%d requests within one second, want at most 30", n)
	}
}

func TestFailuresAreRetriedAndEveryMessageArrivesOnce(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*telegramtest.Server)
	}{
		{"Telegram answers 429 retry_after 2 to every 7th request", func(s *telegramtest.Server) {
			s.FailRate("sendMessage", http.StatusTooManyRequests, 2, 7)
		}},
		{"Telegram answers 500 to every 5th request", func(s *telegramtest.Server) {
			s.FailRate("sendMessage", http.StatusInternalServerError, 0, 5)
		}},
		{"a 500 outage, then 429s", func(s *telegramtest.Server) {
			for range 6 {
				s.FailNext("sendMessage", http.StatusBadGateway, 0)
			}
			s.FailRate("sendMessage", http.StatusTooManyRequests, 2, 4)
		}},
	}
	for _, tt := range tests {
		for _, concurrency := range []int{1, 30} {
			t.Run(fmt.Sprintf("%s/%d in flight", tt.name, concurrency), func(t *testing.T) {
				testFaults(t, tt.fault, concurrency)
			})
		}
	}
}

func testFaults(t *testing.T, fault func(*telegramtest.Server), concurrency int) {
	e := newEnv(t)
	msgs := reminders(chatRange(1001, 40), 3)
	e.enqueue(msgs...)
	fault(e.srv)

	st := e.drainAll(e.sender(delivery.Options{Concurrency: concurrency}))

	checkDeliveredOnceInOrder(t, e, msgs)
	checkFloodLimits(t, e)
	checkRetryAfterHonoured(t, e)
	failedCalls := len(e.sendCalls(0)) - len(e.sendCalls(http.StatusOK))
	limited := len(e.sendCalls(http.StatusTooManyRequests))
	want := delivery.Stats{Sent: len(msgs), Retried: failedCalls, RateLimited: limited}
	if st != want || failedCalls == 0 {
		t.Errorf("stats = %+v, want %+v (with some failures)", st, want)
	}
}

// checkRetryAfterHonoured asserts a chat answered 429 retry_after 2 is not
// sent to for two seconds.
func checkRetryAfterHonoured(t *testing.T, e *env) {
	t.Helper()
	for chat, calls := range byChat(e.sendCalls(0)) {
		for i := 1; i < len(calls); i++ {
			prev := calls[i-1]
			if prev.Status == http.StatusTooManyRequests && calls[i].At.Sub(prev.At) < 2*time.Second {
				t.Errorf("chat %d was sent to %v after a 429 with retry_after 2", chat, calls[i].At.Sub(prev.At))
			}
		}
	}
}

func TestServerErrorsBackOffThenGiveUp(t *testing.T) {
	e := newEnv(t)
	e.srv.FailRate("sendMessage", http.StatusInternalServerError, 0, 1)
	e.enqueue(models.OutboxMessage{ChatID: 1001, Text: "请报送"})

	st := e.drainAll(e.sender(delivery.Options{MaxAttempts: 4}))

	calls := e.sendCalls(0)
	var gaps []time.Duration
	for i := 1; i < len(calls); i++ {
		gaps = append(gaps, calls[i].At.Sub(calls[i-1].At))
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; fmt.Sprint(gaps) != fmt.Sprint(want) {
		t.Errorf("gaps between attempts = %v, want %v", gaps, want)
	}
	row := e.outbox()[0]
	if row.Status != models.OutboxFailed || row.Attempts != 4 || !strings.Contains(row.LastError, "500") {
		t.Errorf("row = %s after %d attempts, last error %q; want failed after 4", row.Status, row.Attempts, row.LastError)
	}
	if want := (delivery.Stats{Retried: 3, Failed: 1}); st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
}

func TestUnreachableChatIsReportedToCoordinators(t *testing.T) {
	tests := []struct {
		name   string
		fault  func(*telegramtest.Server)
		reason string
	}{
		{"the contact blocked the bot", func(s *telegramtest.Server) { s.BlockChat(2001) }, "对方已屏蔽机器人"},
		{"the contact never started the bot", func(s *telegramtest.Server) {
			s.FailNext("sendMessage", http.StatusBadRequest, 0) // "chat not found"
		}, "找不到该聊天"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			bindContacts(t, e)
			e.srv.BlockChat(9002) // a coordinator who blocked the bot too
			tt.fault(e.srv)
			e.enqueue(
				models.OutboxMessage{ChatID: 2001, ParseMode: "HTML", Text: "<b>请于5月20日前报送</b> &amp; 核对\n第二行"},
				models.OutboxMessage{ChatID: 2002, Text: "其他部门的提醒"},
			)

			// One request at a time, so that FailNext hits 2001's message.
			st := e.drainAll(e.sender(delivery.Options{Concurrency: 1}))

			rows := e.outbox()
			if rows[0].Status != models.OutboxFailed || rows[1].Status != models.OutboxSent {
				t.Fatalf("statuses = %s, %s; want failed, sent", rows[0].Status, rows[1].Status)
			}
			notices := e.srv.Sent(9001)
			if len(notices) != 1 {
				t.Fatalf("coordinator 9001 got %d messages, want one notice", len(notices))
			}
			text := notices[0].Form.Get("text")
			for _, want := range []string{"张三（市科协，Telegram ID 2001）", tt.reason, "请于5月20日前报送 & 核对"} {
				if !strings.Contains(text, want) {
					t.Errorf("notice %q lacks %q", text, want)
				}
			}
			// The notice to 9002 failed, and nobody is told about that.
			if want := (delivery.Stats{Sent: 2, Failed: 2}); st != want {
				t.Errorf("stats = %+v, want %+v", st, want)
			}
		})
	}
}

// A chat that blocked the bot with three reminders queued costs each
// coordinator one notice, not three.
func TestBlockedChatIsReportedOncePerDay(t *testing.T) {
	e := newEnv(t)
	bindContacts(t, e)
	e.srv.BlockChat(2001)
	e.enqueue(
		models.OutboxMessage{ChatID: 2001, Text: "蓝色提醒"},
		models.OutboxMessage{ChatID: 2001, Text: "今日截止"},
		models.OutboxMessage{ChatID: 2001, Text: "黄色督办"},
	)
	st := e.drainAll(e.sender(delivery.Options{}))
	if got := len(e.srv.Sent(9001)); got != 1 {
		t.Errorf("coordinator 9001 got %d notices, want 1", got)
	}
	if st.Failed < 3 {
		t.Errorf("stats = %+v, want the three reminders failed", st)
	}
}

// bindContacts binds 张三 of 市科协 to 2001 and coordinators 9001 and 9002.
func bindContacts(t *testing.T, e *env) {
	t.Helper()
	dept := models.Department{Name: "市科协", Seq: 1}
	if err := e.store.DB().Create(&dept).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range []models.Contact{
		{TelegramID: 2001, Name: "张三", Role: models.RoleContact, DepartmentID: &dept.ID},
		{TelegramID: 9001, Name: "督查室", Role: models.RoleCoordinator},
		{TelegramID: 9002, Name: "督查室2", Role: models.RoleCoordinator},
	} {
		if err := e.store.SaveContact(e.ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMarkupIsSentAsStoredAndBadMessagesFail(t *testing.T) {
	const keyboard = `{"inline_keyboard":[[{"text":"去报送","callback_data":"report:12"}]]}`
	tests := []struct {
		name   string
		markup string
		calls  int    // sendMessage requests expected
		status string // outbox status expected
	}{
		{"an inline keyboard goes out byte for byte", keyboard, 1, models.OutboxSent},
		{"a keyboard Telegram rejects fails at once", `{"inline_keyboard":[[{"text":"","callback_data":"x"}]]}`, 1, models.OutboxFailed},
		{"markup that is not JSON is never sent", `{"inline_keyboard":`, 0, models.OutboxFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			bindContacts(t, e)
			e.enqueue(models.OutboxMessage{ChatID: 2001, Text: "请报送", Markup: tt.markup})

			e.drainAll(e.sender(delivery.Options{}))

			calls := e.sendCalls(0)
			if len(calls) != tt.calls {
				t.Fatalf("%d sendMessage requests, want %d", len(calls), tt.calls)
			}
			if tt.status == models.OutboxSent && calls[0].Form.Get("reply_markup") != tt.markup {
				t.Errorf("reply_markup = %s, want %s", calls[0].Form.Get("reply_markup"), tt.markup)
			}
			if row := e.outbox()[0]; row.Status != tt.status {
				t.Errorf("status = %s (%s), want %s", row.Status, row.LastError, tt.status)
			}
			if n := len(e.srv.Sent(9001)); n != 0 {
				t.Errorf("coordinator got %d notices about a bad message, want none", n)
			}
		})
	}
}

func TestGroupChatGetsAtMostTwentyAMinute(t *testing.T) {
	e := newEnv(t, telegramtest.WithTelegramLimits())
	const group = -1001
	msgs := reminders([]int64{group, 1001}, 45)
	e.enqueue(msgs...)

	st := e.drainAll(e.sender(delivery.Options{Concurrency: 1}))

	checkDeliveredOnceInOrder(t, e, msgs)
	groupCalls := byChat(e.sendCalls(0))[group]
	if n := maxInWindow(groupCalls, time.Minute); n != 20 {
		t.Errorf("the group got up to %d messages a minute, want 20", n)
	}
	if gap := groupCalls[20].At.Sub(groupCalls[0].At); gap < time.Minute {
		t.Errorf("the 21st group message came %v after the first, want a minute", gap)
	}
	if st.RateLimited != 0 {
		t.Errorf("%d requests were answered 429", st.RateLimited)
	}
}

func TestDeliveredMessagesAreNotSentAgain(t *testing.T) {
	t.Run("after a restart", func(t *testing.T) {
		e := newEnv(t)
		msgs := reminders(chatRange(1001, 5), 2)
		e.enqueue(msgs...)
		e.drainAll(e.sender(delivery.Options{}))

		e.clock.Set(t0.Add(time.Hour))
		st := e.drainAll(e.sender(delivery.Options{}))

		if st.Sent != 0 || len(e.sendCalls(0)) != len(msgs) {
			t.Errorf("the new sender sent %d; %d requests for %d messages", st.Sent, len(e.sendCalls(0)), len(msgs))
		}
	})
	t.Run("a crashed sender's claim is honoured until its lease ends", func(t *testing.T) {
		e := newEnv(t)
		e.enqueue(models.OutboxMessage{ChatID: 1001, Text: "chat 1001 #1"})
		if _, err := e.store.ClaimOutbox(e.ctx, "crashed", t0, 10, 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		s := e.sender(delivery.Options{})
		if st, err := s.Drain(e.ctx); err != nil || st.Sent != 0 {
			t.Fatalf("drain under a live claim sent %d, err %v", st.Sent, err)
		}
		e.clock.Set(t0.Add(10*time.Minute + time.Second))
		if st, err := s.Drain(e.ctx); err != nil || st.Sent != 1 {
			t.Fatalf("drain after the lease sent %d, err %v; want 1", st.Sent, err)
		}
	})
	t.Run("two senders on one database", func(t *testing.T) {
		e := newEnv(t)
		msgs := reminders(chatRange(1001, 60), 3)
		e.enqueue(msgs...)
		a, b := e.sender(delivery.Options{BatchSize: 20}), e.sender(delivery.Options{BatchSize: 20})

		var wg sync.WaitGroup
		var stA, stB delivery.Stats
		wg.Go(func() { stA = e.drainAll(a) })
		wg.Go(func() { stB = e.drainAll(b) })
		wg.Wait()

		// Claims take turns, so a chat's 2nd and 3rd message are never
		// held by two senders at once: the order holds across senders.
		checkDeliveredOnceInOrder(t, e, msgs)
		if stA.Sent == 0 || stB.Sent == 0 || stA.Sent+stB.Sent != len(msgs) {
			t.Errorf("senders sent %d and %d of %d; want both to share the work", stA.Sent, stB.Sent, len(msgs))
		}
	})
}

func TestRunSendsWhatIsEnqueuedWhenWoken(t *testing.T) {
	e := newEnvOn(t, scaledClock{time.Now(), 1}) // real time
	s, err := delivery.New(e.store, e.api, delivery.Options{Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s.Run(ctx)
	}()

	for i, chat := range []int64{1001, 1002, 1003} {
		text := fmt.Sprintf("第%d条", i+1)
		e.enqueue(models.OutboxMessage{ChatID: chat, Text: text})
		s.Wake()
		if _, err := e.srv.WaitFor(ctx, func(c telegramtest.Call) bool { return c.Form.Get("text") == text }); err != nil {
			t.Fatalf("%s was not sent after Wake: %v", text, err)
		}
	}
	cancel()
	<-stopped
}

func TestShutdownMidDrainRecordsWhatWasSentAndGivesTheRestBack(t *testing.T) {
	e := newEnv(t)
	msgs := reminders(chatRange(1001, 20), 1)
	e.enqueue(msgs...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.srv.OnCall(func(telegramtest.Call) {
		if len(e.sendCalls(0)) == 5 {
			cancel() // while the 5th request is in flight
		}
	})

	s := e.sender(delivery.Options{Concurrency: 1})
	if st, err := s.Drain(ctx); !errors.Is(err, context.Canceled) || st.Sent != 5 {
		t.Fatalf("drain = %+v, %v; want 5 sent, then canceled", st, err)
	}
	for _, r := range e.outbox()[5:] {
		if r.Status != models.OutboxPending || r.ClaimedBy != "" {
			t.Fatalf("unsent row %d is %s held by %q, want pending and free", r.ID, r.Status, r.ClaimedBy)
		}
	}
	e.drainAll(e.sender(delivery.Options{}))
	checkDeliveredOnce(t, e, msgs)
}

func TestNewRejectsALeaseShorterThanASend(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		opts delivery.Options
		ok   bool
	}{
		{"defaults", delivery.Options{}, true},
		{"a lease shorter than horizon, send timeout and record retries",
			delivery.Options{Lease: time.Minute, Horizon: 10 * time.Second, SendTimeout: time.Minute}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := delivery.New(e.store, e.api, tt.opts); (err == nil) != tt.ok {
				t.Errorf("New: err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
