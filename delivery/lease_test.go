package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
	"github.com/duban-bot/duban/telegramtest"
)

// killable is one replica's Bot API client: once killed, its requests
// never come back, as a process frozen or killed with sends in flight
// (they never reached Telegram). It counts the sends it made.
type killable struct {
	api    delivery.API
	clock  delivery.Clock
	first  atomic.Pointer[time.Time] // when its first send was answered
	sent   atomic.Int64
	dead   chan struct{}
	killed atomic.Bool
}

func (k *killable) SendMessage(ctx context.Context, p *bot.SendMessageParams) (*tgmodels.Message, error) {
	if k.killed.Load() {
		<-k.dead
		return nil, errors.New("process killed")
	}
	m, err := k.api.SendMessage(ctx, p)
	if err == nil {
		k.sent.Add(1)
		now := k.clock.Now()
		k.first.CompareAndSwap(nil, &now)
	}
	return m, err
}

func TestSendersShareLimitsSQLite(t *testing.T) {
	testSendersShareLimits(t, func(e *env) []*models.Store { return []*models.Store{e.store, e.store, e.store} })
}

func TestSendersShareLimitsPostgres(t *testing.T) {
	testSendersShareLimits(t, func(e *env) []*models.Store {
		dsn := pgtest.SchemaDSN(t, "senders")
		var stores []*models.Store
		for range 3 { // one connection pool per replica
			st, err := models.Open(dsn, models.Options{Now: e.now.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			stores = append(stores, st)
		}
		e.store = stores[0]
		return stores
	})
}

// Three replicas' senders run at once on one database against a fake Bot
// API enforcing Telegram's limits; the one sending is killed mid-rung.
// Only one sends at a time, so the limits hold across them (no 429); the
// dead one's claimed messages are taken over within the sending lease;
// every message goes out once and each chat's in order.
func testSendersShareLimits(t *testing.T, stores func(e *env) []*models.Store) {
	const (
		chats, perChat = 150, 3
		killAfter      = 120
		lease          = 20 * time.Second
	)
	// 5× real time: a stall of the test process (-race, a loaded CI
	// machine) longer than the lease's real length lets another sender
	// take over early, which this test cannot tell from a fault. At 20×
	// that was a 1 s stall, seen in CI; at 5× it takes 4 s.
	e := newEnvOn(t, scaledClock{time.Now(), 5}, telegramtest.WithTelegramLimits())
	shared := stores(e)
	var ids []int64
	for c := range chats {
		ids = append(ids, int64(1000+c))
	}
	e.enqueue(reminders(ids, perChat)...)

	var (
		mu       sync.Mutex
		okSends  int
		killedAt time.Time
		lastAt   time.Time
	)
	reached, finished := make(chan struct{}), make(chan struct{})
	e.srv.OnCall(func(c telegramtest.Call) {
		if c.Method != "sendMessage" || c.Status != http.StatusOK {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		okSends++
		lastAt = c.At
		switch okSends {
		case killAfter:
			close(reached)
		case chats * perChat:
			close(finished)
		}
	})
	apis := make([]*killable, 3)
	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	for i := range apis {
		apis[i] = &killable{api: e.api, clock: e.now, dead: make(chan struct{})}
		s, err := delivery.New(shared[i], apis[i], delivery.Options{
			Clock: e.now, Holder: fmt.Sprintf("sender-%d", i), SendingLease: lease, SendTimeout: 10 * time.Second,
			Limits: delivery.Limits{Jitter: jitterOn(e.now)},
		})
		if err != nil {
			t.Fatal(err)
		}
		running.Go(func() { s.Run(ctx) })
	}
	defer func() {
		cancel()
		for _, a := range apis {
			close(a.dead)
		}
		running.Wait()
	}()

	wait := func(ch chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(60 * time.Second): // real time: a hung test, not a rule
			t.Fatalf("%s never happened", what)
		}
	}
	wait(reached, fmt.Sprintf("%d messages sent", killAfter))
	var holder *killable
	for _, a := range apis {
		if a.sent.Load() > 0 {
			if holder != nil {
				t.Fatal("two senders sent before the kill")
			}
			holder = a
		}
	}
	mu.Lock()
	holder.killed.Store(true)
	killedAt = e.now.Now()
	mu.Unlock()
	wait(finished, "the rung's end")

	if n := len(e.sendCalls(http.StatusTooManyRequests)); n != 0 {
		t.Errorf("%d × 429", n)
	}
	for text, n := range e.deliveries() {
		if n != 1 {
			t.Errorf("%q delivered %d times", text, n)
		}
	}
	for chat, calls := range byChat(e.sendCalls(http.StatusOK)) {
		for i, c := range calls {
			if want := fmt.Sprintf("chat %d #%d", chat, i+1); c.Form.Get("text") != want {
				t.Fatalf("chat %d: message %d is %q, want %q", chat, i+1, c.Form.Get("text"), want)
			}
		}
	}
	mu.Lock()
	rest := lastAt.Sub(killedAt)
	mu.Unlock()
	takeover := time.Duration(-1)
	for _, a := range apis {
		if f := a.first.Load(); a != holder && f != nil && (takeover < 0 || f.Sub(killedAt) < takeover) {
			takeover = f.Sub(killedAt)
		}
	}
	t.Logf("takeover after the kill: %v (lease %v), last message %v after it; sends per sender: %d %d %d",
		takeover.Round(100*time.Millisecond), lease, rest.Round(100*time.Millisecond),
		apis[0].sent.Load(), apis[1].sent.Load(), apis[2].sent.Load())
	if takeover <= 0 || takeover > 30*time.Second {
		t.Errorf("takeover took %v, want within 30 s", takeover)
	}
	// The dead sender's claims (10 min) are taken over with the lease, not
	// waited out: the rest of the rung takes the takeover plus ~11 s at
	// 30/s (more under -race, where every real millisecond is 20 here).
	if rest > 3*time.Minute {
		t.Errorf("the rung ended %v after the kill: the dead sender's claims were waited out", rest)
	}
}

// While one sender holds the sending lease the others send nothing; once
// it stops cleanly (Run gives the lease up) the next one sends at once.
func TestSendingLeaseHandover(t *testing.T) {
	e := newEnv(t)
	opts := func(holder string) delivery.Options {
		return delivery.Options{Holder: holder, SendingLease: 20 * time.Second, SendTimeout: 10 * time.Second}
	}
	a, b := e.sender(opts("a")), e.sender(opts("b"))
	e.enqueue(reminders([]int64{1}, 1)...)
	if st, err := a.Drain(e.ctx); err != nil || st.Sent != 1 {
		t.Fatalf("a: %+v, %v", st, err)
	}
	e.enqueue(reminders([]int64{2}, 1)...)
	if st, err := b.Drain(e.ctx); err != nil || st.Sent != 0 {
		t.Fatalf("b sent %+v (%v) while a held the lease", st, err)
	}
	stopped, cancel := context.WithCancel(e.ctx)
	cancel()
	a.Run(stopped) // returns at once, giving the lease up
	if st, err := b.Drain(e.ctx); err != nil || st.Sent != 1 {
		t.Fatalf("b after a stopped: %+v, %v", st, err)
	}
}

// A sending lease shorter than a send could take is refused: the holder
// could still be sending when another sender takes over.
func TestSendingLeaseMustOutlastASend(t *testing.T) {
	e := newEnv(t)
	_, err := delivery.New(e.store, e.api, delivery.Options{SendingLease: 20 * time.Second, SendTimeout: 15 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "sending lease") {
		t.Fatalf("err %v, want the sending lease refused", err)
	}
}
