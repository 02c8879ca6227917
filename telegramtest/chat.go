package telegramtest

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf16"

	tgmodels "github.com/go-telegram/bot/models"
)

// Chat drives a private chat between one user and the bot under test, in
// the style of a scenario: the user sends texts and taps buttons, the test
// reads what the bot answered. The chat id equals the user id.
type Chat struct {
	srv     *Server
	user    tgmodels.User
	deliver func(context.Context, *tgmodels.Update)
}

// Chat returns the private chat with userID. deliver hands an update to the
// bot under test and should return once it is handled (e.g. a bot built with
// WithNotAsyncHandlers and its ProcessUpdate), so the test can assert at once.
func (s *Server) Chat(userID int64, deliver func(context.Context, *tgmodels.Update)) *Chat {
	user := tgmodels.User{ID: userID, FirstName: userName(userID), LanguageCode: "zh-hans"}
	return &Chat{srv: s, user: user, deliver: deliver}
}

// User is the user on the other side of the chat.
func (c *Chat) User() tgmodels.User { return c.user }

// NewMessage returns a message from the user with the next message id, the
// chat, sender and date filled in, for SendUpdate with photos, documents etc.
func (c *Chat) NewMessage() *tgmodels.Message {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.newMessageLocked(c.user.ID, s.now(), c.user)
	return &msg
}

// NewMessage returns a message from user in chatID (a private chat or a
// group) with the chat's next message id and the server's time, as
// Telegram would deliver it to the bot.
func (s *Server) NewMessage(chatID int64, from tgmodels.User) *tgmodels.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.newMessageLocked(chatID, s.now(), from)
	return &msg
}

// Send delivers a text message from the user. A text starting with "/"
// carries a bot_command entity, as Telegram adds one.
func (c *Chat) Send(text string) {
	c.srv.tb.Helper()
	msg := c.NewMessage()
	msg.Text = text
	if strings.HasPrefix(text, "/") {
		command, _, _ := strings.Cut(text, " ")
		msg.Entities = []tgmodels.MessageEntity{{
			Type: tgmodels.MessageEntityTypeBotCommand, Offset: 0, Length: len(utf16.Encode([]rune(command))),
		}}
	}
	c.SendUpdate(tgmodels.Update{Message: msg})
}

// SendUpdate delivers u as it is, giving it the next update_id when it has none.
func (c *Chat) SendUpdate(u tgmodels.Update) {
	c.srv.tb.Helper()
	c.srv.mu.Lock()
	u.ID = c.srv.updateIDLocked(u.ID)
	c.srv.mu.Unlock()
	c.deliver(c.srv.tb.Context(), &u)
}

// Tap presses the button whose label is label, or else the only one whose
// label contains it, on the chat's latest message (sent or edited) that has
// an inline keyboard. It fails the test when there is no such button.
func (c *Chat) Tap(label string) {
	tb := c.srv.tb
	tb.Helper()
	msg, ok := c.keyboardMessage()
	if !ok {
		tb.Fatalf("telegramtest: chat %d: Tap(%q): no message with an inline keyboard", c.user.ID, label)
	}
	button, err := findButton(msg.ReplyMarkup, label)
	if err != "" {
		tb.Fatalf("telegramtest: chat %d: Tap(%q): %s; buttons: %q", c.user.ID, label, err, buttonLabels(msg.ReplyMarkup))
	}
	c.deliverCallback(button.CallbackData, tgmodels.MaybeInaccessibleMessage{
		Type: tgmodels.MaybeInaccessibleMessageTypeMessage, Message: msg,
	})
}

// TapData delivers a callback query with crafted data on the bot's message
// messageID; a message the fake does not know arrives as inaccessible, as
// Telegram reports old or deleted messages.
func (c *Chat) TapData(data string, messageID int) {
	c.srv.tb.Helper()
	s := c.srv
	s.mu.Lock()
	stored, ok := s.chatLocked(c.user.ID).messages[messageID]
	var msg *tgmodels.Message
	if ok {
		msg = cloneMessage(stored.msg)
	}
	s.mu.Unlock()
	target := tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage, Message: msg}
	if !ok {
		target = tgmodels.MaybeInaccessibleMessage{
			Type:                tgmodels.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &tgmodels.InaccessibleMessage{Chat: chatOf(c.user.ID), MessageID: messageID},
		}
	}
	c.deliverCallback(data, target)
}

func (c *Chat) deliverCallback(data string, target tgmodels.MaybeInaccessibleMessage) {
	c.srv.tb.Helper()
	c.srv.mu.Lock()
	c.srv.querySeq++
	id := strconv.FormatInt(c.user.ID, 10) + "-" + strconv.Itoa(c.srv.querySeq)
	c.srv.mu.Unlock()
	c.SendUpdate(tgmodels.Update{CallbackQuery: &tgmodels.CallbackQuery{
		ID:           id,
		From:         c.user,
		Message:      target,
		ChatInstance: strconv.FormatInt(c.user.ID, 10),
		Data:         data,
	}})
}

// LastText is the text (or caption) of the chat's most recently sent or
// edited bot message, "" when there is none.
func (c *Chat) LastText() string {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.latestLocked(c.user.ID, func(*storedMessage) bool { return true })
	if m == nil {
		return ""
	}
	if m.msg.Text != "" {
		return m.msg.Text
	}
	return m.msg.Caption
}

// Buttons lists the labels of the keyboard Tap would press on, row by row.
func (c *Chat) Buttons() []string {
	msg, _ := c.keyboardMessage()
	if msg == nil {
		return nil
	}
	return buttonLabels(msg.ReplyMarkup)
}

// Texts lists the texts of every sendMessage to this chat, in order, as the
// user sees them (HTML markup stripped). Edits do not add to it.
func (c *Chat) Texts() []string {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.chatLocked(c.user.ID).texts...)
}

// keyboardMessage copies the latest bot message that has an inline keyboard.
func (c *Chat) keyboardMessage() (*tgmodels.Message, bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.latestLocked(c.user.ID, func(m *storedMessage) bool { return m.msg.ReplyMarkup != nil })
	if m == nil {
		return nil, false
	}
	return cloneMessage(m.msg), true
}

// findButton prefers an exact label match, then a unique partial match.
// It returns a reason when neither exists.
func findButton(markup *tgmodels.InlineKeyboardMarkup, label string) (tgmodels.InlineKeyboardButton, string) {
	var partial []tgmodels.InlineKeyboardButton
	for _, row := range markup.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return b, checkTappable(b)
			}
			if strings.Contains(b.Text, label) {
				partial = append(partial, b)
			}
		}
	}
	switch len(partial) {
	case 0:
		return tgmodels.InlineKeyboardButton{}, "no button matches"
	case 1:
		return partial[0], checkTappable(partial[0])
	}
	return tgmodels.InlineKeyboardButton{}, "several buttons match"
}

func checkTappable(b tgmodels.InlineKeyboardButton) string {
	if b.CallbackData == "" {
		return "the button has no callback_data"
	}
	return ""
}

// Message returns a copy of the bot's message msgID in chatID as it stands
// now (after edits), as a callback query would carry it.
func (s *Server) Message(chatID int64, msgID int) (*tgmodels.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.chatLocked(chatID).messages[msgID]
	if !ok {
		return nil, false
	}
	return cloneMessage(m.msg), true
}
