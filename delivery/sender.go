package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Store is the part of models.Store the sender needs.
type Store interface {
	ClaimOutbox(ctx context.Context, holder string, now time.Time, limit int, leaseFor time.Duration) ([]models.Outbox, error)
	NextOutboxDue(ctx context.Context) (time.Time, bool, error)
	MarkSent(ctx context.Context, id uint, messageID int, at time.Time) error
	MarkRetry(ctx context.Context, id uint, notBefore time.Time, errText string) error
	DeferOutbox(ctx context.Context, id uint, notBefore time.Time) error
	MarkFailed(ctx context.Context, id uint, errText string) error
	Enqueue(ctx context.Context, msgs ...models.OutboxMessage) (int, error)
	Coordinators(ctx context.Context) ([]models.Contact, error)
	ContactByTelegramID(ctx context.Context, id int64) (models.Contact, error)
}

// API sends one message; *bot.Bot satisfies it.
type API interface {
	SendMessage(ctx context.Context, params *bot.SendMessageParams) (*tgmodels.Message, error)
}

// Options tune a Sender; the zero value of every field has a default.
type Options struct {
	Clock Clock // default: wall clock
	// Holder names this sender in outbox claims. It must be unique among
	// the senders sharing a database; the default (host, pid, random) is.
	Holder string
	Log    *slog.Logger
	Limits Limits // zero fields: Telegram's 30/s, 1/s per chat, 20/min per group
	// MaxAttempts is how many sends a message gets when Telegram or the
	// network fails (5xx, timeouts) before it is given up (default 8).
	MaxAttempts int
	// Lease is how long a claim keeps other senders off a message (default
	// 10 min); see the package doc for the trade-off.
	Lease time.Duration
	// BatchSize is how many messages one claim takes (default 100).
	BatchSize int
	// Horizon is how long a claimed message may wait for its chat's quota;
	// a message that would wait longer goes back to the outbox (default 10s).
	Horizon time.Duration
	// Concurrency is how many requests may be in flight at once (default
	// and at most Limits.PerSecond). With a round trip of r seconds, the
	// sender needs about PerSecond*r of them to reach the global limit.
	Concurrency int
	// SendTimeout bounds one sendMessage request (default 30s).
	SendTimeout time.Duration
	// Poll is Run's longest idle wait, which bounds how late it notices a
	// message written by another process without a Wake (default 5s).
	Poll time.Duration
	// Pacer, when set, is shared with the bot's interactive replies, so a
	// reminder and a reply to one chat keep a second apart.
	Pacer *ChatPacer
	// Telemetry receives the operator's metrics; nil reports nowhere.
	Telemetry Telemetry
	// SendingLease, when set, makes senders on one database take turns:
	// only the holder of the sending lease sends, so Telegram's limits
	// hold across replicas. It is renewed every quarter of it; a holder
	// that dies is replaced within SendingLease plus Poll (see lease.go).
	// The store must be a LeaseStore; SendTimeout must be under 3/4 of it.
	SendingLease time.Duration
}

