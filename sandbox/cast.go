package sandbox

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// The sandbox's people and chats. Department contacts are contactBase plus
// the department's id, so a kept database binds the same ids next time.
const (
	coordinatorID int64 = 10001
	strangerID    int64 = 66666
	groupChatID   int64 = -1001
	contactBase   int64 = 20000
	contactLimit  int64 = 30000
)

// persona is who the user acts as: a Telegram user writing in a chat.
type persona struct {
	user  tgmodels.User
	chat  int64
	label string // the chat's name in the transcript
	dept  string // the department of a contact; "" otherwise
}

// cast knows the sandbox's people and the departments they stand for.
type cast struct {
	depts map[string]uint // department name → id
	names map[uint]string // id → name
	as    persona
}

func newCast(ctx context.Context, st *models.Store) (*cast, error) {
	if err := checkOwnDatabase(ctx, st); err != nil {
		return nil, err
	}
	year, _, err := newestYear(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("sandbox: plan year: %w", err)
	}
	plan, err := st.Plan(ctx, year)
	if err != nil {
		return nil, fmt.Errorf("sandbox: plan: %w", err)
	}
	c := &cast{depts: map[string]uint{}, names: map[uint]string{}}
	for _, d := range plan {
		c.depts[d.Name], c.names[d.ID] = d.ID, d.Name
	}
	c.as = c.coordinator()
	return c, nil
}

// checkOwnDatabase refuses a database with people the sandbox did not bind:
// the sandbox makes its own coordinator the only one (as DUBAN_ADMINS
// would) and marks reminders sent that never reached anyone, which must
// not happen to a real bot's database given by mistake.
func checkOwnDatabase(ctx context.Context, st *models.Store) error {
	people, err := st.ListContacts(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: contacts: %w", err)
	}
	for _, p := range people {
		id := p.TelegramID
		if id != coordinatorID && id != strangerID && (id <= contactBase || id >= contactLimit) {
			return fmt.Errorf("sandbox: the database binds Telegram user %d, whom the sandbox did not bind: it runs only on a database of its own", id)
		}
	}
	return nil
}

func user(id int64, name string) tgmodels.User {
	return tgmodels.User{ID: id, FirstName: name, LanguageCode: "zh-hans"}
}

func (c *cast) coordinator() persona {
	return persona{user: user(coordinatorID, labelCoordinator), chat: coordinatorID, label: labelCoordinator}
}

func (c *cast) group() persona {
	return persona{user: user(coordinatorID, labelCoordinator), chat: groupChatID, label: labelGroup}
}

func (c *cast) stranger() persona {
	return persona{user: user(strangerID, labelStranger), chat: strangerID, label: labelStranger}
}

func (c *cast) contact(dept string) (persona, bool) {
	id, ok := c.depts[dept]
	if !ok {
		return persona{}, false
	}
	uid := contactBase + int64(id)
	label := dept + labelContactSuffix
	return persona{user: user(uid, label), chat: uid, label: label, dept: dept}, true
}

// pick finds the persona `:as WHO` names.
func (c *cast) pick(who string) (persona, error) {
	switch strings.ToLower(who) {
	case "coordinator", labelCoordinator:
		return c.coordinator(), nil
	case "group", labelGroup:
		return c.group(), nil
	case "stranger", labelStranger:
		return c.stranger(), nil
	}
	if p, ok := c.contact(strings.TrimSuffix(who, labelContactSuffix)); ok {
		return p, nil
	}
	return persona{}, fmt.Errorf("%s %q", errNoSuchPersona, who)
}

// chatLabel names a chat in the transcript.
func (c *cast) chatLabel(chat int64) string {
	switch chat {
	case coordinatorID:
		return labelCoordinator
	case groupChatID:
		return labelGroup
	case strangerID:
		return labelStranger
	}
	if chat > contactBase && chat < contactLimit {
		if name, ok := c.names[uint(chat-contactBase)]; ok {
			return name + labelContactSuffix
		}
	}
	return fmt.Sprintf("chat %d", chat)
}

// bound reports whether the persona's user is bound already.
func bound(ctx context.Context, st *models.Store, p persona) (bool, error) {
	_, err := st.ContactByTelegramID(ctx, p.user.ID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, models.ErrNotFound):
		return false, nil
	}
	return false, err
}

// inviteToken finds the newest invite link for dept the bot has shown, so
// that a contact joins through the link a coordinator made with /invite.
// The pattern follows the bot's invite message; a link it misses only means
// the sandbox makes a fresh invite instead.
func inviteToken(outputs []output, dept string) string {
	re := regexp.MustCompile("「" + regexp.QuoteMeta(dept) + "」[^\n]*\n\\S*\\?start=([A-Za-z0-9_-]+)")
	for i := len(outputs) - 1; i >= 0; i-- {
		if m := re.FindStringSubmatch(outputs[i].text); m != nil {
			return m[1]
		}
	}
	return ""
}
