package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Arrival is what the bot needs to know before it handles an update: who
// sent it, whether it was handled already, and the chat's dialog.
type Arrival struct {
	Contact Contact
	// Seen is set when the update id was marked handled within UpdateWindow.
	Seen bool
	// Dialog is the chat's stored dialog; nil when it has none.
	Dialog *DialogState
}

// Arrive reads, in one statement, the hot cache's generation, the update's
// handled mark and the chat's dialog; the contact then comes from the hot
// cache (read once after a change). An unknown sender is ErrNotFound.
func (s *Store) Arrive(ctx context.Context, telegramID, chatID, updateID int64) (Arrival, error) {
	if s.hot == nil {
		return s.arriveSlowly(ctx, telegramID, chatID, updateID)
	}
	var a Arrival
	g := generation{local: s.hot.local.Load()}
	var seen int64
	var state sql.NullString
	var version, messageID sql.NullInt64
	row := s.ctx(ctx).Raw("SELECT (SELECT revision FROM cache_revisions WHERE name = 'contacts'), "+
		"(SELECT CAST(COUNT(*) + COALESCE(SUM(revision), 0) AS BIGINT) FROM plan_years), "+
		"(SELECT COUNT(*) FROM processed_updates WHERE update_id = ? AND created_at >= ?), "+
		"d.state, d.version, d.message_id FROM (SELECT 1 AS one) AS one LEFT JOIN dialog_states d ON d.chat_id = ?",
		updateID, s.now().UTC().Add(-UpdateWindow), chatID).Row()
	if err := row.Scan(&g.contacts, &g.plan, &seen, &state, &version, &messageID); err != nil {
		return a, fmt.Errorf("arrival of update %d: %w", updateID, err)
	}
	s.hot.advance(g)
	a.Seen = seen > 0
	if state.Valid {
		a.Dialog = &DialogState{ChatID: chatID, State: state.String, Version: int(version.Int64), MessageID: int(messageID.Int64)}
	}
	c, err := s.cachedContact(ctx, telegramID)
	a.Contact = c
	return a, err
}

func (s *Store) arriveSlowly(ctx context.Context, telegramID, chatID, updateID int64) (Arrival, error) {
	var a Arrival
	var err error
	if a.Contact, err = s.loadContact(ctx, telegramID); err != nil {
		return a, err
	}
	if a.Seen, err = s.UpdateSeen(ctx, updateID); err != nil {
		return a, err
	}
	d, err := s.Dialog(ctx, chatID)
	switch {
	case err == nil:
		a.Dialog = &d
	case !errors.Is(err, ErrNotFound):
		return a, err
	}
	return a, nil
}
