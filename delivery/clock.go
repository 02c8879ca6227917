package delivery

import (
	"context"
	"time"
)

// Clock is the sender's time: every limit and retry is measured on it, so
// tests and benchmarks can run the sender on a fast or virtual clock.
type Clock interface {
	Now() time.Time
	// Sleep waits until d has passed on the clock. It returns ctx.Err()
	// early when ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// wallClock waits in real time; now tells the time, time.Now when nil.
type wallClock struct{ now func() time.Time }

// WallClock is a Clock that reads now and waits in real time: the process's
// clock when it was started at another instant (DUBAN_NOW), so the
// outbox's times agree with the bot's.
func WallClock(now func() time.Time) Clock { return wallClock{now: now} }

func (c wallClock) Now() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
