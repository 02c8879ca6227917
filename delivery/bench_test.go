package delivery_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// ceiling is Telegram's global limit, in messages a second.
const ceiling = 30

// BenchmarkFanOut10k sends 10,000 reminders to 10,000 distinct chats
// through the real limiter, against a fake Bot API that enforces
// Telegram's flood limits (429 over them). The clock is virtual: requests
// take no time on it, so msgs/s is the pace the limiter keeps, in the
// clock's seconds, measured on the server's log of accepted messages.
//
//	go test -run '^$' -bench FanOut10k -benchtime 1x ./delivery/
func BenchmarkFanOut10k(b *testing.B) {
	const n = 10_000
	for _, inflight := range []int{1, ceiling} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			var rate float64
			var limited int
			for range b.N {
				b.StopTimer()
				e := newEnv(b, telegramtest.WithTelegramLimits())
				e.enqueue(reminders(chatRange(100_000, n), 1)...)
				s := e.sender(delivery.Options{Concurrency: inflight})
				b.StartTimer()

				st, err := s.Drain(e.ctx)
				if err != nil || st.Sent != n {
					b.Fatalf("drain sent %d of %d: %v", st.Sent, n, err)
				}
				rate, limited = fanOutRate(b, e)
			}
			b.ReportMetric(rate, "msgs/s")
			b.ReportMetric(100*rate/ceiling, "pct_of_ceiling")
			b.ReportMetric(float64(limited), "429s")
		})
	}
}

// fanOutRate is the pace of the accepted messages on the server's clock,
// and how many requests were answered 429.
func fanOutRate(b *testing.B, e *env) (float64, int) {
	b.Helper()
	ok := e.sendCalls(http.StatusOK)
	span := ok[len(ok)-1].At.Sub(ok[0].At).Seconds()
	if span <= 0 {
		b.Fatalf("%d messages within %vs", len(ok), span)
	}
	for _, r := range e.outbox() {
		if r.Status != models.OutboxSent {
			b.Fatalf("message %d is %s", r.ID, r.Status)
		}
	}
	return float64(len(ok)-1) / span, len(e.sendCalls(http.StatusTooManyRequests))
}
