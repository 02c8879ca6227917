// Package inbox owns the way updates come in: a long-polling loop that
// writes every fetched update to the inbox table before the next
// getUpdates confirms it to Telegram, hands it to the per-chat dispatcher,
// and marks it handled once its handler returned. At start-up what is left
// unhandled is handled first, in the order it came, so a crash or a kill
// loses no update Telegram considers delivered.
//
// Marks are written with the next batch (or after an empty poll, or by
// Flush), not one transaction per update: an update handled but not yet
// marked when the process dies is handed over again at the restart, and
// the handler's own duplicate check (processed update ids) drops it.
package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Store is the part of models.Store the inbox needs.
type Store interface {
	StoreInbox(ctx context.Context, batch []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error)
	PendingInbox(ctx context.Context) ([]models.InboxUpdate, error)
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

// flushTimeout bounds Flush's write; it runs while shutting down.
const flushTimeout = 10 * time.Second

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

	mu      sync.Mutex
	handled []uint // rows whose handler returned, not yet marked
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
		p.submit(row)
	}
	return len(rows), nil
}

// poll fetches one batch, stores it with the marks due, hands it over and
// returns the next offset. The offset moves past the batch only once it is
// stored: the getUpdates that carries it is what makes Telegram forget it.
func (p *Poller) poll(ctx context.Context, offset int64) (int64, error) {
	raw, err := p.fetch.Fetch(ctx, offset, p.o.Wait)
	if err != nil {
		return offset, err
	}
	batch, next, err := rows(raw, offset)
	if err != nil {
		return offset, err
	}
	stored, err := p.write(context.WithoutCancel(ctx), batch)
	if err != nil {
		return offset, err
	}
	for _, row := range stored {
		p.submit(row)
	}
	return next, nil
}

// write stores batch and the marks due in one transaction; marks that
// could not be written are kept for the next one.
func (p *Poller) write(ctx context.Context, batch []models.InboxUpdate) ([]models.InboxUpdate, error) {
	p.mu.Lock()
	handled := p.handled
	p.handled = nil
	p.mu.Unlock()
	stored, err := p.st.StoreInbox(ctx, batch, handled)
	if err != nil {
		p.mu.Lock()
		p.handled = append(handled, p.handled...)
		p.mu.Unlock()
	}
	return stored, err
}

// Flush writes the marks of the updates handled since the last write; call
// it after the dispatcher drained its queues at shutdown.
func (p *Poller) Flush(ctx context.Context) error {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
	defer cancel()
	_, err := p.write(fctx, nil)
	return err
}

// submit hands a row to the sink.
func (p *Poller) submit(row models.InboxUpdate) { submitRow(p.sink, p.log, row, p.markHandled) }

// submitRow hands a row to the sink; an update that cannot be decoded is
// logged and marked handled, as no handler could do anything with it.
func submitRow(sink Sink, log *slog.Logger, row models.InboxUpdate, handled func(uint)) {
	var upd tgmodels.Update
	if err := json.Unmarshal([]byte(row.Payload), &upd); err != nil {
		log.Error("undecodable update dropped", "update_id", row.UpdateID, "err", err)
		handled(row.ID)
		return
	}
	sink.Submit(&upd, func() { handled(row.ID) })
}

func (p *Poller) markHandled(id uint) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.handled = append(p.handled, id)
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
			EditedMessage *struct{ Chat struct{ ID int64 } } `json:"edited_message"`
			CallbackQuery *struct{ From struct{ ID int64 } } `json:"callback_query"`
		}
		if err := json.Unmarshal(r, &head); err != nil {
			return nil, offset, fmt.Errorf("decode fetched update: %w", err)
		}
		chat := int64(0)
		switch {
		case head.Message != nil:
			chat = head.Message.Chat.ID
		case head.EditedMessage != nil:
			chat = head.EditedMessage.Chat.ID
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
