package delivery

import (
	"slices"
	"time"
)

// Telegram's windows; the counts in them are Limits.
const (
	globalWindow = time.Second
	groupWindow  = time.Minute
)

// Limits are Telegram's flood limits as its FAQ states them.
type Limits struct {
	// PerSecond is how many messages all chats together may get in any
	// rolling second (30).
	PerSecond int
	// ChatInterval is the least time between two messages to one chat (1s).
	ChatInterval time.Duration
	// GroupPerMinute is how many messages one group chat (negative id) may
	// get in any rolling minute (20).
	GroupPerMinute int
	// Jitter is how much the time a request takes to reach Telegram may
	// vary from one request to the next (default 25 ms). A global slot is
	// counted as used from when the answer came back, less the fastest
	// recent round trip, plus Jitter; see limiter.
	Jitter time.Duration
}

// withDefaults fills the zero fields with Telegram's limits.
func (l Limits) withDefaults() Limits {
	if l.PerSecond <= 0 {
		l.PerSecond = 30
	}
	if l.ChatInterval <= 0 {
		l.ChatInterval = time.Second
	}
	if l.GroupPerMinute <= 0 {
		l.GroupPerMinute = 20
	}
	if l.Jitter <= 0 {
		l.Jitter = 25 * time.Millisecond
	}
	return l
}

// limiter decides when the next message may start. It is not safe for
// concurrent use: only the pump goroutine touches it.
//
// Telegram stamps a message when it arrives: after we started it, before
// its answer came back, at a point we cannot see. Counting a quota from
// the answer is always safe, but then a global slot is held for the round
// trip plus a second, and with a round trip of r seconds the sender
// reaches only PerSecond/(1+r) messages a second (90% at 100 ms). So a
// global slot is counted from the answer *less the fastest recent round
// trip plus Jitter*: the answer needs at least about the fastest round
// trip to come back, so the message arrived at least that long before it,
// give or take how much the requests' way there varies. With steady round
// trips this is a second plus Jitter after the send (97.5% of the limit);
// with wildly varying ones, the fastest trip is short next to them and
// the slot is counted from the answer again. A 429 means Telegram counted
// differently: the margin doubles (up to the whole window, i.e. from the
// answer) and halves back each minute without one.
//
// The per-chat and per-group quotas stay counted from the answer: they
// hold a chat, not the whole sender, so the round trip costs little there.
type limiter struct {
	lim    Limits
	free   []time.Time // global slots not in flight: when each may be used again
	tat    time.Time   // when the next send is due to keep sends evenly spread
	paused time.Time   // no send starts before this (after a 429)
	chats  map[int64]*chatQuota
	// shared, when set, holds each chat's pace across the other senders
	// of the process (the bot's replies).
	shared *ChatPacer

	trips  [rttSamples]time.Duration // the latest round trips, a ring
	nTrips int                       // round trips seen, to index the ring
	margin time.Duration             // Jitter, raised after a 429
	raised time.Time                 // when margin last changed
}

// rttSamples is how many round trips the fastest one is taken from: about
// a second of sending at the limit.
const rttSamples = 32

// chatQuota is what the limiter remembers about one chat.
type chatQuota struct {
	busy   bool        // a message to the chat is in flight
	next   time.Time   // earliest start of the next message
	recent []time.Time // group chats: completions within groupWindow, oldest first
}

func newLimiter(l Limits, shared *ChatPacer) *limiter {
	return &limiter{
		lim: l, free: make([]time.Time, l.PerSecond), chats: map[int64]*chatQuota{}, shared: shared,
		margin: l.Jitter,
	}
}

// spacing is the even gap between two sends that the global limit allows.
func (l *limiter) spacing() time.Duration { return globalWindow / time.Duration(l.lim.PerSecond) }

// slotReady returns when the next send may start as far as the global
// limit is concerned; ok is false while every slot is in flight.
func (l *limiter) slotReady() (at time.Time, ok bool) {
	if len(l.free) == 0 {
		return time.Time{}, false
	}
	at = slices.MinFunc(l.free, time.Time.Compare)
	// One spacing of slack: a send that started late (a timer firing late)
	// lets the next start early, so lateness does not add up. The slots,
	// not the spacing, keep the rolling second within the limit.
	return latest(at, l.tat.Add(-l.spacing()), l.paused), true
}

