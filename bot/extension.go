package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/scheduler"
)

// Extension decisions are buttons on the coordinators' copy of a request:
// "xa:<extension>" approves, "xr:<extension>" rejects.
const (
	approvePrefix = "xa:"
	rejectPrefix  = "xr:"
)

// maxExtension bounds how far past its deadline a period may be moved.
const maxExtension = 60 * 24 * time.Hour

// onNoticeButton handles 收到 and 申请延期 on a ladder notice. The notice
// must have been sent to this chat: crafted data for another chat's notice
// is refused.
func (b *Bot) onNoticeButton(ctx context.Context, r *request) error {
	action, id, _ := scheduler.ParseNoticeData(r.query.Data)
	n, err := b.st.Notice(ctx, id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && n.ChatID != r.chatID) {
		return fmt.Errorf("notice %d pressed in chat %d: %w", id, r.chatID, errForbidden)
	}
	if err != nil {
		return err
	}
	if action == scheduler.ActionAck {
		if _, err := b.st.AckNotice(ctx, id, r.user.ID, b.now()); err != nil {
			return err
		}
		b.toast(ctx, r.query, msgAcked)
		return nil
	}
	return b.askExtension(ctx, r, n)
}

// askExtension opens the two-line extension request: the contact types a
// date and a reason.
func (b *Bot) askExtension(ctx context.Context, r *request, n models.Notice) error {
	if n.DepartmentID == 0 {
		return fmt.Errorf("extension on list notice %d: %w", n.ID, errForbidden)
	}
	if err := b.authorize(r, n.DepartmentID); err != nil {
		return err
	}
	s, err := b.freshSession(ctx, r.chatID)
	if err != nil {
		return err
	}
	s.dialog = dialog{Step: stepExtension, Dept: n.DepartmentID, Period: n.Period}
	b.toast(ctx, r.query, "")
	return b.show(ctx, r, s, true)
}

// extensionScreen asks for the new date and the reason.
func (b *Bot) extensionScreen(s *session) screen {
	deadline, _ := b.deadline(s.Period)
	example := deadline.In(b.set.Loc).AddDate(0, 0, 5).Format("2006-01-02")
	return screen{text: fmt.Sprintf(msgExtAsk, s.Period, deadline.In(b.set.Loc).Format("01-02 15:04"), example)}
}

// extensionInput reads "日期 理由", stores the request and its copies to the
// coordinators in one transaction, and ends the dialog.
func (b *Bot) extensionInput(ctx context.Context, r *request, s *session) error {
	until, reason, err := b.readExtension(r.msg.Text, s.Period)
	if err != nil {
		return err
	}
	d, err := b.st.Department(ctx, s.Dept)
	if err != nil {
		return err
	}
	e := models.Extension{DepartmentID: s.Dept, Period: s.Period, RequestedBy: r.user.ID, Until: until, Reason: reason}
	err = b.st.Tx(ctx, func(tx *models.Store) error {
		if err := tx.RequestExtension(ctx, &e); err != nil {
			return err
		}
		coords, err := tx.Coordinators(ctx)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(ctx, b.extensionRequestMessages(e, d.Name, r.contact, coords)...)
		return err
	})
	if errors.Is(err, models.ErrConflict) {
		return userErrorf(msgExtPending, s.Period)
	}
	if err != nil {
		return err
	}
	b.wake()
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	b.answer(ctx, r, fmt.Sprintf(msgExtSubmitted, s.Period, b.dayTime(until)))
	return nil
}

// readExtension checks a typed request: a real date after the deadline and
// within maxExtension of it, and a reason.
func (b *Bot) readExtension(text, period string) (time.Time, string, error) {
	deadline, ok := b.deadline(period)
	if !ok {
		return time.Time{}, "", fmt.Errorf("extension for period %q: %w", period, errForbidden)
	}
	day, reason, ok := parseDay(text, b.now(), b.set.Loc)
	if !ok {
		return time.Time{}, "", userErrorf(msgExtBadDate, deadline.In(b.set.Loc).AddDate(0, 0, 5).Format("2006-01-02"))
	}
	until := day.Add(b.set.Schedule.DeadlineClock)
	if !until.After(deadline) || !until.After(b.now()) || until.Sub(deadline) > maxExtension {
		return time.Time{}, "", userErrorf(msgExtBadRange, b.dayTime(deadline))
	}
	reason = strings.TrimSpace(strings.TrimLeft(reason, "，,：:；; "))
	if len([]rune(reason)) < 2 {
		return time.Time{}, "", userError{msgExtNoReason}
	}
	return until, shorten(reason, 200), nil
}

