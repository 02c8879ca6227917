package models

import (
	"context"
	"fmt"
)

// DialogsOwing returns every open dialog that owes its user an edit
// (DialogState.OwedText), by chat: the screen of a value committed in the
// same transaction, which a crash may have kept from the user. The next
// step of the dialog clears it, so a dialog that moved on owes nothing.
// It is not cleared after a successful edit, which would cost a write
// transaction per report: at start-up each is sent once more, and an edit
// that did arrive is answered "not modified".
func (s *Store) DialogsOwing(ctx context.Context) ([]DialogState, error) {
	var rows []DialogState
	err := s.ctx(ctx).Where("state <> '' AND owed_text <> ''").Order("chat_id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("dialogs owing a reply: %w", err)
	}
	return rows, nil
}

// PayReply forgets the edit owed by a chat's dialog at version (it was
// sent); a dialog that moved on since is left alone.
func (s *Store) PayReply(ctx context.Context, chatID int64, version int) error {
	err := s.ctx(ctx).Model(&DialogState{}).Where("chat_id = ? AND version = ?", chatID, version).
		Updates(map[string]any{"owed_text": "", "owed_markup": ""}).Error
	if err != nil {
		return fmt.Errorf("pay reply of chat %d: %w", chatID, err)
	}
	return nil
}

// replyOwed is the table where owed edits were kept from schema version 2
// to 5; version 6 moved them into the dialog rows.
type replyOwed struct {
	ChatID    int64  `gorm:"primaryKey;autoIncrement:false"`
	MessageID int    `gorm:"not null"`
	Text      string `gorm:"not null"`
	Markup    string `gorm:"not null;default:''"`
	Version   int    `gorm:"not null;default:0"`
}

func (replyOwed) TableName() string { return "replies_owed" }
