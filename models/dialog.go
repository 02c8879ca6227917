package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DialogState is a chat's place in the report dialog, kept in the database
// so a restart mid-dialog resumes at the same step.
//
// The row outlives its dialog: an ended dialog keeps the row with an empty
// State, so its version goes on counting (old buttons stay stale) and the
// handled marks of its updates are kept.
type DialogState struct {
	ChatID    int64  `gorm:"primaryKey;autoIncrement:false"`
	State     string `gorm:"not null"` // JSON owned by the bot; "" once the dialog ended
	Version   int    `gorm:"not null"`
	MessageID int    `gorm:"not null;default:0"` // the message the dialog edits in place
	// DepartmentID is the department the dialog reports for: the update's
	// arrival counts its reports, which tells whether cached values are
	// still current (see DepartmentLatest).
	DepartmentID *uint
	// Handled lists the chat's updates handled within UpdateWindow, as
	// "id@unix-seconds" separated by spaces: the handled mark of a dialog
	// update is written with the dialog itself, in one statement.
	Handled string `gorm:"not null;default:''"`
	// OwedText and OwedMarkup are the edit this step owes the user (see
	// DialogsOwing): set in the transaction that saved a value, cleared by
	// the next step.
	OwedText   string `gorm:"not null;default:''"`
	OwedMarkup string `gorm:"not null;default:''"` // reply_markup JSON, "" for none
	UpdatedAt  time.Time
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

// Dialog returns the stored state of a chat's open dialog, or ErrNotFound.
func (s *Store) Dialog(ctx context.Context, chatID int64) (DialogState, error) {
	var d DialogState
	if err := s.ctx(ctx).Where("chat_id = ? AND state <> ''", chatID).First(&d).Error; err != nil {
		return d, fmt.Errorf("dialog of chat %d: %w", chatID, translate(err))
	}
	return d, nil
}

// upsertDialog is SaveDialog's statement, written out: every update of
// the report path runs it, and GORM's Create with an upsert clause cost a
// tenth of a report's CPU in reflection and a transaction of its own
// around one statement.
const upsertDialog = "INSERT INTO dialog_states (chat_id, state, version, message_id, department_id, handled, owed_text, owed_markup, updated_at) " +
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, version = excluded.version, " +
	"message_id = excluded.message_id, department_id = excluded.department_id, handled = excluded.handled, " +
	"owed_text = excluded.owed_text, owed_markup = excluded.owed_markup, updated_at = excluded.updated_at"

// SaveDialog writes a chat's state.
func (s *Store) SaveDialog(ctx context.Context, d *DialogState) error {
	d.UpdatedAt = s.now().UTC()
	// A step lost at a power cut is a screen the user sees again; a value
	// is saved in a transaction of its own, which is synced.
	err := s.ctx(withoutSync(ctx)).Exec(upsertDialog, d.ChatID, d.State, d.Version, d.MessageID, d.DepartmentID,
		d.Handled, d.OwedText, d.OwedMarkup, d.UpdatedAt).Error
	if err != nil {
		return fmt.Errorf("save dialog of chat %d: %w", d.ChatID, err)
	}
	return nil
}

// EndDialogMarked ends a chat's dialog and marks the update that ended it
// handled, in one statement. It returns false when the chat has no dialog
// row (nothing was written, the update is not marked); handled is the
// row's marks as read with the update's arrival.
func (s *Store) EndDialogMarked(ctx context.Context, chatID int64, handled string, updateID int64) (bool, error) {
	res := s.ctx(withoutSync(ctx)).Model(&DialogState{}).Where("chat_id = ?", chatID).Updates(map[string]any{
		"state": "", "department_id": nil, "owed_text": "", "owed_markup": "",
		"version": gorm.Expr("version + 1"), "updated_at": s.now().UTC(),
		"handled": s.noteHandled(handled, updateID),
	})
	if res.Error != nil {
		return false, fmt.Errorf("end dialog of chat %d: %w", chatID, res.Error)
	}
	return res.RowsAffected == 1, nil
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

// SaveDialogMarked writes a chat's state and marks the update that moved
// it handled, in one statement: the mark goes into d.Handled, which must
// hold the row's marks as read with the update's arrival.
func (s *Store) SaveDialogMarked(ctx context.Context, d *DialogState, updateID int64) error {
	d.Handled = s.noteHandled(d.Handled, updateID)
	return s.SaveDialog(ctx, d)
}
