// Package telegramtest is a fake Telegram Bot API server for tests. It speaks
// the wire format of github.com/go-telegram/bot (multipart forms in, the real
// {"ok":…} envelopes out), records every call, and can inject the failures a
// bot meets in production: flood limits, blocked users, server errors.
//
// A bot test builds the real client against it and drives a chat:
//
//	srv := telegramtest.NewServer(t)
//	api, _ := bot.New(telegramtest.Token, bot.WithServerURL(srv.URL()),
//		bot.WithSkipGetMe(), bot.WithNotAsyncHandlers())
//	c := srv.Chat(1001, api.ProcessUpdate)
//	c.Send("/report")
//	c.Tap("市科协")
//	if !strings.Contains(c.LastText(), "确认") { t.Fatalf(…) }
package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
)

// Token is the only bot token the fake accepts; any other token is answered
// with 401 Unauthorized, as Telegram does.
const Token = "123456:TEST-TOKEN"

// BotUserID is the user id getMe reports and the sender of every bot message.
const BotUserID int64 = 1000

const defaultBotUsername = "duban_test_bot"

// Option configures a Server.
type Option func(*Server)

// WithClock sets the time stamped on recorded calls and message dates, and the
// time the flood limits are measured against. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithBotUser sets the username getMe reports.
func WithBotUser(username string) Option {
	return func(s *Server) { s.bot.Username = username }
}

// WithTelegramLimits enforces approximately Telegram's flood limits on
// sendMessage, sendDocument and sendPhoto: at least 1s between messages to one
// chat, at most 20 messages a minute to a group (negative chat id), at most 30
// messages in any 1s window overall. A call over a limit is answered 429 with
// retry_after in whole seconds (rounded up) and does not use up quota.
func WithTelegramLimits() Option {
	return func(s *Server) { s.limiter = newFloodLimiter() }
}

// WithLatency delays every call as a network would: toServer before the
// server stamps the call's arrival (Call.At, which the flood limits count)
// and handles it, toClient after that, before the answer goes out. Both
// are real time, whatever WithClock says; latency is asked once per call
// with the method's canonical name, so it may vary from call to call.
func WithLatency(latency func(method string) (toServer, toClient time.Duration)) Option {
	return func(s *Server) { s.latency = latency }
}

// Server is a fake Bot API server on httptest. All methods are safe for
// concurrent use.
type Server struct {
	tb        testing.TB // nil when started by Start
	http      *httptest.Server
	now       func() time.Time
	latency   func(method string) (toServer, toClient time.Duration) // nil: none
	bot       tgmodels.User
	done      chan struct{} // closed by Close so long polls return at once
	closeOnce sync.Once

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every recorded call or pushed update
	calls       []Call
	hooks       []func(Call)
	faults      faults
	limiter     *floodLimiter // nil unless WithTelegramLimits
	chats       map[int64]*chatState
	touches     uint64 // orders message sends and edits across chats
	fileSeq     int
	querySeq    int
	updates     []tgmodels.Update
	lastUpdate  int64
	confirmed   int64 // the highest update_id a getUpdates offset confirmed
	polls       int   // getUpdates requests in progress
	webhook     WebhookInfo
	commandSets map[commandKey][]tgmodels.BotCommand
}

// NewServer starts a fake Bot API server and closes it when tb's test ends.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := Start(opts...)
	s.tb = tb
	tb.Cleanup(s.Close)
	return s
}

// Start starts a fake Bot API server outside a test (duban sandbox); the
// caller closes it. Its Chat scenarios need a test: build updates with
// NewMessage and hand them to the bot instead.
func Start(opts ...Option) *Server {
	s := &Server{
		now:         time.Now,
		bot:         tgmodels.User{ID: BotUserID, IsBot: true, FirstName: "Duban Test Bot", Username: defaultBotUsername},
		done:        make(chan struct{}),
		changed:     make(chan struct{}),
		faults:      newFaults(),
		chats:       map[int64]*chatState{},
		commandSets: map[commandKey][]tgmodels.BotCommand{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL is the base URL to pass to bot.WithServerURL.
func (s *Server) URL() string { return s.http.URL }

// Close ends pending long polls and shuts the server down. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.http.Close()
	})
}

// handlerFunc answers one API method; it runs with s.mu held.
type handlerFunc func(call Call) (any, *apiError)

