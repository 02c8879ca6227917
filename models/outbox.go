package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Outbox statuses.
const (
	OutboxPending = "pending" // waiting for NotBefore
	OutboxSending = "sending" // claimed by a sender until ClaimedUntil
	OutboxSent    = "sent"    // Telegram acknowledged it; never sent again
	OutboxFailed  = "failed"  // given up (blocked bot, bad request, too many attempts)
)

// Outbox is one message waiting to be sent, or sent. Jobs and handlers only
// write rows; a sender claims and sends them within Telegram's limits, so a
// replica that dies mid-send drops nothing.
type Outbox struct {
	ID        uint   `gorm:"primaryKey"`
	ChatID    int64  `gorm:"not null;index:idx_outbox_chat,priority:1"`
	Text      string `gorm:"not null"`
	ParseMode string `gorm:"not null;default:''"`
	// Markup is the reply_markup as Bot API JSON text, "" for none.
	Markup string `gorm:"not null;default:''"`
	// DedupKey makes enqueueing idempotent: a second row with the same key is
	// not stored. NULL (no key) never collides.
	DedupKey     *string   `gorm:"uniqueIndex"`
	Status       string    `gorm:"not null;index:idx_outbox_due,priority:1"`
	Attempts     int       `gorm:"not null;default:0"`
	NotBefore    time.Time `gorm:"not null;index:idx_outbox_due,priority:2"`
	ClaimedBy    string    `gorm:"not null;default:''"`
	ClaimedUntil time.Time
	SentAt       *time.Time
	MessageID    int    `gorm:"not null;default:0"`
	LastError    string `gorm:"not null;default:''"`
	CreatedAt    time.Time
}

// TableName keeps the table's name singular, as the concept is.
func (Outbox) TableName() string { return "outbox" }

// OutboxMessage is what a producer asks to send.
type OutboxMessage struct {
	ChatID    int64
	Text      string
	ParseMode string
	Markup    string    // Bot API reply_markup JSON, "" for none
	DedupKey  string    // "" for none
	NotBefore time.Time // zero: as soon as possible
}

// Enqueue stores msgs in the outbox and returns how many were new; a message
// whose DedupKey is already taken is skipped, not an error.
func (s *Store) Enqueue(ctx context.Context, msgs ...OutboxMessage) (int, error) {
	inserted := 0
	for _, m := range msgs {
		row := Outbox{
			ChatID: m.ChatID, Text: m.Text, ParseMode: m.ParseMode, Markup: m.Markup,
			Status: OutboxPending, NotBefore: m.NotBefore.UTC(), ClaimedUntil: time.Time{}.UTC(),
		}
		if row.NotBefore.IsZero() {
			row.NotBefore = s.now()
		}
		if m.DedupKey != "" {
			key := m.DedupKey
			row.DedupKey = &key
		}
		res := s.ctx(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return inserted, fmt.Errorf("enqueue message to %d: %w", m.ChatID, translate(res.Error))
		}
		inserted += int(res.RowsAffected)
	}
	return inserted, nil
}

// ClaimOutbox claims for holder, until now+leaseFor, up to limit messages
// that are due: pending with NotBefore ≤ now, or sending under a claim that
// expired (its sender died). A message is skipped while an earlier message
// to the same chat waits or is held by a live claim, so every chat receives
// its messages in order. Claims are serialised (SQLite's immediate
// transaction, an advisory lock on PostgreSQL), so the order rule seen by
// the SELECT still holds at the UPDATE and two senders never hold one row
// or two messages of one chat out of order.
func (s *Store) ClaimOutbox(ctx context.Context, holder string, now time.Time, limit int, leaseFor time.Duration) ([]Outbox, error) {
	now = now.UTC()
	until := now.Add(leaseFor)
	var rows []Outbox
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.serializeClaims(ctx); err != nil {
			return err
		}
		var ids []uint
		err := tx.ctx(ctx).Model(&Outbox{}).Where(claimable, now, now, now, now).
			Order("id").Limit(limit).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		err = tx.ctx(ctx).Model(&Outbox{}).Where("id IN ?", ids).
			Updates(map[string]any{"status": OutboxSending, "claimed_by": holder, "claimed_until": until}).Error
		if err != nil {
			return fmt.Errorf("claim messages: %w", err)
		}
		return tx.ctx(ctx).Where("id IN ?", ids).Order("id").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim due messages: %w", err)
	}
	return rows, nil
}

