package delivery_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

var t0 = time.Date(2022, 5, 18, 1, 0, 0, 0, time.UTC)

// virtualClock is the tests' time: it stands still while a request to the
// Bot API is in flight and jumps ahead when the sender sleeps. Requests
// thus take no time, and minutes of sending take milliseconds. With
// Options.Concurrency 1 the fake server stamps each call with exactly the
// instant the limiter chose. With more, a send whose goroutine has not yet
// made its request may see the clock move on, arriving later than planned;
// the limits still hold (they count from completions), the times are just
// not exact.
type virtualClock struct {
	mu   sync.Mutex
	now  time.Time
	busy int           // requests in flight
	idle chan struct{} // closed when busy drops to 0
}

func newVirtualClock(t time.Time) *virtualClock {
	idle := make(chan struct{})
	close(idle)
	return &virtualClock{now: t, idle: idle}
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep waits for the requests in flight to be answered, then moves the
// clock d ahead.
func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	for c.busy > 0 {
		idle := c.idle
		c.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
		c.mu.Lock()
	}
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// Set moves the clock to t if t is later.
func (c *virtualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}

func (c *virtualClock) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy == 0 {
		c.idle = make(chan struct{})
	}
	c.busy++
}

func (c *virtualClock) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy--; c.busy == 0 {
		close(c.idle)
	}
}

// clockedAPI holds the virtual clock while a request is in flight.
type clockedAPI struct {
	api   delivery.API
	clock *virtualClock
}

func (a clockedAPI) SendMessage(ctx context.Context, p *bot.SendMessageParams) (*tgmodels.Message, error) {
	a.clock.begin()
	defer a.clock.end()
	return a.api.SendMessage(ctx, p)
}

// jitterOn is the Limits.Jitter that stands for the default on clock: a
// scaled clock stretches every real delay, the network's jitter too.
func jitterOn(clock delivery.Clock) time.Duration {
	if c, ok := clock.(scaledClock); ok {
		return time.Duration(float64(25*time.Millisecond) * c.k)
	}
	return 0
}

// scaledClock runs k times as fast as real time, from t0.
type scaledClock struct {
	start time.Time
	k     float64
}

func (c scaledClock) Now() time.Time {
	return t0.Add(time.Duration(float64(time.Since(c.start)) * c.k))
}