func (b *Bot) extensionRequestMessages(e models.Extension, dept string, by models.Contact, coords []models.Contact) []models.OutboxMessage {
	text := fmt.Sprintf(msgExtRequest, dept, e.Period, b.dayTime(e.Until), quote(e.Reason, maxQuotedNote), contactLabel(by))
	kb := screen{rows: [][]button{{
		{btnApprove, approvePrefix + strconv.Itoa(int(e.ID))},
		{btnReject, rejectPrefix + strconv.Itoa(int(e.ID))},
	}}}
	markup := kb.markupJSON()
	out := make([]models.OutboxMessage, 0, len(coords))
	for _, c := range coords {
		out = append(out, models.OutboxMessage{ChatID: c.TelegramID, Text: text, Markup: markup,
			DedupKey: fmt.Sprintf("ext:%d:req:%d", e.ID, c.TelegramID)})
	}
	return out
}

// onDecision handles 批准 / 驳回 on a request: the first coordinator to
// press decides; the others are told it was decided.
func (b *Bot) onDecision(ctx context.Context, r *request) error {
	if !r.contact.IsCoordinator() {
		return fmt.Errorf("extension decision by a contact: %w", errForbidden)
	}
	approve := strings.HasPrefix(r.query.Data, approvePrefix)
	id, err := strconv.ParseUint(r.query.Data[len(approvePrefix):], 10, 32)
	if err != nil {
		return fmt.Errorf("decision %q: %w", r.query.Data, errForbidden)
	}
	var e models.Extension
	var dept models.Department
	err = b.st.Tx(ctx, func(tx *models.Store) error {
		if e, err = tx.DecideExtension(ctx, uint(id), approve, r.user.ID, b.now()); err != nil {
			return err
		}
		if dept, err = tx.Department(ctx, e.DepartmentID); err != nil {
			return err
		}
		contacts, err := tx.DepartmentContacts(ctx, e.DepartmentID)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(ctx, b.decisionMessages(e, dept.Name, contacts)...)
		return err
	})
	switch {
	case errors.Is(err, models.ErrConflict):
		b.toast(ctx, r.query, fmt.Sprintf(msgExtDecided, decisionLabel(e.Status)))
		return nil
	case errors.Is(err, models.ErrNotFound):
		return fmt.Errorf("decision on extension %d: %w", id, errForbidden)
	case err != nil:
		return err
	}
	b.wake()
	b.toast(ctx, r.query, decisionLabel(e.Status))
	return b.markDecided(ctx, r, e)
}

// markDecided rewrites the coordinator's copy so its buttons cannot be
// pressed again and it says who decided.
func (b *Bot) markDecided(ctx context.Context, r *request, e models.Extension) error {
	m := r.query.Message.Message
	if m == nil {
		return nil
	}
	text := fmt.Sprintf("%s\n\n%s（%s，%s）", m.Text, decisionLabel(e.Status), contactLabel(r.contact), b.dayTime(b.now()))
	return b.edit(ctx, r.chatID, m.ID, screen{text: text})
}

func (b *Bot) decisionMessages(e models.Extension, dept string, contacts []models.Contact) []models.OutboxMessage {
	text := fmt.Sprintf(msgExtRejected, dept, e.Period)
	if e.Status == models.ExtensionApproved {
		text = fmt.Sprintf(msgExtApproved, dept, e.Period, b.dayTime(e.Until))
	}
	out := make([]models.OutboxMessage, 0, len(contacts))
	for _, c := range contacts {
		out = append(out, models.OutboxMessage{ChatID: c.TelegramID, Text: text,
			DedupKey: fmt.Sprintf("ext:%d:%s:%d", e.ID, e.Status, c.TelegramID)})
	}
	return out
}

func decisionLabel(status string) string {
	switch status {
	case models.ExtensionApproved:
		return msgExtStatusApproved
	case models.ExtensionRejected:
		return msgExtStatusRejected
	}
	return msgExtStatusPending
}

func contactLabel(c models.Contact) string {
	return personLabel(scheduler.Person{TelegramID: c.TelegramID, Name: c.Name})
}

// dayTime formats an instant as the bot's users read deadlines.
func (b *Bot) dayTime(t time.Time) string {
	return NewRenderer(b.set.Loc).when(t)
}

// wake tells the outbox sender that messages are waiting.
func (b *Bot) wake() {
	if b.set.Wake != nil {
		b.set.Wake()
	}
}