// chatReady returns when chat may get its next message, as of now; ok is
// false while a message of the pump to it is in flight.
func (l *limiter) chatReady(chat int64, now time.Time) (at time.Time, ok bool) {
	if l.shared != nil {
		at = l.shared.ready(chat, now)
	}
	c := l.chats[chat]
	if c == nil {
		return latest(at, l.paused), true
	}
	if c.busy {
		return time.Time{}, false
	}
	at = latest(at, c.next)
	if n := len(c.recent); chat < 0 && n >= l.lim.GroupPerMinute {
		at = latest(at, c.recent[n-l.lim.GroupPerMinute].Add(groupWindow))
	}
	return latest(at, l.paused), true
}

// take starts a send to chat at now; the caller checked both readiness.
// It returns false when another sender took the chat meanwhile.
func (l *limiter) take(chat int64, now time.Time) bool {
	if l.shared != nil && !l.shared.tryTake(chat, now) {
		return false
	}
	i := slices.IndexFunc(l.free, func(t time.Time) bool { return !t.After(now) })
	l.free = slices.Delete(l.free, i, i+1)
	l.tat = latest(l.tat, now).Add(l.spacing())
	l.chat(chat).busy = true
	return true
}

// release ends a send to chat that was started at startAt and answered at
// doneAt. retryAfter is Telegram's retry_after after a 429, else 0: the
// chat waits that long, and every chat waits up to one global window,
// since a 429 means Telegram counts differently than we do and one window
// clears any global excess without stalling all chats for a long per-chat
// penalty.
func (l *limiter) release(chat int64, startAt, doneAt time.Time, retryAfter time.Duration) {
	if l.shared != nil {
		l.shared.releaseAt(chat, doneAt, retryAfter)
	}
	l.adapt(doneAt, retryAfter > 0)
	l.free = append(l.free, doneAt.Add(globalWindow-l.credit(doneAt.Sub(startAt))))
	c := l.chat(chat)
	c.busy = false
	c.next = doneAt.Add(max(l.lim.ChatInterval, retryAfter))
	if chat < 0 {
		c.recent = append(since(c.recent, doneAt.Add(-groupWindow)), doneAt)
	}
	if retryAfter > 0 {
		l.paused = latest(l.paused, doneAt.Add(min(retryAfter, globalWindow)))
	}
}

// credit notes a round trip and returns how long before its answer the
// message can be taken to have reached Telegram: the fastest recent round
// trip less the margin, never less than nothing. Until a full set of
// round trips is known there is none: the first requests of a sender open
// connections, and a handshake delays a message's arrival, not its answer.
func (l *limiter) credit(trip time.Duration) time.Duration {
	l.trips[l.nTrips%rttSamples] = max(trip, 0)
	l.nTrips++
	if l.nTrips < rttSamples {
		return 0
	}
	return max(slices.Min(l.trips[:])-l.margin, 0)
}

// adapt doubles the margin after a 429, up to a whole window (counting
// from the answer), and halves it back towards Jitter after every minute
// without one.
func (l *limiter) adapt(now time.Time, limited bool) {
	switch {
	case limited:
		l.margin, l.raised = min(2*l.margin, globalWindow), now
	case l.margin > l.lim.Jitter && now.Sub(l.raised) >= groupWindow:
		l.margin, l.raised = max(l.margin/2, l.lim.Jitter), now
	}
}

// forget drops the chats whose quota no longer matters at now, so the map
// holds about a minute of chats, not every chat ever written to.
func (l *limiter) forget(now time.Time) {
	for id, c := range l.chats {
		if !c.busy && !c.next.After(now) && len(since(c.recent, now.Add(-groupWindow))) == 0 {
			delete(l.chats, id)
		}
	}
}

func (l *limiter) chat(id int64) *chatQuota {
	c := l.chats[id]
	if c == nil {
		c = &chatQuota{}
		l.chats[id] = c
	}
	return c
}

// since drops the times at or before cutoff from the sorted slice ts.
func since(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

func latest(t time.Time, more ...time.Time) time.Time {
	for _, u := range more {
		if u.After(t) {
			t = u
		}
	}
	return t
}