func (c scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(time.Duration(float64(d) / c.k))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// env is a fake Bot API, a real go-telegram client and an SQLite outbox,
// all on one clock.
type env struct {
	tb    testing.TB
	ctx   context.Context
	clock *virtualClock // nil on a scaled clock
	now   delivery.Clock
	srv   *telegramtest.Server
	store *models.Store
	api   delivery.API
}

// newEnv builds an env on a virtual clock.
func newEnv(tb testing.TB, opts ...telegramtest.Option) *env {
	tb.Helper()
	clock := newVirtualClock(t0)
	e := newEnvOn(tb, clock, opts...)
	e.clock, e.api = clock, clockedAPI{e.api, clock}
	return e
}

func newEnvOn(tb testing.TB, clock delivery.Clock, opts ...telegramtest.Option) *env {
	tb.Helper()
	srv := telegramtest.NewServer(tb, append([]telegramtest.Option{telegramtest.WithClock(clock.Now)}, opts...)...)
	b, err := newBot(srv)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	// NORMAL sync: WAL commits skip the fsync, which only matters on power loss.
	st, err := models.Open(filepath.Join(tb.TempDir(), "duban.db")+"?_sync=1", models.Options{Now: clock.Now})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	return &env{tb: tb, ctx: context.Background(), now: clock, srv: srv, store: st, api: b}
}

// newBot is the real go-telegram client on srv; it never polls. Its
// transport keeps a connection per request in flight, as production needs
// too: the default keeps two and would reconnect for every other send.
func newBot(srv *telegramtest.Server) (*bot.Bot, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	return bot.New(telegramtest.Token, bot.WithServerURL(srv.URL()), bot.WithSkipGetMe(),
		bot.WithHTTPClient(time.Minute, client))
}

// sender builds a Sender on the env's clock.
func (e *env) sender(o delivery.Options) *delivery.Sender {
	e.tb.Helper()
	o.Clock = e.now
	if o.Limits.Jitter == 0 {
		o.Limits.Jitter = jitterOn(e.now)
	}
	s, err := delivery.New(e.store, e.api, o)
	if err != nil {
		e.tb.Fatalf("delivery.New: %v", err)
	}
	return s
}

func (e *env) enqueue(msgs ...models.OutboxMessage) {
	e.tb.Helper()
	err := e.store.Tx(e.ctx, func(tx *models.Store) error {
		_, err := tx.Enqueue(e.ctx, msgs...)
		return err
	})
	if err != nil {
		e.tb.Fatalf("enqueue: %v", err)
	}
}

// drainAll drains, moving the clock to the next due message in between,
// until nothing is pending.
func (e *env) drainAll(s *delivery.Sender) delivery.Stats {
	e.tb.Helper()
	var total delivery.Stats
	giveUp := time.Now().Add(30 * time.Second)
	for time.Now().Before(giveUp) {
		st, err := s.Drain(e.ctx)
		if err != nil {
			e.tb.Errorf("drain: %v", err)
			return total
		}
		total = plus(total, st)
		at, ok, err := e.store.NextOutboxDue(e.ctx)
		if err != nil {
			e.tb.Errorf("next due: %v", err)
			return total
		}
		if !ok {
			return total
		}
		if at.After(e.clock.Now()) {
			e.clock.Set(at)
		} else if st.Sent == 0 {
			// What is due is held by another sender's claim (each chat
			// in order): give it the processor, in real time, to finish.
			time.Sleep(time.Millisecond)
		}
	}
	e.tb.Error("the outbox never emptied")
	return total
}

func plus(a, b delivery.Stats) delivery.Stats {
	return delivery.Stats{
		Sent: a.Sent + b.Sent, Retried: a.Retried + b.Retried,
		Failed: a.Failed + b.Failed, RateLimited: a.RateLimited + b.RateLimited,
	}
}

func (e *env) outbox() []models.Outbox {
	e.tb.Helper()
	rows, err := e.store.OutboxMessages(e.ctx)
	if err != nil {
		e.tb.Fatal(err)
	}
	return rows
}

// sendCalls lists the sendMessage calls the server answered with status,
// or all when status is 0.
func (e *env) sendCalls(status int) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range e.srv.Calls("sendMessage") {
		if status == 0 || c.Status == status {
			out = append(out, c)
		}
	}
	return out
}

// deliveries counts the successful sendMessage calls per text.
func (e *env) deliveries() map[string]int {
	n := map[string]int{}
	for _, c := range e.sendCalls(http.StatusOK) {
		n[c.Form.Get("text")]++
	}
	return n
}

func chatOf(c telegramtest.Call) int64 {
	id, _ := strconv.ParseInt(c.Form.Get("chat_id"), 10, 64)
	return id
}

// byChat groups calls by chat, in arrival order.
func byChat(calls []telegramtest.Call) map[int64][]telegramtest.Call {
	out := map[int64][]telegramtest.Call{}
	for _, c := range calls {
		out[chatOf(c)] = append(out[chatOf(c)], c)
	}
	return out
}

// maxInWindow is the most calls in any window of length w (a call at the
// window's start is outside it, as Telegram's rolling windows count).
func maxInWindow(calls []telegramtest.Call, w time.Duration) int {
	calls = inTimeOrder(calls)
	most, first := 0, 0
	for i, c := range calls {
		for !calls[first].At.After(c.At.Add(-w)) {
			first++
		}
		most = max(most, i-first+1)
	}
	return most
}

// minGap is the shortest time between two consecutive calls, or -1.
func minGap(calls []telegramtest.Call) time.Duration {
	calls = inTimeOrder(calls)
	gap := time.Duration(-1)
	for i := 1; i < len(calls); i++ {
		if d := calls[i].At.Sub(calls[i-1].At); gap < 0 || d < gap {
			gap = d
		}
	}
	return gap
}

func inTimeOrder(calls []telegramtest.Call) []telegramtest.Call {
	return slices.SortedStableFunc(slices.Values(calls), func(a, b telegramtest.Call) int { return a.At.Compare(b.At) })
}
