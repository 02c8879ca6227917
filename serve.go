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
	"github.com/duban-bot/duban/inbox"
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
	api, err := newAPI(e.cfg, log, metrics)
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
	clock := delivery.WallClock(e.cfg.Now)
	// One pace per chat for reminders and replies alike.
	pacer := delivery.NewChatPacer(clock, 0)
	sender, err := delivery.New(st, api, delivery.Options{
		Clock: clock, Holder: replicaName("sender"), Log: log, Pacer: pacer, Telemetry: metrics,
		SendingLease: sendingLease, SendTimeout: sendTimeout,
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
		Calendar: e.cfg.Calendar, Thresholds: e.cfg.Thresholds, Wake: sender.Wake, Pacer: pacer, Telemetry: metrics,
	})
	if err := b.Init(ctx); err != nil {
		return err
	}
	if n, err := b.SendOwed(ctx); err != nil {
		log.Warn("replies owed from the last run", "err", err)
	} else if n > 0 {
		log.Info("sent replies owed from the last run", "count", n)
	}
	var hook *webhookMode
	var updates inbox.Store = st
	if e.cfg.Webhook.URL != "" {
		if hook, err = startWebhook(ctx, e.cfg, st, api, disp, log); err != nil {
			return err
		}
	} else if j, err := openJournal(ctx, e.cfg, st, log); err != nil {
		return err
	} else if j != nil {
		defer j.Close()
		updates = j
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
	log.Info("started", "bot", me.Username, "startup", time.Since(started).Round(time.Millisecond))
	if hook != nil {
		hook.run(ctx)
	} else {
		servePolling(ctx, e.cfg, updates, api, disp, log)
	}
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

// telegramAPI is the Bot API client and the HTTP client under it, which
// the inbox's own getUpdates shares.
type telegramAPI struct {
	*tg.Bot
	client *http.Client
}

// newAPI builds the client of every Bot API call but getUpdates, which
// the inbox makes (the library's polling confirms an update before it is
// handled).
func newAPI(cfg Config, log *slog.Logger, metrics *telemetry.Metrics) (telegramAPI, error) {
	client := &http.Client{Timeout: pollTimeout + 10*time.Second, Transport: metrics.Transport(wholeBody{apiTransport()})}
	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(pollTimeout, client),
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram", "err", err) }),
	)
	if err != nil {
		return telegramAPI{}, fmt.Errorf("telegram client: %w", err)
	}
	return telegramAPI{Bot: api, client: client}, nil
}

// apiTransport is the Bot API's HTTP transport: http.DefaultTransport's
// settings, so HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply
// (http.ProxyFromEnvironment), with more idle connections.
func apiTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // the default 2 reopens a TLS connection for most sends
	return tr
}
