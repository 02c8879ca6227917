package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// HTTPFetcher calls getUpdates on the Bot API. go-telegram/bot has no
// public getUpdates (its Start confirms an update as soon as it fetched
// it), so this is the one Bot API call duban makes itself.
type HTTPFetcher struct {
	Client  *http.Client // its Timeout must exceed the long-poll wait
	BaseURL string       // e.g. https://api.telegram.org
	Token   string
	// Allowed lists the update types asked for (allowed_updates).
	Allowed []string
}

type getUpdatesRequest struct {
	Offset         int64    `json:"offset,omitempty"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates,omitempty"`
}

type envelope struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
}

// Fetch asks for the updates from offset on, waiting up to timeout for
// one. Asking with offset confirms to Telegram every update below it.
func (f HTTPFetcher) Fetch(ctx context.Context, offset int64, timeout time.Duration) ([]json.RawMessage, error) {
	body, err := json.Marshal(getUpdatesRequest{Offset: offset, Timeout: int(timeout / time.Second), AllowedUpdates: f.Allowed})
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	url := strings.TrimRight(f.BaseURL, "/") + "/bot" + f.Token + "/getUpdates"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, f.redact(fmt.Errorf("getUpdates: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, f.redact(fmt.Errorf("getUpdates: %w", err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, f.redact(fmt.Errorf("getUpdates: read answer: %w", err))
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, not a Bot API answer: %w", resp.StatusCode, err)
	}
	if !env.OK {
		return nil, fmt.Errorf("getUpdates: %d %s", env.ErrorCode, f.redactText(env.Description))
	}
	return env.Result, nil
}

// redact keeps the token out of an error that quotes the request's URL.
func (f HTTPFetcher) redact(err error) error {
	if f.Token == "" || !strings.Contains(err.Error(), f.Token) {
		return err
	}
	return errors.New(f.redactText(err.Error()))
}

func (f HTTPFetcher) redactText(s string) string {
	if f.Token == "" {
		return s
	}
	return strings.ReplaceAll(s, f.Token, "***")
}
