package models

import (
	"context"
	"fmt"
	"time"
)

// InboxUpdate is a Telegram update as fetched, kept until it is handled.
// The poll loop writes a batch here before the next getUpdates confirms it
// to Telegram, so an update Telegram forgot is never only in memory. Rows
// are keyed on their own id: update ids start again after a quiet week or
// with a new token (see UpdateWindow), so update_id is unique only within
// the window.
type InboxUpdate struct {
	ID         uint       `gorm:"primaryKey"`
	UpdateID   int64      `gorm:"not null;index"`
	Chat       int64      `gorm:"not null"` // the chat its handling is ordered by
	Payload    string     `gorm:"not null"` // the update's JSON as Telegram sent it
	ReceivedAt time.Time  `gorm:"not null;index"`
	HandledAt  *time.Time `gorm:"index"`
	// ClaimedBy is the replica handling the row in webhook mode ("" for
	// none) and ClaimedAt its last heartbeat; see ClaimInbox.
	ClaimedBy string `gorm:"not null;default:''"`
	ClaimedAt *time.Time
}

// TableName keeps the table's name singular, as the concept is.
func (InboxUpdate) TableName() string { return "inbox" }

// StoreInbox writes a fetched batch and marks the rows handled (ids of
// earlier batches whose handlers returned), in one transaction, and
// returns the rows it stored, with their ids, in the order given. An
// update whose id was received within UpdateWindow is a redelivery
// (fetched, stored, but never confirmed before a crash) and is skipped.
func (s *Store) StoreInbox(ctx context.Context, batch []InboxUpdate, handled []uint) ([]InboxUpdate, error) {
	if len(batch) == 0 && len(handled) == 0 {
		return nil, nil
	}
	now := s.now().UTC()
	var stored []InboxUpdate
	// Unsynced: a killed process loses none of it (the OS holds the WAL),
	// and the next synced commit (a value's) syncs it too. A power cut in
	// between loses updates the bot never answered; syncing every batch
	// cost 0.13 ms of CPU each on the VM measured (README, "Durability").
	err := s.Tx(withoutSync(ctx), func(tx *Store) error {
		if len(handled) > 0 {
			err := tx.db.Model(&InboxUpdate{}).Where("id IN ?", handled).Update("handled_at", now).Error
			if err != nil {
				return err
			}
		}
		var err error
		stored, err = tx.newUpdates(batch, now)
		if err != nil || len(stored) == 0 {
			return err
		}
		return tx.db.Create(&stored).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store %d fetched updates: %w", len(batch), err)
	}
	return stored, nil
}

// newUpdates drops from batch the updates received within UpdateWindow,
// and stamps the rest received now.
func (s *Store) newUpdates(batch []InboxUpdate, now time.Time) ([]InboxUpdate, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(batch))
	for i, u := range batch {
		ids[i] = u.UpdateID
	}
	var seen []int64
	err := s.db.Model(&InboxUpdate{}).Where("update_id IN ? AND received_at >= ?", ids, now.Add(-UpdateWindow)).
		Pluck("update_id", &seen).Error
	if err != nil {
		return nil, err
	}
	known := make(map[int64]bool, len(seen))
	for _, id := range seen {
		known[id] = true
	}
	var fresh []InboxUpdate
	for _, u := range batch {
		if known[u.UpdateID] {
			continue
		}
		known[u.UpdateID] = true
		u.ID, u.ReceivedAt, u.HandledAt = 0, now, nil
		fresh = append(fresh, u)
	}
	return fresh, nil
}

// PendingInbox returns the updates not handled yet, in the order they were
// received.
func (s *Store) PendingInbox(ctx context.Context) ([]InboxUpdate, error) {
	var rows []InboxUpdate
	if err := s.ctx(ctx).Where("handled_at IS NULL").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	return rows, nil
}

// PruneInbox forgets handled updates received before UpdateWindow ago and
// returns how many it forgot. Unhandled rows stay whatever their age.
func (s *Store) PruneInbox(ctx context.Context) (int64, error) {
	cutoff := s.now().UTC().Add(-UpdateWindow)
	res := s.ctx(ctx).Where("handled_at IS NOT NULL AND received_at < ?", cutoff).Delete(&InboxUpdate{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune inbox: %w", res.Error)
	}
	return res.RowsAffected, nil
}
