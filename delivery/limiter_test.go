package delivery

import (
	"testing"
	"time"
)

var t0 = time.Date(2022, 5, 18, 1, 0, 0, 0, time.UTC)

// send records a send to chat that started at start and was answered at done.
func send(l *limiter, chat int64, start, done time.Time, retryAfter time.Duration) {
	l.take(chat, start)
	l.release(chat, start, done, retryAfter)
}

// steady sends n messages to distinct chats from chat on, well within the
// limit (two seconds per slot), each answered trip after it started; it
// returns when the last one started.
func steady(l *limiter, chat int64, n int, start time.Time, trip time.Duration) time.Time {
	gap := 2 * time.Second / time.Duration(l.lim.PerSecond)
	at := start
	for i := range n {
		at = start.Add(time.Duration(i) * gap)
		send(l, chat+int64(i), at, at.Add(trip), 0)
	}
	return at
}

// nextStart is when the next message to chat may start.
func nextStart(t *testing.T, l *limiter, chat int64) time.Time {
	t.Helper()
	c, ok := l.chatReady(chat, time.Time{})
	s, slot := l.slotReady()
	if !ok || !slot {
		t.Fatalf("chat %d ready %v, a slot free %v", chat, ok, slot)
	}
	return latest(c, s)
}

func TestLimiterSpacesSends(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name  string
		sends func(l *limiter)
		chat  int64
		want  time.Time
	}{
		{"a chat waits a second after its last message was answered", func(l *limiter) {
			send(l, 1, t0, t0.Add(300*ms), 0)
		}, 1, t0.Add(1300 * ms)},
		{"sends are spread evenly", func(l *limiter) {
			send(l, 1, t0, t0.Add(300*ms), 0)
			send(l, 2, t0, t0.Add(300*ms), 0)
		}, 3, t0.Add(time.Second / 30)},
		{"a send that started late lets the next start early", func(l *limiter) {
			send(l, 1, t0, t0.Add(300*ms), 0)
			send(l, 2, t0.Add(time.Second/30+10*ms), t0.Add(300*ms), 0)
		}, 3, t0.Add(time.Second/30 + 10*ms)},
		{"the 31st message waits until the first slot was free a second", func(l *limiter) {
			for i := range 30 {
				at := t0.Add(time.Duration(i) * 10 * ms)
				send(l, int64(100+i), at, at.Add(50*ms), 0)
			}
		}, 1, t0.Add(1050 * ms)},
		{"a group's 21st message waits a minute after its first was answered", func(l *limiter) {
			for i := range 20 {
				at := t0.Add(time.Duration(i) * 2 * time.Second)
				send(l, -7, at, at.Add(100*ms), 0)
			}
		}, -7, t0.Add(time.Minute + 100*ms)},
		{"a private chat has no minute limit", func(l *limiter) {
			for i := range 20 {
				at := t0.Add(time.Duration(i) * 2 * time.Second)
				send(l, 7, at, at.Add(100*ms), 0)
			}
		}, 7, t0.Add(39*time.Second + 100*ms)},
		{"after a 429 the chat waits retry_after", func(l *limiter) {
			send(l, 1, t0, t0.Add(100*ms), 5*time.Second)
		}, 1, t0.Add(5100 * ms)},
		{"after a 429 every chat waits a second", func(l *limiter) {
			send(l, 1, t0, t0.Add(100*ms), 5*time.Second)
		}, 2, t0.Add(1100 * ms)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(Limits{}.withDefaults(), nil)
			tt.sends(l)
			if got := nextStart(t, l, tt.chat); !got.Equal(tt.want) {
				t.Errorf("next start = %v, want %v", got.Sub(t0), tt.want.Sub(t0))
			}
		})
	}
}

// With steady round trips a global slot is free a second and the jitter
// margin after its send, not after its answer; until a full set of round
// trips is known (a sender's first requests open connections), or when a
// fast one shows the answers may come back at once, it is counted from
// the answer.
func TestLimiterCountsSlotsFromTheSendWhenRoundTripsAreSteady(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name  string
		sends func(l *limiter) time.Time
		want  time.Duration // after the last send started
	}{
		{"one round trip short of a full set", func(l *limiter) time.Time {
			return steady(l, 100, rttSamples-1, t0, 100*ms)
		}, 1100 * ms},
		{"a full set of steady round trips", func(l *limiter) time.Time {
			return steady(l, 100, rttSamples, t0, 100*ms)
		}, 1025 * ms},
		{"one fast round trip among slow ones", func(l *limiter) time.Time {
			send(l, 99, t0, t0.Add(ms), 0)
			return steady(l, 100, rttSamples-1, t0.Add(2*time.Second), 300*ms)
		}, 1300 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(Limits{PerSecond: 1}.withDefaults(), nil)
			last := tt.sends(l)
			if got := nextStart(t, l, 1).Sub(last); got != tt.want {
				t.Errorf("next start %v after the last send, want %v", got, tt.want)
			}
		})
	}
}

// A 429 doubles the margin; every minute without one halves it back.
func TestLimiterSlowsDownAfterA429(t *testing.T) {
	ms := time.Millisecond
	l := newLimiter(Limits{PerSecond: 1}.withDefaults(), nil)
	at := steady(l, 100, rttSamples, t0, 100*ms).Add(2 * time.Second)
	check := func(what string, want time.Duration) {
		t.Helper()
		send(l, 2, at, at.Add(100*ms), 0)
		if got := nextStart(t, l, 3).Sub(at); got != want {
			t.Errorf("%s: next start %v after the send, want %v", what, got, want)
		}
	}
	send(l, 1, at, at.Add(100*ms), time.Second)
	at = at.Add(2 * time.Second)
	check("after a 429 (margin 50 ms)", 1050*ms)
	for range 3 {
		at = at.Add(2 * time.Second)
		send(l, 1, at, at.Add(100*ms), time.Second)
	}
	at = at.Add(2 * time.Second)
	check("after four 429s (margin 400 ms, beyond the round trip)", 1100*ms)
	for _, want := range []time.Duration{1100 * ms, 1100 * ms, 1050 * ms, 1025 * ms, 1025 * ms} {
		at = at.Add(time.Minute)
		check("a minute later", want)
	}
}

func TestLimiterHoldsWhatIsInFlight(t *testing.T) {
	l := newLimiter(Limits{PerSecond: 2}.withDefaults(), nil)
	l.take(1, t0)
	if _, ok := l.chatReady(1, t0); ok {
		t.Error("a chat with a message in flight is ready")
	}
	l.take(2, t0.Add(time.Second))
	if _, ok := l.slotReady(); ok {
		t.Error("a slot is free while both are in flight")
	}
	l.release(1, t0, t0.Add(2*time.Second), 0)
	if at, ok := l.slotReady(); !ok || !at.Equal(t0.Add(3*time.Second)) {
		t.Errorf("slot ready at %v, %v; want 3s", at.Sub(t0), ok)
	}
	l.forget(t0.Add(4 * time.Second))
	if _, known := l.chats[1]; known {
		t.Error("an idle chat is still remembered")
	}
	if _, known := l.chats[2]; !known {
		t.Error("a chat in flight was forgotten")
	}
}
