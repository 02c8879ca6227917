package sandbox

import (
	"context"
	"sync"
	"time"
)

// Clock is the sandbox's time. It stands still until the sandbox moves it
// (`:time`), and the sender's waits move it instead of waiting: a message
// held back by Telegram's per-chat limit goes out a second later on this
// clock, at once in real time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t if t is later; the sandbox's time never goes back.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Sleep moves the clock d ahead and returns at once; it is the sender's
// wait (delivery.Clock).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
	}
	return nil
}
