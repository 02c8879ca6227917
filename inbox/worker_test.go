package inbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/inbox"
)

// clock is a test clock shared by the store and the workers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// holding takes updates and handles them only when told (a replica whose
// handler has not run yet, or that died before it ran).
type holding struct {
	mu   sync.Mutex
	seen []string
	done []func()
}

func (s *holding) Submit(u *tgmodels.Update, done func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, u.Message.Text)
	s.done = append(s.done, done)
}

func (s *holding) finish() {
	s.mu.Lock()
	done := s.done
	s.done = nil
	s.mu.Unlock()
	for _, d := range done {
		d()
	}
}

func (s *holding) texts() string { s.mu.Lock(); defer s.mu.Unlock(); return fmt.Sprint(s.seen) }

func deliver(t *testing.T, h http.Handler, updates ...json.RawMessage) {
	t.Helper()
	for _, u := range updates {
		if got := post(h, http.MethodPost, hookSecret, u); got != http.StatusOK {
			t.Fatalf("webhook answered %d", got)
		}
	}
}

func step(t *testing.T, w *inbox.Worker) {
	t.Helper()
	if _, err := w.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A replica that acknowledged updates and died before handling them: the
// others leave them alone while its lease runs, then one takes them over,
// in order, and each is handled once.
func TestDeadReplicasUpdatesTakenOver(t *testing.T) {
	clk := &clock{t: time.Date(2022, 5, 20, 10, 0, 0, 0, time.UTC)}
	st := openStore(t, clk.Now)
	h := inbox.NewWebhook(st, hookSecret, nil, nil)
	deliver(t, h, message(1, 1, "a1"), message(2, 1, "a2"))
	opts := func(name string) inbox.WorkerOptions {
		return inbox.WorkerOptions{Holder: name, Lease: 30 * time.Second, Now: clk.Now}
	}
	dead, alive := &holding{}, &holding{}
	step(t, inbox.NewWorker(st, dead, opts("A")))
	b := inbox.NewWorker(st, alive, opts("B"))
	clk.Add(29 * time.Second)
	step(t, b)
	if alive.texts() != "[]" {
		t.Fatalf("B took %s while A's lease ran", alive.texts())
	}
	clk.Add(2 * time.Second)
	step(t, b)
	alive.finish()
	step(t, b) // writes the marks
	step(t, b)
	if dead.texts() != "[a1 a2]" || alive.texts() != "[a1 a2]" {
		t.Fatalf("A got %s, B got %s; want both [a1 a2] (A died before handling)", dead.texts(), alive.texts())
	}
	if rows := inboxRows(t, st); rows[0].HandledAt == nil || rows[1].HandledAt == nil || rows[1].ClaimedBy != "B" {
		t.Fatalf("rows after takeover: %+v", rows)
	}
}

// Two live replicas: a chat held by one is not touched by the other (its
// order would break), other chats are; nobody handles a row twice.
func TestReplicasShareChatsNotRows(t *testing.T) {
	clk := &clock{t: time.Date(2022, 5, 20, 10, 0, 0, 0, time.UTC)}
	st := openStore(t, clk.Now)
	h := inbox.NewWebhook(st, hookSecret, nil, nil)
	a, b := &holding{}, &holding{}
	wa := inbox.NewWorker(st, a, inbox.WorkerOptions{Holder: "A", Now: clk.Now})
	wb := inbox.NewWorker(st, b, inbox.WorkerOptions{Holder: "B", Now: clk.Now})
	deliver(t, h, message(1, 1, "x1"))
	step(t, wa)
	deliver(t, h, message(2, 1, "x2"), message(3, 2, "y1"))
	step(t, wb)
	step(t, wa)
	if a.texts() != "[x1 x2]" || b.texts() != "[y1]" {
		t.Fatalf("A got %s, B got %s; want [x1 x2] and [y1]", a.texts(), b.texts())
	}
	a.finish()
	b.finish()
	step(t, wa)
	step(t, wb)
	deliver(t, h, message(4, 1, "x3"))
	step(t, wb) // chat 1 is free again: B may take it
	step(t, wa)
	if a.texts() != "[x1 x2]" || b.texts() != "[y1 x3]" {
		t.Fatalf("after marks: A got %s, B got %s", a.texts(), b.texts())
	}
}

// A live replica's heartbeat keeps its claims past the lease.
func TestHeartbeatKeepsClaims(t *testing.T) {
	clk := &clock{t: time.Date(2022, 5, 20, 10, 0, 0, 0, time.UTC)}
	st := openStore(t, clk.Now)
	deliver(t, inbox.NewWebhook(st, hookSecret, nil, nil), message(1, 1, "slow"))
	a, b := &holding{}, &holding{}
	wa := inbox.NewWorker(st, a, inbox.WorkerOptions{Holder: "A", Lease: 30 * time.Second, Now: clk.Now})
	wb := inbox.NewWorker(st, b, inbox.WorkerOptions{Holder: "B", Lease: 30 * time.Second, Now: clk.Now})
	step(t, wa)
	for range 6 { // a minute of a slow handler, A beating every 10 s
		clk.Add(10 * time.Second)
		step(t, wa)
		step(t, wb)
	}
	if a.texts() != "[slow]" || b.texts() != "[]" {
		t.Fatalf("A got %s, B got %s; want A alone", a.texts(), b.texts())
	}
}
