package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

const testHookSecret = "hook_Secret-42"

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func webhookVars(t *testing.T, srv *telegramtest.Server, db string) map[string]string {
	return map[string]string{
		"DUBAN_DB": db, "TELEGRAM_BOT_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": srv.URL(),
		"DUBAN_ADMINS": "9001", "DUBAN_NOW": "2022-05-20T10:01:00+08:00",
		"DUBAN_WEBHOOK_URL": "https://bot.example.test/tg/hook", "DUBAN_WEBHOOK_SECRET": testHookSecret,
		"DUBAN_LISTEN": freeAddr(t),
	}
}

// startServe runs `duban serve` until the test ends.
func startServe(t *testing.T, vars map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &bytes.Buffer{}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve returned %v", err)
		}
	})
}

func startUpdate(id int64) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"text":"/start",`+
		`"from":{"id":9001,"first_name":"督查"},"chat":{"id":9001,"type":"private"},`+
		`"entities":[{"type":"bot_command","offset":0,"length":6}]}}`, id, id)
}

func postHook(t *testing.T, addr, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/tg/hook", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(inbox.SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func inboxCount(t *testing.T, db string) int64 {
	t.Helper()
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int64
	if err := st.DB().Model(&models.InboxUpdate{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func waitAnswer(t *testing.T, srv *telegramtest.Server) {
	t.Helper()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	call, err := srv.WaitFor(wait, func(c telegramtest.Call) bool { return c.Method == "sendMessage" })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(call.Form.Get("text"), "督查考核办") || call.Form.Get("chat_id") != "9001" {
		t.Errorf("answer to /start = %v", call.Form)
	}
}

func waitWebhookSet(t *testing.T, srv *telegramtest.Server) {
	t.Helper()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if _, err := srv.WaitFor(wait, func(c telegramtest.Call) bool { return c.Method == "setWebhook" }); err != nil {
		t.Fatal(err)
	}
}

// `duban serve` in webhook mode registers the webhook with its secret and
// the update types it handles, refuses requests without the secret
// (nothing stored) and answers an update it stored.
func TestServeWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "duban.db")
	vars := webhookVars(t, srv, db)
	startServe(t, vars)
	waitWebhookSet(t, srv)
	if w := srv.Webhook(); w.URL != vars["DUBAN_WEBHOOK_URL"] || w.SecretToken != testHookSecret ||
		fmt.Sprint(w.AllowedUpdates) != "[message edited_message callback_query]" {
		t.Fatalf("webhook registered: %+v", w)
	}
	addr := vars["DUBAN_LISTEN"]
	for _, secret := range []string{"", "hook_Secret-43"} {
		if got := postHook(t, addr, secret, startUpdate(1)); got != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", secret, got)
		}
	}
	if n := inboxCount(t, db); n != 0 {
		t.Fatalf("refused requests stored %d updates", n)
	}
	if got := postHook(t, addr, testHookSecret, startUpdate(2)); got != http.StatusOK {
		t.Fatalf("good update: status %d", got)
	}
	if n := inboxCount(t, db); n != 1 {
		t.Fatalf("acknowledged update: %d rows in the inbox, want 1", n)
	}
	waitAnswer(t, srv)
	if n := len(srv.Calls("getUpdates")); n != 0 {
		t.Errorf("webhook mode polled %d times", n)
	}
}

// A replica that acknowledged an update and died before handling it (its
// claim left in the inbox): the next start takes it over once the lease
// ran out and answers it.
func TestServeWebhookTakesOverDeadReplica(t *testing.T) {
	srv := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "duban.db")
	died := time.Date(2022, 5, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	st, err := models.Open(db, models.Options{Now: func() time.Time { return died }})
	if err != nil {
		t.Fatal(err)
	}
	h := inbox.NewWebhook(st, testHookSecret, nil, nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/tg/hook", strings.NewReader(startUpdate(5)))
	req.Header.Set(inbox.SecretHeader, testHookSecret)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("acknowledge: %d", rec.Code)
	}
	if rows, err := st.ClaimInbox(context.Background(), "inbox@dead/1", claimLease, 10); err != nil || len(rows) != 1 {
		t.Fatalf("dead replica's claim: %v, %v", rows, err)
	}
	st.Close()
	startServe(t, webhookVars(t, srv, db)) // its clock: a minute after the death
	waitAnswer(t, srv)
}

// In polling mode a webhook left on the token is deleted at start, or every
// poll would get 409.
func TestServePollingDeletesLeftoverWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t)
	srv.SetWebhookURL("https://old.example.test/hook")
	vars := webhookVars(t, srv, filepath.Join(t.TempDir(), "duban.db"))
	delete(vars, "DUBAN_WEBHOOK_URL")
	startServe(t, vars)
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	if srv.Webhook().URL != "" {
		t.Fatal("webhook still set")
	}
	srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 1, Text: "/start",
		From: &tgmodels.User{ID: 9001, FirstName: "督查"}, Chat: tgmodels.Chat{ID: 9001, Type: tgmodels.ChatTypePrivate},
		Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 6}}}})
	waitAnswer(t, srv)
}
