package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telemetry"
)

// pollTimeout is the long-poll wait; the HTTP client's timeout must exceed it.
const pollTimeout = time.Minute

func runServe(ctx context.Context, e env, args []string) error {
	if err := parseFlags(flag.NewFlagSet("serve", flag.ContinueOnError), args); err != nil {
		return err
	}
	if e.cfg.Token == "" {
		return usagef("TELEGRAM_BOT_TOKEN: missing (get one from @BotFather)")
	}
	log := newLogger(e.cfg, e.stderr)
	started := time.Now()
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	ops, err := startOps(ctx, e.cfg, st, log)
	if err != nil {
		return err
	}
	defer ops.stop()
	metrics := ops.metrics
	if err := seedIfEmpty(ctx, st, log); err != nil {
		return err
	}
	if err := warnYears(ctx, e.cfg, st, log); err != nil {
		return err
	}
	var b *bot.Bot
	disp := bot.NewDispatcher(8, func(ctx context.Context, u *tgmodels.Update) { b.HandleUpdate(ctx, u) })
	api, err := newAPI(e.cfg, log, disp, metrics)
	if err != nil {
		return err
	}
	me, err := whoAmI(ctx, api, log, e.sleep)
	if err != nil && ctx.Err() != nil {
		log.Info("stopped before Telegram answered")
		return nil
	} else if err != nil {
		return err
	}
	sender, err := delivery.New(st, api, delivery.Options{
		Clock: delivery.WallClock(e.cfg.Now), Holder: replicaName("sender"), Log: log, Telemetry: metrics,
	})
	if err != nil {
		return err
	}
	sched, err := newScheduler(e.cfg, st, log, sender.Wake, 0, metrics)
	if err != nil {
		return err
	}
	b = bot.New(api, st, e.cfg.Now, log, bot.Settings{
		Username: me.Username, Admins: e.cfg.Admins, Loc: e.cfg.Loc, Schedule: e.cfg.Schedule,
		Calendar: e.cfg.Calendar, Thresholds: e.cfg.Thresholds, Wake: sender.Wake, Telemetry: metrics,
	})
	if err := b.Init(ctx); err != nil {
		return err
	}
	// Handlers finish their update even when shutdown starts mid-way.
	disp.Run(context.WithoutCancel(ctx))
	var jobs sync.WaitGroup
	jobs.Go(func() { sender.Run(ctx) })
	jobs.Go(func() {
		if err := sched.Run(ctx); err != nil {
			log.Error("scheduler stopped", "err", err)
		}
	})
	log.Info("polling", "bot", me.Username, "startup", time.Since(started).Round(time.Millisecond))
	api.Start(ctx)
	disp.Close()
	jobs.Wait()
	log.Info("stopped")
	return nil
}

func seedIfEmpty(ctx context.Context, st *models.Store, log *slog.Logger) error {
	years, err := st.PlanYears(ctx)
	if err != nil || len(years) > 0 {
		return err
	}
	log.Info("empty database: loading the embedded plan")
	return seedPlan(ctx, st)
}

func newAPI(cfg Config, log *slog.Logger, disp *bot.Dispatcher, metrics *telemetry.Metrics) (*tg.Bot, error) {
	client := &http.Client{Timeout: pollTimeout + 10*time.Second, Transport: metrics.Transport(apiTransport())}
	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(pollTimeout, client),
		tg.WithDefaultHandler(disp.Enqueue),
		tg.WithNotAsyncHandlers(),
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram", "err", err) }),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "callback_query"}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	return api, nil
}

// apiTransport is the Bot API's HTTP transport: http.DefaultTransport's
// settings, so HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply
// (http.ProxyFromEnvironment), with more idle connections.
func apiTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // the default 2 reopens a TLS connection for most sends
	return tr
}
