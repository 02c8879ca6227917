package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/telegramtest"
)

const benchChats = 16

// replies signals, per chat, every message the bot sends or edits there.
type replies struct {
	mu sync.Mutex
	ch map[int64]chan struct{}
}

func newReplies(srv *telegramtest.Server, chats []int64) *replies {
	r := &replies{ch: map[int64]chan struct{}{}}
	for _, c := range chats {
		r.ch[c] = make(chan struct{}, 16)
	}
	srv.OnCall(func(c telegramtest.Call) {
		if c.Method != "sendMessage" && c.Method != "editMessageText" {
			return
		}
		var chat int64
		fmt.Sscan(c.Form.Get("chat_id"), &chat)
		r.mu.Lock()
		ch := r.ch[chat]
		r.mu.Unlock()
		if ch != nil {
			ch <- struct{}{}
		}
	})
	return r
}

// viaPolling delivers an update the way production does: into the fake
// server's getUpdates queue, then waits for the bot's reply in that chat.
func (r *replies) viaPolling(srv *telegramtest.Server) func(context.Context, *tgmodels.Update) {
	return func(_ context.Context, u *tgmodels.Update) {
		chat := u.CallbackQuery
		id := int64(0)
		if chat != nil {
			id = chat.From.ID
		} else {
			id = u.Message.Chat.ID
		}
		// A fresh id from Push: ids taken earlier by concurrent chats could
		// arrive behind the offset the poller already confirmed.
		u.ID = 0
		srv.Push(*u)
		<-r.ch[id]
	}
}

// poll starts a polling client against the fake server, handing updates
// to handle through the per-chat dispatcher, as `duban serve` does.
func poll(b *testing.B, srv *telegramtest.Server, handle func(context.Context, *tgmodels.Update)) {
	disp := bot.NewDispatcher(8, handle)
	api, err := tg.New(telegramtest.Token, tg.WithServerURL(srv.URL()), tg.WithSkipGetMe(),
		tg.WithDefaultHandler(disp.Enqueue), tg.WithNotAsyncHandlers())
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	disp.Run(context.WithoutCancel(ctx)) // replies in flight finish after the benchmark
	done := make(chan struct{})
	go func() { api.Start(ctx); close(done) }()
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); <-done; disp.Close() })
}

// BenchmarkReportPath: one report = tap the metric, type the value, tap
// confirm; each update goes fake server → getUpdates → handler → SQLite
// commit → reply. 16 contacts report side by side.
func BenchmarkReportPath(b *testing.B) {
	h := newHarness(b)
	var users []int64
	for i := range int64(benchChats) {
		users = append(users, 5000+i)
		h.addContact(5000+i, "市测试办")
	}
	rep := newReplies(h.srv, users)
	poll(b, h.srv, h.bot.HandleUpdate)
	chats := make([]*telegramtest.Chat, len(users))
	for i, u := range users {
		chats[i] = h.srv.Chat(u, rep.viaPolling(h.srv))
		chats[i].Send("/report")
		chats[i].Tap("测试任务")
	}
	runParallel(b, chats, func(c *telegramtest.Chat) {
		c.Tap("培训人数")
		c.Send("1万人")
		c.Tap("确认保存")
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkEchoPath is a bare echo bot on the same fake server: the floor
// the report path is compared with. One op is three round trips, like a report.
func BenchmarkEchoPath(b *testing.B) {
	srv := telegramtest.NewServer(b)
	var users []int64
	for i := range int64(benchChats) {
		users = append(users, 5000+i)
	}
	rep := newReplies(srv, users)
	api, err := tg.New(telegramtest.Token, tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		b.Fatal(err)
	}
	poll(b, srv, func(ctx context.Context, u *tgmodels.Update) {
		if _, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text}); err != nil {
			b.Error(err)
		}
	})
	chats := make([]*telegramtest.Chat, len(users))
	for i, u := range users {
		chats[i] = srv.Chat(u, rep.viaPolling(srv))
	}
	runParallel(b, chats, func(c *telegramtest.Chat) {
		c.Send("1")
		c.Send("2")
		c.Send("3")
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "echo-triples/s")
}

// runParallel spreads b.N operations over the chats, one goroutine each.
func runParallel(b *testing.B, chats []*telegramtest.Chat, op func(*telegramtest.Chat)) {
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range chats {
		n := b.N / len(chats)
		if i < b.N%len(chats) {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				op(c)
			}
		}()
	}
	wg.Wait()
}
