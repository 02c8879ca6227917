package telegramtest

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// WebhookInfo is what the last setWebhook registered; URL is empty when no
// webhook is set.
type WebhookInfo struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
}

// webhookSecretToken is Telegram's rule for secret_token.
var webhookSecretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Webhook returns the webhook set on the token.
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

// SetWebhookURL sets a webhook as a previous deployment would have left
// it, without a call being recorded.
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = WebhookInfo{URL: u}
}

// setWebhook checks what Telegram checks: an HTTPS URL and a well-formed
// secret token. An empty url deletes the webhook, as on Telegram.
func (s *Server) setWebhook(call Call) (any, *apiError) {
	raw := call.Form.Get("url")
	if raw == "" {
		s.webhook = WebhookInfo{}
		return true, nil
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := call.Form.Get("secret_token")
	if secret != "" && !webhookSecretToken.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if v := call.Form.Get("allowed_updates"); v != "" {
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates JSON object")
		}
	}
	s.webhook = WebhookInfo{URL: raw, SecretToken: secret, AllowedUpdates: allowed}
	s.dropUpdatesLocked(call.Form)
	return true, nil
}

func (s *Server) deleteWebhook(call Call) (any, *apiError) {
	s.webhook = WebhookInfo{}
	s.dropUpdatesLocked(call.Form)
	return true, nil
}
