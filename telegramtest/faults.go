package telegramtest

import (
	"encoding/json"
	"strconv"
)

// faults holds the failures a test asked for; guarded by Server.mu.
type faults struct {
	next    map[string][]injected // method → queued one-shot failures
	rates   map[string]rate       // method → periodic failure
	counts  map[string]int        // method → calls since its FailRate
	blocked map[int64]bool        // chat ids whose user blocked the bot
}

type injected struct{ code, retryAfter int }

type rate struct {
	injected
	every int
}

func newFaults() faults {
	return faults{
		next:    map[string][]injected{},
		rates:   map[string]rate{},
		counts:  map[string]int{},
		blocked: map[int64]bool{},
	}
}

// FailNext makes the next call of method fail with code. Repeated calls
// queue up. 429 carries retryAfter seconds; 403 reads "bot was blocked by the
// user"; 400 "chat not found"; 5xx the plain status text.
func (s *Server) FailNext(method string, code int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.next[method] = append(s.faults.next[method], injected{code, retryAfter})
}

// FailRate makes every Nth call of method (counted from now) fail with code,
// a deterministic stand-in for "a share of calls fails". every <= 0 turns it
// off. A FailNext due on the same call takes precedence.
func (s *Server) FailRate(method string, code int, retryAfter int, every int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.counts[method] = 0
	if every <= 0 {
		delete(s.faults.rates, method)
		return
	}
	s.faults.rates[method] = rate{injected{code, retryAfter}, every}
}

// BlockChat makes every call addressed to chatID fail with 403 "Forbidden:
// bot was blocked by the user", as after the user blocks the bot.
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.blocked[chatID] = true
}

// UnblockChat undoes BlockChat, as when the user restarts the bot.
func (s *Server) UnblockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults.blocked, chatID)
}

// inject returns the failure planned for call, if any.
func (f *faults) inject(call Call) *apiError {
	f.counts[call.Method]++
	if queue := f.next[call.Method]; len(queue) > 0 {
		f.next[call.Method] = queue[1:]
		return failure(queue[0].code, queue[0].retryAfter)
	}
	if r, ok := f.rates[call.Method]; ok && f.counts[call.Method]%r.every == 0 {
		return failure(r.code, r.retryAfter)
	}
	if id, err := strconv.ParseInt(call.Form.Get("chat_id"), 10, 64); err == nil && f.blocked[id] {
		return errBlocked()
	}
	if id, ok := scopeChatID(call.Form.Get("scope")); ok && f.blocked[id] {
		// A chat-scoped menu for a user who never opened (or blocked) the bot.
		return badRequest("Bad Request: chat not found")
	}
	return nil
}

// scopeChatID is the chat_id of a BotCommandScope JSON object, if any.
func scopeChatID(scope string) (int64, bool) {
	var sc struct {
		ChatID int64 `json:"chat_id"`
	}
	if scope == "" || json.Unmarshal([]byte(scope), &sc) != nil || sc.ChatID == 0 {
		return 0, false
	}
	return sc.ChatID, true
}
