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
	// Dialog is the chat's open dialog; nil when it has none.
	Dialog *DialogState
	// Handled is the chat's handled marks (DialogState.Handled), also when
	// its dialog ended; Version is its dialog row's version (0: none).
	Handled string
	Version int
	// Reports is the revision of the dialog's department's reports, for
	// DepartmentLatest; its Department is 0 when the dialog has none.
	Reports ReportStamp
}

// Arrive reads, in one statement, the hot cache's generation, the update's
// handled mark, the chat's dialog and the revision of its department's
// reports; the contact then comes from the hot cache (read once after a
// change). An unknown sender is ErrNotFound.
func (s *Store) Arrive(ctx context.Context, telegramID, chatID, updateID int64) (Arrival, error) {
	if s.hot == nil {
		return s.arriveSlowly(ctx, telegramID, chatID, updateID)
	}
	var a Arrival
	g := generation{local: s.hot.local.Load()}
	cutoff := s.now().UTC().Add(-UpdateWindow)
	var seen int64
	var state, handled sql.NullString
	var version, messageID, dept, revision sql.NullInt64
	row := s.ctx(ctx).Raw(arrivalQuery, updateID, cutoff, chatID).Row()
	if err := row.Scan(&g.contacts, &g.plan, &seen, &state, &version, &messageID, &dept, &handled, &revision); err != nil {
		return a, fmt.Errorf("arrival of update %d: %w", updateID, err)
	}
	s.hot.advance(g)
	a.Seen = seen > 0 || handledWithin(handled.String, updateID, cutoff)
	a.Handled, a.Version = handled.String, int(version.Int64)
	if state.String != "" {
		a.Dialog = &DialogState{ChatID: chatID, State: state.String, Version: a.Version, MessageID: int(messageID.Int64), Handled: handled.String}
		if dept.Valid {
			d := uint(dept.Int64)
			a.Dialog.DepartmentID = &d
			a.Reports = ReportStamp{Department: d, Revision: revision.Int64, gen: g}
		}
	}
	c, err := s.cachedContact(ctx, telegramID)
	a.Contact = c
	return a, err
}

// arrivalQuery is Arrive's one statement.
const arrivalQuery = "SELECT (SELECT revision FROM cache_revisions WHERE name = 'contacts'), " +
	"(SELECT CAST(COUNT(*) + COALESCE(SUM(revision), 0) AS BIGINT) FROM plan_years), " +
	"(SELECT COUNT(*) FROM processed_updates WHERE update_id = ? AND created_at >= ?), " +
	"d.state, d.version, d.message_id, d.department_id, d.handled, " +
	"(SELECT revision FROM report_revisions WHERE department_id = d.department_id) " +
	"FROM (SELECT 1 AS one) AS one LEFT JOIN dialog_states d ON d.chat_id = ?"

func (s *Store) arriveSlowly(ctx context.Context, telegramID, chatID, updateID int64) (Arrival, error) {
	var a Arrival
	var err error
	if a.Contact, err = s.loadContact(ctx, telegramID); err != nil {
		return a, err
	}
	if a.Seen, err = s.UpdateSeen(ctx, updateID); err != nil {
		return a, err
	}
	var d DialogState
	err = s.ctx(ctx).Where("chat_id = ?", chatID).First(&d).Error
	switch {
	case err == nil:
		a.Handled, a.Version = d.Handled, d.Version
		a.Seen = a.Seen || handledWithin(d.Handled, updateID, s.now().UTC().Add(-UpdateWindow))
		if d.State != "" {
			a.Dialog = &d
		}
	case !errors.Is(translate(err), ErrNotFound):
		return a, fmt.Errorf("dialog of chat %d: %w", chatID, err)
	}
	return a, nil
}
