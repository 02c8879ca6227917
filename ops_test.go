package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// The listener of DUBAN_METRICS_LISTEN on a real store: /readyz is 503
// until Telegram answered, 200 then, and 503 again, naming the database,
// once the database is closed.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	st, err := models.Open(filepath.Join(t.TempDir(), "duban.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{MetricsListen: "127.0.0.1:0", Now: time.Now}
	o, err := startOps(context.Background(), cfg, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer o.stop()
	readyz := func() (int, string) {
		resp, err := http.Get("http://" + o.addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := readyz(); code != 503 || !strings.Contains(body, "telegram") {
		t.Errorf("before Telegram answered: %d %q", code, body)
	}
	api := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer api.Close()
	resp, err := (&http.Client{Transport: o.metrics.Transport(http.DefaultTransport)}).Get(api.URL + "/botX/getMe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := readyz(); code != 200 {
		t.Errorf("database and Telegram up: %d %q", code, body)
	}
	st.Close()
	if code, body := readyz(); code != 503 || !strings.Contains(body, "database") {
		t.Errorf("database closed: %d %q", code, body)
	}
}

// Logs are JSON when stderr is no terminal, text when DUBAN_LOG_FORMAT
// says so; another format is a usage error.
func TestLogFormat(t *testing.T) {
	for _, tc := range []struct{ format, want string }{{"", "json"}, {"json", "json"}, {"text", "text"}} {
		var buf bytes.Buffer
		newLogger(Config{LogLevel: "info", LogFormat: tc.format}, &lockedWriter{w: &buf}).Info("hello", "n", 1)
		isJSON := json.Valid(bytes.TrimSpace(buf.Bytes()))
		if isJSON != (tc.want == "json") || tc.want == "text" && !strings.Contains(buf.String(), "msg=hello") {
			t.Errorf("DUBAN_LOG_FORMAT=%q wrote %q, want %s", tc.format, buf.String(), tc.want)
		}
	}
	_, err := loadConfig(testEnv(map[string]string{"DUBAN_LOG_FORMAT": "xml"}), "", time.Now)
	if !isUsage(err) || !strings.Contains(err.Error(), "DUBAN_LOG_FORMAT") {
		t.Errorf("DUBAN_LOG_FORMAT=xml: %v", err)
	}
}

// syncBuffer is a bytes.Buffer that serve's goroutines may write while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// `duban serve` with DUBAN_METRICS_LISTEN: after /start from a coordinator
// and a message from a stranger, /metrics shows both updates, the Bot API
// calls by method, and /readyz is 200.
func TestServeServesMetrics(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001", "DUBAN_NOW": "2022-05-20T10:00:00+08:00",
		"DUBAN_METRICS_LISTEN": "127.0.0.1:0", "DUBAN_LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &stderr) }()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	addr := listenerAddr(t, stderr.String())
	start := func(user int64, text string) {
		srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 1, Text: text,
			From: &tgmodels.User{ID: user, FirstName: "x"}, Chat: tgmodels.Chat{ID: user, Type: tgmodels.ChatTypePrivate},
			Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: len(text)}}}})
		if _, err := srv.WaitFor(wait, func(c telegramtest.Call) bool {
			return c.Method == "sendMessage" && c.Form.Get("chat_id") == fmt.Sprint(user)
		}); err != nil {
			t.Fatal(err)
		}
	}
	start(9001, "/start")
	start(4242, "/start")
	var metrics string
	// Each handler counts after its answer is sent, and the two chats are
	// handled concurrently: wait (bounded) until both are counted.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		metrics = httpGet(t, "http://"+addr+"/metrics")
		if strings.Contains(metrics, `outcome="stranger"`) && strings.Contains(metrics, `kind="command",outcome="ok"`) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, want := range []string{
		`duban_updates_total{kind="command",outcome="ok"} 1`,
		`duban_updates_total{kind="command",outcome="stranger"} 1`,
		`duban_telegram_request_seconds_count{method="getMe"} 1`,
		`duban_telegram_request_seconds_count{method="sendMessage"}`,
		"duban_outbox_depth",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if body := httpGet(t, "http://"+addr+"/readyz"); !strings.Contains(body, "ready") {
		t.Errorf("/readyz = %q", body)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve returned %v", err)
	}
}

// listenerAddr reads the metrics listener's address from serve's JSON log.
func listenerAddr(t *testing.T, log string) string {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "metrics listener" && rec.Addr != "" {
			return rec.Addr
		}
	}
	t.Fatalf("no listener address in the log:\n%s", log)
	return ""
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
