package telegramtest

import (
	"context"
	"fmt"
)

// WaitConfirmed blocks until a getUpdates offset has confirmed the update
// id (and every one below it): from then on Telegram would never deliver
// it again, so a bot that has not stored it has lost it.
func (s *Server) WaitConfirmed(ctx context.Context, id int64) error {
	for {
		s.mu.Lock()
		done, changed := s.confirmed >= id, s.changed
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("telegramtest: wait for update %d to be confirmed: %w", id, ctx.Err())
		case <-s.done:
			return ErrClosed
		}
	}
}

// Pending is how many pushed updates no getUpdates offset has confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}
