package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/models"
)

// repeatWindow is how long an equal value of the same metric and period
// counts as the one already saved rather than a new report: long enough
// for a user who never saw "已保存" (a crash, Telegram down) to try again.
const repeatWindow = 10 * time.Minute

// payOwed forgets the edit owed by the chat's dialog at version.
func (b *Bot) payOwed(ctx context.Context, chat int64, version int) {
	if err := b.st.PayReply(ctx, chat, version); err != nil {
		// Harmless: at the next start the screen is edited once more.
		b.log.Warn("forget reply owed", "chat", chat, "err", err)
	}
}

// SendOwed sends the edits owed from before a restart: values committed
// whose "已保存" screen may never have reached the user. A dialog owes its
// edit until its next step (see models.DialogState.OwedText): an edit that
// did arrive is answered "not modified", which changes nothing. Call it at
// start-up, before updates are handled; it returns how many it sent.
func (b *Bot) SendOwed(ctx context.Context) (int, error) {
	rows, err := b.st.DialogsOwing(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, row := range rows {
		if err := b.editOwed(ctx, row); err != nil {
			b.log.Warn("send reply owed", "chat", row.ChatID, "err", err)
			continue
		}
		b.payOwed(ctx, row.ChatID, row.Version)
		sent++
	}
	return sent, nil
}

func (b *Bot) editOwed(ctx context.Context, row models.DialogState) error {
	p := &tg.EditMessageTextParams{ChatID: row.ChatID, MessageID: row.MessageID, Text: row.OwedText}
	if row.OwedMarkup != "" {
		p.ReplyMarkup = json.RawMessage(row.OwedMarkup)
	}
	if _, err := b.api.EditMessageText(ctx, p); err != nil && !notModified(err) {
		return fmt.Errorf("edit owed screen: %w", err)
	}
	return nil
}
