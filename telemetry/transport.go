package telemetry

import (
	"context"
	"errors"
	"net/http"
	"path"
	"strconv"
	"sync/atomic"
	"time"
)

// reachability remembers whether Telegram answered the last request.
type reachability struct {
	tried, ok atomic.Bool
}

func (r *reachability) record(ok bool) {
	r.ok.Store(ok)
	r.tried.Store(true)
}

// TelegramReachable reports whether the Bot API answered the last request
// (with any status below 500); false before the first request.
func (m *Metrics) TelegramReachable() bool {
	return m.telegramUp.tried.Load() && m.telegramUp.ok.Load()
}

// Transport wraps the Bot API client's transport: it times every request
// by method (the last element of the URL path, so the token in the path
// never becomes a label), counts failures and remembers whether Telegram
// was reachable.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	return &apiTransport{next: next, m: m}
}

type apiTransport struct {
	next http.RoundTripper
	m    *Metrics
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := path.Base(req.URL.Path)
	start := time.Now() // a latency is wall time, whatever the bot's clock says
	resp, err := t.next.RoundTrip(req)
	t.m.apiCalls.WithLabelValues(method).Observe(time.Since(start).Seconds())
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		// Shutdown cancelled a long poll: nothing is known about Telegram.
	case err != nil:
		t.m.apiErrors.WithLabelValues(method, "network").Inc()
		t.m.telegramUp.record(false)
	default:
		if resp.StatusCode >= 400 {
			t.m.apiErrors.WithLabelValues(method, strconv.Itoa(resp.StatusCode)).Inc()
		}
		t.m.telegramUp.record(resp.StatusCode < 500)
	}
	return resp, err
}
