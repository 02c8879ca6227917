package bot

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgmodels "github.com/go-telegram/bot/models"
)

// In a group the bot hears everybody, strangers included, and whatever it
// says every member reads. So there it answers only commands meant for it,
// says nothing to strangers, and keeps invites and a person's own data
// (dialogs, /mine, /whoami, /leave, exports) for private chats. Buttons under
// the bot's own messages in the coordinators' group (digest, notices,
// /status) keep working: their answers are toasts or edits of that message.

// forThisBot says whether an update is for this bot at all. Private chats
// and button presses always are. In a group only a command at the start of
// the text is, and only when it names this bot ("/status@duban_bot") or no
// bot ("/status"); group chatter and "/status@other_bot" are not, and get no
// answer and no database work.
func (b *Bot) forThisBot(r *request) bool {
	if r.private || r.query != nil {
		return true
	}
	cmd, ok := readCommand(r.msg)
	return ok && (cmd.to == "" || b.isMe(cmd.to))
}

// isMe says whether username is this bot's. A bot that does not know its
// own name (no getMe) takes no addressed command as its own.
func (b *Bot) isMe(username string) bool {
	return b.set.Username != "" && strings.EqualFold(username, b.set.Username)
}

// groupCommand says whether cmd is answered in a group: help for any
// contact, and the city views the coordinators use in their group (the same
// figures the weekly digest posts there).
func groupCommand(cmd string, coordinator bool) bool {
	switch cmd {
	case "help", "start":
		return true
	case "status", "overdue":
		return coordinator
	}
	return false
}

// inGroup handles a contact's command in a group when it is not one to
// answer there: a command of the bot's menus gets a pointer to the private
// chat (and nothing else happens: no invite, no dialog); any other command
// gets silence unless it named this bot, since an unaddressed one is likely
// another bot's. done is false for the commands answered as in private.
func (b *Bot) inGroup(ctx context.Context, r *request, cmd string) (done bool) {
	if r.private || groupCommand(cmd, r.contact.IsCoordinator()) {
		return false
	}
	if slices.ContainsFunc(coordinatorCommands(), func(c tgmodels.BotCommand) bool { return c.Command == cmd }) {
		b.answer(ctx, r, msgGroupPrivate)
		return true
	}
	if c, _ := readCommand(r.msg); c.to != "" {
		b.answer(ctx, r, msgUnknownInput)
	}
	return true
}

// refuseStranger answers someone who is not a contact: in a private chat, or
// with a toast only the presser sees, that the bot is not for them; in a
// group with nothing at all, so strangers cannot make the bot talk there.
func (b *Bot) refuseStranger(ctx context.Context, r *request) {
	if r.private || r.query != nil {
		b.answer(ctx, r, msgRefusal)
	}
}

// botCommand is a command at the start of a message: "/status@duban_bot 市科协".
type botCommand struct {
	name string // lower case, without the slash
	to   string // the bot it names, "" when none
	arg  string
}

// readCommand reads the command a message starts with. Telegram commands
// are 1–32 letters, digits and underscores; "/ 你好" or "/状态" is text.
func readCommand(m *tgmodels.Message) (botCommand, bool) {
	if m == nil || !strings.HasPrefix(m.Text, "/") {
		return botCommand{}, false
	}
	head, rest := commandHead(m)
	name, to, _ := strings.Cut(head[1:], "@")
	if !validCommand(name) {
		return botCommand{}, false
	}
	// "/status，市科协", "/status: 市科协": the separator is not the argument
	arg := strings.TrimSpace(strings.TrimLeft(rest, " ，,：:"))
	return botCommand{name: strings.ToLower(name), to: to, arg: arg}, true
}

// commandHead splits a message at the end of the bot_command entity Telegram
// marked at offset 0, so "/status，市科协" is /status and an argument. The
// entity's length counts UTF-16 units, not bytes. Without an entity the
// command ends at the first space.
func commandHead(m *tgmodels.Message) (head, rest string) {
	for _, e := range m.Entities {
		if e.Type == tgmodels.MessageEntityTypeBotCommand && e.Offset == 0 {
			if n, ok := utf16Prefix(m.Text, e.Length); ok && n > 1 {
				return m.Text[:n], m.Text[n:]
			}
		}
	}
	if i := strings.IndexFunc(m.Text, unicode.IsSpace); i >= 0 {
		return m.Text[:i], m.Text[i:]
	}
	return m.Text, ""
}

// utf16Prefix returns how many bytes of s make its first units UTF-16 units.
func utf16Prefix(s string, units int) (int, bool) {
	n := 0
	for i, r := range s {
		if n == units {
			return i, true
		}
		if n += utf16.RuneLen(r); n > units {
			return 0, false // the length ends inside a character
		}
		if r == utf8.RuneError {
			return 0, false
		}
	}
	return len(s), n == units
}

func validCommand(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for _, c := range name {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
