package inbox

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/duban-bot/duban/models"
)

// MaxWebhookBody is the largest update body the webhook accepts. An update
// duban handles (a message, a button press) is a few kilobytes.
const MaxWebhookBody = 1 << 20

// SecretHeader carries the secret_token given to setWebhook.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// UpdateStore is where the webhook puts an update: the same inbox table
// the poller writes.
type UpdateStore interface {
	StoreInbox(ctx context.Context, batch []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error)
}

// Webhook is the HTTP handler Telegram posts updates to. It answers 200
// only once the update is committed to the inbox table; a Worker (on this
// replica or another) handles it from there, so a crash after the answer
// loses nothing. Anything it refuses changes nothing.
type Webhook struct {
	st     UpdateStore
	secret [sha256.Size]byte
	stored func() // wakes the local Worker
	log    *slog.Logger
}

// NewWebhook returns the handler; secret is the secret_token given to
// setWebhook, stored is called after each update committed.
func NewWebhook(st UpdateStore, secret string, stored func(), log *slog.Logger) *Webhook {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Webhook{st: st, secret: sha256.Sum256([]byte(secret)), stored: stored, log: log.With("component", "webhook")}
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Hashes have one length, so the comparison's time says nothing about
	// the secret, not even its length.
	got := sha256.Sum256([]byte(r.Header.Get(SecretHeader)))
	if subtle.ConstantTimeCompare(got[:], h.secret[:]) != 1 {
		h.log.Warn("refused a request without the webhook secret", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.ContentLength > MaxWebhookBody {
		http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "read update", http.StatusBadRequest)
		return
	}
	batch, _, err := rows([]json.RawMessage{body}, 0)
	if err != nil || batch[0].UpdateID <= 0 {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	// The client going away must not cut a commit in half; Telegram sends
	// the update again when it got no 200, and the inbox drops the repeat.
	if _, err := h.st.StoreInbox(context.WithoutCancel(r.Context()), batch, nil); err != nil {
		h.log.Error("store update", "update_id", batch[0].UpdateID, "err", err)
		http.Error(w, "not stored, send again", http.StatusServiceUnavailable)
		return
	}
	if h.stored != nil {
		h.stored()
	}
	w.WriteHeader(http.StatusOK)
}
