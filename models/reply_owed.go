package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// ReplyOwed is the edit a chat is owed: written in the transaction of the
// change it reports (a saved value), one per chat, the latest replacing
// the one before. At start-up each is sent again when its dialog still
// shows that step: an edit that did reach the user is then answered "not
// modified", one a crash kept from them arrives. It is not deleted after a
// successful edit, which would cost a write transaction per report.
type ReplyOwed struct {
	ChatID    int64  `gorm:"primaryKey;autoIncrement:false"`
	MessageID int    `gorm:"not null"`
	Text      string `gorm:"not null"`
	Markup    string `gorm:"not null;default:''"` // reply_markup JSON, "" for none
	// Version is the dialog version the edit shows: a dialog that moved on
	// since then has shown something newer, and the edit is dropped.
	Version   int `gorm:"not null;default:0"`
	UpdatedAt time.Time
}

// TableName keeps the table's name plural, as GORM would, spelled out.
func (ReplyOwed) TableName() string { return "replies_owed" }

// OweReply records r in place of the chat's earlier one; call it in the
// transaction of the change r reports.
func (s *Store) OweReply(ctx context.Context, r *ReplyOwed) error {
	if err := s.ctx(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(r).Error; err != nil {
		return fmt.Errorf("owe reply to chat %d: %w", r.ChatID, err)
	}
	return nil
}

// RepliesOwed returns every reply owed, by chat.
func (s *Store) RepliesOwed(ctx context.Context) ([]ReplyOwed, error) {
	var rows []ReplyOwed
	if err := s.ctx(ctx).Order("chat_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("replies owed: %w", err)
	}
	return rows, nil
}

// PayReply forgets the reply owed to a chat (it was sent, or is no longer
// due).
func (s *Store) PayReply(ctx context.Context, chatID int64) error {
	if err := s.ctx(ctx).Where("chat_id = ?", chatID).Delete(&ReplyOwed{}).Error; err != nil {
		return fmt.Errorf("pay reply of chat %d: %w", chatID, err)
	}
	return nil
}
