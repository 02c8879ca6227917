package inbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/duban-bot/duban/models"
)

// ClaimStore is the part of models.Store a Worker needs.
type ClaimStore interface {
	ClaimInbox(ctx context.Context, holder string, lease time.Duration, limit int) ([]models.InboxUpdate, error)
	RenewInboxClaims(ctx context.Context, holder string) error
	StoreInbox(ctx context.Context, batch []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error)
	PruneInbox(ctx context.Context) (int64, error)
}

// WorkerOptions tune a Worker; zero fields have defaults.
type WorkerOptions struct {
	// Holder names this replica in the inbox's claims (unique per process).
	Holder string
	// Lease is how long a claim outlives its holder's last heartbeat
	// (default 30 s): a dead replica's updates are taken over after it.
	Lease time.Duration
	// Idle is how often the inbox is looked at without a wake-up (default
	// 1 s): another replica may have stored what this one should take.
	Idle time.Duration
	// Now is the clock of heartbeats and pruning (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// claimBatch is the most rows one step claims.
const claimBatch = 100

// Worker handles the inbox in webhook mode: whatever replica stored an
// update, one replica claims it, hands it to the Sink and marks it
// handled. Run it on every replica.
type Worker struct {
	st     ClaimStore
	sink   Sink
	o      WorkerOptions
	log    *slog.Logger
	wake   chan struct{}
	beat   time.Time
	pruned time.Time

	mu       sync.Mutex
	handled  []uint        // rows whose handler returned, not yet marked
	inflight map[uint]bool // rows handed to the sink and not yet marked
}

// NewWorker returns a Worker; call Run.
func NewWorker(st ClaimStore, sink Sink, o WorkerOptions) *Worker {
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Idle <= 0 {
		o.Idle = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Worker{st: st, sink: sink, o: o, log: o.Log.With("component", "inbox"),
		wake: make(chan struct{}, 1), inflight: map[uint]bool{}}
}

// Wake makes Run look at the inbox now (an update was just stored).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run steps until ctx ends; failures are logged and retried at the next
// step.
func (w *Worker) Run(ctx context.Context) {
	idle := time.NewTicker(w.o.Idle)
	defer idle.Stop()
	for ctx.Err() == nil {
		if _, err := w.Step(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("handle inbox", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-idle.C:
		}
	}
}

// Step writes the marks due, renews this replica's claims when a third of
// the lease has passed, claims what it may and hands it over. It returns
// how many rows it handed over.
func (w *Worker) Step(ctx context.Context) (int, error) {
	ctx = context.WithoutCancel(ctx) // a write begun is finished
	if err := w.Flush(ctx); err != nil {
		return 0, err
	}
	if now := w.o.Now(); now.Sub(w.beat) >= w.o.Lease/3 {
		if err := w.st.RenewInboxClaims(ctx, w.o.Holder); err != nil {
			return 0, err
		}
		w.beat = now
	}
	rows, err := w.st.ClaimInbox(ctx, w.o.Holder, w.o.Lease, claimBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, row := range rows {
		if w.take(row.ID) {
			submitRow(w.sink, w.log, row, w.markHandled)
			n++
		}
	}
	w.prune(ctx)
	return n, nil
}

// take reports whether row id is not yet in this replica's hands, and
// puts it there.
func (w *Worker) take(id uint) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inflight[id] {
		return false
	}
	w.inflight[id] = true
	return true
}

func (w *Worker) markHandled(id uint) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handled = append(w.handled, id)
	w.Wake() // the mark lets another replica take the chat's next update
}

// Flush writes the marks of the rows handled since the last write; call it
// after the dispatcher drained its queues at shutdown.
func (w *Worker) Flush(ctx context.Context) error {
	w.mu.Lock()
	handled := w.handled
	w.handled = nil
	w.mu.Unlock()
	if len(handled) == 0 {
		return nil
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
	defer cancel()
	if _, err := w.st.StoreInbox(fctx, nil, handled); err != nil {
		w.mu.Lock()
		w.handled = append(handled, w.handled...)
		w.mu.Unlock()
		return err
	}
	w.mu.Lock()
	for _, id := range handled {
		delete(w.inflight, id)
	}
	w.mu.Unlock()
	return nil
}

// prune forgets handled rows older than the duplicate window, hourly.
func (w *Worker) prune(ctx context.Context) {
	now := w.o.Now()
	if now.Sub(w.pruned) < time.Hour {
		return
	}
	w.pruned = now
	if _, err := w.st.PruneInbox(ctx); err != nil {
		w.log.Warn("prune inbox", "err", err)
	}
}
