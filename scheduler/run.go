package scheduler

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/robfig/cron/v3"
)

// everyMinute ticks at second 0 of every minute, so a rung due at 09:00 is
// issued at 09:00:00 rather than up to a minute later.
const everyMinute = "* * * * *"

// Run ticks the scheduler right away, to catch up on what fell due while
// the process was down, then every minute until ctx is done. cron is
// only the ticker: what is due, and what was sent, lives in the database.
// Run returns once the tick in flight, if any, has finished.
func (s *Scheduler) Run(ctx context.Context) error {
	c, job, err := s.ticker(ctx)
	if err != nil {
		return err
	}
	job.Run()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// ticker builds the cron that ticks every minute and returns the tick job
// as cron wraps it. The chain is SkipIfStillRunning outside Recover: a tick
// that panics is logged and its slot given back, so the next tick runs. In
// the other order a panic skips the slot's return and every later tick is
// skipped (robfig/cron #366).
func (s *Scheduler) ticker(ctx context.Context) (*cron.Cron, cron.Job, error) {
	l := cronLogger{s.log}
	c := cron.New(cron.WithLocation(s.loc), cron.WithLogger(l),
		cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)))
	id, err := c.AddJob(everyMinute, cron.FuncJob(func() { s.tick(ctx) }))
	if err != nil {
		return nil, nil, fmt.Errorf("scheduler: schedule the tick: %w", err)
	}
	return c, c.Entry(id).WrappedJob, nil
}

// tick runs Tick and logs its error: cron has nobody to return it to.
func (s *Scheduler) tick(ctx context.Context) {
	err := s.Tick(ctx)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		s.log.Debug("scheduler tick cut short by shutdown", "err", err)
	default:
		s.log.Error("scheduler tick", "err", err)
	}
}

// cronLogger is cron's Logger on slog. cron reports every wake-up at Info,
// which is debug noise here; a skipped tick is worth a warning.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Warn("scheduler tick skipped: the previous one still runs")
		return
	}
	l.log.Debug("cron "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron "+msg, append([]any{"err", err}, kv...)...)
}
