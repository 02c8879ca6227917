package bot

import (
	"testing"

	tgmodels "github.com/go-telegram/bot/models"
)

// An edited message is queued with the rest of its chat, so the answer to
// the edit comes after the answers to the messages before it; every update
// of one private chat shares a queue.
func TestEditedMessageSharesItsChatsQueue(t *testing.T) {
	d := NewDispatcher(64, nil)
	chat := tgmodels.Chat{ID: 2003, Type: tgmodels.ChatTypePrivate}
	from := &tgmodels.User{ID: 2003}
	updates := []*tgmodels.Update{
		{Message: &tgmodels.Message{Chat: chat, From: from}},
		{EditedMessage: &tgmodels.Message{Chat: chat, From: from}},
		{CallbackQuery: &tgmodels.CallbackQuery{From: *from}},
	}
	want := d.shard(updates[0])
	for i, u := range updates {
		if got := d.shard(u); got != want {
			t.Errorf("update %d goes to queue %d, the chat's messages to %d", i, got, want)
		}
	}
}
