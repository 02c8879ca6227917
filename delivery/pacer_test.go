package delivery

import (
	"context"
	"testing"
	"time"
)

// stepClock is a Clock whose Sleep moves the time on at once.
type stepClock struct{ t time.Time }

func (c *stepClock) Now() time.Time { return c.t }

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return ctx.Err()
}

// The bot's reply and the pump's reminder to one chat: while one is in
// flight the other waits for it, then a second more.
func TestPacerHoldsAChatForWhoeverSends(t *testing.T) {
	clk := &stepClock{t: t0}
	p := NewChatPacer(clk, 0)
	if err := p.Take(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	if p.tryTake(7, clk.t) {
		t.Fatal("the pump took a chat the bot is sending to")
	}
	if got := p.ready(7, clk.t); !got.Equal(t0.Add(busyRecheck)) {
		t.Errorf("a busy chat is looked at again at %v, want after %v", got.Sub(t0), busyRecheck)
	}
	clk.t = t0.Add(300 * time.Millisecond)
	p.Release(7, 0)
	if p.tryTake(7, clk.t) {
		t.Fatal("the pump sent within a second of the reply")
	}
	if got := p.ready(7, clk.t); !got.Equal(t0.Add(1300 * time.Millisecond)) {
		t.Errorf("ready at %v, want 1.3s", got.Sub(t0))
	}
	if !p.tryTake(7, t0.Add(1300*time.Millisecond)) {
		t.Fatal("the pump could not send a second after the reply")
	}
	p.releaseAt(7, t0.Add(1400*time.Millisecond), 3*time.Second)
	if err := p.Take(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(4400 * time.Millisecond); !clk.t.Equal(want) {
		t.Errorf("after a 429 with retry_after 3 s the reply went at %v, want %v", clk.t.Sub(t0), want.Sub(t0))
	}
}

// Take gives up when the user's context ends while another send holds the chat.
func TestPacerTakeEndsWithItsContext(t *testing.T) {
	p := NewChatPacer(&stepClock{t: t0}, 0)
	if err := p.Take(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Take(ctx, 7); err == nil {
		t.Fatal("Take returned nil for a cancelled wait on a busy chat")
	}
}