// outboxClaimLock is the PostgreSQL advisory lock key of outbox claims.
const outboxClaimLock = 0x6475_6261_6e01 // "duban" 1

// serializeClaims makes concurrent claims take turns. SQLite needs nothing:
// its write transactions start immediate and run one at a time.
func (s *Store) serializeClaims(ctx context.Context) error {
	if s.db.Dialector.Name() != "postgres" {
		return nil
	}
	if err := s.ctx(ctx).Exec("SELECT pg_advisory_xact_lock(?)", outboxClaimLock).Error; err != nil {
		return fmt.Errorf("lock outbox claims: %w", err)
	}
	return nil
}

// claimable selects due rows with no earlier row of the same chat still in
// flight; its four parameters are now.
const claimable = `((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND claimed_until < ?))
	AND NOT EXISTS (SELECT 1 FROM outbox AS e WHERE e.chat_id = outbox.chat_id AND e.id < outbox.id AND
		((e.status = 'pending' AND e.not_before > ?) OR (e.status = 'sending' AND e.claimed_until >= ?)))`

// NextOutboxDue returns the earliest NotBefore of the pending messages;
// ok is false when nothing is pending.
func (s *Store) NextOutboxDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var row Outbox
	err = s.ctx(ctx).Where("status = ?", OutboxPending).Order("not_before, id").Limit(1).Find(&row).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due message: %w", err)
	}
	return row.NotBefore, row.ID != 0, nil
}

// MarkSent records that Telegram acknowledged the message: it is never sent again.
func (s *Store) MarkSent(ctx context.Context, id uint, messageID int, at time.Time) error {
	return s.markOutbox(ctx, id, map[string]any{
		"status": OutboxSent, "message_id": messageID, "sent_at": at.UTC(), "claimed_by": "", "last_error": "",
	})
}

// MarkRetry puts the message back to be sent from notBefore on, counting a
// failed attempt. errText is stored redacted: Telegram client errors may
// quote the request path, token included.
func (s *Store) MarkRetry(ctx context.Context, id uint, notBefore time.Time, errText string) error {
	return s.markOutbox(ctx, id, map[string]any{
		"status": OutboxPending, "not_before": notBefore.UTC(), "last_error": s.secrets.Redact(errText), "claimed_by": "",
		"attempts": clause.Expr{SQL: "attempts + 1"},
	})
}

// DeferOutbox gives a claimed message back, to be sent from notBefore on,
// without counting an attempt: the sender could not send it in time.
func (s *Store) DeferOutbox(ctx context.Context, id uint, notBefore time.Time) error {
	return s.markOutbox(ctx, id, map[string]any{
		"status": OutboxPending, "not_before": notBefore.UTC(), "claimed_by": "",
	})
}

// MarkFailed gives up on the message; errText is stored redacted.
func (s *Store) MarkFailed(ctx context.Context, id uint, errText string) error {
	return s.markOutbox(ctx, id, map[string]any{
		"status": OutboxFailed, "last_error": s.secrets.Redact(errText), "claimed_by": "",
		"attempts": clause.Expr{SQL: "attempts + 1"},
	})
}

// markOutbox updates a message unless it was already sent: a sent message
// stays sent whatever a late or stale sender says.
func (s *Store) markOutbox(ctx context.Context, id uint, set map[string]any) error {
	res := s.ctx(ctx).Model(&Outbox{}).Where("id = ? AND status <> ?", id, OutboxSent).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("update message %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("update message %d: %w", id, ErrNotFound)
	}
	return nil
}

// OutboxMessages lists the outbox in id order, for tests and operators.
func (s *Store) OutboxMessages(ctx context.Context) ([]Outbox, error) {
	var rows []Outbox
	if err := s.ctx(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return rows, nil
}
