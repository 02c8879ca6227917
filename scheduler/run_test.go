package scheduler

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

// panicOnce is a renderer whose first reminder panics.
type panicOnce struct {
	PlainRenderer
	panicked atomic.Bool
}

func (p *panicOnce) RenderReminder(r Reminder) Message {
	if p.panicked.CompareAndSwap(false, true) {
		panic("renderer broke")
	}
	return p.PlainRenderer.RenderReminder(r)
}

// The runner's tick job, as cron runs it every minute: a tick that panics
// is logged, writes nothing, and the next tick works.
func TestPanickingTickIsRecoveredAndTheNextTickWorks(t *testing.T) {
	w := newWorld(t)
	w.bind(1001, "Wang", models.RoleContact, fgw)
	w.clk.Set(w.at("2022-05-18 09:00"))
	var log bufLog
	s := w.scheduler(nil, &panicOnce{}, withGroup(0), withLog(log.logger()))
	_, job, err := s.ticker(w.ctx)
	if err != nil {
		t.Fatal(err)
	}

	job.Run()
	for _, want := range []string{"level=ERROR", "cron panic", "renderer broke", "stack="} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the panic's log lacks %q:\n%s", want, log.String())
		}
	}
	if n, o := len(w.notices()), len(w.outbox()); n != 0 || o != 0 {
		t.Fatalf("the panicking tick left %d notices and %d messages, want none", n, o)
	}

	w.clk.Set(w.at("2022-05-18 09:01"))
	job.Run()
	diffSent(t, w.sentLog(nil), []sent{{fgw, "blue", 1001, "2022-05-18 09:01"}})
	if strings.Contains(log.String(), "skipped") {
		t.Errorf("a tick was skipped after the panic:\n%s", log.String())
	}
}

// Run catches up at once, before the first minute comes round: blue was
// due yesterday. OnIssued wakes the sender, here by stopping Run.
func TestRunCatchesUpAtStartAndWakesTheSender(t *testing.T) {
	w := newWorld(t)
	w.bind(1001, "Wang", models.RoleContact, fgw)
	w.clk.Set(w.at("2022-05-19 10:00"))
	ctx, cancel := context.WithTimeout(w.ctx, time.Minute) // a safety net, not a timing rule
	defer cancel()
	var woken atomic.Int32
	s := w.scheduler(nil, nil, withGroup(0), func(o *Options) {
		o.OnIssued = func() { woken.Add(1); cancel() }
	})
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != context.Canceled {
		t.Fatalf("Run returned on %v, not when OnIssued stopped it", ctx.Err())
	}
	if woken.Load() != 1 {
		t.Errorf("OnIssued called %d times, want 1", woken.Load())
	}
	diffSent(t, w.sentLog(nil), []sent{{fgw, "blue", 1001, "2022-05-19 10:00"}})
}

// OnIssued fires after the ticks that wrote messages, and only after them.
func TestOnIssuedFiresOnlyWhenMessagesWereWritten(t *testing.T) {
	w := newWorld(t)
	w.bind(1001, "Wang", models.RoleContact, fgw)
	var woken atomic.Int32
	s := w.scheduler(nil, nil, func(o *Options) { o.OnIssued = func() { woken.Add(1) } })
	for _, c := range []struct {
		at    string
		woken int32
	}{
		{"2022-05-15 12:00", 0}, // Sunday
		{"2022-05-16 08:59", 0},
		{"2022-05-16 09:00", 1}, // the digest
		{"2022-05-16 09:01", 1},
		{"2022-05-18 09:00", 2}, // blue
		{"2022-05-18 09:01", 2},
	} {
		w.tickAt(w.at(c.at), s)
		if got := woken.Load(); got != c.woken {
			t.Errorf("after the tick at %s OnIssued was called %d times, want %d", c.at, got, c.woken)
		}
	}
}
