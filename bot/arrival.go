package bot

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/duban-bot/duban/models"
)

// arrivedDialog is the chat's dialog as read with the update's arrival
// (models.Store.Arrive), so the handler does not read it again. It is
// used once: a second read in the same update, possibly after a write,
// goes to the database.
type arrivedDialog struct {
	chatID int64
	row    *models.DialogState // nil: the chat has no dialog
	used   atomic.Bool
}

type arrivedDialogKey struct{}

func withArrivedDialog(ctx context.Context, chatID int64, row *models.DialogState) context.Context {
	return context.WithValue(ctx, arrivedDialogKey{}, &arrivedDialog{chatID: chatID, row: row})
}

// dialogRow is the chat's stored dialog, or ErrNotFound.
func (b *Bot) dialogRow(ctx context.Context, chatID int64) (models.DialogState, error) {
	if a, ok := ctx.Value(arrivedDialogKey{}).(*arrivedDialog); ok && a.chatID == chatID && !a.used.Swap(true) {
		if a.row == nil {
			return models.DialogState{}, fmt.Errorf("dialog of chat %d: %w", chatID, models.ErrNotFound)
		}
		return *a.row, nil
	}
	return b.st.Dialog(ctx, chatID)
}
