package telegramtest

import (
	"encoding/json"
	"net/url"
	"regexp"
	"unicode/utf8"

	tgmodels "github.com/go-telegram/bot/models"
)

// botCommandName is Telegram's rule for a command: 1–32 of a-z, 0-9 and _.
var botCommandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

const maxCommands = 100

// commandKey identifies a command list; chat-specific scopes are keyed by
// their type only.
type commandKey struct{ scope, language string }

// Commands returns the commands last set for the scope type ("default",
// "all_private_chats", "all_group_chats", "chat", …) with no language code.
func (s *Server) Commands(scopeType string) []tgmodels.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]tgmodels.BotCommand(nil), s.commandSets[commandKey{scopeType, ""}]...)
}

func (s *Server) getMe(Call) (any, *apiError) {
	return s.bot, nil
}

func (s *Server) getChat(call Call) (any, *apiError) {
	chatID, apiErr := formChatID(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	c := chatOf(chatID)
	return tgmodels.ChatFullInfo{ID: c.ID, Type: c.Type, Title: c.Title, FirstName: c.FirstName}, nil
}

func (s *Server) sendChatAction(call Call) (any, *apiError) {
	if _, apiErr := formChatID(call.Form); apiErr != nil {
		return nil, apiErr
	}
	if call.Form.Get("action") == "" {
		return nil, badRequest("action is empty")
	}
	return true, nil
}

func (s *Server) answerCallbackQuery(call Call) (any, *apiError) {
	if call.Form.Get("callback_query_id") == "" {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf8.RuneCountInString(call.Form.Get("text")) > maxCallbackTextLen {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	return true, nil
}

func (s *Server) setMyCommands(call Call) (any, *apiError) {
	key, apiErr := readCommandKey(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	var commands []tgmodels.BotCommand
	if err := json.Unmarshal([]byte(call.Form.Get("commands")), &commands); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(commands) > maxCommands {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range commands {
		if !botCommandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.commandSets[key] = commands
	return true, nil
}

func (s *Server) getMyCommands(call Call) (any, *apiError) {
	key, apiErr := readCommandKey(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	return append([]tgmodels.BotCommand{}, s.commandSets[key]...), nil
}

func (s *Server) deleteMyCommands(call Call) (any, *apiError) {
	key, apiErr := readCommandKey(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	delete(s.commandSets, key)
	return true, nil
}

// readCommandKey reads scope (a JSON object, default {"type":"default"}) and
// language_code.
func readCommandKey(form url.Values) (commandKey, *apiError) {
	key := commandKey{scope: "default", language: form.Get("language_code")}
	raw := form.Get("scope")
	if raw == "" || raw == "null" {
		return key, nil
	}
	var scope struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(raw), &scope); err != nil || scope.Type == "" {
		return key, badRequest("can't parse BotCommandScope JSON object")
	}
	key.scope = scope.Type
	return key, nil
}

// dropUpdatesLocked honours drop_pending_updates.
func (s *Server) dropUpdatesLocked(form url.Values) {
	if form.Get("drop_pending_updates") == "true" {
		s.updates = nil
	}
}
