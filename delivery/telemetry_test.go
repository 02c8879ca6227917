package delivery_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
)

// counts records what the sender reports, as "result/reason".
type counts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counts) add(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[k]++
}

func (c *counts) MessageSent()            { c.add("sent") }
func (c *counts) MessageRetried(r string) { c.add("retried/" + r) }
func (c *counts) MessageFailed(r string)  { c.add("failed/" + r) }
func (c *counts) get(k string) int        { c.mu.Lock(); defer c.mu.Unlock(); return c.n[k] }

// The sender reports each send with a reason of few values: a 429 is a
// flood retry, a 500 a server retry, a blocked chat unreachable, a 500 on
// the last attempt gives up with attempts exhausted.
func TestSenderReportsOutcomes(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext("sendMessage", http.StatusTooManyRequests, 1)
	e.srv.FailNext("sendMessage", http.StatusInternalServerError, 0)
	e.srv.BlockChat(1002)
	e.enqueue(models.OutboxMessage{ChatID: 1001, Text: "a"}, models.OutboxMessage{ChatID: 1002, Text: "b"})
	var c counts
	e.drainAll(e.sender(delivery.Options{Concurrency: 1, Telemetry: &c}))
	for k, want := range map[string]int{
		"sent": 1, "retried/flood": 1, "retried/server_or_network": 1, "failed/unreachable": 1,
	} {
		if got := c.get(k); got != want {
			t.Errorf("%s = %d, want %d (all: %v)", k, got, want, c.n)
		}
	}

	e = newEnv(t)
	e.srv.FailRate("sendMessage", http.StatusInternalServerError, 0, 1)
	e.enqueue(models.OutboxMessage{ChatID: 1001, Text: "c"})
	c = counts{}
	e.drainAll(e.sender(delivery.Options{MaxAttempts: 2, Telemetry: &c}))
	if c.get("retried/server_or_network") != 1 || c.get("failed/attempts_exhausted") != 1 {
		t.Errorf("after two 500s: %v", c.n)
	}
}
