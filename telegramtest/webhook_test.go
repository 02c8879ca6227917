package telegramtest_test

import (
	"fmt"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/telegramtest"
)

// setWebhook refuses what Telegram refuses and leaves the webhook as it was.
func TestSetWebhookChecksLikeTelegram(t *testing.T) {
	cases := []struct {
		name    string
		params  tg.SetWebhookParams
		wantErr string
	}{
		{"plain http", tg.SetWebhookParams{URL: "http://bot.example.test/hook"}, "HTTPS URL must be provided"},
		{"secret with a space", tg.SetWebhookParams{URL: "https://bot.example.test/hook", SecretToken: "a b"}, "unallowed characters"},
		{"secret of 257", tg.SetWebhookParams{URL: "https://bot.example.test/hook", SecretToken: strings.Repeat("a", 257)}, "unallowed characters"},
		{"good", tg.SetWebhookParams{URL: "https://bot.example.test/hook", SecretToken: "s_1-X",
			AllowedUpdates: []string{"message", "callback_query"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			_, err := newBot(t, srv).SetWebhook(t.Context(), &c.params)
			got := srv.Webhook()
			switch {
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || got.URL != ""):
				t.Errorf("err %v, webhook %+v; want %q and no webhook", err, got, c.wantErr)
			case c.wantErr == "" && (err != nil || got.URL != c.params.URL || got.SecretToken != c.params.SecretToken ||
				fmt.Sprint(got.AllowedUpdates) != "[message callback_query]"):
				t.Errorf("err %v, webhook %+v", err, got)
			}
		})
	}
}
