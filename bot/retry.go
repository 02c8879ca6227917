package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"
)

// Pacer spaces the messages to a chat across every sender of the process
// (the outbox too); delivery.ChatPacer is one.
type Pacer interface {
	// Take waits until chat may get a message and marks one in flight.
	Take(ctx context.Context, chat int64) error
	// Release ends it; retryAfter is Telegram's retry_after after a 429.
	Release(chat int64, retryAfter time.Duration)
}

// replyBudget bounds how long a reply waits in all for Telegram: the user
// is looking at the chat.
const replyBudget = 10 * time.Second

// errTelegramBusy is a reply Telegram kept refusing for replyBudget.
var errTelegramBusy = errors.New("telegram kept refusing the reply")

// patientAPI is the API the handlers call: it waits its turn in the chat
// (Pacer), honours retry_after, and retries answers that prove Telegram
// did not act (429, a 5xx it answered, a connection never made) with a
// short backoff. Edits and callback answers are also retried after a lost
// answer, since doing them twice changes nothing; a sendMessage whose
// answer was lost is not, because it may have arrived.
type patientAPI struct {
	API
	pacer Pacer // nil: no pacing
	sleep func(context.Context, time.Duration) error
}

func (a patientAPI) SendMessage(ctx context.Context, p *tg.SendMessageParams) (*tgmodels.Message, error) {
	var msg *tgmodels.Message
	err := a.do(ctx, chatID(p.ChatID), false, func() (err error) {
		msg, err = a.API.SendMessage(ctx, p)
		return err
	})
	return msg, err
}

// EditMessageText treats "message is not modified" as done.
func (a patientAPI) EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*tgmodels.Message, error) {
	var msg *tgmodels.Message
	err := a.do(ctx, 0, true, func() (err error) {
		msg, err = a.API.EditMessageText(ctx, p)
		if notModified(err) {
			return nil
		}
		return err
	})
	return msg, err
}

func (a patientAPI) AnswerCallbackQuery(ctx context.Context, p *tg.AnswerCallbackQueryParams) (bool, error) {
	var ok bool
	err := a.do(ctx, 0, true, func() (err error) {
		ok, err = a.API.AnswerCallbackQuery(ctx, p)
		return err
	})
	return ok, err
}

// SendDocument and SendPhoto are paced but not retried: their upload is a
// reader, read by the first attempt.
func (a patientAPI) SendDocument(ctx context.Context, p *tg.SendDocumentParams) (*tgmodels.Message, error) {
	var msg *tgmodels.Message
	err := a.paced(ctx, chatID(p.ChatID), func() (err error) {
		msg, err = a.API.SendDocument(ctx, p)
		return err
	})
	return msg, err
}

func (a patientAPI) SendPhoto(ctx context.Context, p *tg.SendPhotoParams) (*tgmodels.Message, error) {
	var msg *tgmodels.Message
	err := a.paced(ctx, chatID(p.ChatID), func() (err error) {
		msg, err = a.API.SendPhoto(ctx, p)
		return err
	})
	return msg, err
}

// do runs call, paced in chat when chat is not 0, until it succeeds, fails
// for good, or the waits would pass replyBudget.
func (a patientAPI) do(ctx context.Context, chat int64, idempotent bool, call func() error) error {
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		err := a.paced(ctx, chat, call)
		if err == nil {
			return nil
		}
		wait, ok := retryWait(err, idempotent, attempt)
		if !ok || ctx.Err() != nil {
			return err
		}
		if waited+wait > replyBudget {
			return fmt.Errorf("%w for %v: %w", errTelegramBusy, waited, err)
		}
		if err := a.sleep(ctx, wait); err != nil {
			return err
		}
		waited += wait
	}
}

func (a patientAPI) paced(ctx context.Context, chat int64, call func() error) error {
	if a.pacer == nil || chat == 0 {
		return call()
	}
	if err := a.pacer.Take(ctx, chat); err != nil {
		return err
	}
	err := call()
	a.pacer.Release(chat, floodWait(err))
	return err
}

// retryWait says whether err may be retried and after how long.
func retryWait(err error, idempotent bool, attempt int) (time.Duration, bool) {
	if d := floodWait(err); d > 0 {
		return d, true
	}
	backoff := min(500*time.Millisecond<<attempt, 4*time.Second)
	if code, ok := serverError(err); ok {
		return backoff, code >= 500
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return backoff, true // the request never left
	}
	if idempotent && !telegramAnswered(err) && !errors.Is(err, context.Canceled) {
		return backoff, true // a lost answer or a proxy's error page
	}
	return 0, false
}

// telegramAnswered tells an error Telegram itself answered (the request
// is wrong, the chat unreachable) from a failure on the way.
func telegramAnswered(err error) bool {
	var migrated *tg.MigrateError
	for _, known := range []error{tg.ErrorBadRequest, tg.ErrorForbidden, tg.ErrorUnauthorized, tg.ErrorNotFound, tg.ErrorConflict} {
		if errors.Is(err, known) {
			return true
		}
	}
	return errors.As(err, &migrated)
}

// floodWait is Telegram's retry_after of a 429 (at least a second), else 0.
func floodWait(err error) time.Duration {
	var flood *tg.TooManyRequestsError
	if !errors.As(err, &flood) {
		return 0
	}
	return max(time.Duration(flood.RetryAfter)*time.Second, time.Second)
}

// serverError reads the status of an answer the library has no error type
// for: "error response from telegram for method M, 502 Bad Gateway".
func serverError(err error) (int, bool) {
	_, rest, ok := strings.Cut(err.Error(), "error response from telegram for method ")
	if !ok {
		return 0, false
	}
	_, rest, ok = strings.Cut(rest, ", ")
	if !ok {
		return 0, false
	}
	code, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	return n, err == nil
}

// chatID is a numeric chat id, 0 for a @channel name.
func chatID(id any) int64 {
	n, _ := id.(int64)
	return n
}

func sleepTimer(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
