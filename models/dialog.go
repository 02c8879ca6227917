package models

import (
	"context"
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
// same update delivered twice is handled once. Ids are only unique for a
// while: after a week without updates Telegram picks the next id at random,
// and a new token or a local Bot API server starts again. So an id counts
// as seen only within UpdateWindow, and older rows are pruned.
type ProcessedUpdate struct {
	UpdateID  int64     `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt time.Time `gorm:"index"`
}

// UpdateWindow is how long a handled update id is remembered. Telegram
// redelivers an unconfirmed update within seconds to minutes; ids start
// again only after a week of silence or a new token.
const UpdateWindow = 24 * time.Hour

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

// MarkUpdate records an update id; it returns false when the id was seen
// within UpdateWindow. An id seen earlier than that is a new update that
// happens to reuse the number: it is recorded afresh.
func (s *Store) MarkUpdate(ctx context.Context, updateID int64) (bool, error) {
	now := s.now().UTC()
	fresh := false
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&ProcessedUpdate{UpdateID: updateID, CreatedAt: now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			fresh = true
			return nil
		}
		res = tx.db.Model(&ProcessedUpdate{}).
			Where("update_id = ? AND created_at < ?", updateID, now.Add(-UpdateWindow)).
			Update("created_at", now)
		fresh = res.RowsAffected == 1
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return fresh, nil
}

// PruneUpdates forgets update ids recorded before UpdateWindow ago and
// returns how many it forgot.
func (s *Store) PruneUpdates(ctx context.Context) (int64, error) {
	cutoff := s.now().UTC().Add(-UpdateWindow)
	res := s.ctx(ctx).Where("created_at < ?", cutoff).Delete(&ProcessedUpdate{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune update ids: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// UpdateSeen reports whether an update id was marked handled within
// UpdateWindow. It only reads: the mark itself is written with the
// update's effects (SaveDialogMarked, MarkSeen in the caller's
// transaction), so that a crash before them lets the update be handled
// again after a restart instead of losing it.
func (s *Store) UpdateSeen(ctx context.Context, updateID int64) (bool, error) {
	var n int64
	err := s.ctx(ctx).Model(&ProcessedUpdate{}).
		Where("update_id = ? AND created_at >= ?", updateID, s.now().UTC().Add(-UpdateWindow)).
		Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("update %d seen: %w", updateID, err)
	}
	return n > 0, nil
}

// MarkSeen records an update id as handled now (an old row of a reused id
// is renewed); one statement, meant for the transaction that writes the
// update's effects.
func (s *Store) MarkSeen(ctx context.Context, updateID int64) error {
	err := s.ctx(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "update_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"created_at"}),
	}).Create(&ProcessedUpdate{UpdateID: updateID, CreatedAt: s.now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return nil
}

// SaveDialogMarked writes a chat's state and marks the update that moved
// it handled, in one transaction.
func (s *Store) SaveDialogMarked(ctx context.Context, d *DialogState, updateID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.MarkSeen(ctx, updateID); err != nil {
			return err
		}
		return tx.SaveDialog(ctx, d)
	})
}
