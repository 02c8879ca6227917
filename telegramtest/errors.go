package telegramtest

import (
	"fmt"
	"net/http"
)

// apiError is a failure answered in Telegram's error envelope.
type apiError struct {
	code        int
	description string
	retryAfter  int // seconds; sent as parameters.retry_after for 429
}

type responseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

// envelope is Telegram's response object.
type envelope struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

func newEnvelope(status int, result any, apiErr *apiError) envelope {
	if apiErr == nil {
		return envelope{OK: true, Result: result}
	}
	env := envelope{ErrorCode: status, Description: apiErr.description}
	if apiErr.code == http.StatusTooManyRequests {
		env.Parameters = &responseParameters{RetryAfter: apiErr.retryAfter}
	}
	return env
}

func badRequest(reason string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + reason}
}

func errNotFound() *apiError {
	return &apiError{code: http.StatusNotFound, description: "Not Found"}
}

func errBlocked() *apiError {
	return &apiError{code: http.StatusForbidden, description: "Forbidden: bot was blocked by the user"}
}

func errTooManyRequests(retryAfter int) *apiError {
	return &apiError{
		code:        http.StatusTooManyRequests,
		description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		retryAfter:  retryAfter,
	}
}

// errNotModified is what Telegram answers to an edit that changes nothing;
// bots commonly treat it as success, so the text matters.
func errNotModified() *apiError {
	return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
}

// failure builds the error Telegram typically answers with the given code.
func failure(code, retryAfter int) *apiError {
	switch code {
	case http.StatusTooManyRequests:
		return errTooManyRequests(retryAfter)
	case http.StatusForbidden:
		return errBlocked()
	case http.StatusBadRequest:
		return badRequest("chat not found")
	case http.StatusUnauthorized:
		return &apiError{code: code, description: "Unauthorized"}
	case http.StatusNotFound:
		return errNotFound()
	case http.StatusConflict:
		return &apiError{code: code, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	return &apiError{code: code, description: http.StatusText(code)}
}
