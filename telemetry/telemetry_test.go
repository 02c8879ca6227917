package telemetry_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/telemetry"
)

const token = "123456:SECRET-token"

// Bot API calls through the transport are timed by method, failures
// counted by status, and the token in the path never becomes a label.
func TestTransportCountsCallsByMethod(t *testing.T) {
	status := http.StatusOK
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, `{"ok":true,"result":true}`)
	}))
	defer api.Close()
	m := telemetry.New(nil, time.Now)
	client := &http.Client{Transport: m.Transport(http.DefaultTransport)}
	call := func(method string) {
		resp, err := client.Get(api.URL + "/bot" + token + "/" + method)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if m.TelegramReachable() {
		t.Error("reachable before any request")
	}
	call("sendMessage")
	call("sendMessage")
	status = http.StatusTooManyRequests
	call("sendMessage")
	if !m.TelegramReachable() {
		t.Error("a 429 is an answer: Telegram is reachable")
	}
	status = http.StatusBadGateway
	call("getUpdates")
	if m.TelegramReachable() {
		t.Error("reachable after a 502")
	}
	out := scrape(t, telemetry.Handler(m, nil))
	for _, want := range []string{
		`duban_telegram_request_seconds_count{method="sendMessage"} 3`,
		`duban_telegram_errors_total{code="429",method="sendMessage"} 1`,
		`duban_telegram_errors_total{code="502",method="getUpdates"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(out, "SECRET") {
		t.Error("the token is in the metrics")
	}
	// A request that never reached anything: the network is down.
	client.Get("http://127.0.0.1:1/bot" + token + "/getMe")
	if out := scrape(t, telemetry.Handler(m, nil)); !strings.Contains(out, `duban_telegram_errors_total{code="network",method="getMe"} 1`) {
		t.Error("a network failure of getMe is not counted")
	}
}

// /readyz is 503, naming what failed, until every check holds and Telegram
// answered; /healthz answers regardless.
func TestReadyz(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer api.Close()
	m := telemetry.New(nil, time.Now)
	dbErr := errors.New("database is closed")
	h := telemetry.Handler(m, map[string]telemetry.Check{"database": func(context.Context) error { return dbErr }})
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "database is closed") || !strings.Contains(body, "telegram") {
		t.Errorf("/readyz = %d %q", code, body)
	}
	dbErr = nil
	resp, err := (&http.Client{Transport: m.Transport(http.DefaultTransport)}).Get(api.URL + "/botX/getMe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := get(t, h, "/readyz"); code != 200 {
		t.Errorf("/readyz with everything up = %d %q", code, body)
	}
	if code, _ := get(t, h, "/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
}

// The outbox gauges are read at scrape time.
func TestBacklogGauges(t *testing.T) {
	now := time.Date(2022, 5, 20, 10, 0, 0, 0, time.UTC)
	m := telemetry.New(func(context.Context) (int64, time.Time, error) {
		return 7, now.Add(-90 * time.Second), nil
	}, func() time.Time { return now })
	out := scrape(t, telemetry.Handler(m, nil))
	for _, want := range []string{"duban_outbox_depth 7", "duban_outbox_oldest_pending_age_seconds 90"} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	code, body := get(t, h, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	return body
}
