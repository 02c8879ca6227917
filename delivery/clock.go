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

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

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
