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
	row    *models.DialogState // nil: the chat has no open dialog
	used   atomic.Bool
	// version is the chat's dialog row version, also of an ended dialog.
	version int
	// reports counts the reports of the dialog's department at arrival.
	reports models.ReportStamp
}

type arrivedDialogKey struct{}

func withArrival(ctx context.Context, chatID int64, a models.Arrival) context.Context {
	return context.WithValue(ctx, arrivedDialogKey{}, &arrivedDialog{
		chatID: chatID, row: a.Dialog, version: a.Version, reports: a.Reports,
	})
}

// arrivedVersion is the version of the chat's dialog row read at arrival,
// 0 when there is none: a new dialog counts on from it.
func arrivedVersion(ctx context.Context, chatID int64) int {
	if a, ok := ctx.Value(arrivedDialogKey{}).(*arrivedDialog); ok && a.chatID == chatID {
		return a.version
	}
	return 0
}

// arrivedReports is the count of the department's reports read at
// arrival, for models.Store.DepartmentLatest; a zero stamp (no cache) for
// another department.
func arrivedReports(ctx context.Context, dept uint) models.ReportStamp {
	if a, ok := ctx.Value(arrivedDialogKey{}).(*arrivedDialog); ok && a.reports.Department == dept {
		return a.reports
	}
	return models.ReportStamp{}
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
