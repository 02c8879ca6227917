package main

import (
	"strings"
	"testing"
	"time"
)

// Webhook settings: a bad one stops start-up with one line naming it.
func TestWebhookSettings(t *testing.T) {
	good := "https://bot.example.gov.cn/tg/hook"
	cases := []struct {
		name      string
		vars      map[string]string
		wantErr   string // the variable the line names; "" for accepted
		wantPath  string
		wantListn string
	}{
		{"polling by default", map[string]string{}, "", "", ":8080"},
		{"webhook", map[string]string{"DUBAN_WEBHOOK_URL": good, "DUBAN_WEBHOOK_SECRET": "a-Z_9"}, "", "/tg/hook", ":8080"},
		{"root path", map[string]string{"DUBAN_WEBHOOK_URL": "https://bot.example.gov.cn", "DUBAN_WEBHOOK_SECRET": "x", "DUBAN_LISTEN": "127.0.0.1:8443"}, "", "/", "127.0.0.1:8443"},
		{"256-character secret", map[string]string{"DUBAN_WEBHOOK_URL": good, "DUBAN_WEBHOOK_SECRET": strings.Repeat("a", 256)}, "", "/tg/hook", ":8080"},
		{"no secret", map[string]string{"DUBAN_WEBHOOK_URL": good}, "DUBAN_WEBHOOK_SECRET: missing", "", ""},
		{"secret with a space", map[string]string{"DUBAN_WEBHOOK_URL": good, "DUBAN_WEBHOOK_SECRET": "a b"}, "DUBAN_WEBHOOK_SECRET", "", ""},
		{"secret of 257", map[string]string{"DUBAN_WEBHOOK_URL": good, "DUBAN_WEBHOOK_SECRET": strings.Repeat("a", 257)}, "DUBAN_WEBHOOK_SECRET", "", ""},
		{"plain http", map[string]string{"DUBAN_WEBHOOK_URL": "http://bot.example.gov.cn/hook", "DUBAN_WEBHOOK_SECRET": "x"}, "DUBAN_WEBHOOK_URL", "", ""},
		{"query in URL", map[string]string{"DUBAN_WEBHOOK_URL": good + "?a=1", "DUBAN_WEBHOOK_SECRET": "x"}, "DUBAN_WEBHOOK_URL", "", ""},
		{"listen without port", map[string]string{"DUBAN_LISTEN": "8080"}, "DUBAN_LISTEN", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := loadConfig(testEnv(c.vars), "", time.Now)
			if c.wantErr != "" {
				if err == nil || !isUsage(err) || !strings.HasPrefix(err.Error(), c.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err %v; want one usage line starting %q", err, c.wantErr)
				}
				if s := c.vars["DUBAN_WEBHOOK_SECRET"]; len(s) > 2 && strings.Contains(err.Error(), s) {
					t.Errorf("the line quotes the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Webhook.Path != c.wantPath || cfg.Webhook.Listen != c.wantListn || cfg.Webhook.URL != c.vars["DUBAN_WEBHOOK_URL"] {
				t.Errorf("webhook settings %+v", cfg.Webhook)
			}
		})
	}
}
