package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"
)

// maxStartupWait caps the wait between start-up attempts to reach Telegram.
const maxStartupWait = time.Minute

// identity is the one call start-up needs from the Bot API.
type identity interface {
	GetMe(ctx context.Context) (*tgmodels.User, error)
}

// whoAmI asks Telegram who the bot is. A token Telegram refuses ends
// start-up at once with one line naming TELEGRAM_BOT_TOKEN; anything else
// (5xx, a network error, a proxy's error page) is retried after 1s, 2s, 4s,
// … up to maxStartupWait, until ctx ends: Telegram or the way to it being
// down for a while is no reason to exit and leave a restart loop to retry.
func whoAmI(ctx context.Context, api identity, log *slog.Logger, sleep func(context.Context, time.Duration) error) (*tgmodels.User, error) {
	for attempt := 0; ; attempt++ {
		me, err := api.GetMe(ctx)
		switch {
		case err == nil:
			return me, nil
		case errors.Is(err, tg.ErrorUnauthorized):
			return nil, usagef("TELEGRAM_BOT_TOKEN: Telegram refused the token (401 Unauthorized): it is wrong or was revoked; copy the current one from @BotFather")
		case errors.Is(err, tg.ErrorNotFound):
			return nil, usagef("TELEGRAM_BOT_TOKEN: Telegram answered 404 Not Found to getMe: the token is malformed (or TELEGRAM_API_URL points elsewhere)")
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		wait := startupWait(attempt)
		log.Warn("telegram unreachable at start-up, retrying", "attempt", attempt+1, "in", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// startupWait is the wait after the attempt-th failed attempt: 1s, 2s, 4s, …
func startupWait(attempt int) time.Duration {
	if attempt >= 6 {
		return maxStartupWait
	}
	return min(time.Second<<attempt, maxStartupWait)
}
