package delivery_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/telegramtest"
)

type timing struct {
	api   delivery.API
	total atomic.Int64
	n     atomic.Int64
}

func (t *timing) SendMessage(ctx context.Context, p *bot.SendMessageParams) (*tgmodels.Message, error) {
	s := time.Now()
	defer func() { t.total.Add(int64(time.Since(s))); t.n.Add(1) }()
	return t.api.SendMessage(ctx, p)
}

func BenchmarkZZ(b *testing.B) {
	for _, k := range []float64{5, 10, 20} {
		e := newEnvOn(b, scaledClock{time.Now(), k}, telegramtest.WithTelegramLimits())
		e.enqueue(reminders(chatRange(100_000, 3000), 1)...)
		tm := &timing{api: e.api}
		e.api = tm
		s := e.sender(delivery.Options{})
		start := time.Now()
		rate, _ := fanOutOnceN(b, e, s)
		b.Logf("k=%v rate %.2f avg api %v wall %v", k, rate, time.Duration(tm.total.Load()/tm.n.Load()), time.Since(start))
	}
}

func fanOutOnceN(b *testing.B, e *env, s *delivery.Sender) (float64, int) {
	if _, err := s.Drain(e.ctx); err != nil {
		b.Fatal(err)
	}
	return fanOutRate(b, e)
}
