package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// userError is an answer for the user; it is not logged as a failure and
// nothing was changed.
type userError struct{ text string }

func (e userError) Error() string { return e.text }

func userErrorf(format string, a ...any) error { return userError{fmt.Sprintf(format, a...)} }

// errForbidden is a request for data of another department.
var errForbidden = errors.New("forbidden")

// request is one update, with who sent it and where.
type request struct {
	upd     *tgmodels.Update
	chatID  int64
	private bool
	user    tgmodels.User
	contact models.Contact
	query   *tgmodels.CallbackQuery // nil unless a button was pressed
	msg     *tgmodels.Message       // the user's message, nil for a button
	outcome string                  // set by serve when it ends early without an error
	// marked is set once the update's handled mark was written together
	// with its effects (see Bot.saveSession).
	marked bool
	// handled is the chat's handled marks as read at arrival: a dialog
	// write carries them with this update's mark added.
	handled string
}

// HandleUpdate handles one update to the end: it is what the dispatcher
// calls, and what tests call directly.
func (b *Bot) HandleUpdate(ctx context.Context, upd *tgmodels.Update) {
	r, ok := newRequest(upd)
	if !ok || !b.forThisBot(r) {
		return
	}
	log := b.log.With("update_id", upd.ID, "chat", r.chatID, "user", r.user.ID)
	start := time.Now() // the handler's latency is wall time, whatever the bot's clock says
	outcome := outcomePanic
	defer func() {
		b.set.Telemetry.UpdateHandled(updateKind(r), outcome, time.Since(start))
		if p := recover(); p != nil {
			log.Error("handler panic", "panic", p, "stack", string(debug.Stack()))
			b.answer(ctx, r, msgInternal)
		}
	}()
	err := b.serve(ctx, r)
	outcome = outcomeOf(r, err)
	if err != nil {
		b.fail(ctx, r, log, err)
	}
}

func newRequest(upd *tgmodels.Update) (*request, bool) {
	switch {
	case upd.Message != nil && upd.Message.From != nil:
		m := upd.Message
		return &request{upd: upd, chatID: m.Chat.ID, private: m.Chat.Type == tgmodels.ChatTypePrivate,
			user: *m.From, msg: m}, true
	case upd.EditedMessage != nil:
		return editedRequest(upd)
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		r := &request{upd: upd, user: q.From, query: q, chatID: q.From.ID, private: true}
		if m := q.Message.Message; m != nil {
			r.chatID, r.private = m.Chat.ID, m.Chat.Type == tgmodels.ChatTypePrivate
		} else if m := q.Message.InaccessibleMessage; m != nil && m.Chat.ID != 0 {
			// A button under a message older than 48 hours: Telegram still
			// says in which chat it was, and that is where the answer goes.
			r.chatID, r.private = m.Chat.ID, m.Chat.Type == tgmodels.ChatTypePrivate || m.Chat.ID == q.From.ID
		}
		return r, true
	}
	return nil, false
}

// serve authorises the sender, drops duplicates, and routes the update.
func (b *Bot) serve(ctx context.Context, r *request) error {
	a, err := b.st.Arrive(ctx, r.user.ID, r.chatID, r.upd.ID)
	c := a.Contact
	switch {
	case errors.Is(err, models.ErrNotFound):
		if token, ok := startToken(r); ok {
			return b.redeem(ctx, r, token)
		}
		b.log.Info("refused unknown user", "user", r.user.ID, "chat", r.chatID)
		r.outcome = outcomeStranger
		b.refuseStranger(ctx, r)
		return nil
	case err != nil:
		return err
	}
	r.contact, r.handled = c, a.Handled
	if a.Seen {
		b.log.Debug("duplicate update dropped", "update_id", r.upd.ID)
		r.outcome = outcomeDuplicate
		return nil
	}
	b.pruneUpdates(ctx)
	b.ensureCoordinatorMenu(ctx, r)
	err = b.route(withArrival(ctx, r.chatID, a), r)
	b.markHandled(ctx, r, err)
	return err
}