// recordBudget bounds the retries of MarkSent after a delivered message
// (1+2+4+8 s on the clock).
const recordBudget = 15 * time.Second

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = wallClock{}
	}
	if o.Holder == "" {
		o.Holder = defaultHolder()
	}
	if o.Telemetry == nil {
		o.Telemetry = noTelemetry{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	o.Limits = o.Limits.withDefaults()
	o.Concurrency = min(positive(o.Concurrency, o.Limits.PerSecond), o.Limits.PerSecond)
	o.MaxAttempts = positive(o.MaxAttempts, 8)
	o.Lease = positive(o.Lease, 10*time.Minute)
	o.BatchSize = positive(o.BatchSize, 100)
	o.Horizon = positive(o.Horizon, 10*time.Second)
	o.SendTimeout = positive(o.SendTimeout, 30*time.Second)
	o.Poll = positive(o.Poll, 5*time.Second)
	return o
}

func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// check rejects a lease that could run out while the sender still works
// on a claimed message: another sender would then send it again.
func (o Options) check() error {
	if need := o.Horizon + o.SendTimeout + recordBudget; o.Lease <= need {
		return fmt.Errorf("delivery: lease %v must exceed horizon + send timeout + record retries (%v)", o.Lease, need)
	}
	return nil
}

func defaultHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Stats count what a Drain did.
type Stats struct {
	Sent        int // acknowledged by Telegram
	Retried     int // put back to try again, 429s included
	Failed      int // given up
	RateLimited int // answered 429 Too Many Requests
}

func (s *Stats) add(o Stats) {
	s.Sent += o.Sent
	s.Retried += o.Retried
	s.Failed += o.Failed
	s.RateLimited += o.RateLimited
}

// Sender drains the outbox to Telegram.
type Sender struct {
	store Store
	api   API
	opts  Options
	clock Clock
	log   *slog.Logger
	wake  chan struct{}

	mu     sync.Mutex // one pump at a time; guards lim and lease
	lim    *limiter
	leases LeaseStore // nil without Options.SendingLease
	lease  lease
}

// New returns a Sender; call Run or Drain to send.
func New(store Store, api API, opts Options) (*Sender, error) {
	if store == nil || api == nil {
		return nil, errors.New("delivery: a store and an API are required")
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, err
	}
	if err := opts.checkLease(); err != nil {
		return nil, err
	}
	var leases LeaseStore
	if opts.SendingLease > 0 {
		var ok bool
		if leases, ok = store.(LeaseStore); !ok {
			return nil, errors.New("delivery: a sending lease needs a LeaseStore")
		}
	}
	return &Sender{
		leases: leases,
		store:  store, api: api, opts: opts, clock: opts.Clock,
		log:  opts.Log.With("component", "delivery", "holder", opts.Holder),
		wake: make(chan struct{}, 1),
		lim:  newLimiter(opts.Limits, opts.Pacer),
	}, nil
}

// Wake tells Run that messages were enqueued; it never blocks.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Drain sends every message that is due, respecting the limits, and
// returns once none is due, queued or in flight. When ctx ends it stops
// starting sends, waits for those in flight and gives the rest back.
func (s *Sender) Drain(ctx context.Context) (Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held, err := s.lead(ctx, s.clock.Now()); !held {
		return Stats{}, err
	}
	p := newPump(s)
	err := p.run(ctx)
	return p.stats, err
}

// Run drains the outbox until ctx is done, waiting in between until the
// next message is due, Wake is called or Poll has passed.
func (s *Sender) Run(ctx context.Context) {
	var total Stats
	for ctx.Err() == nil {
		st, err := s.Drain(ctx)
		total.add(st)
		if err != nil && ctx.Err() == nil && !errors.Is(err, errLeaseLost) {
			s.log.Error("drain outbox", "err", err)
		}
		s.idle(ctx)
	}
	s.resign(ctx)
	s.log.Info("sender stopped", "sent", total.Sent, "retried", total.Retried, "failed", total.Failed, "rate_limited", total.RateLimited)
}

// idle waits until the next message is due, Wake or Poll.
func (s *Sender) idle(ctx context.Context) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.wake:
			cancel()
		case <-wctx.Done():
		}
	}()
	_ = s.clock.Sleep(wctx, s.idleFor(ctx))
}

// idleFor is how long nothing is due. A message due already was not
// claimable (an earlier message of its chat is held by another sender), so
// it is looked at again a second later rather than at once.
func (s *Sender) idleFor(ctx context.Context) time.Duration {
	at, ok, err := s.store.NextOutboxDue(ctx)
	if err != nil || !ok {
		return s.opts.Poll
	}
	if d := at.Sub(s.clock.Now()); d > 0 {
		return min(d, s.opts.Poll)
	}
	return min(time.Second, s.opts.Poll)
}
