package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/scheduler"
)

// newScheduler builds the reminder ladder and digest on st with the
// settings of cfg and the bot's zh-CN texts; a year other than 0 limits it
// to that plan year (see scheduler.Options.Year).
func newScheduler(cfg Config, st *models.Store, log *slog.Logger, onIssued func(), year int,
	metrics scheduler.Telemetry) (*scheduler.Scheduler, error) {
	s, err := scheduler.New(st, bot.NewRenderer(cfg.Loc), scheduler.Options{
		Now: cfg.Now, Calendar: cfg.Calendar, Schedule: cfg.Schedule, GroupChat: cfg.GroupChat, Year: year,
		Thresholds: cfg.Thresholds, Holder: replicaName("scheduler"), Log: log, OnIssued: onIssued,
		Telemetry: metrics,
	})
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	return s, nil
}

// replicaName names this process in job leases, inbox and outbox claims,
// unique among replicas sharing a database. Host and pid alone are not:
// two containers with a fixed hostname both run duban as pid 1, and would
// each take the other's claims for their own.
func replicaName(role string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s@%s/%d/%s", role, host, os.Getpid(), rand.Text()[:8])
}

// runRemind runs the ladder once as the clock reads at --at: `duban remind`.
// It only queues the notices; a running `serve` sends them.
func runRemind(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	at := fs.String("at", "", "as of this RFC 3339 time (default now)")
	year := yearFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	when, err := parseAt("remind", *at, e.cfg.Now)
	if err != nil {
		return err
	}
	st, s, err := e.openScheduler(ctx, "remind", when, *year)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := s.RunOnce(ctx, when)
	if err != nil {
		return err
	}
	if _, err = fmt.Fprintf(e.stdout, "%s: %d notices queued\n", when.In(e.cfg.Loc).Format(time.DateTime), n); err != nil {
		return err
	}
	return e.sendQueued(ctx, st)
}

// sendQueued delivers what is waiting in the outbox when a bot token is
// set, so a one-off job sends its messages even with no `serve` running;
// without a token it says who will.
func (e env) sendQueued(ctx context.Context, st *models.Store) error {
	if e.cfg.Token == "" {
		_, err := fmt.Fprintln(e.stderr, "TELEGRAM_BOT_TOKEN not set: queued only; a running `duban serve` sends them")
		return err
	}
	log := newLogger(e.cfg, e.stderr)
	// The client's own error log would print to the process's stderr,
	// unredacted; its errors go through duban's logger instead.
	api, err := tg.New(e.cfg.Token, tg.WithServerURL(e.cfg.APIURL), tg.WithSkipGetMe(),
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram", "err", err) }))
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	sender, err := delivery.New(st, api, delivery.Options{
		Clock: delivery.WallClock(e.cfg.Now), Holder: replicaName("sender"), Log: log,
	})
	if err != nil {
		return err
	}
	stats, err := sender.Drain(ctx)
	if err != nil {
		return fmt.Errorf("send queued messages: %w", err)
	}
	_, err = fmt.Fprintf(e.stdout, "sent %d, to retry %d, failed %d\n", stats.Sent, stats.Retried, stats.Failed)
	return err
}

// runDigest prints the weekly digest as it reads now (or at --at); with
// --send it also queues it for the group chat, once per week.
func runDigest(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	at := fs.String("at", "", "as of this RFC 3339 time (default now)")
	send := fs.Bool("send", false, "queue it for DUBAN_GROUP_CHAT")
	year := yearFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *send && e.cfg.GroupChat == 0 {
		return usagef("digest: --send needs DUBAN_GROUP_CHAT")
	}
	when, err := parseAt("digest", *at, e.cfg.Now)
	if err != nil {
		return err
	}
	st, s, err := e.openScheduler(ctx, "digest", when, *year)
	if err != nil {
		return err
	}
	defer st.Close()
	texts, queued, err := s.Digest(ctx, when, *send)
	if err != nil {
		return err
	}
	for _, t := range texts {
		if _, err := fmt.Fprintln(e.stdout, t); err != nil {
			return err
		}
	}
	if !*send {
		return nil
	}
	if _, err = fmt.Fprintf(e.stderr, "%d messages queued for chat %d\n", queued, e.cfg.GroupChat); err != nil {
		return err
	}
	return e.sendQueued(ctx, st)
}

// openScheduler opens the store and a scheduler for a one-off run at when.
// It says on stderr when that run can do nothing: no plan for the year, or
// --year outside the clock's year.
func (e env) openScheduler(ctx context.Context, cmd string, when time.Time, year int) (*models.Store, *scheduler.Scheduler, error) {
	st, err := e.openSeededStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	y, err := chooseYear(ctx, cmd, st, when, e.cfg.Loc, year)
	if err == nil {
		err = e.idleNote(cmd, y)
	}
	var s *scheduler.Scheduler
	if err == nil {
		s, err = newScheduler(e.cfg, st, newLogger(e.cfg, e.stderr), nil, year, nil)
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, s, nil
}

// idleNote tells why a remind or digest run does nothing, if it does not.
func (e env) idleNote(cmd string, y progress.PlanYear) error {
	var note string
	switch {
	case y.Year != y.Today:
		note = fmt.Sprintf("%s: the clock reads %d: nothing is due for --year %d", cmd, y.Today, y.Year)
	case !y.Loaded:
		note = fmt.Sprintf("%s: no plan for %d has been loaded (%s): nothing is reminded and no digest is sent", cmd, y.Year, yearsNote(y))
	default:
		return nil
	}
	_, err := fmt.Fprintln(e.stderr, note)
	return err
}