// markHandled marks the update handled when its handler succeeded and
// wrote no dialog state (which carries the mark in its own transaction).
// A handler that failed changed nothing: delivered again, the update is
// handled again.
func (b *Bot) markHandled(ctx context.Context, r *request, err error) {
	var ue userError
	if r.marked || (err != nil && !errors.As(err, &ue)) {
		return
	}
	if _, err := b.st.MarkUpdate(ctx, r.upd.ID); err != nil {
		b.log.Warn("mark update handled", "update_id", r.upd.ID, "err", err)
	}
}

// route hands the update to the handler of a button, a command or input.
func (b *Bot) route(ctx context.Context, r *request) error {
	if r.upd.EditedMessage != nil {
		return userError{msgEditIgnored}
	}
	if r.query != nil {
		if err := mayPress(r); err != nil {
			return err
		}
		return b.onButton(ctx, r)
	}
	if cmd, arg, ok := command(r.msg); ok {
		return b.onCommand(ctx, r, cmd, arg)
	}
	return b.onInput(ctx, r)
}

// mayPress checks that a button was pressed where its sender may act: in
// their own private chat, or by a coordinator in a group. Telegram fills in
// the message of a callback, but a crafted update can name any chat.
func mayPress(r *request) error {
	if r.private && r.chatID != r.user.ID {
		return fmt.Errorf("user %d pressed a button in private chat %d: %w", r.user.ID, r.chatID, errForbidden)
	}
	if !r.private && !r.contact.IsCoordinator() {
		return fmt.Errorf("user %d pressed a button in group %d: %w", r.user.ID, r.chatID, errForbidden)
	}
	return nil
}

// pruneUpdates forgets old update ids at most once an hour.
func (b *Bot) pruneUpdates(ctx context.Context) {
	now := b.now().Unix()
	last := b.pruned.Load()
	if now-last < 3600 || !b.pruned.CompareAndSwap(last, now) {
		return
	}
	if n, err := b.st.PruneUpdates(ctx); err != nil {
		b.log.Warn("prune update ids", "err", err)
	} else if n > 0 {
		b.log.Debug("pruned update ids", "count", n)
	}
}

// fail turns an error into the one answer the user reads, and logs it once.
func (b *Bot) fail(ctx context.Context, r *request, log *slog.Logger, err error) {
	var ue userError
	switch {
	case errors.As(err, &ue):
		b.answer(ctx, r, ue.text)
	case errors.Is(err, errForbidden):
		log.Warn("refused crafted request", "err", err)
		b.answer(ctx, r, msgForbidden)
	case errors.Is(err, errTelegramBusy):
		log.Warn("reply given up", "err", err)
		b.answer(ctx, r, msgTelegramBusy)
	default:
		log.Error("handler failed", "err", err)
		b.answer(ctx, r, msgInternal)
	}
}

// answer replies in the simplest way the update allows: a callback gets a
// toast, a message gets a new message.
func (b *Bot) answer(ctx context.Context, r *request, text string) {
	if r.query != nil {
		b.toast(ctx, r.query, text)
		return
	}
	if _, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: r.chatID, Text: text}); err != nil {
		b.log.Warn("send answer", "chat", r.chatID, "err", err)
	}
}

// toast answers a button press; Telegram shows at most 200 characters.
func (b *Bot) toast(ctx context.Context, q *tgmodels.CallbackQuery, text string) {
	if r := []rune(text); len(r) > 190 {
		text = string(r[:190]) + "…"
	}
	_, err := b.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{
		CallbackQueryID: q.ID, Text: text, ShowAlert: len([]rune(text)) > 40,
	})
	if err != nil {
		b.log.Warn("answer callback", "err", err)
	}
}

// command splits "/report@duban_bot arg" into ("report", "arg"). Telegram
// adds the @username suffix in groups; entity offsets are UTF-16, so only a
// command at offset 0 counts.
func command(m *tgmodels.Message) (name, arg string, ok bool) {
	c, ok := readCommand(m)
	return c.name, c.arg, ok
}

func startToken(r *request) (string, bool) {
	cmd, arg, ok := command(r.msg)
	if !ok || cmd != "start" || arg == "" || !r.private {
		return "", false
	}
	return arg, true
}
