package models

import (
	"context"
	"fmt"
	"time"
)

// ClaimInbox gives holder (one replica) up to limit unhandled updates to
// handle, oldest first, and returns every unhandled row holder has claimed
// and not yet handled (the caller skips those already in its hands). A row
// is claimable when nobody holds it or its holder's lease ran out (no
// heartbeat for lease: the replica died). A chat whose rows another live
// replica holds is left alone, so one chat's updates are handled by one
// replica at a time, in order.
//
// The claim is one UPDATE whose WHERE is checked again on each row it
// locks (PostgreSQL re-evaluates it after a concurrent claim commits;
// SQLite serialises writers), so two replicas never both take a row.
func (s *Store) ClaimInbox(ctx context.Context, holder string, lease time.Duration, limit int) ([]InboxUpdate, error) {
	now := s.now().UTC()
	cutoff := now.Add(-lease)
	var rows []InboxUpdate
	err := s.Tx(ctx, func(tx *Store) error {
		free := "handled_at IS NULL AND (claimed_by = '' OR claimed_at < ?)"
		candidates := tx.db.Model(&InboxUpdate{}).Select("id").
			Where(free, cutoff).
			Where(`NOT EXISTS (SELECT 1 FROM inbox o WHERE o.chat = inbox.chat AND o.handled_at IS NULL
				AND o.claimed_by <> '' AND o.claimed_by <> ? AND o.claimed_at >= ?)`, holder, cutoff).
			Order("id").Limit(limit)
		err := tx.db.Model(&InboxUpdate{}).Where("id IN (?)", candidates).Where(free, cutoff).
			Updates(map[string]any{"claimed_by": holder, "claimed_at": now}).Error
		if err != nil {
			return err
		}
		return tx.db.Where("claimed_by = ? AND handled_at IS NULL", holder).Order("id").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim updates: %w", err)
	}
	return rows, nil
}

// RenewInboxClaims is holder's heartbeat: it keeps the lease on the rows
// it is still handling.
func (s *Store) RenewInboxClaims(ctx context.Context, holder string) error {
	err := s.ctx(ctx).Model(&InboxUpdate{}).Where("claimed_by = ? AND handled_at IS NULL", holder).
		Update("claimed_at", s.now().UTC()).Error
	if err != nil {
		return fmt.Errorf("renew update claims: %w", err)
	}
	return nil
}
