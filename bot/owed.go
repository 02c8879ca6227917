package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/models"
)

// repeatWindow is how long an equal value of the same metric and period
// counts as the one already saved rather than a new report: long enough
// for a user who never saw "已保存" (a crash, Telegram down) to try again.
const repeatWindow = 10 * time.Minute

// oweScreen records, in the transaction that saved a value, the edit that
// tells the user so (see models.ReplyOwed).
func oweScreen(ctx context.Context, tx *models.Store, s *session, version int, sc screen) error {
	return tx.OweReply(ctx, &models.ReplyOwed{
		ChatID: s.chatID, MessageID: s.messageID, Text: sc.text, Markup: sc.markupJSON(), Version: version,
	})
}

func (b *Bot) payOwed(ctx context.Context, chat int64) {
	if err := b.st.PayReply(ctx, chat); err != nil {
		// Harmless: at the next start the screen is edited once more.
		b.log.Warn("forget reply owed", "chat", chat, "err", err)
	}
}

// SendOwed sends the edits owed from before a restart: values committed
// whose "已保存" screen may never have reached the user. The edit goes out
// when the chat's dialog still shows that step (an edit that did arrive is
// answered "not modified", which changes nothing); an edit whose dialog
// has moved on (or ended) is dropped, as the user saw a newer screen. Call
// it at start-up, before updates are handled; it returns how many it sent.
func (b *Bot) SendOwed(ctx context.Context) (int, error) {
	rows, err := b.st.RepliesOwed(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, row := range rows {
		d, err := b.st.Dialog(ctx, row.ChatID)
		switch {
		case errors.Is(err, models.ErrNotFound) || (err == nil && (d.Version != row.Version || d.MessageID != row.MessageID)):
			b.payOwed(ctx, row.ChatID)
			continue
		case err != nil:
			return sent, err
		}
		if err := b.editOwed(ctx, row); err != nil {
			b.log.Warn("send reply owed", "chat", row.ChatID, "err", err)
			continue
		}
		b.payOwed(ctx, row.ChatID)
		sent++
	}
	return sent, nil
}

func (b *Bot) editOwed(ctx context.Context, row models.ReplyOwed) error {
	p := &tg.EditMessageTextParams{ChatID: row.ChatID, MessageID: row.MessageID, Text: row.Text}
	if row.Markup != "" {
		p.ReplyMarkup = json.RawMessage(row.Markup)
	}
	if _, err := b.api.EditMessageText(ctx, p); err != nil && !notModified(err) {
		return fmt.Errorf("edit owed screen: %w", err)
	}
	return nil
}
