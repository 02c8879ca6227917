package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
)

const (
	defaultUpdatesLimit = 100
	maxPollTimeout      = 50 * time.Second // Telegram's cap on long-poll timeouts
)

// Push queues an update for getUpdates and wakes a pending long poll. An
// update_id of 0 is replaced by the next free id; the id is returned.
func (s *Server) Push(u tgmodels.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.ID = s.updateIDLocked(u.ID)
	s.updates = append(s.updates, u)
	s.notifyLocked()
	return u.ID
}

// updateIDLocked returns id, or the next free update id when id is 0, and
// keeps the counter ahead of every id seen.
func (s *Server) updateIDLocked(id int64) int64 {
	if id == 0 {
		id = s.lastUpdate + 1
	}
	s.lastUpdate = max(s.lastUpdate, id)
	return id
}

// getUpdates answers queued updates with update_id >= offset, confirming
// (forgetting) the lower ones. With nothing queued it waits up to timeout
// seconds of real time (not the injected clock, which a test may never
// advance), returning early on Push, on the client going away, or on Close.
func (s *Server) getUpdates(ctx context.Context, call Call) (any, *apiError) {
	offset, limit, timeout, apiErr := readPollParams(call)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	apiErr = s.faults.inject(call)
	if apiErr == nil && s.webhook.URL != "" {
		apiErr = &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.mu.Unlock()
	if apiErr != nil {
		return nil, apiErr
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	s.countPoll(+1)
	defer s.countPoll(-1)
	for {
		batch, changed := s.pendingUpdates(offset, limit)
		if len(batch) > 0 || timeout <= 0 {
			return batch, nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return batch, nil
		case <-ctx.Done():
			return batch, nil
		case <-s.done:
			return batch, nil
		}
	}
}

func readPollParams(call Call) (offset int64, limit int, timeout time.Duration, apiErr *apiError) {
	off, apiErr := formInt(call.Form, "offset")
	if apiErr != nil {
		return 0, 0, 0, apiErr
	}
	limit, apiErr = formInt(call.Form, "limit")
	if apiErr != nil {
		return 0, 0, 0, apiErr
	}
	if limit <= 0 || limit > defaultUpdatesLimit {
		limit = defaultUpdatesLimit
	}
	seconds, apiErr := formInt(call.Form, "timeout")
	if apiErr != nil {
		return 0, 0, 0, apiErr
	}
	return int64(off), limit, min(time.Duration(seconds)*time.Second, maxPollTimeout), nil
}

// pendingUpdates confirms updates below offset and returns up to limit of
// the rest, plus the channel that closes at the next change.
func (s *Server) pendingUpdates(offset int64, limit int) ([]tgmodels.Update, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.confirmLocked(offset)
	batch := make([]tgmodels.Update, 0, min(limit, len(s.updates)))
	for _, u := range s.updates {
		if len(batch) == limit {
			break
		}
		if u.ID >= offset {
			batch = append(batch, u)
		}
	}
	return batch, s.changed
}

// confirmLocked forgets updates as Telegram does: a positive offset confirms
// every update below it; a negative offset keeps only the last -offset.
func (s *Server) confirmLocked(offset int64) {
	if offset < 0 {
		keep := int(min(-offset, int64(len(s.updates))))
		s.updates = s.updates[len(s.updates)-keep:]
		return
	}
	kept := s.updates[:0]
	for _, u := range s.updates {
		if u.ID >= offset {
			kept = append(kept, u)
		}
	}
	s.updates = kept
	if offset-1 > s.confirmed {
		s.confirmed = offset - 1
		s.notifyLocked()
	}
}

// countPoll tracks getUpdates requests in progress, for WaitPolling.
func (s *Server) countPoll(delta int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls += delta
	s.notifyLocked()
}

// WaitPolling blocks until a getUpdates request is in progress (typically a
// long poll waiting for updates), so a test knows the bot's poll loop is up.
// A long poll is recorded in Calls only when it returns, hence this method.
func (s *Server) WaitPolling(ctx context.Context) error {
	for {
		s.mu.Lock()
		polling, changed := s.polls > 0, s.changed
		s.mu.Unlock()
		if polling {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("telegramtest: wait for polling: %w", ctx.Err())
		case <-s.done:
			return ErrClosed
		}
	}
}

// RestartUpdateIDs makes the next generated update_id next, as Telegram
// does after a week without updates or for a new token.
func (s *Server) RestartUpdateIDs(next int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdate = next - 1
}
