package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
)

// chatState is what the fake remembers about one chat; guarded by Server.mu.
type chatState struct {
	lastID   int // message ids are shared by the bot's and the user's messages, as in Telegram
	messages map[int]*storedMessage
	texts    []string // rendered texts of the bot's sendMessage calls, in order
}

// storedMessage is the current state of a message the bot sent.
type storedMessage struct {
	msg     tgmodels.Message
	source  string // parse mode and raw text, to detect "not modified"
	markup  string // keyboard.key
	touched uint64 // Server.touches at the last send or edit
}

func (s *Server) chatLocked(id int64) *chatState {
	st, ok := s.chats[id]
	if !ok {
		st = &chatState{messages: map[int]*storedMessage{}}
		s.chats[id] = st
	}
	return st
}

// newMessageLocked allocates the next message id in the chat.
func (s *Server) newMessageLocked(chatID int64, at time.Time, from tgmodels.User) tgmodels.Message {
	st := s.chatLocked(chatID)
	st.lastID++
	return tgmodels.Message{ID: st.lastID, From: &from, Date: int(at.Unix()), Chat: chatOf(chatID)}
}

// storeLocked remembers a message the bot sent and returns a copy to answer.
func (s *Server) storeLocked(m *storedMessage) tgmodels.Message {
	s.chatLocked(m.msg.Chat.ID).messages[m.msg.ID] = m
	s.touchLocked(m)
	return m.msg
}

func (s *Server) touchLocked(m *storedMessage) {
	s.touches++
	m.touched = s.touches
}

// chatOf describes a chat from its id the way Telegram numbers chats:
// users positive, groups negative, supergroups below -10^12.
func chatOf(id int64) tgmodels.Chat {
	switch {
	case id > 0:
		return tgmodels.Chat{ID: id, Type: tgmodels.ChatTypePrivate, FirstName: userName(id)}
	case id <= -1_000_000_000_000:
		return tgmodels.Chat{ID: id, Type: tgmodels.ChatTypeSupergroup, Title: fmt.Sprintf("Supergroup %d", id)}
	}
	return tgmodels.Chat{ID: id, Type: tgmodels.ChatTypeGroup, Title: fmt.Sprintf("Group %d", id)}
}

func userName(id int64) string { return fmt.Sprintf("User %d", id) }

func (s *Server) sendMessage(call Call) (any, *apiError) {
	chatID, apiErr := formChatID(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	raw, mode := call.Form.Get("text"), call.Form.Get("parse_mode")
	text := renderText(raw, mode)
	if apiErr := checkText(text); apiErr != nil {
		return nil, apiErr
	}
	kb, apiErr := parseMarkup(call.Form.Get("reply_markup"))
	if apiErr != nil {
		return nil, apiErr
	}
	msg := s.newMessageLocked(chatID, call.At, s.bot)
	msg.Text, msg.ReplyMarkup = text, kb.markup
	st := s.chatLocked(chatID)
	st.texts = append(st.texts, text)
	return s.storeLocked(&storedMessage{msg: msg, source: mode + "\x00" + raw, markup: kb.key}), nil
}

func (s *Server) editMessageText(call Call) (any, *apiError) {
	raw, mode := call.Form.Get("text"), call.Form.Get("parse_mode")
	text := renderText(raw, mode)
	if apiErr := checkText(text); apiErr != nil {
		return nil, apiErr
	}
	kb, apiErr := parseMarkup(call.Form.Get("reply_markup"))
	if apiErr != nil {
		return nil, apiErr
	}
	if call.Form.Get("inline_message_id") != "" {
		return true, nil // inline messages are not tracked
	}
	m, apiErr := s.messageToEditLocked(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	if m.msg.Text == "" {
		return nil, badRequest("there is no text in the message to edit")
	}
	source := mode + "\x00" + raw
	if source == m.source && kb.key == m.markup {
		return nil, errNotModified()
	}
	m.msg.Text, m.msg.ReplyMarkup, m.msg.EditDate = text, kb.markup, int(call.At.Unix())
	m.source, m.markup = source, kb.key
	s.touchLocked(m)
	return m.msg, nil
}

func (s *Server) editMessageReplyMarkup(call Call) (any, *apiError) {
	kb, apiErr := parseMarkup(call.Form.Get("reply_markup"))
	if apiErr != nil {
		return nil, apiErr
	}
	if call.Form.Get("inline_message_id") != "" {
		return true, nil
	}
	m, apiErr := s.messageToEditLocked(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	if kb.key == m.markup {
		return nil, errNotModified()
	}
	m.msg.ReplyMarkup, m.msg.EditDate, m.markup = kb.markup, int(call.At.Unix()), kb.key
	s.touchLocked(m)
	return m.msg, nil
}

func (s *Server) deleteMessage(call Call) (any, *apiError) {
	chatID, apiErr := formChatID(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	id, apiErr := formInt(call.Form, "message_id")
	if apiErr != nil {
		return nil, apiErr
	}
	st := s.chatLocked(chatID)
	if _, ok := st.messages[id]; !ok {
		return nil, badRequest("message to delete not found")
	}
	delete(st.messages, id)
	return true, nil
}

// messageToEditLocked finds the bot's message named by chat_id and message_id.
func (s *Server) messageToEditLocked(form url.Values) (*storedMessage, *apiError) {
	chatID, apiErr := formChatID(form)
	if apiErr != nil {
		return nil, apiErr
	}
	id, apiErr := formInt(form, "message_id")
	if apiErr != nil {
		return nil, apiErr
	}
	if id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	m, ok := s.chatLocked(chatID).messages[id]
	if !ok {
		return nil, badRequest("message to edit not found")
	}
	return m, nil
}

// latestLocked returns the chat's most recently sent or edited message that
// matches keep, or nil.
func (s *Server) latestLocked(chatID int64, keep func(*storedMessage) bool) *storedMessage {
	var best *storedMessage
	for _, m := range s.chatLocked(chatID).messages {
		if keep(m) && (best == nil || m.touched > best.touched) {
			best = m
		}
	}
	return best
}

// cloneMessage deep-copies m, so a bot under test that mutates an update
// cannot change the fake's record.
func cloneMessage(m tgmodels.Message) *tgmodels.Message {
	data, err := json.Marshal(&m)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal message: %v", err))
	}
	var out tgmodels.Message
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("telegramtest: unmarshal message: %v", err))
	}
	return &out
}
