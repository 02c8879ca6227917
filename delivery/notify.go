package delivery

import (
	"context"
	"fmt"
	"strings"

	"github.com/duban-bot/duban/models"
)

// noticeKey prefixes the dedup keys of the notices the sender writes:
// failed:<chat>:<day>:<coordinator's Telegram id>. One notice per
// unreachable chat and day is enough: a blocked chat with ten queued
// reminders would otherwise cost every coordinator ten messages.
const noticeKey = "failed:"

// tellCoordinators enqueues for every coordinator a notice that m's chat
// could not be reached. A notice that fails in turn is not reported again,
// or two unreachable coordinators would notify each other forever; nor is a
// coordinator told about their own chat.
func (s *Sender) tellCoordinators(ctx context.Context, m models.Outbox, why string) error {
	if m.DedupKey != nil && strings.HasPrefix(*m.DedupKey, noticeKey) {
		return nil
	}
	coords, err := s.store.Coordinators(ctx)
	if err != nil {
		return err
	}
	day := s.clock.Now().UTC().Format("2006-01-02")
	text := unreachableNotice(s.recipient(ctx, m.ChatID), why, firstLine(m.Text, m.ParseMode))
	var msgs []models.OutboxMessage
	for _, c := range coords {
		if c.TelegramID == m.ChatID {
			continue
		}
		msgs = append(msgs, models.OutboxMessage{
			ChatID: c.TelegramID, Text: text,
			DedupKey: fmt.Sprintf("%s%d:%s:%d", noticeKey, m.ChatID, day, c.TelegramID),
		})
	}
	_, err = s.store.Enqueue(ctx, msgs...)
	return err
}

// recipient names a chat for coordinators: the bound contact when there is
// one, else the chat id.
func (s *Sender) recipient(ctx context.Context, chat int64) string {
	c, err := s.store.ContactByTelegramID(ctx, chat)
	if err != nil {
		return chatLabel(chat, "", "")
	}
	dept := ""
	if c.Department != nil {
		dept = c.Department.Name
	}
	return chatLabel(chat, c.Name, dept)
}
