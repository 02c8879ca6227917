// Package bot is duban's Telegram adapter: it turns updates into dialog
// steps and store calls, and renders every answer from the message catalog.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/progress"
)

// API is the part of the Bot API client the handlers call; *tg.Bot has it.
type API interface {
	SendMessage(ctx context.Context, p *tg.SendMessageParams) (*tgmodels.Message, error)
	EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*tgmodels.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *tg.AnswerCallbackQueryParams) (bool, error)
	SetMyCommands(ctx context.Context, p *tg.SetMyCommandsParams) (bool, error)
	DeleteMyCommands(ctx context.Context, p *tg.DeleteMyCommandsParams) (bool, error)
	SendDocument(ctx context.Context, p *tg.SendDocumentParams) (*tgmodels.Message, error)
	SendPhoto(ctx context.Context, p *tg.SendPhotoParams) (*tgmodels.Message, error)
}

// Settings are the rules the bot follows.
type Settings struct {
	Username   string // the bot's @username, for invite links
	Admins     []int64
	Loc        *time.Location
	Schedule   calendar.Schedule
	Calendar   *calendar.Calendar
	Thresholds progress.Thresholds
	// Wake, when set, is called after the bot puts messages in the outbox,
	// so the sender does not wait for its next poll.
	Wake func()
	// Pacer, when set, spaces the bot's messages to a chat together with
	// the outbox's (the delivery.ChatPacer the sender uses).
	Pacer Pacer
	// Sleep waits between retries of a reply; nil waits in real time.
	Sleep func(ctx context.Context, d time.Duration) error
	// Telemetry receives the operator's metrics; nil reports nowhere.
	Telemetry Telemetry
}

// Bot handles Telegram updates.
type Bot struct {
	api API
	st  Store
	now func() time.Time
	log *slog.Logger
	set Settings
	// pruned is when old update ids were last forgotten (unix seconds); a
	// pointer, so withStore's copies share it.
	pruned *atomic.Int64
	// menus: coordinators whose menu is set, shared by withStore's copies.
	menus *menuSet
}

// New builds a bot; call HandleUpdate for every update.
func New(api API, st Store, now func() time.Time, log *slog.Logger, set Settings) *Bot {
	if set.Loc == nil {
		set.Loc = time.UTC
	}
	if set.Telemetry == nil {
		set.Telemetry = noTelemetry{}
	}
	if set.Sleep == nil {
		set.Sleep = sleepTimer
	}
	api = patientAPI{API: api, pacer: set.Pacer, sleep: set.Sleep}
	return &Bot{api: api, st: st, now: now, log: log.With("component", "bot"), set: set, pruned: new(atomic.Int64), menus: &menuSet{}}
}

// Init applies DUBAN_ADMINS (listed users become coordinators, those it
// made and no longer lists are revoked) and installs the command menus: one
// for everybody in private chats, a longer one for each coordinator.
func (b *Bot) Init(ctx context.Context) error {
	revoked, err := b.syncAdmins(ctx)
	if err != nil {
		return err
	}
	if err := b.dropCoordinatorMenus(ctx, revoked); err != nil {
		return err
	}
	if _, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
		Commands: contactCommands(), Scope: &tgmodels.BotCommandScopeAllPrivateChats{},
	}); err != nil {
		return fmt.Errorf("set contact commands: %w", err)
	}
	for _, id := range b.set.Admins {
		if _, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
			Commands: coordinatorCommands(), Scope: &tgmodels.BotCommandScopeChat{ChatID: id},
		}); err != nil {
			return fmt.Errorf("set coordinator commands for %d: %w", id, err)
		}
		b.menus.ids.Store(id, true)
	}
	return b.storedCoordinatorMenus(ctx)
}

func contactCommands() []tgmodels.BotCommand {
	return []tgmodels.BotCommand{
		{Command: "report", Description: menuReport},
		{Command: "mine", Description: menuMine},
		{Command: "whoami", Description: menuWhoami},
		{Command: "leave", Description: menuLeave},
		{Command: "cancel", Description: menuCancel},
		{Command: "help", Description: menuHelp},
	}
}

func coordinatorCommands() []tgmodels.BotCommand {
	return append([]tgmodels.BotCommand{
		{Command: "status", Description: menuStatus},
		{Command: "overdue", Description: menuOverdue},
		{Command: "export", Description: menuExport},
		{Command: "invite", Description: menuInvite},
		{Command: "contacts", Description: menuContacts},
		{Command: "target", Description: menuTarget},
		{Command: "review", Description: menuReview},
	}, contactCommands()...)
}
