// Package sandbox runs duban's real bot, scheduler and sender against an
// in-process Bot API (telegramtest) on a clock the sandbox controls, and
// turns them into a terminal chat: `duban sandbox`. Updates are handed to
// the bot directly and the outbox is drained after every step, so what a
// step caused is printed before the next line is read.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/scheduler"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// botUsername is the name the in-process Bot API gives the bot; invite
// links and group commands carry it.
const botUsername = "duban_sandbox_bot"

// Options configure a Sandbox.
type Options struct {
	// DB is the database to use (and keep); "" is a temporary SQLite file
	// removed by Close.
	DB string
	// Start is when the clock starts; zero is DefaultStart of the newest
	// plan year.
	Start      time.Time
	Loc        *time.Location
	Schedule   calendar.Schedule
	Calendar   *calendar.Calendar
	Thresholds progress.Thresholds
	Log        *slog.Logger
}

// Sandbox is the bot, the scheduler and the sender wired to a fake Bot API.
type Sandbox struct {
	loc    *time.Location
	sched  calendar.Schedule
	clock  *Clock
	tmpDir string
	st     *models.Store
	srv    *telegramtest.Server
	bot    *bot.Bot
	jobs   *scheduler.Scheduler
	sender *delivery.Sender
	rec    *recorder
	cast   *cast
	// updates numbers the updates handed to the bot. It starts at the real
	// time in microseconds: the bot remembers handled update ids for a day
	// of the sandbox's clock, and a kept database must not take a new
	// run's updates for repeats of the last run's.
	updates int64
}

// New opens (and seeds, when empty) the database and builds the sandbox.
func New(ctx context.Context, o Options) (_ *Sandbox, err error) {
	if o.Loc == nil || o.Calendar == nil {
		return nil, errors.New("sandbox: a location and a calendar are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Sandbox{loc: o.Loc, clock: NewClock(o.Start), updates: time.Now().UnixMicro()}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.sched, err = o.Schedule.Normalized(); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := s.openStore(ctx, o); err != nil {
		return nil, err
	}
	if err := s.startClock(ctx, o); err != nil {
		return nil, err
	}
	if s.cast, err = newCast(ctx, s.st); err != nil {
		return nil, err
	}
	if err := s.wire(ctx, o); err != nil {
		return nil, err
	}
	return s, nil
}

// openStore opens o.DB, or a temporary file, and loads the embedded plan
// into it when it holds none.
func (s *Sandbox) openStore(ctx context.Context, o Options) error {
	path := o.DB
	if path == "" {
		dir, err := os.MkdirTemp("", "duban-sandbox-")
		if err != nil {
			return fmt.Errorf("sandbox: temporary database: %w", err)
		}
		s.tmpDir, path = dir, filepath.Join(dir, "sandbox.db")
	}
	st, err := models.Open(path, models.Options{Now: s.clock.Now, Logger: o.Log})
	if err != nil {
		return fmt.Errorf("sandbox: database %s: %w", path, err)
	}
	s.st = st
	if _, ok, err := newestYear(ctx, st); ok || err != nil {
		return err
	}
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		return fmt.Errorf("sandbox: embedded plan: %w", err)
	}
	return seeds.Load(ctx, st, plan)
}

// newestYear is the newest plan year the database holds, if any.
func newestYear(ctx context.Context, st *models.Store) (int, bool, error) {
	years, err := st.PlanYears(ctx)
	if err != nil || len(years) == 0 {
		return 0, false, err
	}
	return years[len(years)-1], true, nil
}

// startClock sets the clock to o.Start or to the default day of the
// newest plan year.
func (s *Sandbox) startClock(ctx context.Context, o Options) error {
	if !o.Start.IsZero() {
		s.clock.Set(o.Start)
		return nil
	}
	year, _, err := newestYear(ctx, s.st)
	if err != nil {
		return fmt.Errorf("sandbox: plan year: %w", err)
	}
	s.clock.Set(DefaultStart(year, o.Calendar, o.Loc))
	return nil
}

// DefaultStart is 09:30 on a working day in May of year: 20 May, or the
// working day before it. Mid-May the month's reminders are about to start
// and the year's pace is well under way, so every view has something to say.
func DefaultStart(year int, cal *calendar.Calendar, loc *time.Location) time.Time {
	t := time.Date(year, time.May, 20, 9, 30, 0, 0, loc)
	if cal.Covers(year) {
		t = cal.PrevWorkday(t)
	}
	return t
}

// wire builds the fake Bot API and the real bot, scheduler and sender on it.
func (s *Sandbox) wire(ctx context.Context, o Options) error {
	s.srv = telegramtest.Start(telegramtest.WithClock(s.clock.Now), telegramtest.WithBotUser(botUsername))
	s.rec = newRecorder(s.srv)
	s.srv.OnCall(s.rec.observe)
	api, err := tg.New(telegramtest.Token, tg.WithServerURL(s.srv.URL()), tg.WithSkipGetMe(),
		tg.WithErrorsHandler(func(err error) { o.Log.Warn("telegram", "err", err) }))
	if err != nil {
		return fmt.Errorf("sandbox: telegram client: %w", err)
	}
	s.bot = bot.New(api, s.st, s.clock.Now, o.Log, bot.Settings{
		Username: botUsername, Admins: []int64{coordinatorID}, Loc: o.Loc, Schedule: s.sched,
		Calendar: o.Calendar, Thresholds: o.Thresholds,
	})
	if err := s.bot.Init(ctx); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.jobs, err = scheduler.New(s.st, bot.NewRenderer(o.Loc), scheduler.Options{
		Now: s.clock.Now, Calendar: o.Calendar, Schedule: s.sched, GroupChat: groupChatID,
		Thresholds: o.Thresholds, Holder: "sandbox-scheduler", Log: o.Log,
	})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	// One send at a time: the clock then moves only between sends, and
	// the transcript shows the messages in the order they went out.
	s.sender, err = delivery.New(s.st, api, delivery.Options{
		Clock: s.clock, Holder: "sandbox-sender", Log: o.Log, Concurrency: 1,
	})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}

// Now is the sandbox's time.
func (s *Sandbox) Now() time.Time { return s.clock.Now() }

// Store is the sandbox's database, for tests that check what a run did.
func (s *Sandbox) Store() *models.Store { return s.st }

// Close stops the fake Bot API, closes the database and removes it when
// it was temporary.
func (s *Sandbox) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
	if s.st != nil {
		s.st.Close()
	}
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}
