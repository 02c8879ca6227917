package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
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
