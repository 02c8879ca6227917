package models

import (
	"context"
	"fmt"
)

// TakeOverOutbox gives back to the outbox every message claimed by a
// sender other than holder and not yet recorded, and returns how many. The
// sender that just took the sending lease calls it: the lease's previous
// holder let it run out (it died, or lost the database) and starts no
// more sends, so its claims need not wait out their own, longer lease.
func (s *Store) TakeOverOutbox(ctx context.Context, holder string) (int64, error) {
	res := s.ctx(ctx).Model(&Outbox{}).Where("status = ? AND claimed_by <> ?", OutboxSending, holder).
		Updates(map[string]any{"status": OutboxPending, "claimed_by": ""})
	if res.Error != nil {
		return 0, fmt.Errorf("take over claimed messages: %w", res.Error)
	}
	return res.RowsAffected, nil
}
