package models

import (
	"context"
	"fmt"
	"time"
)

// ReplyOwed is an edit the bot owes a chat: written in the transaction of
// the change it reports (a saved value), deleted once Telegram accepted the
// edit. What is left at start-up was committed but never shown, and is
// sent then.
type ReplyOwed struct {
	ID        uint   `gorm:"primaryKey"`
	ChatID    int64  `gorm:"not null;index"`
	MessageID int    `gorm:"not null"`
	Text      string `gorm:"not null"`
	Markup    string `gorm:"not null;default:''"` // reply_markup JSON, "" for none
	// Version is the dialog version the edit shows: a dialog that moved on
	// since then has shown something newer, and the edit is dropped.
	Version   int `gorm:"not null;default:0"`
	CreatedAt time.Time
}

// TableName keeps the table's name plural, as GORM would, spelled out.
func (ReplyOwed) TableName() string { return "replies_owed" }

// OweReply records r; call it in the transaction of the change r reports.
func (s *Store) OweReply(ctx context.Context, r *ReplyOwed) error {
	if err := s.ctx(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("owe reply to chat %d: %w", r.ChatID, err)
	}
	return nil
}

// RepliesOwed returns every reply owed, oldest first.
func (s *Store) RepliesOwed(ctx context.Context) ([]ReplyOwed, error) {
	var rows []ReplyOwed
	if err := s.ctx(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("replies owed: %w", err)
	}
	return rows, nil
}

// PayReply forgets a reply owed (it was sent, or is no longer due).
func (s *Store) PayReply(ctx context.Context, id uint) error {
	if err := s.ctx(ctx).Where("id = ?", id).Delete(&ReplyOwed{}).Error; err != nil {
		return fmt.Errorf("pay reply %d: %w", id, err)
	}
	return nil
}
