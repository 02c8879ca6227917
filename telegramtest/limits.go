package telegramtest

import "time"

// Telegram's flood limits as its FAQ states them; the real ones are not
// published exactly and vary, so these are a plausible stand-in.
const (
	chatInterval = time.Second // between two messages to one chat
	groupWindow  = time.Minute
	groupLimit   = 20 // messages per groupWindow to one group
	globalWindow = time.Second
	globalLimit  = 30 // messages per globalWindow across all chats
)

// floodCounted reports whether method counts against the flood limits.
// Edits are left out so an interactive test can send and edit at one instant.
func floodCounted(method string) bool {
	switch method {
	case "sendMessage", "sendDocument", "sendPhoto":
		return true
	}
	return false
}

// floodLimiter tracks accepted sends; guarded by Server.mu.
type floodLimiter struct {
	perChat map[int64][]time.Time // accepted sends within groupWindow, oldest first
	global  []time.Time           // accepted sends within globalWindow, oldest first
}

func newFloodLimiter() *floodLimiter {
	return &floodLimiter{perChat: map[int64][]time.Time{}}
}

// admit returns a 429 when a send to chatID at `at` would exceed a limit;
// retry_after is the longest wait among the limits exceeded.
func (l *floodLimiter) admit(chatID int64, at time.Time) *apiError {
	l.prune(chatID, at)
	var wait time.Duration
	sends := l.perChat[chatID]
	if n := len(sends); n > 0 {
		wait = max(wait, sends[n-1].Add(chatInterval).Sub(at))
	}
	if chatID < 0 && len(sends) >= groupLimit {
		wait = max(wait, sends[len(sends)-groupLimit].Add(groupWindow).Sub(at))
	}
	if len(l.global) >= globalLimit {
		wait = max(wait, l.global[len(l.global)-globalLimit].Add(globalWindow).Sub(at))
	}
	if wait <= 0 {
		return nil
	}
	return errTooManyRequests(ceilSeconds(wait))
}

// record counts an accepted send.
func (l *floodLimiter) record(chatID int64, at time.Time) {
	l.perChat[chatID] = append(l.perChat[chatID], at)
	l.global = append(l.global, at)
}

// prune forgets sends that no longer count at `at`.
func (l *floodLimiter) prune(chatID int64, at time.Time) {
	l.global = since(l.global, at.Add(-globalWindow))
	if sends := since(l.perChat[chatID], at.Add(-groupWindow)); len(sends) > 0 {
		l.perChat[chatID] = sends
	} else {
		delete(l.perChat, chatID)
	}
}

// since drops the times at or before cutoff from the sorted slice ts.
func since(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

// ceilSeconds rounds a positive wait up to whole seconds, at least 1.
func ceilSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}
