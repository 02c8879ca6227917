package telegramtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Call is one request the fake received, successful or not.
type Call struct {
	Method      string            // canonical method name, e.g. "sendMessage"
	Form        url.Values        // form fields as sent; JSON fields (reply_markup, commands, scope) stay JSON strings
	Files       map[string][]byte // uploaded files: file name → content
	At          time.Time         // when the request arrived, by the server's clock
	Status      int               // HTTP status answered (equal to error_code for failures)
	Description string            // error description answered; "" on success
	MessageID   int               // the message sent or edited; 0 for other methods and failures

	uploads map[string]string // form field → uploaded file name
	err     *apiError
}

// ErrClosed is returned by WaitFor and WaitPolling once the server is closed.
var ErrClosed = errors.New("telegramtest: server closed")

// Calls returns the recorded calls of method in arrival order, successful
// and failed; method "" returns all calls.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the successful sendMessage, editMessageText, sendDocument and
// sendPhoto calls addressed to chatID, in order.
func (s *Server) Sent(chatID int64) []Call {
	want := strconv.FormatInt(chatID, 10)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Status == http.StatusOK && sentMethod(c.Method) && c.Form.Get("chat_id") == want {
			out = append(out, c)
		}
	}
	return out
}

func sentMethod(method string) bool {
	switch method {
	case "sendMessage", "editMessageText", "sendDocument", "sendPhoto":
		return true
	}
	return false
}

// OnCall registers fn to run for every call after it is recorded and before
// the response is written, so fn has run by the time the bot's request returns.
// fn runs on the server's goroutine and must not block for long.
func (s *Server) OnCall(fn func(Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, fn)
}

// WaitFor blocks until a recorded call satisfies pred, looking at calls
// already recorded first. It returns an error when ctx ends or the server
// closes first. pred runs without the server lock held.
func (s *Server) WaitFor(ctx context.Context, pred func(Call) bool) (Call, error) {
	seen := 0
	for {
		s.mu.Lock()
		fresh := append([]Call(nil), s.calls[seen:]...)
		seen = len(s.calls)
		changed := s.changed
		s.mu.Unlock()
		for _, c := range fresh {
			if pred(c) {
				return c, nil
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Call{}, fmt.Errorf("telegramtest: wait for call: %w", ctx.Err())
		case <-s.done:
			return Call{}, ErrClosed
		}
	}
}

// recordLocking records call under the lock; see recordLocked.
func (s *Server) recordLocking(call *Call, apiErr *apiError) []func(Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recordLocked(call, apiErr)
}

// recordLocked stamps the outcome on call, appends it, wakes waiters and
// returns the hooks to run once the lock is released.
func (s *Server) recordLocked(call *Call, apiErr *apiError) []func(Call) {
	call.Status, call.err = http.StatusOK, apiErr
	if apiErr != nil {
		call.Status, call.Description = apiErr.code, apiErr.description
	}
	s.calls = append(s.calls, *call)
	s.notifyLocked()
	return slices.Clone(s.hooks)
}
