package main

import (
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Webhook holds the settings of webhook mode; URL is empty in polling mode.
type Webhook struct {
	URL    string // the public HTTPS URL Telegram posts updates to
	Path   string // URL's path, where the listener serves the webhook
	Listen string // the address the webhook listener binds
	Secret string // X-Telegram-Bot-Api-Secret-Token that Telegram sends
}

// webhookSecret is Telegram's rule for secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// loadWebhook reads DUBAN_WEBHOOK_URL, DUBAN_LISTEN and DUBAN_WEBHOOK_SECRET.
// The secret is required in webhook mode: without it anybody who guessed
// the URL could post updates as any user.
func loadWebhook(getenv func(string) string, c *Config) error {
	w := Webhook{Listen: orDefault(getenv("DUBAN_LISTEN"), ":8080")}
	if _, _, err := net.SplitHostPort(w.Listen); err != nil {
		return usagef("DUBAN_LISTEN: %q is not an address such as :8080 or 127.0.0.1:8080", w.Listen)
	}
	secret := getenv("DUBAN_WEBHOOK_SECRET")
	if secret != "" && !webhookSecret.MatchString(secret) {
		return usagef("DUBAN_WEBHOOK_SECRET: must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
	}
	raw := strings.TrimSpace(getenv("DUBAN_WEBHOOK_URL"))
	if raw == "" {
		c.Webhook = w
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return usagef("DUBAN_WEBHOOK_URL: %q is not an https:// URL without query (e.g. https://bot.example.gov.cn/telegram)", raw)
	}
	if secret == "" {
		return usagef("DUBAN_WEBHOOK_SECRET: missing; webhook mode needs 1–256 characters of A-Z, a-z, 0-9, _ and -")
	}
	w.URL, w.Secret, w.Path = raw, secret, u.EscapedPath()
	if w.Path == "" {
		w.Path = "/"
	}
	c.Webhook = w
	return nil
}
