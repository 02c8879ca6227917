package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

const leakyToken = "7012345678:AAF_realistic-token-0123456789abcdefghij"

// echoEndpoint answers every Bot API call as a misconfigured proxy or a
// local Bot API server might: an HTML page quoting the request path, which
// go-telegram/bot quotes, token and all, in its error.
func echoEndpoint(t *testing.T) (url string, hits *atomic.Int64) {
	hits = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "<html><body><h1>404 Not Found</h1><p>%s</p></body></html>", r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

// The token reaches neither stdout, stderr, the logs nor the outbox's
// last_error when `duban remind` sends through the echoing endpoint.
func TestTokenNeverLeavesThroughRemind(t *testing.T) {
	url, hits := echoEndpoint(t)
	db := filepath.Join(t.TempDir(), "duban.db")
	vars := map[string]string{"DUBAN_DB": db, "TELEGRAM_BOT_TOKEN": leakyToken,
		"TELEGRAM_API_URL": url, "DUBAN_NOW": "2022-05-26T09:05:00+08:00"}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42"); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"remind"}, testEnv(vars), &out, &errOut)
	if hits.Load() == 0 {
		t.Fatal("nothing was sent to the endpoint")
	}
	st, oerr := models.Open(db, models.Options{})
	if oerr != nil {
		t.Fatal(oerr)
	}
	defer st.Close()
	rows, oerr := st.OutboxMessages(context.Background())
	if oerr != nil || len(rows) == 0 || rows[0].LastError == "" {
		t.Fatalf("outbox = %+v, %v; want a row with the error", rows, oerr)
	}
	mustHave(t, rows[0].LastError, "/bot***/sendMessage") // the error is kept, the token is not
	everything := fmt.Sprint(err) + out.String() + errOut.String() + rows[0].LastError
	assertNoToken(t, everything)
}

// `duban serve` against the echoing endpoint retries getMe and logs each
// failure; neither the logs nor the error it returns holds the token.
func TestTokenNeverLeavesThroughServe(t *testing.T) {
	url, _ := echoEndpoint(t)
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"),
		"TELEGRAM_BOT_TOKEN": leakyToken, "TELEGRAM_API_URL": url}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	var out, errOut bytes.Buffer
	sys := system{getenv: testEnv(vars), stdout: &out, stderr: &errOut,
		sleep: func(ctx context.Context, d time.Duration) error {
			if waits = append(waits, d); len(waits) == 3 {
				cancel()
				return ctx.Err()
			}
			return nil
		}}
	err := sys.run(ctx, []string{"serve"})
	if err != nil {
		t.Errorf("serve stopped while waiting for Telegram returned %v, want nil", err)
	}
	if len(waits) != 3 || !strings.Contains(errOut.String(), "telegram unreachable at start-up") {
		t.Fatalf("waits %v, logs:\n%s", waits, errOut.String())
	}
	mustHave(t, errOut.String(), "/bot***/getMe")
	assertNoToken(t, fmt.Sprint(err)+out.String()+errOut.String())
}

// A PostgreSQL URL that cannot be reached gives an error naming the
// database, not its password.
func TestDatabasePasswordNeverLeaves(t *testing.T) {
	const dsn = "postgres://duban:S3cretPW@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"plan"}, testEnv(map[string]string{"DUBAN_DB": dsn}), &out, &errOut)
	if err == nil {
		t.Fatal("plan on an unreachable database succeeded")
	}
	line := err.Error()
	mustHave(t, line, "postgres://duban:***@127.0.0.1:1/x")
	if strings.Contains(errOut.String(), `"level":"ERROR"`) { // JSON: stderr is no terminal
		t.Errorf("the failure is logged as well as returned:\n%s", errOut.String())
	}
	if everything := line + out.String() + errOut.String(); strings.Contains(everything, "S3cretPW") {
		t.Fatalf("the password leaks:\n%s", everything)
	}
}

func assertNoToken(t *testing.T, text string) {
	t.Helper()
	secretPart := leakyToken[strings.Index(leakyToken, ":")+1:]
	if strings.Contains(text, secretPart) {
		t.Fatalf("the token leaks:\n%s", text)
	}
}
