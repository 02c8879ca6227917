package telegramtest

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Replies signals, per chat, every message a bot sends or edits there, so
// that a load test can wait for the bot's answer to each update: in a
// dialog, and for an echo bot, every update is answered by exactly one.
type Replies struct {
	mu sync.Mutex
	ch map[int64]chan struct{}
}

// NewReplies watches srv's sendMessage and editMessageText calls to chats.
func NewReplies(srv *Server, chats []int64) *Replies {
	r := &Replies{ch: map[int64]chan struct{}{}}
	for _, c := range chats {
		r.ch[c] = make(chan struct{}, 16)
	}
	srv.OnCall(func(c Call) {
		if c.Method != "sendMessage" && c.Method != "editMessageText" {
			return
		}
		chat, err := strconv.ParseInt(c.Form.Get("chat_id"), 10, 64)
		if err != nil {
			return
		}
		r.mu.Lock()
		ch := r.ch[chat]
		r.mu.Unlock()
		if ch != nil {
			ch <- struct{}{}
		}
	})
	return r
}

// Wait waits for the next reply in chat, at most timeout.
func (r *Replies) Wait(ctx context.Context, chat int64, timeout time.Duration) error {
	r.mu.Lock()
	ch := r.ch[chat]
	r.mu.Unlock()
	if ch == nil {
		return fmt.Errorf("chat %d is not watched", chat)
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(timeout):
		return fmt.Errorf("no reply in chat %d within %s", chat, timeout)
	}
}
