package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
)

// handledUpdates are the update types the bot handles (bot/update.go);
// Telegram is asked for nothing else, by getUpdates or the webhook.
func handledUpdates() []string { return []string{"message", "edited_message", "callback_query"} }

// claimLease is how long a dead replica's claimed updates wait before
// another replica takes them over.
const claimLease = 30 * time.Second

// sendingLease is how long a dead replica's sender keeps the others from
// sending: one sender at a time keeps Telegram's limits across replicas,
// and a successor takes over within this plus the sender's 5 s poll.
const sendingLease = 20 * time.Second

// sendTimeout bounds one sendMessage; it must stay under 3/4 of
// sendingLease, as a send starts only while the lease outlasts it.
const sendTimeout = 10 * time.Second

// shutdownTimeout bounds the wait for webhook requests in flight.
const shutdownTimeout = 10 * time.Second

// journalSuffix names the polling loop's inbox journal beside a SQLite
// database: duban.db-inbox.
const journalSuffix = "-inbox"

// openJournal opens the polling loop's journal beside a SQLite database
// and moves into it what the inbox table holds unhandled (left by a
// version before it); nil for PostgreSQL, whose polling loop keeps the
// table.
func openJournal(ctx context.Context, cfg Config, st *models.Store, log *slog.Logger) (*inbox.Journal, error) {
	path := models.SQLiteFile(cfg.DB)
	if path == "" {
		return nil, nil
	}
	j, err := inbox.OpenJournal(path+journalSuffix, cfg.Now)
	if err != nil {
		return nil, err
	}
	n, err := inbox.Adopt(ctx, st, j)
	if err != nil {
		_ = j.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("moved unhandled updates from the inbox table to the journal", "count", n)
	}
	return j, nil
}

// servePolling takes updates by long polling until ctx ends. A webhook
// left on the token (webhook mode before) would answer every poll 409.
func servePolling(ctx context.Context, cfg Config, st inbox.Store, api telegramAPI, disp *bot.Dispatcher, log *slog.Logger) {
	if _, err := api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		log.Warn("delete webhook", "err", err)
	}
	log.Info("polling")
	poller := inbox.New(st, inbox.HTTPFetcher{
		Client: api.client, BaseURL: cfg.APIURL, Token: cfg.Token, Allowed: handledUpdates(),
	}, disp, inbox.Options{Wait: pollTimeout - 10*time.Second, Now: cfg.Now, Log: log})
	if err := poller.Run(ctx); err != nil {
		log.Error("inbox", "err", err)
	}
	disp.Close()
	if err := poller.Flush(ctx); err != nil {
		// The updates handled last are handed over again at the next
		// start, and dropped there as duplicates.
		log.Warn("mark last updates handled", "err", err)
	}
}

// webhookMode is the webhook listener and the inbox worker of one replica.
type webhookMode struct {
	srv    *http.Server
	served chan error
	worker *inbox.Worker
	disp   *bot.Dispatcher
	log    *slog.Logger
}

// startWebhook serves the webhook on DUBAN_LISTEN and registers it with
// Telegram; updates are stored from then on and handled once run starts.
func startWebhook(ctx context.Context, cfg Config, st *models.Store, api telegramAPI, disp *bot.Dispatcher, log *slog.Logger) (*webhookMode, error) {
	ln, err := net.Listen("tcp", cfg.Webhook.Listen)
	if err != nil {
		return nil, fmt.Errorf("DUBAN_LISTEN: %w", err)
	}
	w := &webhookMode{served: make(chan error, 1), disp: disp, log: log}
	w.worker = inbox.NewWorker(st, disp, inbox.WorkerOptions{
		Holder: replicaName("inbox"), Lease: claimLease, Now: cfg.Now, Log: log,
	})
	mux := http.NewServeMux()
	mux.Handle(cfg.Webhook.Path, inbox.NewWebhook(st, cfg.Webhook.Secret, w.worker.Wake, log))
	w.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	go func() { w.served <- w.srv.Serve(ln) }()
	_, err = api.SetWebhook(ctx, &tg.SetWebhookParams{
		URL: cfg.Webhook.URL, SecretToken: cfg.Webhook.Secret, AllowedUpdates: handledUpdates(),
	})
	if err != nil {
		_ = w.srv.Close()
		return nil, fmt.Errorf("setWebhook: %w", err)
	}
	log.Info("webhook set", "listen", ln.Addr().String(), "path", cfg.Webhook.Path)
	return w, nil
}

// run handles the inbox (with the other replicas) until ctx ends, then
// lets the requests in flight finish and the handlers drain.
func (w *webhookMode) run(ctx context.Context) {
	w.worker.Run(ctx)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := w.srv.Shutdown(sctx); err != nil {
		w.log.Warn("webhook shutdown", "err", err)
	}
	if err := <-w.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		w.log.Error("webhook listener", "err", err)
	}
	// Updates stored while shutting down are claimed by the next step of
	// any replica (or this one's next start).
	w.disp.Close()
	if err := w.worker.Flush(ctx); err != nil {
		// Unmarked rows are claimed again once the lease ran out and
		// dropped there as duplicates.
		w.log.Warn("mark last updates handled", "err", err)
	}
}
