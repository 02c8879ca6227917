package delivery

import (
	"context"
	"errors"
	"time"

	"github.com/duban-bot/duban/models"
)

// dbTimeout bounds one write of an outcome. Outcomes are written under a
// context that the caller's cancellation does not reach, because what
// happened at Telegram must be recorded even while shutting down.
const dbTimeout = 10 * time.Second

func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), dbTimeout)
}

// record stores the verdict of a send.
func (s *Sender) record(ctx context.Context, o outcome) {
	s.countOutcome(o)
	var err error
	switch o.v.kind {
	case sent:
		s.markSent(ctx, o)
		return
	case retry:
		err = s.write(ctx, func(ctx context.Context) error {
			return s.store.MarkRetry(ctx, o.msg.ID, o.v.notBefore, o.v.reason)
		})
	case failed:
		err = s.fail(ctx, o)
	}
	if err != nil {
		// The row stays claimed until its lease runs out, then is tried again.
		s.log.Error("record send outcome", "id", o.msg.ID, "chat", o.msg.ChatID, "err", err)
	}
}

// markSent records a delivered message. Until it is recorded the message
// would be sent again once its claim expires, so a failing write is
// retried for recordBudget, then reported as loudly as the sender can.
func (s *Sender) markSent(ctx context.Context, o outcome) {
	mark := func(ctx context.Context) error {
		return s.store.MarkSent(ctx, o.msg.ID, o.v.messageID, o.doneAt)
	}
	err := s.write(ctx, mark)
	for wait := time.Second; err != nil && !errors.Is(err, models.ErrNotFound) && wait < recordBudget; wait *= 2 {
		_ = s.clock.Sleep(context.WithoutCancel(ctx), wait)
		err = s.write(ctx, mark)
	}
	if err != nil {
		s.log.Error("DELIVERED BUT NOT RECORDED: the message will be sent again when its claim expires",
			"id", o.msg.ID, "chat", o.msg.ChatID, "message_id", o.v.messageID,
			"claimed_until", o.msg.ClaimedUntil, "err", err)
	}
}

// fail gives the message up and, when its chat cannot be reached, tells
// the coordinators.
func (s *Sender) fail(ctx context.Context, o outcome) error {
	log := s.log.Error // a bad request is a bug in whoever wrote the message
	if o.v.unreachable != "" {
		log = s.log.Warn
	}
	log("message given up", "id", o.msg.ID, "chat", o.msg.ChatID, "attempts", o.msg.Attempts+1, "err", o.v.reason)
	err := s.write(ctx, func(ctx context.Context) error {
		return s.store.MarkFailed(ctx, o.msg.ID, o.v.reason)
	})
	if err != nil || o.v.unreachable == "" {
		return err
	}
	return s.write(ctx, func(ctx context.Context) error {
		return s.tellCoordinators(ctx, o.msg, o.v.unreachable)
	})
}

// giveBack returns a claimed message, unsent, to the outbox.
func (s *Sender) giveBack(ctx context.Context, m models.Outbox, notBefore time.Time) {
	err := s.write(ctx, func(ctx context.Context) error {
		return s.store.DeferOutbox(ctx, m.ID, notBefore)
	})
	if err != nil {
		s.log.Error("give message back", "id", m.ID, "chat", m.ChatID, "err", err)
	}
}

// write runs one store write under a detached context.
func (s *Sender) write(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := detached(ctx)
	defer cancel()
	return fn(ctx)
}
