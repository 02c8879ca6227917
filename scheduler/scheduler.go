// Package scheduler decides when to remind, escalate and send the weekly
// digest. Everything it knows about the past lives in the database (job
// rows, the notice sent-log, extensions), so a restart, a catch-up or a
// second replica never sends a notice twice; cron only ticks it. It writes
// messages to the outbox and never talks to Telegram itself.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// Job names in the jobs table.
const (
	jobLadder = "ladder"
	jobDigest = "digest"
)

// DefaultGrace is how old a missed rung or digest may be and still be sent
// on catch-up.
const DefaultGrace = 72 * time.Hour

// jobLease bounds how long a replica that died mid-tick blocks the others.
const jobLease = 5 * time.Minute

// Options configure a Scheduler.
type Options struct {
	Now      func() time.Time   // the clock; required
	Calendar *calendar.Calendar // working days; required
	Schedule calendar.Schedule  // periods, deadline, ladder; zero is the default
	// GroupChat is the coordinators' group (DUBAN_GROUP_CHAT); 0 means none:
	// no digest, and red notices go to the coordinators only.
	GroupChat  int64
	Grace      time.Duration // 0 means DefaultGrace
	Thresholds progress.Thresholds
	// Year, when set, limits the scheduler to that plan year: at a clock
	// outside it nothing is due (`remind --year`, `digest --year`). Either
	// way only the year that contains the clock's now is ever reminded.
	Year int
	// Holder names this replica in job leases; "" derives one from the host
	// name, the process id and the Scheduler's address. An address alone is
	// not enough: two processes of one binary often allocate alike, and
	// replicas sharing a name would share the lease.
	Holder string
	Log    *slog.Logger
	// OnIssued, when set, is called after messages were written to the
	// outbox, so the sender can be woken instead of waiting for its poll.
	// It runs on the scheduler's goroutine and must not block.
	OnIssued func()
	// Telemetry receives the operator's metrics; nil reports nowhere.
	Telemetry Telemetry
}

// Scheduler runs the reminder ladder and the weekly digest.
type Scheduler struct {
	store    Store
	render   Renderer
	now      func() time.Time
	cal      *calendar.Calendar
	schedule calendar.Schedule
	loc      *time.Location
	group    int64
	grace    time.Duration
	th       progress.Thresholds
	year     int
	holder   string
	log      *slog.Logger
	onIssued func()
	metrics  Telemetry
}

// New checks the options and builds a Scheduler.
func New(st Store, r Renderer, o Options) (*Scheduler, error) {
	if st == nil || r == nil || o.Now == nil || o.Calendar == nil {
		return nil, errors.New("scheduler: store, renderer, clock and calendar are required")
	}
	sched, err := o.Schedule.Normalized()
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	s := &Scheduler{
		store: st, render: r, now: o.Now, cal: o.Calendar, schedule: sched, loc: sched.Loc,
		group: o.GroupChat, grace: o.Grace, th: o.Thresholds, year: o.Year, holder: o.Holder, log: o.Log,
		onIssued: o.OnIssued, metrics: o.Telemetry,
	}
	if s.metrics == nil {
		s.metrics = noTelemetry{}
	}
	if s.grace <= 0 {
		s.grace = DefaultGrace
	}
	if s.th == (progress.Thresholds{}) {
		s.th = progress.DefaultThresholds()
	}
	if s.holder == "" {
		host, _ := os.Hostname() // "" still leaves the pid and address
		s.holder = fmt.Sprintf("scheduler@%s:%d:%p", host, os.Getpid(), s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Tick does everything due at the scheduler's now: the ladder's rungs and
// the weekly digest. It is idempotent: a second Tick at the same instant,
// on this or another replica, sends nothing more.
func (s *Scheduler) Tick(ctx context.Context) error {
	now := s.now()
	return errors.Join(
		s.runJob(ctx, jobLadder, now, s.ladderJob),
		s.runJob(ctx, jobDigest, now, s.digestJob),
	)
}

// RunOnce runs the ladder as if the clock read at (`duban remind --at`) and
// returns the number of notices issued. It takes no lease: the sent-log's
// unique key alone keeps it from repeating what serve already sent.
func (s *Scheduler) RunOnce(ctx context.Context, at time.Time) (int, error) {
	return s.remind(ctx, at)
}

// runJob runs fn under the job's lease and records when it runs next. A
// replica that cannot take the lease leaves the job to its holder.
func (s *Scheduler) runJob(ctx context.Context, name string, now time.Time,
	fn func(ctx context.Context, now time.Time) (time.Time, error)) error {
	lateness := time.Duration(-1) // a job that runs every tick is never late
	if j, err := s.store.JobState(ctx, name); err == nil && now.Before(j.NextRunAt) {
		return nil
	} else if err != nil && !errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("%s job: %w", name, err)
	} else if err == nil && !j.NextRunAt.IsZero() {
		lateness = now.Sub(j.NextRunAt)
	}
	ok, err := s.store.ClaimJob(ctx, name, s.holder, now, jobLease)
	if err != nil || !ok {
		return err
	}
	next, runErr := fn(ctx, now)
	outcome := "ok"
	if runErr != nil {
		next = now // try again on the next tick
		runErr = fmt.Errorf("%s job: %w", name, runErr)
		outcome = "error"
	}
	s.metrics.JobRun(name, outcome, lateness)
	return errors.Join(runErr, s.store.SetJobNext(ctx, name, s.holder, next))
}

// ladderJob runs every tick: due rungs depend on reports and extensions that
// change at any time, so there is no "next run" to wait for.
func (s *Scheduler) ladderJob(ctx context.Context, now time.Time) (time.Time, error) {
	n, err := s.remind(ctx, now)
	if n > 0 {
		s.log.Info("reminders issued", "notices", n, "at", now)
	}
	return time.Time{}, err
}

// issued tells the OnIssued hook that n messages or notices were written.
func (s *Scheduler) issued(n int) {
	if n > 0 && s.onIssued != nil {
		s.onIssued()
	}
}
