package delivery

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/duban-bot/duban/models"
)

// pump is one Drain: it claims due messages, starts each when its chat and
// a global slot allow, and collects the outcomes, until nothing is due,
// queued or in flight. Only the pump's goroutine touches its fields and the
// limiter; each send runs on a goroutine of its own, reports on done as
// soon as Telegram answered, then records the outcome, so that a slow
// database write does not hold a rate slot.
type pump struct {
	s         *Sender
	queue     []models.Outbox // claimed, not started; id order
	inflight  int             // sends not yet answered
	done      chan outcome
	records   sync.WaitGroup // outcomes being recorded
	unsettled int            // outcomes reported since the last settle
	claim     bool           // whether claiming again may find more
	stats     Stats
}

func newPump(s *Sender) *pump {
	return &pump{s: s, done: make(chan outcome, s.opts.Limits.PerSecond), claim: true}
}

func (p *pump) run(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return p.stop(ctx, err)
		}
		if err := p.refill(ctx); err != nil {
			return p.stop(ctx, err)
		}
		if len(p.queue) == 0 && p.inflight == 0 {
			if !p.settle() {
				return nil
			}
			continue
		}
		if err := p.step(ctx); err != nil {
			return p.stop(ctx, err)
		}
	}
}

// refill claims more messages once the queue runs low. Claims stop when
// one comes back short and resume after a send completes, since settling
// a message may make the next one of its chat claimable.
func (p *pump) refill(ctx context.Context) error {
	o := p.s.opts
	if !p.claim || len(p.queue) > o.BatchSize/2 {
		return nil
	}
	now := p.s.clock.Now()
	limit := o.BatchSize - len(p.queue)
	rows, err := p.s.store.ClaimOutbox(ctx, o.Holder, now, limit, o.Lease)
	if err != nil {
		return err
	}
	p.claim = len(rows) == limit
	if len(rows) > 0 {
		p.queue = append(p.queue, rows...)
		p.s.lim.forget(now)
	}
	return nil
}

// settle waits for the outcomes still being recorded and reports whether
// there were any: recording may make more messages claimable (the next of
// a chat, a notice to coordinators), so the pump then claims again.
func (p *pump) settle() bool {
	if p.unsettled == 0 {
		return false
	}
	p.records.Wait()
	p.unsettled, p.claim = 0, true
	return true
}

// step starts the message that may go first, or waits for it.
func (p *pump) step(ctx context.Context) error {
	p.collect(ctx)
	now := p.s.clock.Now()
	p.deferFar(ctx, now)
	i, at, ok := p.pick()
	switch {
	case !ok:
		return p.await(ctx)
	case at.After(now):
		// Look again at least every chat interval: a send completing
		// meanwhile may ready its chat before at.
		return p.s.clock.Sleep(ctx, min(at.Sub(now), p.s.opts.Limits.ChatInterval))
	}
	return p.start(ctx, i, now)
}

// pick returns the queued message that may start first, and when: among
// the first queued message of every chat with nothing in flight, the one
// whose chat is ready first, no earlier than the next global slot. ok is
// false when there is none, or as many requests as allowed are in flight.
func (p *pump) pick() (i int, at time.Time, ok bool) {
	slot, ok := p.s.lim.slotReady()
	if !ok || p.inflight >= p.s.opts.Concurrency {
		return 0, time.Time{}, false
	}
	i = -1
	p.eachHead(func(j int, ready time.Time) {
		if i < 0 || ready.Before(at) {
			i, at = j, ready
		}
	})
	if i < 0 {
		return 0, time.Time{}, false
	}
	return i, latest(at, slot), true
}

// eachHead calls fn with the index of each chat's first queued message,
// and when the chat is ready, for the chats with nothing in flight.
func (p *pump) eachHead(fn func(i int, ready time.Time)) {
	now := p.s.clock.Now()
	seen := make(map[int64]bool, len(p.queue))
	for i, m := range p.queue {
		if seen[m.ChatID] {
			continue
		}
		seen[m.ChatID] = true
		if ready, ok := p.s.lim.chatReady(m.ChatID, now); ok {
			fn(i, ready)
		}
	}
}

// deferFar gives back the messages of chats that will not be ready within
// the horizon (a busy group chat, a chat after a 429), so the pump never
// holds a claim long enough for its lease to matter.
func (p *pump) deferFar(ctx context.Context, now time.Time) {
	far := map[int64]time.Time{}
	p.eachHead(func(i int, ready time.Time) {
		if ready.Sub(now) > p.s.opts.Horizon {
			far[p.queue[i].ChatID] = ready
		}
	})
	for chat, ready := range far {
		p.giveBack(ctx, chat, ready)
	}
}

// start sends queue[i] on its own goroutine.
func (p *pump) start(ctx context.Context, i int, now time.Time) error {
	if err := p.s.mayStart(ctx, now); err != nil {
		return err
	}
	m := p.queue[i]
	if now.Add(p.s.opts.SendTimeout + recordBudget).After(m.ClaimedUntil) {
		// The claim could run out before the send is recorded, and another
		// sender take the message too; hand the chat's messages back.
		p.giveBack(ctx, m.ChatID, now)
		return nil
	}
	if !p.s.lim.take(m.ChatID, now) {
		// The bot began a reply to this chat since pick looked.
		return p.s.clock.Sleep(ctx, busyRecheck)
	}
	p.queue = slices.Delete(p.queue, i, i+1)
	p.inflight++
	p.records.Go(func() {
		o := p.s.attempt(ctx, m)
		p.done <- o
		p.s.record(ctx, o)
	})
	return nil
}

// await waits for a send to complete.
func (p *pump) await(ctx context.Context) error {
	if p.inflight == 0 {
		return nil
	}
	select {
	case o := <-p.done:
		p.finish(ctx, o)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// collect takes the outcomes that are ready without waiting.
func (p *pump) collect(ctx context.Context) {
	for {
		select {
		case o := <-p.done:
			p.finish(ctx, o)
		default:
			return
		}
	}
}

// finish accounts for a completed send. A message to be retried holds
// back the rest of its chat's queue, which keeps the chat in order.
func (p *pump) finish(ctx context.Context, o outcome) {
	p.inflight--
	p.unsettled++
	p.claim = true
	p.s.lim.release(o.msg.ChatID, o.startAt, o.doneAt, o.v.retryAfter)
	p.stats.count(o.v)
	if o.v.kind == retry {
		p.giveBack(ctx, o.msg.ChatID, o.v.notBefore)
	}
}

// stop ends the pump after err. Sends in flight are waited for, not
// cancelled, because a cancelled request may still have reached Telegram
// and must be recorded; the queue goes back to the outbox at once so that
// another sender need not wait for the lease.
func (p *pump) stop(ctx context.Context, err error) error {
	for p.inflight > 0 {
		p.finish(ctx, <-p.done)
	}
	now := p.s.clock.Now()
	for len(p.queue) > 0 {
		p.giveBack(ctx, p.queue[0].ChatID, now)
	}
	p.records.Wait()
	return err
}

// giveBack returns chat's queued messages to the outbox, due at notBefore.
func (p *pump) giveBack(ctx context.Context, chat int64, notBefore time.Time) {
	p.queue = slices.DeleteFunc(p.queue, func(m models.Outbox) bool {
		if m.ChatID == chat {
			p.s.giveBack(ctx, m, notBefore)
			return true
		}
		return false
	})
}

func (s *Stats) count(v verdict) {
	switch v.kind {
	case sent:
		s.Sent++
	case retry:
		s.Retried++
	case failed:
		s.Failed++
	}
	if v.retryAfter > 0 {
		s.RateLimited++
	}
}
