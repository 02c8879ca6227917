package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/telegramtest"
)

// benchUsers is how many people report at once in BenchmarkReportVersusEcho.
const benchUsers = 50

// reportActions are the five updates of one full report, in order.
var reportActions = []string{"/report", "task", "metric", "value", "confirm"}

// roundTrips times every round trip by action: the update goes into the
// fake server's getUpdates queue, and the clock stops at the bot's reply.
type roundTrips struct {
	mu  sync.Mutex
	dur map[string][]time.Duration
}

func (rt *roundTrips) deliver(srv *telegramtest.Server, rep *telegramtest.Replies, action *string) func(context.Context, *tgmodels.Update) {
	return func(ctx context.Context, u *tgmodels.Update) {
		chat := int64(0)
		if u.CallbackQuery != nil {
			chat = u.CallbackQuery.From.ID
		} else {
			chat = u.Message.Chat.ID
		}
		// A fresh id from Push: ids taken earlier by concurrent chats could
		// arrive behind the offset the poller already confirmed.
		u.ID = 0
		start := time.Now()
		srv.Push(*u)
		if err := rep.Wait(ctx, chat, 30*time.Second); err != nil {
			if ctx.Err() != nil {
				return
			}
			panic(fmt.Sprintf("%s: %v", *action, err))
		}
		rt.mu.Lock()
		rt.dur[*action] = append(rt.dur[*action], time.Since(start))
		rt.mu.Unlock()
	}
}

// log prints p50 and p95 per action, in one log call (go test keeps only
// the first lines of a benchmark's log).
func (rt *roundTrips) log(b *testing.B, name string) {
	var out strings.Builder
	for _, a := range append(reportActions, "echo") {
		d := slices.Clone(rt.dur[a])
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		fmt.Fprintf(&out, "\n%-5s %-8s p50 %6.2f ms  p95 %6.2f ms  (%d)", name, a, ms(d[len(d)/2]), ms(d[len(d)*95/100]), len(d))
	}
	b.Log(out.String())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// phase is what one side of the comparison did.
type phase struct {
	reports int // full reports (for echo: five round trips each)
	wall    time.Duration
	cpu     time.Duration
}

func (p phase) reportsPerSec() float64 { return float64(p.reports) / p.wall.Seconds() }
func (p phase) tripsPerSec() float64   { return 5 * p.reportsPerSec() }
func (p phase) cpuPerReport() float64  { return ms(p.cpu) / float64(p.reports) }

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs every user's work at once and times it.
func measure(b *testing.B, users int, perUser int, work func(i int)) phase {
	runtime.GC()
	cpu0, start := cpuTime(b), time.Now()
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() { work(i) })
	}
	wg.Wait()
	return phase{reports: users * perUser, wall: time.Since(start), cpu: cpuTime(b) - cpu0}
}

// BenchmarkReportVersusEcho (issue 11, point 8): in one process and run,
// 50 contacts each file b.N full reports (/report, task, metric, typed
// value, confirm) through getUpdates on the fake Bot API, read by duban's
// own inbox poller and per-chat dispatcher as `duban serve` runs them,
// into SQLite; then a bare go-telegram/bot echo bot answers the same 50
// users five messages each per op. It prints reports/s, round trips/s,
// p50/p95 per action, CPU per report (the whole process: the fake server
// and the simulated users are in it too, which is why the echo side's CPU
// is printed as well) and the ratio of round trips/s.
//
//	go test ./bot -run '^$' -bench ReportVersusEcho -benchtime 20x
func BenchmarkReportVersusEcho(b *testing.B) {
	duban := benchDuban(b)
	echo := benchEcho(b)
	b.ReportMetric(duban.reportsPerSec(), "reports/s")
	b.ReportMetric(duban.tripsPerSec(), "trips/s")
	b.ReportMetric(echo.tripsPerSec(), "echo-trips/s")
	b.ReportMetric(duban.tripsPerSec()/echo.tripsPerSec(), "ratio")
	b.ReportMetric(duban.cpuPerReport(), "cpu-ms/report")
	b.ReportMetric(echo.cpuPerReport(), "echo-cpu-ms/5trips")
	b.ReportMetric(0, "ns/op")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		// The whole test process: bot, fake server, 50 users, echo bot.
		b.Logf("peak RSS of the process: %.1f MiB", float64(ru.Maxrss)/1024)
	}
}

func benchDuban(b *testing.B) phase {
	h := newHarness(b)
	users := make([]int64, benchUsers)
	for i := range users {
		users[i] = 5000 + int64(i)
		h.addContact(users[i], "市测试办")
	}
	rep := telegramtest.NewReplies(h.srv, users)
	rt := &roundTrips{dur: map[string][]time.Duration{}}
	ctx, cancel := context.WithCancel(context.Background())
	disp := bot.NewDispatcher(8, h.bot.HandleUpdate)
	disp.Run(context.WithoutCancel(ctx))
	p := inbox.New(h.st, h.fetcher(), disp, inbox.Options{Wait: 5 * time.Second, Now: h.clk.Now})
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
		disp.Close()
	})
	var values atomic.Int64
	b.ResetTimer()
	ph := measure(b, benchUsers, b.N, func(i int) {
		action := ""
		c := h.srv.Chat(users[i], rt.deliver(h.srv, rep, &action))
		do := func(a string, f func()) { action = a; f() }
		for range b.N {
			// A new value each time: the same value again within minutes
			// is answered "already saved" and writes nothing.
			v := fmt.Sprintf("%.4f万", 1+float64(values.Add(1)%9999)/10000)
			do("/report", func() { c.Send("/report") })
			do("task", func() { c.Tap("测试任务") })
			do("metric", func() { c.Tap("培训人数") })
			do("value", func() { c.Send(v) })
			do("confirm", func() { c.Tap("确认保存") })
		}
	})
	b.StopTimer()
	if got := len(h.reports("培训人数")); got < benchUsers*b.N {
		b.Fatalf("%d reports stored, want %d", got, benchUsers*b.N)
	}
	rt.log(b, "duban")
	return ph
}

func benchEcho(b *testing.B) phase {
	srv := telegramtest.NewServer(b)
	users := make([]int64, benchUsers)
	for i := range users {
		users[i] = 5000 + int64(i)
	}
	rep := telegramtest.NewReplies(srv, users)
	rt := &roundTrips{dur: map[string][]time.Duration{}}
	api, err := tg.New(telegramtest.Token, tg.WithServerURL(srv.URL()), tg.WithSkipGetMe(),
		tg.WithDefaultHandler(func(ctx context.Context, api *tg.Bot, u *tgmodels.Update) {
			if u.Message == nil {
				return
			}
			_, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
			if err != nil && ctx.Err() == nil {
				b.Error(err)
			}
		}))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { api.Start(ctx); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	ph := measure(b, benchUsers, b.N, func(i int) {
		action := "echo"
		c := srv.Chat(users[i], rt.deliver(srv, rep, &action))
		for range b.N * len(reportActions) {
			c.Send("1")
		}
	})
	rt.log(b, "echo")
	return ph
}
