package inbox_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
)

const hookSecret = "s3cret_Token-1"

func post(h http.Handler, method, secret string, body []byte) int {
	req := httptest.NewRequest(method, "/hook", bytes.NewReader(body))
	if secret != "" {
		req.Header.Set(inbox.SecretHeader, secret)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func inboxRows(t *testing.T, st *models.Store) []models.InboxUpdate {
	t.Helper()
	var rows []models.InboxUpdate
	if err := st.DB().Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// What the webhook refuses leaves the inbox table as it was.
func TestWebhookRefusalsStoreNothing(t *testing.T) {
	st := openStore(t, time.Now)
	woken := 0
	h := inbox.NewWebhook(st, hookSecret, func() { woken++ }, nil)
	good := message(7, 1, "hi")
	huge := []byte(`{"update_id":8,"message":{"text":"` + strings.Repeat("x", inbox.MaxWebhookBody) + `"}}`)
	cases := []struct {
		name, method, secret string
		body                 []byte
		want                 int
	}{
		{"no secret header", http.MethodPost, "", good, http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "s3cret_Token-2", good, http.StatusUnauthorized},
		{"secret's prefix", http.MethodPost, "s3cret", good, http.StatusUnauthorized},
		{"GET", http.MethodGet, hookSecret, nil, http.StatusMethodNotAllowed},
		{"body over 1 MB", http.MethodPost, hookSecret, huge, http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, hookSecret, []byte("<html>"), http.StatusBadRequest},
		{"no update id", http.MethodPost, hookSecret, []byte(`{"message":{}}`), http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := post(h, c.method, c.secret, c.body); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
			if rows := inboxRows(t, st); len(rows) != 0 || woken != 0 {
				t.Errorf("inbox holds %d rows, worker woken %d times; want nothing", len(rows), woken)
			}
		})
	}
}

// gateStore holds StoreInbox until released, to see when the answer goes.
type gateStore struct {
	*models.Store
	entered, release chan struct{}
	fail             bool
}

func (s *gateStore) StoreInbox(ctx context.Context, b []models.InboxUpdate, h []uint) ([]models.InboxUpdate, error) {
	s.entered <- struct{}{}
	<-s.release
	if s.fail {
		return nil, errors.New("database is locked")
	}
	return s.Store.StoreInbox(ctx, b, h)
}

// The 200 comes only after the update is committed; a failed commit gets
// a 503 (Telegram sends it again) and leaves nothing.
func TestWebhookAnswersAfterCommit(t *testing.T) {
	for _, fail := range []bool{false, true} {
		st := &gateStore{Store: openStore(t, time.Now), entered: make(chan struct{}), release: make(chan struct{}), fail: fail}
		woken := 0
		h := inbox.NewWebhook(st, hookSecret, func() { woken++ }, nil)
		code := make(chan int, 1)
		go func() { code <- post(h, http.MethodPost, hookSecret, message(7, 1, "hi")) }()
		<-st.entered
		select {
		case c := <-code:
			t.Fatalf("answered %d before the commit", c)
		default:
		}
		close(st.release)
		got, rows := <-code, inboxRows(t, st.Store)
		switch {
		case !fail && (got != http.StatusOK || len(rows) != 1 || rows[0].UpdateID != 7 || rows[0].Chat != 1 || woken != 1):
			t.Errorf("good update: status %d, rows %+v, woken %d", got, rows, woken)
		case fail && (got != http.StatusServiceUnavailable || len(rows) != 0 || woken != 0):
			t.Errorf("failed commit: status %d, %d rows, woken %d; want 503, none", got, len(rows), woken)
		}
	}
}

// Telegram sends an update again when our 200 was lost: it is stored once.
func TestWebhookRepeatStoredOnce(t *testing.T) {
	st := openStore(t, time.Now)
	h := inbox.NewWebhook(st, hookSecret, nil, nil)
	for range 2 {
		if got := post(h, http.MethodPost, hookSecret, message(7, 1, "hi")); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
	}
	if rows := inboxRows(t, st); len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
}
