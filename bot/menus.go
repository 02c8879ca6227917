package bot

import (
	"context"
	"sync"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"
)

// menuSet remembers the coordinators whose chat already has the
// coordinators' menu in this process, so it is set once, not on every update.
type menuSet struct{ ids sync.Map }

// storedCoordinatorMenus gives every coordinator in the store (those bound
// by `duban contact add --role coordinator`, by the chat, or by
// DUBAN_ADMINS) the coordinators' menu. Telegram refuses a chat-scoped menu
// for someone who never opened the bot, so a failure is logged and the menu
// is set again when they first write (ensureCoordinatorMenu).
func (b *Bot) storedCoordinatorMenus(ctx context.Context) error {
	cs, err := b.st.Coordinators(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if _, done := b.menus.ids.Load(c.TelegramID); !done {
			b.setCoordinatorMenu(ctx, c.TelegramID)
		}
	}
	return nil
}

// ensureCoordinatorMenu sets the coordinators' menu in a coordinator's
// private chat the first time they write in this process.
func (b *Bot) ensureCoordinatorMenu(ctx context.Context, r *request) {
	if !r.private || !r.contact.IsCoordinator() {
		return
	}
	if _, done := b.menus.ids.Load(r.user.ID); done {
		return
	}
	b.setCoordinatorMenu(ctx, r.user.ID)
}

func (b *Bot) setCoordinatorMenu(ctx context.Context, id int64) {
	_, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
		Commands: coordinatorCommands(), Scope: &tgmodels.BotCommandScopeChat{ChatID: id},
	})
	if err != nil {
		b.log.Warn("coordinator menu not set; retried when they write", "user", id, "err", err)
		return
	}
	b.menus.ids.Store(id, true)
}
