package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// LeaseStore is what a sender needs to share Telegram's limits with the
// senders of other replicas: the sending lease (a job row) and the
// take-over of a dead holder's claims. models.Store is one.
type LeaseStore interface {
	ClaimJob(ctx context.Context, name, holder string, now time.Time, leaseFor time.Duration) (bool, error)
	SetJobNext(ctx context.Context, name, holder string, next time.Time) error
	TakeOverOutbox(ctx context.Context, holder string) (int64, error)
}

// sendingJob names the sending lease among the job rows.
const sendingJob = "outbox-sender"

// errLeaseLost ends a drain whose sender no longer holds the sending lease.
var errLeaseLost = errors.New("sending lease lost")

// lease is a sender's view of the sending lease; only the goroutine that
// holds Sender.mu touches it.
type lease struct {
	held    bool
	renewed time.Time // when the last claim or renewal was asked
	until   time.Time // renewed + Options.SendingLease
}

// checkLease rejects a lease too short for the rule mayStart applies: a
// send starts only when the lease outlasts its timeout, and a renewal is
// asked every quarter lease.
func (o Options) checkLease() error {
	if o.SendingLease == 0 {
		return nil
	}
	if o.SendTimeout >= o.SendingLease*3/4 {
		return fmt.Errorf("delivery: sending lease %v must exceed 4/3 of the send timeout %v", o.SendingLease, o.SendTimeout)
	}
	return nil
}

// lead takes or renews the sending lease when a quarter of it has passed,
// and reports whether this sender holds it. Having just taken it, the
// sender frees the claims of the previous holder at once.
func (s *Sender) lead(ctx context.Context, now time.Time) (bool, error) {
	if s.leases == nil {
		return true, nil
	}
	l := &s.lease
	if l.held && now.Sub(l.renewed) < s.opts.SendingLease/4 {
		return true, nil
	}
	ok, err := s.leases.ClaimJob(ctx, sendingJob, s.opts.Holder, now, s.opts.SendingLease)
	if err != nil || !ok {
		if l.held {
			s.log.Warn("sending lease lost", "err", err)
		}
		l.held = false
		return false, err
	}
	if !l.held {
		n, err := s.leases.TakeOverOutbox(ctx, s.opts.Holder)
		if err != nil {
			return false, err
		}
		s.log.Info("took the sending lease", "taken_over", n)
	}
	*l = lease{held: true, renewed: now, until: now.Add(s.opts.SendingLease)}
	return true, nil
}

// mayStart reports whether a send may start now: without a sending lease
// always; with one, only when the lease (renewed here when due) lasts
// beyond the send's timeout, so no send of this sender is still open when
// another sender takes over.
func (s *Sender) mayStart(ctx context.Context, now time.Time) error {
	if s.leases == nil {
		return nil
	}
	held, err := s.lead(ctx, now)
	switch {
	case err != nil:
		return fmt.Errorf("renew sending lease: %w", err)
	case !held || now.Add(s.opts.SendTimeout).After(s.lease.until):
		return errLeaseLost
	}
	return nil
}

// resign gives the sending lease up at shutdown, so another replica's
// sender takes over at its next look instead of after the lease.
func (s *Sender) resign(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.leases == nil || !s.lease.held {
		return
	}
	s.lease.held = false
	err := s.write(ctx, func(ctx context.Context) error {
		return s.leases.SetJobNext(ctx, sendingJob, s.opts.Holder, time.Time{})
	})
	if err != nil {
		s.log.Warn("give up sending lease", "err", err)
	}
}
