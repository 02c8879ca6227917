package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// DialogState is a chat's place in the report dialog, kept in the database
// so a restart mid-dialog resumes at the same step.
type DialogState struct {
	ChatID    int64  `gorm:"primaryKey;autoIncrement:false"`
	State     string `gorm:"not null"` // JSON owned by the bot
	Version   int    `gorm:"not null"`
	MessageID int    `gorm:"not null;default:0"` // the message the dialog edits in place
	UpdatedAt time.Time
}

// ProcessedUpdate remembers a Telegram update id that was handled, so the
// same update delivered twice is handled once.
type ProcessedUpdate struct {
	UpdateID  int64 `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt time.Time
}

// Dialog returns the stored state of a chat, or ErrNotFound.
func (s *Store) Dialog(ctx context.Context, chatID int64) (DialogState, error) {
	var d DialogState
	if err := s.ctx(ctx).Where("chat_id = ?", chatID).First(&d).Error; err != nil {
		return d, fmt.Errorf("dialog of chat %d: %w", chatID, translate(err))
	}
	return d, nil
}

// SaveDialog writes a chat's state.
func (s *Store) SaveDialog(ctx context.Context, d *DialogState) error {
	err := s.ctx(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(d).Error
	if err != nil {
		return fmt.Errorf("save dialog of chat %d: %w", d.ChatID, err)
	}
	return nil
}

// DeleteDialog forgets a chat's state (the dialog ended or was cancelled).
func (s *Store) DeleteDialog(ctx context.Context, chatID int64) error {
	if err := s.ctx(ctx).Where("chat_id = ?", chatID).Delete(&DialogState{}).Error; err != nil {
		return fmt.Errorf("delete dialog of chat %d: %w", chatID, err)
	}
	return nil
}

// MarkUpdate records an update id; it returns false when the id was seen before.
func (s *Store) MarkUpdate(ctx context.Context, updateID int64) (bool, error) {
	err := s.ctx(ctx).Create(&ProcessedUpdate{UpdateID: updateID}).Error
	if errors.Is(translate(err), ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return true, nil
}