// route maps a method name, case-insensitively as Telegram does, to its
// canonical spelling and handler. getUpdates has no handler here because it
// must wait without holding the lock.
func (s *Server) route(method string) (string, handlerFunc) {
	switch strings.ToLower(method) {
	case "getme":
		return "getMe", s.getMe
	case "getupdates":
		return "getUpdates", nil
	case "sendmessage":
		return "sendMessage", s.sendMessage
	case "editmessagetext":
		return "editMessageText", s.editMessageText
	case "editmessagereplymarkup":
		return "editMessageReplyMarkup", s.editMessageReplyMarkup
	case "deletemessage":
		return "deleteMessage", s.deleteMessage
	case "senddocument":
		return "sendDocument", s.sendDocument
	case "sendphoto":
		return "sendPhoto", s.sendPhoto
	case "sendchataction":
		return "sendChatAction", s.sendChatAction
	case "answercallbackquery":
		return "answerCallbackQuery", s.answerCallbackQuery
	case "setmycommands":
		return "setMyCommands", s.setMyCommands
	case "getmycommands":
		return "getMyCommands", s.getMyCommands
	case "deletemycommands":
		return "deleteMyCommands", s.deleteMyCommands
	case "setwebhook":
		return "setWebhook", s.setWebhook
	case "deletewebhook":
		return "deleteWebhook", s.deleteWebhook
	case "getchat":
		return "getChat", s.getChat
	}
	return method, nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, pathOK := splitPath(r.URL.Path)
	name, handler := s.route(method)
	var toClient time.Duration
	if s.latency != nil {
		var toServer time.Duration
		toServer, toClient = s.latency(name)
		s.wait(r, toServer)
	}
	call := Call{At: s.now(), Method: name}
	form, files, uploads, errRead := readRequest(r)
	call.Form, call.Files, call.uploads = form, files, uploads

	var result any
	var apiErr *apiError
	var hooks []func(Call)
	switch {
	case !pathOK || (handler == nil && name != "getUpdates"):
		hooks = s.recordLocking(&call, errNotFound())
	case token != Token:
		hooks = s.recordLocking(&call, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
	case errRead != nil:
		hooks = s.recordLocking(&call, badRequest("invalid request body: "+errRead.Error()))
	case handler == nil:
		result, apiErr = s.getUpdates(r.Context(), call)
		hooks = s.recordLocking(&call, apiErr)
	default:
		result, hooks = s.dispatch(&call, handler)
	}
	s.wait(r, toClient)
	s.respond(w, call, result, hooks)
}

// wait sleeps d in real time, or less when the request or the server ends.
func (s *Server) wait(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	case <-s.done:
	}
}

// dispatch runs a handler and records the call under one lock, so that the
// order of Calls matches the order messages were created in.
func (s *Server) dispatch(call *Call, h handlerFunc) (any, []func(Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	result, apiErr := s.applyLocked(*call, h)
	if msg, ok := result.(tgmodels.Message); ok {
		call.MessageID = msg.ID
	}
	return result, s.recordLocked(call, apiErr)
}

func (s *Server) applyLocked(call Call, h handlerFunc) (any, *apiError) {
	if apiErr := s.faults.inject(call); apiErr != nil {
		return nil, apiErr
	}
	chatID, limited := int64(0), false
	if s.limiter != nil && floodCounted(call.Method) {
		if id, err := formChatID(call.Form); err == nil {
			chatID, limited = id, true
			if apiErr := s.limiter.admit(chatID, call.At); apiErr != nil {
				return nil, apiErr
			}
		}
	}
	result, apiErr := h(call)
	if apiErr == nil && limited {
		s.limiter.record(chatID, call.At)
	}
	return result, apiErr
}

// respond runs the hooks (before answering, so that a hook has run by the time
// the bot's API call returns) and writes the envelope.
func (s *Server) respond(w http.ResponseWriter, call Call, result any, hooks []func(Call)) {
	for _, hook := range hooks {
		hook(call)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(call.Status)
	_ = json.NewEncoder(w).Encode(newEnvelope(call.Status, result, call.err))
}

// splitPath splits "/bot<token>/<method>" (also "/bot<token>/test/<method>",
// the test environment) into token and method.
func splitPath(path string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(path, "/bot")
	if !found {
		return "", "", false
	}
	token, method, found = strings.Cut(rest, "/")
	method = strings.TrimPrefix(method, "test/")
	return token, method, found && method != "" && !strings.Contains(method, "/")
}

// notifyLocked wakes every WaitFor and long poll.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
