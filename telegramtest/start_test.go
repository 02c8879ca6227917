package telegramtest_test

import (
	"sync"
	"testing"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// A server started outside a test (duban sandbox) answers like one from
// NewServer, and stops on Close.
func TestStartWithoutTest(t *testing.T) {
	srv := telegramtest.Start(telegramtest.WithBotUser("sandbox_bot"))
	b, err := tg.New(telegramtest.Token, tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	me, err := b.GetMe(t.Context())
	if err != nil || me.Username != "sandbox_bot" {
		t.Fatalf("getMe = %+v, %v", me, err)
	}
	srv.Close()
	if _, err := b.GetMe(t.Context()); err == nil {
		t.Error("the server still answers after Close")
	}
}

// Every call that sends or edits a message records its id, so a hook can
// look the message up as it stands.
func TestCallsRecordMessageID(t *testing.T) {
	srv := telegramtest.NewServer(t)
	var mu sync.Mutex
	var seen []telegramtest.Call
	srv.OnCall(func(c telegramtest.Call) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, c)
	})
	b := newBot(t, srv)
	ctx := t.Context()
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(-1001), Text: "一"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: int64(-1001), MessageID: msg.ID, Text: "二"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: int64(-1001), MessageID: 99, Text: "三"}); err == nil {
		t.Fatal("an edit of an unknown message succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 || seen[0].MessageID != msg.ID || seen[1].MessageID != msg.ID || seen[2].MessageID != 0 {
		t.Fatalf("message ids of the calls: %+v", seen)
	}
	if m, ok := srv.Message(-1001, seen[1].MessageID); !ok || m.Text != "二" {
		t.Errorf("message after the edit = %+v", m)
	}
}

// NewMessage numbers a user's messages in a group with the bot's.
func TestNewMessageInGroup(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	sent, err := b.SendMessage(t.Context(), &tg.SendMessageParams{ChatID: int64(-1001), Text: "通报"})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.NewMessage(-1001, tgmodels.User{ID: 7, FirstName: "张三"})
	if m.ID != sent.ID+1 || m.Chat.ID != -1001 || m.Chat.Type != tgmodels.ChatTypeGroup || m.From.ID != 7 {
		t.Errorf("message = %+v", m)
	}
}
