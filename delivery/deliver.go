package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// maxBackoff caps the wait before retrying after a 5xx or network error.
const maxBackoff = 5 * time.Minute

var errBadMarkup = errors.New("reply_markup is not valid JSON")

// outcome is what became of one send.
type outcome struct {
	msg     models.Outbox
	v       verdict
	startAt time.Time // when the request was made, on the clock
	doneAt  time.Time // when the answer (or error) came back, on the clock
}

type kind int

const (
	sent   kind = iota // acknowledged: never sent again
	retry              // back to the outbox until notBefore
	failed             // given up
)

// verdict is how the sender reads Telegram's answer.
type verdict struct {
	kind       kind
	messageID  int
	notBefore  time.Time     // retry: when to try again
	retryAfter time.Duration // > 0 after a 429
	// unreachable is, for a chat that cannot be reached (blocked bot,
	// deactivated user, unknown chat), the reason to tell coordinators.
	unreachable string
	reason      string // the error, stored as last_error
}

// attempt sends m and judges the answer. The request does not end with
// ctx: once started it runs to its answer or SendTimeout, because a
// cancelled request may still have reached Telegram.
func (s *Sender) attempt(ctx context.Context, m models.Outbox) outcome {
	startAt := s.clock.Now()
	msg, err := s.send(ctx, m)
	o := outcome{msg: m, startAt: startAt, doneAt: s.clock.Now()}
	o.v = s.judge(m, msg, err, o.doneAt)
	return o
}

func (s *Sender) send(ctx context.Context, m models.Outbox) (*tgmodels.Message, error) {
	params, err := sendParams(m)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.SendTimeout)
	defer cancel()
	return s.api.SendMessage(sctx, params)
}

// sendParams builds the request. The markup goes out as the stored JSON:
// go-telegram/bot JSON-encodes ReplyMarkup (an `any`), which leaves a
// json.RawMessage as it is, whereas its own InlineKeyboardMarkup would add
// an empty copy_text object to every button.
func sendParams(m models.Outbox) (*bot.SendMessageParams, error) {
	p := &bot.SendMessageParams{ChatID: m.ChatID, Text: m.Text, ParseMode: tgmodels.ParseMode(m.ParseMode)}
	if m.Markup != "" {
		if !json.Valid([]byte(m.Markup)) {
			return nil, fmt.Errorf("message %d: %w", m.ID, errBadMarkup)
		}
		p.ReplyMarkup = json.RawMessage(m.Markup)
	}
	return p, nil
}

// judge reads the result of sending m at now.
func (s *Sender) judge(m models.Outbox, msg *tgmodels.Message, err error, now time.Time) verdict {
	if err == nil {
		return verdict{kind: sent, messageID: messageID(msg)}
	}
	v := verdict{kind: failed, reason: err.Error()}
	var flood *bot.TooManyRequestsError
	var migrated *bot.MigrateError
	switch {
	case errors.As(err, &flood):
		v.kind, v.retryAfter = retry, max(time.Duration(flood.RetryAfter)*time.Second, time.Second)
		v.notBefore = now.Add(v.retryAfter)
	case errors.Is(err, bot.ErrorForbidden) || isChatNotFound(err):
		v.unreachable = unreachableReason(err)
	case errors.Is(err, bot.ErrorBadRequest), errors.As(err, &migrated), errors.Is(err, errBadMarkup):
		// The message itself is wrong: sending it again cannot help.
	case m.Attempts+1 < s.opts.MaxAttempts:
		// 5xx, timeouts, network: Telegram or the way to it is down.
		v.kind, v.notBefore = retry, now.Add(backoff(m.Attempts))
	}
	return v
}

// isChatNotFound tells "400 Bad Request: chat not found", which Telegram
// answers for a user who never started the bot: the chat is unreachable
// rather than the message wrong.
func isChatNotFound(err error) bool {
	return errors.Is(err, bot.ErrorBadRequest) && strings.Contains(err.Error(), "chat not found")
}

// backoff is the wait after the attempts-th failed attempt: 1s, 2s, 4s, …
// up to maxBackoff.
func backoff(attempts int) time.Duration {
	if attempts >= 20 {
		return maxBackoff
	}
	return min(time.Second<<attempts, maxBackoff)
}

func messageID(msg *tgmodels.Message) int {
	if msg == nil {
		return 0
	}
	return msg.ID
}
