// Package inbox owns the way updates come in: a long-polling loop that
// writes every fetched update to the inbox table before the next
// getUpdates confirms it to Telegram, hands it to the per-chat dispatcher,
// and marks it handled once its handler returned. At start-up what is left
// unhandled is handed over first, in the order it came, so a crash or a
// kill loses no update Telegram considers delivered.
package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Store is the part of models.Store the inbox needs.
type Store interface {
	StoreInbox(ctx context.Context, batch []models.InboxUpdate) ([]models.InboxUpdate, error)
	PendingInbox(ctx context.Context) ([]models.InboxUpdate, error)
	MarkInboxHandled(ctx context.Context, id uint) error
	PruneInbox(ctx context.Context) (int64, error)
}

// Fetcher asks Telegram for updates; HTTPFetcher is the real one.
type Fetcher interface {
	Fetch(ctx context.Context, offset int64, timeout time.Duration) ([]json.RawMessage, error)
}

// Sink handles updates in per-chat order and calls done after each one's
// handler returned; bot.Dispatcher is one.
type Sink interface {
	Submit(upd *tgmodels.Update, done func())
}

// Options tune a Poller; zero fields have defaults.
type Options struct {
	// Wait is the long-poll wait (default 50 s, Telegram's cap).
	Wait time.Duration
	// Sleep waits after a failed poll or write (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells when to prune handled rows (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// markTimeout bounds the write that marks an update handled; it runs
// after the handler even while shutting down.
const markTimeout = 10 * time.Second

// maxRetryWait caps the wait between failed polls.
const maxRetryWait = 30 * time.Second

// Poller fetches updates into the inbox and hands them to a Sink.
type Poller struct {
	st     Store
	fetch  Fetcher
	sink   Sink
	o      Options
	log    *slog.Logger
	pruned time.Time
}

// New returns a Poller; call Run.
func New(st Store, f Fetcher, sink Sink, o Options) *Poller {
	if o.Wait <= 0 {
		o.Wait = 50 * time.Second
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Poller{st: st, fetch: f, sink: sink, o: o, log: o.Log.With("component", "inbox")}
}

// Run hands over what the inbox holds unhandled, then polls until ctx
// ends. It returns an error only when the inbox cannot be read at start.
func (p *Poller) Run(ctx context.Context) error {
	n, err := p.Replay(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		p.log.Info("handling updates left from the last run", "count", n)
	}
	var offset int64
	for failures := 0; ctx.Err() == nil; {
		next, err := p.poll(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait := retryWait(failures)
			failures++
			p.log.Warn("poll updates", "err", err, "retry_in", wait)
			_ = p.o.Sleep(ctx, wait)
			continue
		}
		failures, offset = 0, next
		p.prune(ctx)
	}
	return nil
}

// Replay hands every unhandled row of the inbox to the sink, oldest first,
// and returns how many.
func (p *Poller) Replay(ctx context.Context) (int, error) {
	rows, err := p.st.PendingInbox(ctx)
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		p.submit(ctx, row)
	}
	return len(rows), nil
}

// poll fetches one batch, stores it, hands it over and returns the next
// offset. The offset moves past the batch only once it is stored: the
// getUpdates that carries it is what makes Telegram forget the batch.
func (p *Poller) poll(ctx context.Context, offset int64) (int64, error) {
	raw, err := p.fetch.Fetch(ctx, offset, p.o.Wait)
	if err != nil {
		return offset, err
	}
	batch, next, err := rows(raw, offset)
	if err != nil {
		return offset, err
	}
	stored, err := p.st.StoreInbox(context.WithoutCancel(ctx), batch)
	if err != nil {
		return offset, err
	}
	for _, row := range stored {
		p.submit(ctx, row)
	}
	return next, nil
}

// submit hands a row to the sink; an update that cannot be decoded is
// logged and marked handled, as no handler could do anything with it.
func (p *Poller) submit(ctx context.Context, row models.InboxUpdate) {
	var upd tgmodels.Update
	if err := json.Unmarshal([]byte(row.Payload), &upd); err != nil {
		p.log.Error("undecodable update dropped", "update_id", row.UpdateID, "err", err)
		p.markHandled(ctx, row)
		return
	}
	p.sink.Submit(&upd, func() { p.markHandled(ctx, row) })
}

func (p *Poller) markHandled(ctx context.Context, row models.InboxUpdate) {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := p.st.MarkInboxHandled(mctx, row.ID); err != nil {
		// The update will be handled again at the next start; the
		// handler's own duplicate check (processed update ids) drops it.
		p.log.Error("mark update handled", "update_id", row.UpdateID, "err", err)
	}
}

// prune forgets handled rows older than the duplicate window, hourly.
func (p *Poller) prune(ctx context.Context) {
	now := p.o.Now()
	if now.Sub(p.pruned) < time.Hour {
		return
	}
	p.pruned = now
	if n, err := p.st.PruneInbox(ctx); err != nil {
		p.log.Warn("prune inbox", "err", err)
	} else if n > 0 {
		p.log.Debug("pruned inbox", "count", n)
	}
}

// rows turns a fetched batch into inbox rows and the offset after it.
func rows(raw []json.RawMessage, offset int64) ([]models.InboxUpdate, int64, error) {
	out := make([]models.InboxUpdate, 0, len(raw))
	for _, r := range raw {
		var head struct {
			ID            int64                              `json:"update_id"`
			Message       *struct{ Chat struct{ ID int64 } } `json:"message"`
			CallbackQuery *struct{ From struct{ ID int64 } } `json:"callback_query"`
		}
		if err := json.Unmarshal(r, &head); err != nil {
			return nil, offset, fmt.Errorf("decode fetched update: %w", err)
		}
		chat := int64(0)
		switch {
		case head.Message != nil:
			chat = head.Message.Chat.ID
		case head.CallbackQuery != nil:
			chat = head.CallbackQuery.From.ID
		}
		out = append(out, models.InboxUpdate{UpdateID: head.ID, Chat: chat, Payload: string(r)})
		offset = head.ID + 1
	}
	return out, offset, nil
}

// retryWait is the wait after the failures-th failed poll in a row: 1 s,
// 2 s, 4 s, … up to maxRetryWait.
func retryWait(failures int) time.Duration {
	if failures >= 5 {
		return maxRetryWait
	}
	return min(time.Second<<failures, maxRetryWait)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
