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
// tells the user so; payOwed forgets it once Telegram accepted it.
func oweScreen(ctx context.Context, tx *models.Store, s *session, version int, sc screen) (uint, error) {
	owed := models.ReplyOwed{ChatID: s.chatID, MessageID: s.messageID, Text: sc.text, Markup: sc.markupJSON(), Version: version}
	if err := tx.OweReply(ctx, &owed); err != nil {
		return 0, err
	}
	return owed.ID, nil
}

func (b *Bot) payOwed(ctx context.Context, id uint) {
	if err := b.st.PayReply(context.WithoutCancel(ctx), id); err != nil {
		// Harmless: at the next start the screen is shown once more.
		b.log.Warn("forget reply owed", "id", id, "err", err)
	}
}

// SendOwed sends the edits owed from before a restart: values committed
// whose "已保存" screen never reached the user. An edit whose dialog has
// moved on (or ended) since is dropped: the user saw a newer screen. Call
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
			b.payOwed(ctx, row.ID)
			continue
		case err != nil:
			return sent, err
		}
		if err := b.editOwed(ctx, row); err != nil {
			b.log.Warn("send reply owed", "chat", row.ChatID, "err", err)
			continue
		}
		b.payOwed(ctx, row.ID)
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
