package delivery_test

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// ceiling is Telegram's global limit, in messages a second.
const ceiling = 30

// BenchmarkFanOut10k sends reminders to distinct chats through the real
// limiter, against a fake Bot API that enforces Telegram's flood limits
// (429 over them), and reports the pace of the accepted messages on the
// server's clock against the 30/s ceiling, and the 429s.
//
//   - virtual: 10,000 chats; requests take no time on the clock (one in
//     flight at a time, see virtualClock), so msgs/s is the pace the
//     limiter plans;
//
//   - scaled20x: 10,000 chats; the clock runs 20× real time and 30
//     requests may be in flight, so real round trips, database writes and
//     timer lateness (all 20× longer on the clock) count against the pace;
//
//   - rtt100ms: 3,000 chats (a yellow rung) in real time, every request
//     taking 50 ms to reach the fake and 50 ms to come back. Counting a
//     global slot from the answer capped this at 30/1.1 (90%); it fails
//     on any 429;
//
//   - rtt60to140ms: the same with 30–70 ms each way, drawn at random, so
//     that messages arrive out of the order they were sent in: the
//     margin must hold, and the spread of round trips costs pace.
//
//     go test -run '^$' -bench FanOut10k -benchtime 1x ./delivery/
func BenchmarkFanOut10k(b *testing.B) {
	cases := []struct {
		name     string
		chats    int
		env      func(b *testing.B) *env
		inflight int
		no429    bool
	}{
		{"virtual", fanOut, func(b *testing.B) *env { return newEnv(b, telegramtest.WithTelegramLimits()) }, 1, false},
		{"scaled20x", fanOut, func(b *testing.B) *env {
			return newEnvOn(b, scaledClock{time.Now(), 20}, telegramtest.WithTelegramLimits())
		}, ceiling, false},
		{"rtt100ms", 3000, func(b *testing.B) *env {
			return newEnvOn(b, delivery.WallClock(nil), telegramtest.WithTelegramLimits(), telegramtest.WithLatency(eachWay(50*time.Millisecond, 0)))
		}, ceiling, true},
		{"rtt60to140ms", 3000, func(b *testing.B) *env {
			return newEnvOn(b, delivery.WallClock(nil), telegramtest.WithTelegramLimits(), telegramtest.WithLatency(eachWay(30*time.Millisecond, 40*time.Millisecond)))
		}, ceiling, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var rate float64
			var limited int
			for range b.N {
				b.StopTimer()
				e := c.env(b)
				e.enqueue(reminders(chatRange(100_000, c.chats), 1)...)
				s := e.sender(delivery.Options{Concurrency: c.inflight})
				b.StartTimer()
				rate, limited = fanOutOnce(b, e, s, c.chats)
				if c.no429 && limited > 0 {
					b.Errorf("%d × 429", limited)
				}
			}
			b.ReportMetric(rate, "msgs/s")
			b.ReportMetric(100*rate/ceiling, "pct_of_ceiling")
			b.ReportMetric(float64(limited), "429s")
		})
	}
}

const fanOut = 10_000

// eachWay is a network whose every request and every answer takes least
// plus up to spread (uniformly, each drawn on its own).
func eachWay(least, spread time.Duration) func(string) (time.Duration, time.Duration) {
	draw := func() time.Duration {
		if spread <= 0 {
			return least
		}
		return least + rand.N(spread)
	}
	return func(string) (time.Duration, time.Duration) { return draw(), draw() }
}

func fanOutOnce(b *testing.B, e *env, s *delivery.Sender, n int) (float64, int) {
	st, err := s.Drain(e.ctx)
	if err != nil || st.Sent != n {
		b.Fatalf("drain sent %d of %d: %v", st.Sent, n, err)
	}
	return fanOutRate(b, e)
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
