package delivery

import (
	"context"
	"sync"
	"time"
)

// busyRecheck is how soon the pump looks again at a chat that another
// sender (the bot answering its user) is writing to.
const busyRecheck = 50 * time.Millisecond

// ChatPacer keeps Telegram's one message a second per chat across every
// sender of the process: the outbox's pump and the bot's interactive
// replies. Without it a reminder and a reply to the same contact less than
// a second apart got a 429. It is safe for concurrent use.
//
// Like the limiter, it counts from when a send was answered, and lets one
// message to a chat be in flight at a time.
type ChatPacer struct {
	clock    Clock
	interval time.Duration

	mu      sync.Mutex
	chats   map[int64]*pace
	changed chan struct{} // closed and replaced on every release
}

type pace struct {
	busy bool
	next time.Time // earliest start of the next message
}

// NewChatPacer returns a pacer on clock allowing one message per interval
// to a chat (Telegram's 1 s when interval is 0).
func NewChatPacer(clock Clock, interval time.Duration) *ChatPacer {
	if clock == nil {
		clock = wallClock{}
	}
	if interval <= 0 {
		interval = time.Second
	}
	return &ChatPacer{clock: clock, interval: interval, chats: map[int64]*pace{}, changed: make(chan struct{})}
}

// Take waits until chat may get a message and marks one in flight; call
// Release when Telegram answered. It returns ctx.Err() when ctx ends first.
func (p *ChatPacer) Take(ctx context.Context, chat int64) error {
	for {
		p.mu.Lock()
		c := p.chat(chat)
		now := p.clock.Now()
		if !c.busy && !c.next.After(now) {
			c.busy = true
			p.mu.Unlock()
			return nil
		}
		busy, wait, changed := c.busy, c.next.Sub(now), p.changed
		p.mu.Unlock()
		if !busy {
			if err := p.clock.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release ends the send to chat that Take began, answered now; retryAfter
// is Telegram's retry_after after a 429, else 0.
func (p *ChatPacer) Release(chat int64, retryAfter time.Duration) {
	p.releaseAt(chat, p.clock.Now(), retryAfter)
}

// ready returns when chat may get its next message; a chat with a message
// in flight is looked at again after busyRecheck.
func (p *ChatPacer) ready(chat int64, now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chats[chat]
	switch {
	case c == nil:
		return time.Time{}
	case c.busy:
		return now.Add(busyRecheck)
	}
	return c.next
}

// tryTake marks a send to chat started at now, unless the chat is busy or
// not ready by then.
func (p *ChatPacer) tryTake(chat int64, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chat(chat)
	if c.busy || c.next.After(now) {
		return false
	}
	c.busy = true
	return true
}

func (p *ChatPacer) releaseAt(chat int64, doneAt time.Time, retryAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chat(chat)
	c.busy = false
	c.next = latest(c.next, doneAt.Add(max(p.interval, retryAfter)))
	p.forget(doneAt)
	close(p.changed)
	p.changed = make(chan struct{})
}

// forget drops chats whose pace no longer matters, once there are many.
func (p *ChatPacer) forget(now time.Time) {
	if len(p.chats) < 1024 {
		return
	}
	for id, c := range p.chats {
		if !c.busy && !c.next.After(now) {
			delete(p.chats, id)
		}
	}
}

func (p *ChatPacer) chat(id int64) *pace {
	c := p.chats[id]
	if c == nil {
		c = &pace{}
		p.chats[id] = c
	}
	return c
}
